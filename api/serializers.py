"""What the API shows of listings, categories, organisations and places.

Only what the public pages show, except to the listing's own organisation (a key of
it): its street and moderation reason too. Photos and links are absolute URLs of the
region's host.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from listings.models import (
    Audience,
    Direction,
    ListingPhoto,
    PlaceOfUse,
    PriceUnit,
    QuantityUnit,
    Status,
    Terms,
)
from organisations.models import OrganisationType, Sector, SizeClass


class BitNames:
    """Choices whose values are bits, several at once, as the API names them: a list of
    the members' names in lower case (Audience: "school", "association", …)."""

    def __init__(self, choices):
        self.bits = {choice.name.lower(): int(choice) for choice in choices}

    def names(self, bits: int) -> list[str]:
        return [name for name, bit in self.bits.items() if bits & bit]

    def bit(self, name):
        """The bit of a name; an unknown name as it came, for the form to refuse."""
        return self.bits.get(name, name)


AUDIENCE = BitNames(Audience)
PLACES_OF_USE = BitNames(PlaceOfUse)  # customer, provider, on_request


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


class PlaceSerializer(serializers.Serializer):
    postal_code = serializers.CharField(help_text=_("Five-digit postal code."))
    name = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class CategoryRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    group = serializers.SlugField(source="parent.slug", help_text=_("The category's group."))


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField(help_text=_("Its public profile."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, organisation):
        return _absolute(self.context.get("request"), organisation.get_absolute_url())


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("The photo, at most 2400 pixels."))
    card_url = serializers.SerializerMethodField(help_text=_("4:3, 480 × 360 pixels, once made."))
    large_url = serializers.SerializerMethodField(help_text=_("At most 1200 pixels, once made."))

    class Meta:
        model = ListingPhoto
        fields = ["id", "alt_text", "width", "height", "position", "url", "card_url", "large_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, photo):
        return _absolute(self.context.get("request"), photo.image.url)

    @extend_schema_field(OpenApiTypes.URI)
    def get_card_url(self, photo):
        return _absolute(self.context.get("request"), photo.card_url)

    @extend_schema_field(OpenApiTypes.URI)
    def get_large_url(self, photo):
        return _absolute(self.context.get("request"), photo.large_url)


class ListingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text=_("The listing's page on the region's site."))
    direction = serializers.ChoiceField(Direction.choices)
    category = CategoryRefSerializer()
    title = serializers.CharField()
    description = serializers.CharField()
    terms = serializers.ChoiceField(Terms.choices)
    price = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        allow_null=True,
        help_text=_("In euros; only for rent. Empty: price on request."),
    )
    price_unit = serializers.ChoiceField(PriceUnit.choices)
    reduced_price = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        allow_null=True,
        help_text=_("What schools, associations and non-profits pay."),
    )
    is_free = serializers.BooleanField()
    audience = serializers.SerializerMethodField(help_text=_("Who may respond."))
    places_of_use = serializers.SerializerMethodField(
        help_text=_("Where what is offered or needed is used.")
    )
    quantity = serializers.IntegerField()
    quantity_unit = serializers.ChoiceField(QuantityUnit.choices)
    quantity_left = serializers.IntegerField(help_text=_("What accepted inquiries left of it."))
    available_from = serializers.DateField(allow_null=True)
    available_until = serializers.DateField(allow_null=True)
    place = PlaceSerializer()
    attributes = serializers.DictField(
        help_text=_("The details the category defines, by key (see /categories/).")
    )
    photos = PhotoSerializer(many=True)
    organisation = OrganisationRefSerializer()
    status = serializers.ChoiceField(
        Status.choices, help_text=_("Other than “published” only for the organisation's own key.")
    )
    published_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    distance_km = serializers.FloatField(
        allow_null=True, help_text=_("From the place searched around (“near”), if any.")
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, listing):
        return _absolute(self.context.get("request"), listing.get_absolute_url())

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(list(AUDIENCE.bits))))
    def get_audience(self, listing):
        return AUDIENCE.names(listing.audience)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(list(PLACES_OF_USE.bits)))
    )
    def get_places_of_use(self, listing):
        return PLACES_OF_USE.names(listing.places_of_use)

    def to_representation(self, listing):
        data = super().to_representation(listing)
        if data["distance_km"] is not None:
            data["distance_km"] = round(data["distance_km"], 1)
        return data


class OwnListingSerializer(ListingSerializer):
    """A listing as its own organisation's key sees it."""

    street = serializers.CharField()
    moderation_reason = serializers.CharField(
        help_text=_("Why staff sent it back or removed it, if they did.")
    )


class ListingInputSerializer(serializers.Serializer):
    """The fields a listing is created or changed with (documentation; the listing form
    of the web pages validates them)."""

    direction = serializers.ChoiceField(Direction.choices)
    category = serializers.SlugField(help_text=_("The slug of a category (not of a group)."))
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000)
    terms = serializers.ChoiceField(Terms.choices)
    price = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True
    )
    price_unit = serializers.ChoiceField(PriceUnit.choices, required=False)
    reduced_price = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True
    )
    audience = serializers.ListField(
        child=serializers.ChoiceField(list(AUDIENCE.bits)), min_length=1
    )
    quantity = serializers.IntegerField(min_value=1)
    quantity_unit = serializers.ChoiceField(QuantityUnit.choices, required=False)
    available_from = serializers.DateField(required=False, allow_null=True)
    available_until = serializers.DateField(required=False, allow_null=True)
    places_of_use = serializers.ListField(
        child=serializers.ChoiceField(list(PLACES_OF_USE.bits)), min_length=1, required=False
    )
    postal_code = serializers.CharField(max_length=5)
    place_name = serializers.CharField(
        max_length=100,
        required=False,
        help_text=_("Only needed where several places share the postal code."),
    )
    street = serializers.CharField(max_length=150, required=False, allow_blank=True)
    attributes = serializers.DictField(
        required=False, help_text=_('The category\'s details by key, e.g. {"area": 40}.')
    )
    publish = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Only when creating: publish at once (or submit for approval where staff "
            "approve first), instead of saving a draft."
        ),
    )


class PhotoInputSerializer(serializers.Serializer):
    photo = serializers.ImageField(help_text=_("JPEG, PNG, WebP or HEIC, at most 10 MB."))
    alt_text = serializers.CharField(
        max_length=200, help_text=_("What the photo shows, for people who cannot see it.")
    )


class AttributeSerializer(serializers.Serializer):
    key = serializers.SlugField()
    label = serializers.CharField()
    kind = serializers.CharField(help_text=_("number, text, choice or boolean"))
    unit = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField(), source="choice_list")
    filterable = serializers.BooleanField(source="is_filterable")


class CategorySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    attributes = AttributeSerializer(many=True)


class CategoryGroupSerializer(CategorySerializer):
    categories = CategorySerializer(many=True)


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField(help_text=_("Its public profile."))
    type = serializers.ChoiceField(OrganisationType.choices)
    legal_form = serializers.CharField()
    sector = serializers.ChoiceField(Sector.choices)
    size = serializers.ChoiceField(SizeClass.choices)
    place = PlaceSerializer()
    website = serializers.URLField()
    description = serializers.CharField()
    logo_url = serializers.SerializerMethodField()
    is_verified = serializers.BooleanField(help_text=_("Checked by the region's staff."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, organisation):
        return _absolute(self.context.get("request"), organisation.get_absolute_url())

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_logo_url(self, organisation):
        if not organisation.logo:
            return None
        return _absolute(self.context.get("request"), organisation.logo.url)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("For invalid input: the messages per field."),
    )
