"""The OpenAPI description of each endpoint (drf-spectacular): what it does, in the
reader's language (German by default), with an example each."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema

from .examples import EXAMPLE_INPUT, EXAMPLE_LISTING, EXAMPLE_ORGANISATION
from .serializers import (
    CategoryGroupSerializer,
    ErrorSerializer,
    ListingInputSerializer,
    ListingSerializer,
    OrganisationSerializer,
    OwnListingSerializer,
    PhotoInputSerializer,
    PhotoSerializer,
    PlaceSerializer,
)

LISTING_TAG = ["listings"]

ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description=_("Invalid input: the messages per field."),
        examples=[
            OpenApiExample(
                "400",
                value={
                    "detail": "Einige Angaben fehlen oder sind ungültig.",
                    "code": "invalid",
                    "errors": {"title": ["Bitte geben Sie einen Titel ein."]},
                },
            )
        ],
    ),
    401: OpenApiResponse(ErrorSerializer, description=_("No valid key.")),
    403: OpenApiResponse(ErrorSerializer, description=_("The key may only read.")),
    404: OpenApiResponse(ErrorSerializer, description=_("No such thing in this region.")),
    429: OpenApiResponse(ErrorSerializer, description=_("Too many requests: see Retry-After.")),
}


def errors(*codes):
    return {code: ERRORS[code] for code in codes}


def _parameter(name, type_, description, *, enum=None, many=False, deprecated=False):
    return OpenApiParameter(
        name,
        type_,
        OpenApiParameter.QUERY,
        description=description,
        enum=enum,
        many=many,
        deprecated=deprecated,
    )


SEARCH_PARAMETERS = [
    _parameter("q", str, _("Search words, as on the search page (“bagger -kran”).")),
    _parameter("category", str, _("Slug of a category or of a whole group.")),
    _parameter("direction", str, _("Offers or requests."), enum=["offer", "request"]),
    _parameter(
        "terms",
        str,
        _("Terms; several allowed."),
        enum=["rent", "loan", "give-away", "time-donation", "donation"],
        many=True,
    ),
    _parameter(
        "audience",
        int,
        _("Open to (1 companies, 2 education, 4 public, 8 associations, 16 non-profits)."),
        many=True,
    ),
    _parameter("near", str, _("Postal code or place of the region to search around.")),
    _parameter("radius", int, _("Kilometres around “near”."), enum=[5, 10, 25, 50, 100]),
    _parameter("price_min", OpenApiTypes.DECIMAL, _("Price from (€).")),
    _parameter("price_max", OpenApiTypes.DECIMAL, _("Price up to (€); free ones included.")),
    _parameter("free", bool, _("Free of charge only.")),
    _parameter("available_on", OpenApiTypes.DATE, _("Available on this day.")),
    _parameter("photos", bool, _("With photos only.")),
    _parameter("organisation_type", str, _("Type of the organisation.")),
    _parameter(
        "sort",
        str,
        _("Order: best match (with q), newest, nearest (with near)."),
        enum=["relevance", "newest", "nearest"],
    ),
    _parameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        _("Only listings changed since then (ISO 8601), oldest change first: for syncing."),
    ),
    _parameter("mine", bool, _("Only your organisation's own listings, in every state (key).")),
    _parameter("status", str, _("With mine=1: only listings in this state.")),
    _parameter("suche", str, _("Old name of “q”."), deprecated=True),
    _parameter("preis_von", OpenApiTypes.DECIMAL, _("Old name of “price_min”."), deprecated=True),
    _parameter("preis_bis", OpenApiTypes.DECIMAL, _("Old name of “price_max”."), deprecated=True),
    _parameter("postleitzahl", str, _("Old name of “near”."), deprecated=True),
    _parameter(
        "umkreis_km",
        int,
        _("Old name of “radius”; any number, rounded up to the next radius offered."),
        deprecated=True,
    ),
]


def _step(summary, description):
    return extend_schema(
        tags=LISTING_TAG,
        summary=summary,
        description=description,
        request=None,
        responses={200: OwnListingSerializer, **errors(400, 401, 403, 404, 429)},
        examples=[OpenApiExample("Antwort", value=EXAMPLE_LISTING, response_only=True)],
    )


LISTINGS = {
    "list": extend_schema(
        tags=LISTING_TAG,
        summary=_("Search listings"),
        description=_(
            "The region's published listings, filtered like the search page and a page at a "
            "time. Attribute filters of the chosen category are named as on the search page: "
            "attr-<key> (choice, yes/no), attr-<key>-min and attr-<key>-max (numbers)."
        ),
        parameters=SEARCH_PARAMETERS,
        responses={200: ListingSerializer(many=True), **errors(400, 401, 404, 429)},
        examples=[
            OpenApiExample(
                "Seite",
                value=[EXAMPLE_LISTING],
                response_only=True,
            )
        ],
    ),
    "retrieve": extend_schema(
        tags=LISTING_TAG,
        summary=_("One listing"),
        description=_("A published listing, or one of your organisation's own in any state (key)."),
        responses={200: OwnListingSerializer, **errors(401, 404, 429)},
        examples=[OpenApiExample("Anzeige", value=EXAMPLE_LISTING, response_only=True)],
    ),
    "create": extend_schema(
        tags=LISTING_TAG,
        summary=_("Create a listing"),
        description=_(
            "Saves a listing of the key's organisation, checked like the form on the site. "
            "It is a draft unless “publish” is set; then it is published, or waits for the "
            "staff's approval where they approve first (status “pending”)."
        ),
        request=ListingInputSerializer,
        responses={201: OwnListingSerializer, **errors(400, 401, 403, 429)},
        examples=[
            OpenApiExample("Neue Anzeige", value=EXAMPLE_INPUT, request_only=True),
            OpenApiExample(
                "Angelegt", value=EXAMPLE_LISTING, response_only=True, status_codes=["201"]
            ),
        ],
    ),
    "update": extend_schema(
        tags=LISTING_TAG,
        summary=_("Replace a listing's content"),
        description=_(
            "All fields as when creating. Where staff approve first, a published listing "
            "goes back to them after a change."
        ),
        request=ListingInputSerializer,
        responses={200: OwnListingSerializer, **errors(400, 401, 403, 404, 429)},
        examples=[OpenApiExample("Änderung", value=EXAMPLE_INPUT, request_only=True)],
    ),
    "partial_update": extend_schema(
        tags=LISTING_TAG,
        summary=_("Change some of a listing's fields"),
        description=_("Only the fields sent change; the others keep their values."),
        request=ListingInputSerializer(partial=True),
        responses={200: OwnListingSerializer, **errors(400, 401, 403, 404, 429)},
        examples=[
            OpenApiExample("Neuer Preis", value={"price": "75.00"}, request_only=True),
        ],
    ),
    "submit": _step(
        _("Publish a draft"),
        _("Publishes it, or hands it to the staff for approval where they approve first."),
    ),
    "pause": _step(_("Pause a listing"), _("Nobody else sees it until it is resumed.")),
    "resume": _step(_("Show a paused listing again"), _("It is published again.")),
    "close": _step(_("Close a listing for good"), _("Found someone, or no longer needed.")),
    "renew": _step(_("Renew a listing"), _("Another 90 days for a published or expired listing.")),
}

PHOTOS = {
    "list": extend_schema(
        tags=LISTING_TAG,
        summary=_("A listing's photos"),
        description=_("In their order; the first is the cover."),
        responses={200: PhotoSerializer(many=True), **errors(401, 404, 429)},
        examples=[
            OpenApiExample(
                "Fotos",
                value=[
                    {
                        "id": 3,
                        "alt_text": "Gelber Gabelstapler in der Halle",
                        "width": 1600,
                        "height": 1200,
                        "position": 0,
                        "url": "https://pm.starkeregion.digital/media/listings/1/42/a1b2.jpg",
                        "card_url": "https://pm.starkeregion.digital/media/listings/1/42/a1b2-card.webp",
                        "large_url": "https://pm.starkeregion.digital/media/listings/1/42/a1b2-large.webp",
                    }
                ],
                response_only=True,
            )
        ],
    ),
    "create": extend_schema(
        tags=LISTING_TAG,
        summary=_("Add a photo"),
        description=_(
            "Multipart upload of one photo with its description, checked and re-encoded "
            "like on the site (at most 8 photos per listing)."
        ),
        request={"multipart/form-data": PhotoInputSerializer},
        responses={201: PhotoSerializer, **errors(400, 401, 403, 404, 429)},
        examples=[
            OpenApiExample(
                "Foto",
                value={"photo": "(Datei)", "alt_text": "Gelber Gabelstapler in der Halle"},
                request_only=True,
            )
        ],
    ),
    "destroy": extend_schema(
        tags=LISTING_TAG,
        summary=_("Delete a photo"),
        description=_("Deletes the photo and its files."),
        responses={204: None, **errors(401, 403, 404, 429)},
        examples=[OpenApiExample("Gelöscht", value=None, response_only=True, status_codes=["204"])],
    ),
}

CATEGORIES = {
    "get": extend_schema(
        tags=["categories"],
        summary=_("Categories and their details"),
        description=_(
            "The groups, each with its categories, and the details (attributes) that listings "
            "of a group or category have. A listing's details are those of its group and of "
            "its category."
        ),
        responses={200: CategoryGroupSerializer(many=True), **errors(401, 429)},
        examples=[
            OpenApiExample(
                "Kategorien",
                value=[
                    {
                        "slug": "raeume",
                        "name": "Räume und Flächen",
                        "description": "",
                        "attributes": [],
                        "categories": [
                            {
                                "slug": "lagerflaechen",
                                "name": "Lagerflächen",
                                "description": "",
                                "attributes": [
                                    {
                                        "key": "flaeche",
                                        "label": "Fläche",
                                        "kind": "number",
                                        "unit": "m²",
                                        "choices": [],
                                        "filterable": True,
                                    }
                                ],
                            }
                        ],
                    }
                ],
                response_only=True,
            )
        ],
    )
}

ORGANISATIONS = {
    "list": extend_schema(
        tags=["organisations"],
        summary=_("Organisations of the region"),
        description=_("Their public profiles, by name; filter by q (name), type, sector, place."),
        parameters=[
            _parameter("q", str, _("Part of the name.")),
            _parameter("type", str, _("Type of organisation.")),
            _parameter("sector", str, _("Sector.")),
            _parameter("place", int, _("Id of a place.")),
        ],
        responses={200: OrganisationSerializer(many=True), **errors(400, 401, 429)},
        examples=[OpenApiExample("Seite", value=[EXAMPLE_ORGANISATION], response_only=True)],
    ),
    "retrieve": extend_schema(
        tags=["organisations"],
        summary=_("One organisation's public profile"),
        description=_("What its profile page shows to everyone."),
        responses={200: OrganisationSerializer, **errors(401, 404, 429)},
        examples=[OpenApiExample("Profil", value=EXAMPLE_ORGANISATION, response_only=True)],
    ),
}

PLACES = {
    "get": extend_schema(
        tags=["places"],
        summary=_("The region's places"),
        description=_(
            "Postal codes and places with coordinates, as the search and the listing form "
            "accept them; q finds them by postal code and/or name."
        ),
        parameters=[_parameter("q", str, _("Postal code and/or name, e.g. “14806 Brück”."))],
        responses={200: PlaceSerializer(many=True), **errors(401, 429)},
        examples=[
            OpenApiExample(
                "Orte",
                value=[
                    {
                        "postal_code": "14806",
                        "name": "Bad Belzig",
                        "latitude": 52.1423,
                        "longitude": 12.5953,
                    }
                ],
                response_only=True,
            )
        ],
    )
}
