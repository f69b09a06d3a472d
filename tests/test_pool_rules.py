"""The rules of a co-investment pool: who may commit and with what share, when the
threshold is reached (as many partners as sought, or the whole cost covered), that
everyone is told then and the group thread opens, that only the initiator forms the pool
or lets it lapse (telling everyone why), and that nothing changes after that. Concurrent
commitments on PostgreSQL never take more places or percent than the pool has."""

import datetime

import pytest
from django.utils import timezone

from organisations.models import OrganisationType
from pools import services
from pools.models import Commitment, PoolStatus
from pools.rules import PoolError, join_refusal

from .factories import fresh, in_days, make_region
from .pool_helpers import make_partner, make_pool
from .test_inquiry_concurrency import needs_postgresql, run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(organisation, owner):
    return make_pool(organisation, owner)


@pytest.fixture
def partners(pm):
    """Four pm companies, each with its owner."""
    return [
        make_partner(pm, name, f"chefin@{slug}.example")
        for name, slug in [
            ("Metallbau Kranich", "kranich"),
            ("Holzbau Werder", "holzbau"),
            ("Schlosserei Beelitz", "beelitz"),
            ("Möbelwerkstatt Teltow", "teltow"),
        ]
    ]


def commit(pool, partner, share=20, use="Montags"):
    organisation, user = partner
    return services.commit(pool, organisation, user, share=share, use=use)


def test_an_organisation_commits_its_share_and_use(pool, partners, mailoutbox, post):
    commitment = commit(pool, partners[0], share=25, use="Dienstags")

    assert (commitment.share, commitment.use, commitment.committed_by) == (
        25,
        "Dienstags",
        partners[0][1],
    )
    progress = fresh(pool).progress()
    assert (progress.partners, progress.covered, progress.threshold_reached) == (1, 45, False)


def test_the_initiator_is_told_of_each_commitment(
    pool, partners, owner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        commit(pool, partners[0])

    assert [message.to for message in mailoutbox] == [[owner.email]]
    assert "Metallbau Kranich" in mailoutbox[0].body
    assert "1 von 4 Partnern" in mailoutbox[0].body


def test_the_initiators_organisation_cannot_join_its_own_pool(pool, organisation, owner):
    with pytest.raises(PoolError, match="eigenen Pool"):
        services.commit(pool, organisation, owner, share=20, use="immer")
    assert not Commitment.objects.exists()


def test_an_organisation_commits_once_and_may_commit_again_after_withdrawing(pool, partners):
    first = commit(pool, partners[0])
    with pytest.raises(PoolError, match="bereits"):
        commit(pool, partners[0])

    services.withdraw(first, partners[0][1])
    again = commit(pool, partners[0], share=10)

    assert again.pk != first.pk
    assert fresh(first).withdrawn_at is not None
    assert list(pool.commitments.active()) == [again]


def test_nobody_joins_after_the_join_until_date(organisation, owner, partners):
    pool = make_pool(organisation, owner, join_until=in_days(-1))
    with pytest.raises(PoolError, match="abgelaufen"):
        commit(pool, partners[0])


def test_a_share_above_what_is_still_open_is_refused(pool, partners):
    commit(pool, partners[0], share=60)  # 20 % the initiator's: 20 % left
    with pytest.raises(PoolError, match="20 %"):
        commit(pool, partners[1], share=30)
    commit(pool, partners[1], share=20)
    assert fresh(pool).progress().covered == 100


def test_suspended_organisations_and_those_outside_the_audience_cannot_join(pool, partners, pm):
    organisation, _user = partners[0]
    organisation.suspended_at = timezone.now()
    organisation.save()
    assert "gesperrt" in join_refusal(pool, organisation)

    pool.listing.audience = 2  # schools only
    pool.listing.save()
    club, _owner = make_partner(pm, "Sportverein", "vorstand@sv.example")
    club.type = OrganisationType.ASSOCIATION
    club.save()
    assert "anderen Arten" in join_refusal(pool, club)


def test_a_pool_of_another_region_cannot_be_joined(pool):
    other_region = make_region("hvl", district_key="12063", name="Havelland")
    stranger, user = make_partner(other_region, "Fremdfirma", "chef@fremd.example")
    with pytest.raises(PoolError):
        services.commit(pool, stranger, user, share=10, use="x")


def test_the_threshold_is_reached_when_as_many_partners_as_sought_committed(
    organisation, owner, partners, mailoutbox, django_capture_on_commit_callbacks
):
    pool = make_pool(organisation, owner, partners_sought=2, initiator_share=0)
    commit(pool, partners[0], share=10)
    assert fresh(pool).threshold_reached_at is None

    with django_capture_on_commit_callbacks(execute=True):
        commit(pool, partners[1], share=10)  # only 20 % covered, but both partners found

    pool = fresh(pool)
    assert pool.threshold_reached_at is not None and pool.thread_is_open
    assert pool.progress().threshold_reached and pool.progress().covered == 20
    told = [message for message in mailoutbox if "genug Partner" in message.subject]
    assert sorted(address for message in told for address in message.to) == sorted(
        [owner.email, partners[0][1].email, partners[1][1].email]
    )
    # Full: nobody else joins.
    with pytest.raises(PoolError, match="bereits die Partner"):
        commit(pool, partners[2], share=10)


def test_the_threshold_is_reached_when_the_whole_cost_is_covered(organisation, owner, partners):
    pool = make_pool(organisation, owner, partners_sought=3, initiator_share=50)
    commit(pool, partners[0], share=50)

    pool = fresh(pool)
    assert pool.progress().partners == 1
    assert pool.progress().threshold_reached
    assert pool.thread_is_open


def test_everyone_is_told_of_the_threshold_once(
    organisation, owner, partners, mailoutbox, django_capture_on_commit_callbacks
):
    pool = make_pool(organisation, owner, partners_sought=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = commit(pool, partners[0])
        services.withdraw(first, partners[0][1])
        commit(pool, partners[1])

    assert len([m for m in mailoutbox if "genug Partner" in m.subject]) == 1


def test_only_a_pool_at_its_threshold_is_formed_and_everyone_is_told(
    organisation, owner, partners, mailoutbox, django_capture_on_commit_callbacks
):
    pool = make_pool(organisation, owner, partners_sought=2)
    commit(pool, partners[0])
    with pytest.raises(PoolError, match="Schwelle"):
        services.form(pool, owner)

    commit(pool, partners[1])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.form(pool, owner)

    pool = fresh(pool)
    assert pool.status == PoolStatus.FORMED and pool.formed_at is not None
    told = [m for m in mailoutbox if "gebildet" in m.subject]
    assert sorted(a for m in told for a in m.to) == sorted(
        [partners[0][1].email, partners[1][1].email]
    )


def test_after_forming_nobody_joins_or_withdraws(organisation, owner, partners):
    pool = make_pool(organisation, owner, partners_sought=1)
    commitment = commit(pool, partners[0])
    services.form(pool, owner)

    with pytest.raises(PoolError, match="gebildet"):
        commit(pool, partners[1])
    with pytest.raises(PoolError, match="gebildet"):
        services.withdraw(commitment, partners[0][1])
    with pytest.raises(PoolError):
        services.lapse(pool, owner, "Doch nicht")


def test_a_lapse_needs_a_reason_and_tells_everyone_why(
    pool, owner, partners, mailoutbox, django_capture_on_commit_callbacks
):
    commit(pool, partners[0])
    with pytest.raises(PoolError, match="warum"):
        services.lapse(pool, owner, "   ")

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.lapse(pool, owner, "Die Fräse wurde teurer als geplant.")

    pool = fresh(pool)
    assert pool.status == PoolStatus.LAPSED
    assert [m.to for m in mailoutbox] == [[partners[0][1].email]]
    assert "Die Fräse wurde teurer als geplant." in mailoutbox[0].body
    with pytest.raises(PoolError, match="abgesagt"):
        commit(pool, partners[1])


def test_withdrawing_tells_the_initiator_and_frees_the_share(
    pool, owner, partners, mailoutbox, django_capture_on_commit_callbacks
):
    commitment = commit(pool, partners[0], share=80)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(commitment, partners[0][1])

    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert "zurückgezogen" in mailoutbox[0].subject
    assert fresh(pool).progress().covered == 20
    with pytest.raises(PoolError, match="bereits zurückgezogen"):
        services.withdraw(commitment, partners[0][1])


def test_fewer_partners_sought_may_reach_the_threshold(organisation, owner, partners):
    pool = make_pool(organisation, owner, partners_sought=3)
    commit(pool, partners[0])
    pool.partners_sought = 1
    pool.save()

    services.terms_changed(pool)

    assert fresh(pool).thread_is_open


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_commitments_never_take_more_places_or_percent_than_the_pool_has(pm):
    from organisations.models import Organisation

    initiator, initiator_owner = make_partner(pm, "Initiator GmbH", "chef@initiator.example")
    racers = [make_partner(pm, f"Firma {n}", f"chef@firma{n}.example") for n in range(6)]
    for round_number in range(3):
        pool = make_pool(
            initiator,
            initiator_owner,
            title=f"Runde {round_number}",
            partners_sought=2,
            initiator_share=0,
            join_until=timezone.localdate() + datetime.timedelta(days=5),
        )
        results = run_together(
            [
                lambda pool=pool, organisation=organisation, user=user: services.commit(
                    pool, Organisation.objects.get(pk=organisation.pk), user, share=40, use="x"
                )
                for organisation, user in racers
            ]
        )
        unexpected = [v for k, v in results if k == "error" and not isinstance(v, PoolError)]
        assert not unexpected
        progress = fresh(pool).progress()
        assert progress.partners == 2
        assert progress.shares == 80
