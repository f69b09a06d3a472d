"""`make run` loads this demo: two regions with their own look, places, accounts, a
dozen organisations, about 150 listings and a dozen conversations each."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.utils import timezone
from PIL import Image

from demo.inquiries import DEMO_CONVERSATIONS
from demo.outcomes import HISTORY_BEFORE, history, history_listings
from inquiries.models import RESERVING, Inquiry, Message, MessageKind, Outcome, Side
from inquiries.models import Status as InquiryStatus
from listings.catalogue import attribute_definitions
from listings.indexing import SEARCH_CONFIG
from listings.models import (
    PUBLICATION_PERIOD,
    Category,
    Direction,
    Listing,
    ListingPhoto,
    PriceUnit,
    QuantityUnit,
    Status,
    Terms,
)
from organisations.models import Membership, Organisation, OrganisationType, Role, Verification
from regions.models import Place, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(upload_dirs):
    call_command("load_demo")


def test_demo_has_two_branded_regions_on_their_hosts(demo):
    pm = Region.objects.get(slug="pm")
    ohv = Region.objects.get(slug="ohv")
    assert pm.primary_color != ohv.primary_color
    assert pm.logo and ohv.logo
    assert pm.primary_host == "pm.localhost"
    assert ohv.primary_host == "ohv.localhost"
    assert Place.objects.in_region(pm).exists() and Place.objects.in_region(ohv).exists()
    pm_home = Client(HTTP_HOST="pm.localhost").get("/").content.decode()
    assert pm.logo.url in pm_home
    assert "Potsdam-Mittelmark" in pm_home
    portal = Client(HTTP_HOST="localhost").get("/").content.decode()
    assert "Potsdam-Mittelmark" in portal and "Oberhavel" in portal


def test_demo_accounts_can_log_in(demo):
    from demo.management.commands.load_demo import DEMO_PASSWORD

    client = Client(HTTP_HOST="pm.localhost")
    response = client.post(
        "/accounts/login/", {"login": "mitglied@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def counts():
    return [
        model.objects.count()
        for model in [Region, Place, Organisation, Membership, get_user_model()]
    ]


def test_loading_the_demo_twice_changes_nothing(demo):
    before = counts()
    call_command("load_demo")
    assert counts() == before


def test_loading_the_demo_again_adds_organisations_missing_from_an_older_demo(demo):
    before = counts()
    Organisation.objects.filter(region__slug="ohv").delete()
    call_command("load_demo")
    assert counts() == before


@pytest.mark.parametrize("slug", ["pm", "ohv"])
def test_demo_regions_have_a_dozen_varied_organisations(demo, slug):
    region = Region.objects.get(slug=slug)
    organisations = list(Organisation.objects.in_region(region).select_related("place"))
    assert len(organisations) >= 12
    types = [organisation.type for organisation in organisations]
    assert types.count(OrganisationType.SCHOOL) == 2
    for kind in [
        OrganisationType.COMPANY,
        OrganisationType.CRAFT,
        OrganisationType.STARTUP,
        OrganisationType.ASSOCIATION,
        OrganisationType.PUBLIC,
    ]:
        assert kind in types, kind
    for organisation in organisations:
        assert organisation.place.district_key == region.district_key
        assert 20 < len(organisation.description) < 400
        assert organisation.memberships.filter(role=Role.OWNER).exists()

    rejected = [o for o in organisations if o.verification == Verification.REJECTED]
    assert len(rejected) == 1 and rejected[0].rejection_reason
    eligible = set(Organisation.objects.in_region(region).eligible_for_donations())
    for organisation in organisations:
        if organisation.type in (OrganisationType.SCHOOL, OrganisationType.ASSOCIATION):
            assert organisation in eligible, organisation
            assert organisation.proof and organisation.proof_valid_until
    assert Organisation.objects.in_region(region).verified().count() >= 5
    assert Organisation.objects.in_region(region).filter(verification="new").exists()
    assert Organisation.objects.in_region(region).with_proof_lapsing().exists()


def test_demo_organisations_have_generated_logos(demo, upload_dirs):
    for organisation in Organisation.objects.all():
        assert organisation.logo.name.startswith("organisations/logos/"), organisation
        with Image.open(organisation.logo.path) as logo:
            assert logo.format == "PNG" and logo.size == (256, 256)
        assert organisation.logo.path.startswith(str(upload_dirs.media))


def test_demo_member_owns_one_pm_company_and_belongs_to_another_pm_organisation(demo):
    memberships = Membership.objects.filter(user__email="mitglied@example.org").select_related(
        "organisation__region"
    )
    assert {m.organisation.region.slug for m in memberships} == {"pm"}
    roles = {m.role: m.organisation for m in memberships}
    assert set(roles) == {Role.OWNER, Role.MEMBER}
    assert roles[Role.OWNER].type == OrganisationType.COMPANY
    assert roles[Role.MEMBER] != roles[Role.OWNER]


def test_only_the_documented_demo_accounts_can_log_in(demo):
    User = get_user_model()
    can_log_in = {user.email for user in User.objects.all() if user.has_usable_password()}
    assert can_log_in == {
        "betreiber@example.org",
        "moderation@pm.example.org",
        "mitglied@example.org",
    }


def test_demo_directory_shows_the_regions_organisations(demo):
    pm_directory = Client(HTTP_HOST="pm.localhost").get("/organisations/").content.decode()
    assert "Tischlerei Holzwurm Brück" in pm_directory
    assert "Ruderclub Havelwelle" not in pm_directory


def test_demo_member_can_switch_between_their_organisations(demo):
    client = Client(HTTP_HOST="pm.localhost")
    client.force_login(get_user_model().objects.get(email="mitglied@example.org"))
    response = client.get("/")
    switch = response.context["my_memberships"]
    assert len(switch) == 2
    assert 'id="acting-for"' in response.content.decode()


# Demo listings (demo.listings) ----------------------------------------------------------------


def demo_listings(slug):
    """Today's demo listings, without the closed ones of the year's exchanges (demo.outcomes)
    and the cooperation offers of the pools (demo.pools), the trips and transport requests
    with routes (demo.trips)."""
    region = Region.objects.get(slug=slug)
    return (
        Listing.objects.filter(region=region, route__isnull=True)
        .exclude(pk__in=history_listings(region))
        .exclude(pool__isnull=False)
        .select_related("category", "organisation")
    )


@pytest.mark.parametrize("slug", ["pm", "ohv"])
def test_demo_regions_have_listings_in_every_category_both_directions_and_terms(demo, slug):
    listings = list(demo_listings(slug))
    assert len(listings) == 150
    assert {listing.category for listing in listings} == set(Category.objects.leaves())
    offers = [listing for listing in listings if listing.direction == Direction.OFFER]
    assert 0.55 < len(offers) / len(listings) < 0.8
    assert {listing.terms for listing in listings} == set(Terms.values)
    for direction in Direction.values:
        used = {listing.category for listing in listings if listing.direction == direction}
        assert len(used) >= 15, direction


@pytest.mark.parametrize("slug", ["pm", "ohv"])
def test_demo_listings_are_mostly_published_with_a_few_in_every_other_status(demo, slug):
    statuses = Counter(listing.status for listing in demo_listings(slug))
    assert statuses[Status.PUBLISHED] >= 120
    for status in [Status.DRAFT, Status.PENDING, Status.PAUSED, Status.EXPIRED, Status.CLOSED]:
        assert 1 <= statuses[status] <= 10, status


def test_demo_listings_were_published_over_the_last_three_months(demo):
    now = timezone.now()
    published = Listing.objects.published()
    ages = [(now - listing.published_at).days for listing in published]
    assert min(ages) < 10 and max(ages) > 80
    for listing in published:
        assert listing.expires_at == listing.published_at + PUBLICATION_PERIOD
        assert listing.expires_at > now
    # Some expire within the week, so the reminder job has work in the demo.
    assert Listing.objects.due_for_reminder().exists()
    for listing in Listing.objects.filter(status=Status.EXPIRED):
        assert listing.expires_at < now
    assert not Listing.objects.filter(status__in=[Status.DRAFT, Status.PENDING]).exclude(
        published_at=None
    )


def test_demo_listings_belong_to_the_regions_organisations_and_places(demo):
    for listing in Listing.objects.select_related("organisation", "place", "region", "author"):
        assert listing.organisation.region == listing.region
        assert listing.organisation.verification != Verification.REJECTED
        assert listing.place.district_key == listing.region.district_key
        assert listing.organisation.memberships.filter(user=listing.author).exists()
    places = Listing.objects.filter(region__slug="pm").values("place").distinct().count()
    assert places > 20


def test_demo_listings_have_prices_only_for_rent_and_attributes_of_their_category(demo):
    listings = list(Listing.objects.select_related("category"))
    for listing in listings:
        definitions = {d.key: d for d in attribute_definitions(listing.category)}
        assert set(listing.attributes) <= set(definitions), listing
        for key, value in listing.attributes.items():
            if definitions[key].kind == "choice":
                assert value in definitions[key].choice_list, (listing, key)
            if definitions[key].kind == "multiple":
                assert value and isinstance(value, list), (listing, key)
                assert set(value) <= set(definitions[key].choice_list), (listing, key)
            if definitions[key].kind == "number":
                assert isinstance(value, int) and value > 0, (listing, key)
        if listing.terms != Terms.RENT:
            assert listing.price is None and listing.is_free, listing
    rented = [listing for listing in listings if listing.terms == Terms.RENT]
    assert sum(listing.price is not None for listing in rented) > len(rented) / 2
    vehicles = [listing for listing in listings if listing.category.slug == "fahrzeuge"]
    assert all(listing.attributes.get("vehicle-type") for listing in vehicles)
    rooms = [listing for listing in listings if listing.category.slug == "lager"]
    assert any(listing.attributes.get("area") for listing in rooms)


@pytest.mark.parametrize("slug", ["pm", "ohv"])
def test_no_two_demo_listings_of_a_region_read_the_same(demo, slug):
    """About 95 ideas fill 150 listings: a repeated idea gets its own title and text."""
    listings = list(demo_listings(slug))
    titles = Counter(listing.title for listing in listings)
    texts = Counter(listing.description for listing in listings)
    assert [title for title, n in titles.items() if n > 1] == []
    assert [text for text, n in texts.items() if n > 1] == []
    # Repeated texts end differently, not all with the same sentence.
    last_sentences = Counter(text.rsplit(". ", 1)[-1] for text in texts)
    assert max(last_sentences.values()) < 10


def test_demo_space_is_priced_per_square_metre_or_pallet_space_and_month(demo):
    per_space = {
        QuantityUnit.SQUARE_METRE: PriceUnit.SQUARE_METRE_MONTH,
        QuantityUnit.PALLET: PriceUnit.PALLET_MONTH,
    }
    stores = Listing.objects.filter(category__slug="lager", terms=Terms.RENT, price__isnull=False)
    assert {store.price_unit for store in stores} == set(per_space.values())
    for store in stores:
        assert store.price_unit == per_space[store.quantity_unit], store
    cold_stores = stores.filter(title__startswith="Kühllager", price_unit="m2-month")
    assert cold_stores.exists()
    for store in cold_stores:
        assert f"Kühllager {store.quantity} m²" in store.title  # the whole area, not 1 m²
    # Nothing let by the month names a monthly price for one square metre or pallet space.
    assert not Listing.objects.filter(
        price_unit=PriceUnit.MONTH, quantity_unit__in=list(per_space)
    ).exists()

    # The card, the page and the API name the unit.
    store = cold_stores.filter(region__slug="pm", status=Status.PUBLISHED).first()
    client = Client(HTTP_HOST="pm.localhost")
    price = f"{store.price:.2f}".replace(".", ",").removesuffix(",00")
    search = client.get("/listings/", {"q": "Kühllager"}).content.decode()
    assert f"{price} € pro m² und Monat" in search
    page = client.get(store.get_absolute_url()).content.decode()
    assert f"{price} € pro m² und Monat" in page
    api = client.get(f"/api/v1/listings/{store.pk}/").json()
    assert api["price_unit"] == "m2-month"


def test_about_half_of_the_demo_offers_have_photos_in_card_size(demo, upload_dirs):
    offers = Listing.objects.filter(direction=Direction.OFFER).exclude(
        pk__in=Listing.objects.filter(
            inquiries__outcome__in=Outcome.objects.filter(
                completed_at__lt=timezone.now() - HISTORY_BEFORE
            )
        )
    )
    with_photos = offers.filter(photos__isnull=False).distinct().count()
    assert 0.35 < with_photos / offers.count() < 0.65
    assert not ListingPhoto.objects.filter(listing__direction=Direction.REQUEST).exists()
    photos = list(ListingPhoto.objects.select_related("listing"))
    for photo in photos:
        assert photo.alt_text
        assert photo.card and photo.large and photo.card_url != photo.image.url
        assert photo.image.path.startswith(str(upload_dirs.media))
    for photo in photos[:3] + photos[-3:]:
        with Image.open(photo.card.path) as card:
            assert card.format == "WEBP" and card.size == (480, 360)
        with Image.open(photo.image.path) as original:
            assert original.size == (photo.width, photo.height) == (1200, 900)


def test_demo_listings_are_found_by_the_search_columns(demo):
    published = Listing.objects.published().filter(region__slug="pm")
    if connection.vendor == "postgresql":
        found = published.filter(
            search_vector=SearchQuery("Gabelstapler", config=SEARCH_CONFIG)
        ).values_list("title", flat=True)
        assert not Listing.objects.filter(search_vector=None).exists()
    else:
        found = published.filter(search_text__contains="gabelstapler").values_list(
            "title", flat=True
        )
        assert not Listing.objects.filter(search_text="").exists()
    assert any("Gabelstapler" in title for title in found)


def test_loading_the_demo_again_adds_no_listings_and_a_region_without_them_gets_the_same(demo):
    listings, photos = Listing.objects.count(), ListingPhoto.objects.count()
    call_command("load_demo")
    assert (Listing.objects.count(), ListingPhoto.objects.count()) == (listings, photos)

    titles = sorted(demo_listings("ohv").values_list("title", flat=True))
    Listing.objects.filter(region__slug="ohv").delete()
    call_command("load_demo")
    assert sorted(demo_listings("ohv").values_list("title", flat=True)) == titles
    assert Listing.objects.count() == listings


# Demo conversations (demo.inquiries) ----------------------------------------------------------


def demo_inquiries(slug):
    """The demo conversations, without the year's exchanges before them (demo.outcomes)."""
    region = Region.objects.get(slug=slug)
    return list(
        Inquiry.objects.filter(region=region)
        .exclude(outcome__in=history(region))
        .select_related("listing", "listing_organisation", "organisation")
        .prefetch_related("messages")
    )


@pytest.mark.parametrize("slug", ["pm", "ohv"])
def test_demo_regions_have_conversations_in_every_status_and_both_directions(demo, slug):
    inquiries = demo_inquiries(slug)
    # None of the written conversations was left out for want of a fitting listing.
    assert len(inquiries) == len(DEMO_CONVERSATIONS[slug])
    assert 8 <= len(inquiries) <= 14
    by_status = {status: [i for i in inquiries if i.status == status] for status in InquiryStatus}
    assert all(by_status.values()), {status: len(found) for status, found in by_status.items()}

    accepted = by_status[InquiryStatus.ACCEPTED]
    assert any(i.handover_on for i in accepted) and any(not i.handover_on for i in accepted)
    for inquiry in by_status[InquiryStatus.DECLINED]:
        assert inquiry.messages.get(kind=MessageKind.DECLINED).body
    today = timezone.localdate()
    for inquiry in by_status[InquiryStatus.RELEASED]:
        assert inquiry.handover_on < today  # the no-show
        assert inquiry.messages.filter(kind=MessageKind.RELEASED).exists()
    completed = [(i, Outcome.objects.get(inquiry=i)) for i in by_status[InquiryStatus.COMPLETED]]
    answered = [
        i for i, o in completed if o.has_answered(Side.OWNER) and o.has_answered(Side.INQUIRER)
    ]
    assert answered and len(answered) < len(completed)  # some still wait for an answer
    assert Outcome.objects.filter(inquiry__region__slug=slug).shown_publicly().exists()

    # Claims of a quantity, bookings of a period and help offered on requests.
    offers = [i for i in inquiries if i.listing.direction == Direction.OFFER]
    claims = [i for i in offers if i.quantity]
    assert {i.listing.terms for i in claims} <= {Terms.GIVE_AWAY, Terms.DONATION}
    assert len({i.listing.terms for i in claims}) == 2
    assert any(i.period_start and i.listing.terms in (Terms.RENT, Terms.LOAN) for i in offers)
    assert any(i.listing.direction == Direction.REQUEST for i in inquiries)

    # Some have updates not read yet, others are read on both sides.
    assert any(i.owner_unread or i.inquirer_unread for i in inquiries)
    assert any(not i.owner_unread and not i.inquirer_unread for i in inquiries)
    for inquiry in inquiries:
        assert inquiry.listing.region.slug == slug
        assert inquiry.organisation.region_id == inquiry.region_id
        assert inquiry.listing_organisation == inquiry.listing.organisation


def test_demo_threads_are_dated_over_the_last_weeks_in_order(demo):
    now = timezone.now()
    inquiries = demo_inquiries("pm") + demo_inquiries("ohv")
    for inquiry in inquiries:
        entries = sorted(inquiry.messages.all(), key=lambda entry: entry.pk)
        assert [entry.kind for entry in entries[:2]] == [MessageKind.CREATED, MessageKind.TEXT]
        assert all(entry.body for entry in entries if entry.kind == MessageKind.TEXT)
        assert not any("{" in entry.body for entry in entries), inquiry
        times = [entry.created_at for entry in entries]
        assert times == sorted(times), inquiry
        assert inquiry.listing.published_at < times[0] and times[-1] < now
        assert (inquiry.created_at, inquiry.updated_at) == (times[0], times[-1])
        handovers = [entry for entry in entries if entry.kind == MessageKind.HANDOVER]
        if handovers:
            assert handovers[-1].handover_date == inquiry.handover_on
        # A side has read everything up to its own last entry (at least).
        for side, unread in (
            (Side.OWNER, inquiry.owner_unread),
            (Side.INQUIRER, inquiry.inquirer_unread),
        ):
            own = [n for n, entry in enumerate(entries) if entry.side == side]
            since = [e for e in entries[own[-1] + 1 :] if e.side != side] if own else entries
            assert unread <= len(since), (inquiry, side)
    spread = [inquiry.created_at for inquiry in inquiries]
    assert (now - min(spread)).days >= 21 and (now - max(spread)).days <= 3


def test_demo_reservations_are_what_accepted_and_completed_claims_took(demo):
    reserved = {
        row["listing"]: row["total"]
        for row in Inquiry.objects.filter(status__in=RESERVING, quantity__isnull=False)
        .values("listing")
        .annotate(total=Sum("quantity"))
    }
    assert reserved
    for listing in Listing.objects.all():
        assert listing.quantity_reserved == reserved.get(listing.pk, 0), listing


def test_demo_member_has_received_and_sent_conversations_in_pm(demo):
    user = get_user_model().objects.get(email="mitglied@example.org")
    client = Client(HTTP_HOST="pm.localhost")
    client.force_login(user)
    response = client.get("/inquiries/")
    acting = response.context["organisation"]
    assert acting.memberships.filter(user=user).exists()
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        organisation = membership.organisation
        received = Inquiry.objects.received_by(organisation)
        sent = Inquiry.objects.sent_by(organisation)
        assert received.exists() and sent.exists(), organisation
        assert Inquiry.objects.of_organisation(organisation).unread_count_for(organisation)
        assert Inquiry.objects.of_organisation(organisation).filter(status=InquiryStatus.OPEN)
    for box in ["received", "sent"]:
        page = client.get(f"/inquiries/?box={box}").context["page"]
        assert len(page.object_list) > 0, box
    for inquiry in Inquiry.objects.of_organisation(acting):
        assert client.get(inquiry.get_absolute_url()).status_code == 200


def test_loading_the_demo_again_adds_no_conversations_and_mails_nobody(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    def conversations():
        return [
            Inquiry.objects.count(),
            Message.objects.count(),
            Outcome.objects.count(),
            sorted(Listing.objects.values_list("quantity_reserved", flat=True)),
        ]

    before = conversations()
    call_command("load_demo")
    assert conversations() == before

    # A region without conversations gets them again, and no mail goes out for them.
    ohv = Region.objects.get(slug="ohv")
    year = list(history_listings(ohv).values_list("pk", flat=True))
    Inquiry.objects.filter(region=ohv).delete()
    Listing.objects.filter(pk__in=year).delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    assert conversations() == before
    assert mailoutbox == []


def test_photo_labels_spell_out_umlauts_where_the_font_has_none():
    from PIL import ImageFont

    from demo.listings import printable

    assert printable("Gewerberäume", ImageFont.load_default(size=20)) == "Gewerberaeume"


# A year of exchanges (demo.outcomes) -------------------------------------------------------


@pytest.mark.parametrize("slug", ["pm", "ohv"])
def test_demo_regions_have_a_year_of_exchanges_for_the_impact_figures(demo, slug):
    from impact.figures import compute_impact

    region = Region.objects.get(slug=slug)
    impact = compute_impact(region, timezone.localdate())
    assert impact.exchanges.total >= 30
    months_with_exchanges = [month for month in impact.months[:-1] if month.total]
    assert len(months_with_exchanges) >= 10
    assert all(impact.kind(terms).total for terms in Terms.values)
    assert impact.thank_yous and impact.named_givers
    for outcome in history(region).select_related("inquiry__listing"):
        listing = outcome.inquiry.listing
        assert listing.status == Status.CLOSED
        entries = list(outcome.inquiry.messages.order_by("pk"))
        times = [entry.created_at for entry in entries]
        assert listing.published_at < times[0] and times == sorted(times)
        assert (
            outcome.completed_at
            == outcome.inquiry.messages.get(kind=MessageKind.COMPLETED).created_at
        )


def test_the_demo_member_has_a_watch_list_follows_and_listings_with_matches(demo):
    from matching.models import Match
    from watchlist.models import Follow, Watch

    member = get_user_model().objects.get(email="mitglied@example.org")
    pm = Region.objects.get(slug="pm")
    watched = Watch.objects.in_region(pm).of_user(member)
    assert watched.count() >= 3
    assert not watched.filter(listing__organisation__memberships__user=member).exists()
    assert Follow.objects.in_region(pm).of_user(member).count() == 2
    assert Match.objects.in_region(pm).current().exists()
    client = Client(HTTP_HOST="pm.localhost")
    client.force_login(member)
    page = client.get("/watchlist/").content.decode()
    assert page.count("Gemerkt – entfernen") == watched.count()
    # Loading again adds nothing.
    matches, watches = Match.objects.count(), Watch.objects.count()
    call_command("load_demo")
    assert Match.objects.count() == matches and Watch.objects.count() == watches


# Demo saved searches (demo.alerts) --------------------------------------------------------------


def test_demo_member_has_saved_searches_of_every_frequency_one_paused(demo):
    from alerts.models import Frequency, SavedSearch

    searches = SavedSearch.objects.filter(user__email="mitglied@example.org", region__slug="pm")
    assert {search.frequency for search in searches} == set(Frequency.values)
    assert [search.name for search in searches if not search.is_active] == ["Transporter gesucht"]
    call_command("load_demo")
    assert SavedSearch.objects.count() == searches.count() == 4


def test_demo_member_gets_the_news_of_potsdam_mittelmark_weekly(demo):
    from alerts.models import DigestSubscription

    [subscription] = DigestSubscription.objects.filter(user__email="mitglied@example.org")
    assert (subscription.region.slug, subscription.frequency) == ("pm", "weekly")


def test_the_demo_people_have_names(demo):
    User = get_user_model()
    assert User.objects.get(email="mitglied@example.org").get_full_name() == "Mia Lindner"
    assert not User.objects.filter(first_name="").exists()
    owners = User.objects.filter(email__startswith="inhaber@")
    assert owners.values("first_name", "last_name").distinct().count() > owners.count() // 2


def test_loading_the_demo_again_names_people_of_an_older_demo(demo):
    User = get_user_model()
    User.objects.update(first_name="", last_name="")
    call_command("load_demo")
    assert not User.objects.filter(first_name="").exists()


# Demo trips (demo.trips) ----------------------------------------------------------------------


def test_demo_trips_carry_the_demo_requests_along_real_routes(demo):
    from matching.models import Match
    from trips import finding
    from trips.models import Route

    pm = Region.objects.get(slug="pm")
    routes = Route.objects.in_region(pm).current()
    assert routes.trips().count() == 3 and routes.requests().count() == 3
    brueck = Place.objects.get(district_key="12069", name="Brück")
    michendorf = Place.objects.get(district_key="12069", name="Michendorf")
    today = timezone.localdate()
    assert [
        item.route.listing.title
        for item in finding.trips_carrying(pm, [brueck], [michendorf], today)
    ] == ["Transporter fährt Bad Belzig → Teltow, Platz für Möbel"]
    # Each request fits the one trip on its way.
    pairs = Match.objects.in_region(pm).filter(request__route__isnull=False)
    assert pairs.count() == 3
    assert not Match.objects.filter(
        offer__route__isnull=False, request__route__isnull=True
    ).exists()
