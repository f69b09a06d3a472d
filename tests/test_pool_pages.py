"""The pool on the site: its terms are part of the listing form for offers in
"Kooperation & Investition"; the listing page shows everyone how far it is and that no
money flows through the platform, the initiator who committed, a partner its own
commitment and, once the thread is open, the others; joining, the steps and the group
thread are for those they concern only (404 for everyone else)."""

import pytest

from listings.models import Listing
from organisations.models import Role
from pools import services
from pools.models import Commitment, PoolMessage, PoolStatus

from .factories import category, fresh, in_days, make_membership, make_user
from .pool_helpers import make_partner, make_pool
from .test_listing_editing import CREATE, edit_url, listing_data

pytestmark = pytest.mark.django_db

NO_MONEY = "Kein Geld fließt über die Plattform"


def pool_terms(**changes):
    terms = {
        "pool-shared": "office",
        "pool-total_cost": "1800",
        "pool-cost_basis": "monthly",
        "pool-partners_sought": "3",
        "pool-initiator_share": "25",
        "pool-use_split": "Je ein Schreibtisch, Besprechungsraum nach Absprache",
        "pool-join_until": in_days(20).isoformat(),
    }
    return {**terms, **changes}


def office_data(**changes):
    return listing_data(
        category=category("buerogemeinschaft").pk,
        title="Bürogemeinschaft in Werder",
        terms="rent",
        price="",
        reduced_price="",
        **changes,
    )


@pytest.fixture
def pool(organisation, owner):
    return make_pool(organisation, owner, partners_sought=2)


@pytest.fixture
def partner(pm):
    return make_partner(pm, "Metallbau Kranich", "chefin@kranich.example")


@pytest.fixture
def second_partner(pm):
    return make_partner(pm, "Holzbau Werder", "chef@holzbau.example")


def page(client, listing):
    return client.get(listing.get_absolute_url()).content.decode()


# The listing form ---------------------------------------------------------------------------


def test_the_listing_form_asks_the_pool_terms_for_cooperation_offers_only(
    client_for, owner, organisation
):
    client = client_for(owner)
    office = category("buerogemeinschaft").pk
    offer = client.get(CREATE, {"direction": "offer", "category": office}).content.decode()
    request = client.get(CREATE, {"direction": "request", "category": office}).content.decode()
    machine = client.get(
        CREATE, {"direction": "offer", "category": category("maschinen").pk}
    ).content.decode()

    assert "Bedingungen des Pools" in offer and "pool-partners_sought" in offer
    assert NO_MONEY in offer
    assert 'value="office" required id="id_pool-shared_1" checked' in offer
    assert "pool-partners_sought" not in request
    assert "pool-partners_sought" not in machine


def test_creating_a_cooperation_offer_saves_its_pool(client_for, owner, organisation):
    response = client_for(owner).post(CREATE, {**office_data(), **pool_terms()})

    assert response.status_code == 302
    listing = Listing.objects.get(title="Bürogemeinschaft in Werder")
    pool = listing.pool
    assert (pool.shared, pool.partners_sought, pool.initiator_share, pool.region) == (
        "office",
        3,
        25,
        organisation.region,
    )
    assert pool.status == PoolStatus.OPEN


def test_wrong_pool_terms_are_answered_in_german_at_their_fields(client_for, owner, organisation):
    response = client_for(owner).post(
        CREATE,
        {
            **office_data(),
            **pool_terms(
                **{
                    "pool-total_cost": "viel",
                    "pool-partners_sought": "0",
                    "pool-initiator_share": "100",
                    "pool-use_split": "",
                    "pool-join_until": in_days(-2).isoformat(),
                }
            ),
        },
    )

    assert response.status_code == 200
    assert not Listing.objects.filter(title="Bürogemeinschaft in Werder").exists()
    html = response.content.decode()
    for message in (
        "Bitte geben Sie einen Betrag in Euro an",
        "Bitte suchen Sie mindestens einen Partner.",
        "Ihr eigener Anteil muss unter 100 % liegen",
        "Bitte geben Sie an, wie die Nutzung unter den Partnern aufgeteilt wird.",
        "Bitte wählen Sie ein Datum ab heute.",
    ):
        assert message in html
    assert 'href="#id_pool-partners_sought"' in html


def test_editing_keeps_the_terms_within_what_partners_committed(client_for, owner, pool, partner):
    services.commit(pool, *partner, share=40, use="Montags")
    listing = pool.listing
    data = {
        **listing_data(
            category=listing.category.pk, title=listing.title, price="", reduced_price=""
        ),
        **pool_terms(
            **{"pool-shared": "machine", "pool-partners_sought": "1", "pool-initiator_share": "70"}
        ),
    }

    refused = client_for(owner).post(edit_url(listing), data)
    assert "Ihr Anteil kann höchstens 60 % betragen" in refused.content.decode()

    accepted = client_for(owner).post(edit_url(listing), {**data, "pool-initiator_share": "20"})
    assert accepted.status_code == 302
    pool = fresh(pool)
    assert pool.partners_sought == 1
    # One partner sought and one committed: the threshold is reached by the edit.
    assert pool.thread_is_open


# The listing page ---------------------------------------------------------------------------


def test_everyone_sees_how_far_the_pool_is_but_not_who_committed(
    pm_client, client_for, outsider, pool, partner
):
    services.commit(pool, *partner, share=30, use="Dienstags")

    for client in (pm_client, client_for(outsider)):
        html = page(client, pool.listing)
        assert "1 von 2 Partnern" in html
        assert "50 % der Kosten gedeckt" in html
        assert NO_MONEY in html
        assert "Metallbau Kranich" not in html


def test_the_initiator_sees_who_committed(client_for, organisation_member, pool, partner):
    services.commit(pool, *partner, share=30, use="Dienstags")

    html = page(client_for(organisation_member), pool.listing)

    assert "Wer zugesagt hat" in html
    assert "Metallbau Kranich" in html and "Dienstags" in html
    assert "Pool absagen" in html
    assert "Partnerschaft als gebildet markieren" not in html  # threshold not reached


def test_a_partner_sees_its_commitment_and_the_others_once_the_thread_is_open(
    client_for, pool, partner, second_partner
):
    services.commit(pool, *partner, share=30, use="Dienstags")
    client = client_for(partner[1])

    html = page(client, pool.listing)
    assert "Metallbau Kranich hat zugesagt: 30 % der Kosten" in html
    assert "Zusage zurückziehen" in html
    assert "Gemeinsame Unterhaltung" not in html

    services.commit(pool, *second_partner, share=30, use="Donnerstags")
    html = page(client, pool.listing)
    assert "Holzbau Werder" in html
    assert f"/pools/{pool.pk}/thread/" in html


def test_visitors_are_invited_to_log_in_and_organisations_to_join(
    pm_client, client_for, pool, partner
):
    assert "Anmelden, um mitzumachen" in page(pm_client, pool.listing)
    assert f"/pools/{pool.pk}/join/" in page(client_for(partner[1]), pool.listing)


def test_the_listing_page_costs_the_same_queries_whatever_the_commitments(
    client_for, organisation_member, pool, pm, django_assert_max_num_queries
):
    client = client_for(organisation_member)
    client.get(pool.listing.get_absolute_url())  # warm the caches
    with django_assert_max_num_queries(40) as few:
        client.get(pool.listing.get_absolute_url())
    baseline = len(few.captured_queries)
    for number in range(2):
        services.commit(
            pool,
            *make_partner(pm, f"Firma {number}", f"chef{number}@firma.example"),
            share=10,
            use="x",
        )
    with django_assert_max_num_queries(baseline):
        client.get(pool.listing.get_absolute_url())


# Joining ------------------------------------------------------------------------------------


def test_an_organisation_joins_through_the_page(client_for, pool, partner, post, mailoutbox, owner):
    client = client_for(partner[1])
    form = client.get(f"/pools/{pool.pk}/join/").content.decode()
    assert "Noch offen: 80 % der Kosten" in form

    response = post(
        client, f"/pools/{pool.pk}/join/", {"share": "40", "use": "Mittwochs", "confirm": "on"}
    )

    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert (commitment.organisation, commitment.share, commitment.committed_by) == (
        partner[0],
        40,
        partner[1],
    )
    assert [m.to for m in mailoutbox] == [[owner.email]]


def test_joining_without_confirming_or_above_what_is_open_is_answered_at_the_field(
    client_for, pool, partner
):
    response = client_for(partner[1]).post(f"/pools/{pool.pk}/join/", {"share": "90", "use": ""})

    html = response.content.decode()
    assert "Nur noch 80 % der Kosten sind offen" in html
    assert "Bitte geben Sie an, wie Ihre Organisation es nutzen möchte." in html
    assert "Bitte bestätigen Sie die Zusage." in html
    assert not Commitment.objects.exists()


def test_the_initiator_cannot_join_its_own_pool(client_for, owner, pool):
    response = client_for(owner).post(
        f"/pools/{pool.pk}/join/", {"share": "40", "use": "x", "confirm": "on"}
    )
    assert "eigenen Pool nicht beitreten" in response.content.decode()
    assert not Commitment.objects.exists()


def test_pools_of_another_region_or_unpublished_are_not_found(
    client_for, ohv, pool, partner, organisation, owner
):
    assert (
        client_for(partner[1], host="ohv.localhost").get(f"/pools/{pool.pk}/join/").status_code
        == 404
    )
    draft = make_pool(organisation, owner, title="Entwurf")
    Listing.objects.filter(pk=draft.listing_id).update(status="draft")
    assert client_for(partner[1]).get(f"/pools/{draft.pk}/join/").status_code == 404


# The steps ----------------------------------------------------------------------------------


def test_only_the_initiator_forms_or_lets_the_pool_lapse(
    client_for, pool, partner, second_partner, organisation_member, post
):
    services.commit(pool, *partner, share=30, use="x")
    services.commit(pool, *second_partner, share=30, use="y")
    for action in ("form", "lapse"):
        assert client_for(partner[1]).get(f"/pools/{pool.pk}/{action}/").status_code == 404
    assert client_for(partner[1]).get(f"/pools/{pool.pk}/explode/").status_code == 404

    response = post(client_for(organisation_member), f"/pools/{pool.pk}/form/")

    assert response.status_code == 302
    assert fresh(pool).status == PoolStatus.FORMED


def test_lapsing_asks_for_a_reason(client_for, owner, pool, partner, post, mailoutbox):
    services.commit(pool, *partner, share=30, use="x")
    client = client_for(owner)

    refused = client.post(f"/pools/{pool.pk}/lapse/", {"reason": ""})
    assert "Bitte sagen Sie den Partnern, warum der Pool abgesagt wird." in refused.content.decode()
    assert fresh(pool).is_open

    post(client, f"/pools/{pool.pk}/lapse/", {"reason": "Der Vermieter hat abgesagt."})
    assert fresh(pool).is_lapsed
    assert "Der Vermieter hat abgesagt." in mailoutbox[-1].body
    assert "Der Vermieter hat abgesagt." in page(client_for(partner[1]), pool.listing)


def test_a_partner_withdraws_through_the_page_and_others_cannot(
    client_for, pool, partner, second_partner, post
):
    services.commit(pool, *partner, share=30, use="x")
    assert client_for(second_partner[1]).get(f"/pools/{pool.pk}/withdraw/").status_code == 404

    post(client_for(partner[1]), f"/pools/{pool.pk}/withdraw/")

    assert not Commitment.objects.active().exists()


# The group thread ---------------------------------------------------------------------------


def test_the_thread_is_for_the_initiator_and_active_partners_once_open(
    client_for, pool, partner, second_partner, owner, outsider, pm, pm_moderator
):
    url = f"/pools/{pool.pk}/thread/"
    services.commit(pool, *partner, share=30, use="x")
    assert client_for(owner).get(url).status_code == 404  # not open yet

    services.commit(pool, *second_partner, share=30, use="y")
    assert client_for(owner).get(url).status_code == 200
    assert client_for(partner[1]).get(url).status_code == 200
    _bystander, bystander_owner = make_partner(pm, "Zuschauer AG", "chef@zuschauer.example")
    for user in (outsider, bystander_owner, pm_moderator):
        assert client_for(user).get(url).status_code == 404
    assert client_for(partner[1], host="ohv.localhost").get(url).status_code == 404


def test_a_message_in_the_thread_reaches_the_other_organisations(
    client_for, pool, partner, second_partner, owner, post, mailoutbox
):
    services.commit(pool, *partner, share=30, use="x")
    services.commit(pool, *second_partner, share=30, use="y")
    colleague = make_user("buero@kranich.example")
    make_membership(partner[0], colleague, Role.MEMBER)
    mailoutbox.clear()

    response = post(
        client_for(colleague), f"/pools/{pool.pk}/thread/", {"body": "Vertrag am Freitag?"}
    )

    assert response.status_code == 302
    message = PoolMessage.objects.get()
    assert (message.organisation, message.author) == (partner[0], colleague)
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == sorted([owner.email, second_partner[1].email])
    html = client_for(owner).get(f"/pools/{pool.pk}/thread/").content.decode()
    assert "Vertrag am Freitag?" in html and "Metallbau Kranich" in html


def test_a_withdrawn_partner_leaves_the_thread_and_a_lapsed_thread_is_read_only(
    client_for, organisation, owner, partner, second_partner, post
):
    pool = make_pool(organisation, owner, partners_sought=1)
    first = services.commit(pool, *partner, share=30, use="x")
    services.withdraw(first, partner[1])
    services.commit(pool, *second_partner, share=30, use="y")
    url = f"/pools/{pool.pk}/thread/"
    assert client_for(partner[1]).get(url).status_code == 404

    services.lapse(pool, owner, "Zu teuer")
    response = post(client_for(second_partner[1]), url, {"body": "Schade!"})
    assert "nicht mehr ergänzt werden" in response.content.decode()
    assert not PoolMessage.objects.exists()


def test_thread_messages_are_limited_per_organisation(
    client_for, settings, organisation, owner, partner
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "pool_message": "1/h/key"}
    pool = make_pool(organisation, owner, partners_sought=1)
    services.commit(pool, *partner, share=30, use="x")
    client = client_for(partner[1])
    client.post(f"/pools/{pool.pk}/thread/", {"body": "Eins"})

    response = client.post(f"/pools/{pool.pk}/thread/", {"body": "Zwei"})

    assert response.status_code == 429
    assert PoolMessage.objects.count() == 1


# Back office, export ------------------------------------------------------------------------


def test_staff_see_their_regions_pools_only(pool, pm_moderator, ohv_admin, client_for):
    from .factories import sign_in_with_two_factor

    url = f"/admin/pools/pool/{pool.pk}/change/"
    pm_staff = client_for()
    sign_in_with_two_factor(pm_staff, pm_moderator)
    assert pm_staff.get("/admin/pools/pool/").status_code == 200
    assert pool.listing.title in pm_staff.get("/admin/pools/pool/").content.decode()
    assert pm_staff.get(url).status_code == 200

    ohv_staff = client_for(host="ohv.localhost")
    sign_in_with_two_factor(ohv_staff, ohv_admin)
    assert ohv_staff.get(url).status_code == 404


def test_commitments_and_thread_messages_are_in_the_personal_data_export(
    organisation, owner, partner
):
    from accounts.personal_data import export_personal_data

    pool = make_pool(organisation, owner, partners_sought=1)
    services.commit(pool, *partner, share=30, use="Freitags")
    services.post_message(pool, partner[0], partner[1], "Hallo zusammen")

    export = export_personal_data(partner[1])

    assert export["pool_commitments"][0]["use"] == "Freitags"
    assert export["pool_messages_written"][0]["text"] == "Hallo zusammen"


def test_a_formed_pool_invites_nobody_to_join(pm_client, client_for, organisation, owner, pm):
    pool = make_pool(organisation, owner, partners_sought=1)
    services.commit(pool, *make_partner(pm, "Dabei GmbH", "chef@dabei.example"), share=30, use="x")
    services.form(pool, owner)
    _bystander, bystander_owner = make_partner(pm, "Zu spät GmbH", "chef@spaet.example")

    for client in (pm_client, client_for(bystander_owner)):
        html = page(client, pool.listing)
        assert "Partnerschaft gebildet" in html
        assert "Anmelden, um mitzumachen" not in html and f"/pools/{pool.pk}/join/" not in html
    assert "gebildet" in client_for(bystander_owner).get(f"/pools/{pool.pk}/join/").content.decode()


def test_the_thread_costs_the_same_queries_whatever_the_messages(
    client_for, organisation, owner, partner, second_partner, django_assert_max_num_queries
):
    pool = make_pool(organisation, owner, partners_sought=2)
    services.commit(pool, *partner, share=30, use="x")
    services.commit(pool, *second_partner, share=30, use="y")
    services.post_message(pool, partner[0], partner[1], "Erste Nachricht")
    client = client_for(owner)
    url = f"/pools/{pool.pk}/thread/"
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for number in range(5):
        writer = partner if number % 2 else second_partner
        services.post_message(pool, writer[0], writer[1], f"Nachricht {number}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("thread__entry") == 6


def test_the_back_office_list_costs_the_same_queries_whatever_the_pools(
    client_for, organisation, owner, pm_moderator, partner, django_assert_max_num_queries
):
    from .factories import sign_in_with_two_factor

    client = client_for()
    sign_in_with_two_factor(client, pm_moderator)
    services.commit(
        make_pool(organisation, owner, title="Erster Pool"), *partner, share=10, use="x"
    )
    client.get("/admin/pools/pool/")
    with django_assert_max_num_queries(40) as few:
        client.get("/admin/pools/pool/")
    for number in range(4):
        make_pool(organisation, owner, title=f"Pool {number}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/admin/pools/pool/")
    assert response.content.decode().count("Pool 3") == 1


def test_the_initiator_is_reminded_once_the_join_date_has_passed(client_for, organisation, owner):
    pool = make_pool(organisation, owner, join_until=in_days(-1))
    html = page(client_for(owner), pool.listing)
    assert "Die Frist für den Beitritt ist abgelaufen." in html
    assert "Die Frist für den Beitritt" not in page(
        client_for(owner), make_pool(organisation, owner, title="Neu").listing
    )
