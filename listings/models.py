"""Listings, what organisations offer (Angebot) and need (Gesuch), with their photos; the
categories they are filed under (categories.py) and their history (history.py) are models
of this app too."""

import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import MaxFileSizeValidator
from organisations.models import Organisation
from regions.models import Place, Region, RegionOwnedQuerySet

from .categories import Category, CategoryAttribute  # noqa: F401 (reached here too)

# The vocabulary lives in choices.py; the rest of the project reaches it here too.
from .choices import (  # noqa: F401
    ANY_PLACE_OF_USE,
    AUDIENCE_OF_ORGANISATION_TYPE,
    DONATION_TERMS,
    EVERYONE,
    FREE_TERMS,
    PERIOD_TERMS,
    QUANTITY_WORDS,
    AttributeKind,
    Audience,
    Direction,
    EventAction,
    PlaceOfUse,
    PriceUnit,
    QuantityUnit,
    Status,
    Terms,
    audience_includes,
)
from .history import ListingEvent  # noqa: F401 (reached here too)

PUBLICATION_PERIOD = timedelta(days=90)
REMINDER_BEFORE_EXPIRY = timedelta(days=7)
MAX_PHOTOS = 8


# Listings ---------------------------------------------------------------------------------


# The columns listings/_card.html shows (is_reserved: direction, terms and the quantities;
# the distance from a viewer's place: the place's coordinates).
CARD_FIELDS = (
    *("title", "direction", "terms", "is_free", "price", "price_unit"),
    *("quantity", "quantity_reserved", "category__name", "category__slug"),
    *("category__parent__slug", "organisation__name"),
    *("place__name", "place__latitude", "place__longitude"),
)


class ListingQuerySet(RegionOwnedQuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def of_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def due_to_expire(self, now=None):
        return self.published().filter(expires_at__lte=now or timezone.now())

    def due_for_reminder(self, now=None):
        now = now or timezone.now()
        return self.published().filter(
            expires_at__gt=now,
            expires_at__lte=now + REMINDER_BEFORE_EXPIRY,
            reminder_sent_at__isnull=True,
        )

    def card_columns_only(self):
        """for_cards, reading only the columns a card (listings/_card.html) shows: for a
        page that shows nothing else of these listings. Django took longer to read their
        whole rows, and those of their organisation, place and categories, than to render
        the cards."""
        return self.for_cards().only("category__parent", "organisation", "place", *CARD_FIELDS)

    def for_cards(self):
        """What a listing card shows: category, organisation, place and the first photo."""
        return (
            self.select_related("category__parent", "organisation", "place")
            # Long texts a card never shows; the search vector alone is kilobytes a row.
            .defer(
                "description",
                "attributes",
                "search_vector",
                "search_text",
                "organisation__description",
                "organisation__verification_note",
                "organisation__rejection_reason",
            )
            .prefetch_related(
                models.Prefetch("photos", queryset=ListingPhoto.objects.order_by("position", "pk"))
            )
        )


class Listing(models.Model):
    """An offer or request of one organisation, filed under a category of the region's tree.

    Its status moves only through the functions in listings.services, which also log
    each step as a ListingEvent.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="listings")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="listings",
        verbose_name=_("organisation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    direction = models.CharField(_("offer or request"), max_length=10, choices=Direction)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("category"),
        limit_choices_to={"parent__isnull": False, "is_active": True},
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000)
    terms = models.CharField(_("terms"), max_length=15, choices=Terms)
    price = models.DecimalField(
        _("price in euros"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Leave empty for “price on request”; 0 means free of charge."),
    )
    price_unit = models.CharField(
        _("price per"), max_length=20, choices=PriceUnit, default=PriceUnit.TOTAL
    )
    reduced_price = models.DecimalField(
        _("reduced price for non-profits"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    is_free = models.BooleanField(_("free of charge"), default=False, editable=False)
    # The sum of the Audience bits of everyone who may respond.
    audience = models.PositiveSmallIntegerField(_("who may respond"), default=EVERYONE)
    # The sum of the PlaceOfUse bits: the old platform let a listing name several.
    places_of_use = models.PositiveSmallIntegerField(_("place of use"), default=PlaceOfUse.PROVIDER)
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    quantity_unit = models.CharField(
        _("unit"), max_length=10, choices=QuantityUnit, default=QuantityUnit.PIECE
    )
    # What accepted inquiries took of `quantity`; changed only by inquiries.services,
    # under a row lock, and never above `quantity` (a check constraint).
    quantity_reserved = models.PositiveIntegerField(
        _("quantity reserved"), default=0, editable=False
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    street = models.CharField(
        _("street and number"),
        max_length=150,
        blank=True,
        help_text=_("Optional; shown to logged-in users only."),
    )
    attributes = models.JSONField(_("details"), default=dict, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    moderation_reason = models.TextField(
        _("reason given by moderation"),
        blank=True,
        help_text=_("The organisation sees this on the listing and receives it by email."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    # Kept by listings.signals whenever a photo comes or goes; the search filters and
    # counts by it without looking into the photos table row by row.
    has_photos = models.BooleanField(_("with photos"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    # Kept by listings.indexing.reindex(): folded plain text on every database (trigram
    # indexed on PostgreSQL), and a weighted German tsvector on PostgreSQL.
    search_vector = SearchVectorField(null=True, editable=False)
    search_text = models.TextField(default="", editable=False)

    objects = ListingQuerySet.as_manager()

    # Kilometres from the place a visitor searched from; annotated by listings.search.
    distance_km = None

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["region", "status", "-published_at"], name="listing_region_newest_idx"
            ),
            models.Index(
                fields=["region", "status", "category"], name="listing_region_category_idx"
            ),
            models.Index(fields=["status", "expires_at"], name="listing_expiry_idx"),
            # The search page's counts read only this (an index-only scan on PostgreSQL,
            # which alone honours `include`).
            models.Index(
                fields=["region", "category"],
                include=["direction", "terms", "audience", "is_free", "has_photos"],
                condition=Q(status="published"),
                name="listing_published_facets_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(available_until__isnull=True)
                | Q(available_from__isnull=True)
                | Q(available_until__gte=F("available_from")),
                name="listing_available_until_after_from",
                violation_error_message=_("“Available until” must not be before “available from”."),
            ),
            models.CheckConstraint(
                condition=Q(audience__gte=1) & Q(audience__lte=EVERYONE),
                name="listing_audience_is_valid",
            ),
            models.CheckConstraint(
                condition=Q(places_of_use__gte=1) & Q(places_of_use__lte=ANY_PLACE_OF_USE),
                name="listing_places_of_use_are_valid",
            ),
            models.CheckConstraint(
                condition=Q(quantity_reserved__lte=F("quantity")),
                name="listing_never_reserves_more_than_it_has",
                violation_error_message=_("More is reserved than the listing has."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("listing_detail", kwargs={"pk": self.pk})

    @property
    def is_offer(self):
        return self.direction == Direction.OFFER

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def is_expired(self):
        return self.status == Status.EXPIRED or bool(
            self.expires_at and self.expires_at <= timezone.now()
        )

    @property
    def quantity_display(self):
        """ "1 piece", "5 pieces" – the unit worded for the number."""
        return QUANTITY_WORDS[self.quantity_unit] % {"count": self.quantity}

    @property
    def quantity_left(self):
        return max(self.quantity - self.quantity_reserved, 0)

    @property
    def quantity_left_display(self):
        return QUANTITY_WORDS[self.quantity_unit] % {"count": self.quantity_left}

    @property
    def books_periods(self) -> bool:
        """Rent, loans and time donations are booked for a period (the whole listing at a
        time); what is given away or donated is claimed by quantity."""
        return self.terms in PERIOD_TERMS

    @property
    def is_reserved(self) -> bool:
        """An offer claimed by quantity, all of which accepted inquiries have taken."""
        return self.is_offer and not self.books_periods and self.quantity_left == 0

    @property
    def audience_list(self):
        return [choice for choice in Audience if self.audience & choice]

    @property
    def places_of_use_list(self):
        return [choice for choice in PlaceOfUse if self.places_of_use & choice]

    @property
    def places_of_use_display(self) -> str:
        """ "At the customer's, On request" – the places in the old platform's order."""
        return ", ".join(str(choice.label) for choice in self.places_of_use_list)

    @property
    def is_for_everyone(self):
        return self.audience == EVERYONE

    def accepts_organisation(self, organisation) -> bool:
        return bool(self.audience & AUDIENCE_OF_ORGANISATION_TYPE[organisation.type])

    @property
    def is_donation_for_nonprofits(self) -> bool:
        """An offered donation or time donation whose audience leaves companies out: only
        verified non-profits (Organisation.is_eligible_for_donations) may claim it."""
        return (
            self.is_offer
            and self.terms in DONATION_TERMS
            and not self.audience & Audience.COMPANIES
        )

    @property
    def cover_photo(self):
        """The first photo, from the prefetched `photos` (see ListingQuerySet.for_cards)."""
        photos = list(self.photos.all())
        return photos[0] if photos else None


def photo_upload_to(photo, filename):
    """A random name: a photo's address must not be guessable from what the camera called
    it, or the photos of a draft or removed listing could be found."""
    extension = Path(filename).suffix.lower()[:6]
    return f"listings/{photo.listing.region_id}/{photo.listing_id}/{uuid.uuid4().hex}{extension}"


def photo_size_upload_to(photo, filename):
    """The sizes are named after their (already random) original, e.g. <name>-card.webp."""
    return f"listings/{photo.listing.region_id}/{photo.listing_id}/{filename}"


class ListingPhoto(models.Model):
    """A listing's photo, re-encoded without metadata on upload; `card` and `large` are
    made once by a background task (listings.tasks), never when a page is shown."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"),
        upload_to=photo_upload_to,
        validators=[MaxFileSizeValidator(10 * 1024 * 1024)],
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    card = models.ImageField(upload_to=photo_size_upload_to, blank=True, editable=False)
    large = models.ImageField(upload_to=photo_size_upload_to, blank=True, editable=False)
    alt_text = models.CharField(
        _("description of the photo"),
        max_length=200,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt_text

    @property
    def card_url(self):
        return (self.card or self.image).url

    @property
    def large_url(self):
        return (self.large or self.image).url
