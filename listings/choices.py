"""The vocabulary of listings: directions, terms, units, audiences, states and what
happened to a listing, with the sets of terms the rules are made of."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from organisations.models import OrganisationType


class AttributeKind(models.TextChoices):
    NUMBER = "number", _("Number")
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    MULTIPLE = "multiple", _("Several choices")
    BOOLEAN = "boolean", _("Yes/no")


class Direction(models.TextChoices):
    # A context of their own: "Offer"/"Request" elsewhere are verbs (Anbieten, …).
    OFFER = "offer", pgettext_lazy("listing direction", "Offer")
    REQUEST = "request", pgettext_lazy("listing direction", "Request")


class Terms(models.TextChoices):
    RENT = "rent", _("Rent")
    LOAN = "loan", _("Free loan")
    GIVE_AWAY = "give-away", _("Give away")
    TIME_DONATION = "time-donation", _("Time donation")
    DONATION = "donation", _("Donation")


# Terms under which nothing is paid; only rent has a price.
FREE_TERMS = frozenset({Terms.LOAN, Terms.GIVE_AWAY, Terms.TIME_DONATION, Terms.DONATION})
# Terms under which an inquiry books a period rather than claiming a quantity.
PERIOD_TERMS = frozenset({Terms.RENT, Terms.LOAN, Terms.TIME_DONATION})
# Gifts which, when meant for non-profits only, only verified non-profits may claim.
DONATION_TERMS = frozenset({Terms.DONATION, Terms.TIME_DONATION})


class PriceUnit(models.TextChoices):
    """What a price is paid for. Space is let per square metre or pallet space and month, so
    "6 € per month" for a cold store of 120 m² says what it means."""

    TOTAL = "total", _("in total")
    HOUR = "hour", _("per hour")
    DAY = "day", _("per day")
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")
    PIECE = "piece", _("per piece")
    SQUARE_METRE_MONTH = "m2-month", _("per m² and month")
    PALLET_MONTH = "pallet-month", _("per pallet space and month")


class QuantityUnit(models.TextChoices):
    """Units of Listing.quantity; Listing.quantity_display words them for the number."""

    PIECE = "piece", _("pieces")
    HOUR = "hour", _("hours")
    DAY = "day", _("days")
    SQUARE_METRE = "m2", _("m²")
    PALLET = "pallet", _("pallet spaces")
    KILOGRAM = "kg", _("kg")
    PERSON = "person", _("people")


QUANTITY_WORDS = {
    QuantityUnit.PIECE: ngettext_lazy("%(count)s piece", "%(count)s pieces", "count"),
    QuantityUnit.HOUR: ngettext_lazy("%(count)s hour", "%(count)s hours", "count"),
    QuantityUnit.DAY: ngettext_lazy("%(count)s day", "%(count)s days", "count"),
    QuantityUnit.SQUARE_METRE: ngettext_lazy("%(count)s m²", "%(count)s m²", "count"),
    QuantityUnit.PALLET: ngettext_lazy(
        "%(count)s pallet space", "%(count)s pallet spaces", "count"
    ),
    QuantityUnit.KILOGRAM: ngettext_lazy("%(count)s kg", "%(count)s kg", "count"),
    QuantityUnit.PERSON: ngettext_lazy("%(count)s person", "%(count)s people", "count"),
}


class PlaceOfUse(models.IntegerChoices):
    """Where what is offered is used, in the old platform's order; a listing may name
    several, so Listing.places_of_use holds the sum of these bits."""

    CUSTOMER = 1, _("At the customer's")
    PROVIDER = 2, _("At the provider's")
    ON_REQUEST = 4, _("On request")


ANY_PLACE_OF_USE = sum(PlaceOfUse.values)


class Audience(models.IntegerChoices):
    """Who may respond to a listing; Listing.audience holds the sum of these bits."""

    COMPANIES = 1, _("Companies")
    EDUCATION = 2, _("Schools and education")
    PUBLIC = 4, _("Public institutions")
    ASSOCIATIONS = 8, _("Associations")
    NONPROFITS = 16, _("Non-profit organisations")


EVERYONE = sum(Audience.values)

AUDIENCE_OF_ORGANISATION_TYPE = {
    OrganisationType.COMPANY: Audience.COMPANIES,
    OrganisationType.CRAFT: Audience.COMPANIES,
    OrganisationType.STARTUP: Audience.COMPANIES,
    OrganisationType.SCHOOL: Audience.EDUCATION,
    OrganisationType.DAYCARE: Audience.EDUCATION,
    OrganisationType.RESEARCH: Audience.EDUCATION,
    OrganisationType.PUBLIC: Audience.PUBLIC,
    OrganisationType.ASSOCIATION: Audience.ASSOCIATIONS,
    OrganisationType.NONPROFIT: Audience.NONPROFITS,
}


def audience_includes(bits: int, field: str = "audience") -> Q:
    """Listings whose audience shares a bit with `bits`: a plain IN over the 31 possible
    sums, so it works in filters and in filtered aggregates on every database."""
    return Q(**{f"{field}__in": [value for value in range(1, EVERYONE + 1) if value & bits]})


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    PUBLISHED = "published", _("Published")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")
    REMOVED = "removed", _("Removed by moderation")
    HIDDEN = "hidden", _("Hidden after reports")


class EventAction(models.TextChoices):
    CREATED = "created", _("created")
    EDITED = "edited", _("edited")
    SUBMITTED = "submitted", _("submitted for approval")
    PUBLISHED = "published", _("published")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    REMOVED = "removed", _("removed")
    PAUSED = "paused", _("paused")
    RESUMED = "resumed", _("resumed")
    CLOSED = "closed", _("closed")
    RENEWED = "renewed", _("renewed")
    REMINDED = "reminded", _("reminded of expiry")
    EXPIRED = "expired", _("expired")
    # Sent as listing_event only (listings.services.reserve), never written as an event:
    # the inquiry's own steps record who reserved what.
    RESERVED = "reserved", _("fully reserved")
    HIDDEN = "hidden", _("hidden after reports")
    SHOWN = "shown", _("shown again")
