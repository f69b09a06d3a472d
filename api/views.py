"""The API's endpoints under /api/v1/ of a region's host.

Reads are open to everyone (public data only) and to keys (their organisation's own
listings too); writes need a key of scope "write" and go through listings.services,
checked by the web's forms, so that a listing posted here is held to the same rules and
the same moderation as one posted on the pages. Every step a key takes is marked as
coming from the API (api.events).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, pagination, status, viewsets
from rest_framework.decorators import (
    action,
    api_view,
    authentication_classes,
    permission_classes,
    schema,
)
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from listings import photos as photo_files
from listings import services, tasks
from listings.actions import ACTIONS
from listings.catalogue import catalogue
from listings.models import MAX_PHOTOS, Listing
from listings.photo_forms import PhotoUploadForm
from listings.search import find_places
from organisations.filtersets import OrganisationFilter
from organisations.models import Organisation
from regions.places import places_of

from . import docs
from .access import get_listing, get_own_listing, is_own, with_details
from .caching import cached_public_list
from .errors import InvalidInput, form_errors
from .events import acting_with
from .listing_input import checked_form
from .permissions import key_of
from .searching import listing_results
from .serializers import (
    CategoryGroupSerializer,
    ListingSerializer,
    OrganisationSerializer,
    OwnListingSerializer,
    PhotoSerializer,
    PlaceSerializer,
)


class Pages(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def _listing_response(request, listing, status_code=status.HTTP_200_OK):
    serializer = OwnListingSerializer if is_own(request, listing) else ListingSerializer
    return Response(serializer(listing, context={"request": request}).data, status=status_code)


def _run(service, listing, request):
    """Runs a listing service for the request's key; its rule becomes a 400 with its message."""
    key = key_of(request)
    try:
        with acting_with(key):
            return service(listing, key.created_by)
    except services.ListingError as error:
        raise InvalidInput({"non_field_errors": [str(error)]}, detail=str(error)) from error


@extend_schema_view(**docs.LISTINGS)
class ListingViewSet(viewsets.GenericViewSet):
    serializer_class = ListingSerializer
    pagination_class = Pages
    lookup_value_regex = r"\d+"

    def list(self, request):
        if key_of(request) is None:
            return Response(cached_public_list(request, lambda: self._page(request)))
        return Response(self._page(request))

    def _page(self, request):
        """The data of one page of the list: count, links and the page's listings."""
        results = listing_results(request)
        # The page is picked by ids, so that sorting the matches joins nothing; only the
        # page's listings get their details and photos, in a fixed number of queries.
        near = "distance_km" in results.query.annotations
        page = self.paginate_queryset(
            results.values("pk", "distance_km") if near else results.values("pk")
        )
        by_id = with_details(Listing.objects.in_region(request.region)).in_bulk(
            [row["pk"] for row in page]
        )
        ordered = [_with_distance(by_id[row["pk"]], row.get("distance_km")) for row in page]
        own = key_of(request)
        # One serializer of each kind for the whole page, as a ListSerializer has its child:
        # a serializer copies its fields when first used, which would otherwise cost more
        # than the queries, once per listing.
        public = ListingSerializer(context={"request": request})
        mine = OwnListingSerializer(context={"request": request})
        data = [
            (
                mine if own and listing.organisation_id == own.organisation_id else public
            ).to_representation(listing)
            for listing in ordered
        ]
        return self.get_paginated_response(data).data

    def retrieve(self, request, pk=None):
        return _listing_response(request, get_listing(request, pk))

    def create(self, request):
        payload = request.data
        publish = isinstance(payload, dict) and bool(payload.get("publish"))
        if isinstance(payload, dict):
            payload = {name: value for name, value in payload.items() if name != "publish"}
        key = key_of(request)
        form = checked_form(payload, key.organisation)
        with transaction.atomic():
            listing = _run(services.create_listing, form.save(), request)
            if publish:
                _run(services.submit, listing, request)
        return _listing_response(
            request, get_own_listing(request, listing.pk), status.HTTP_201_CREATED
        )

    def update(self, request, pk=None):
        return self._change(request, pk, partial_change=False)

    def partial_update(self, request, pk=None):
        return self._change(request, pk, partial_change=True)

    def _change(self, request, pk, *, partial_change):
        listing = get_own_listing(request, pk)
        if listing.status not in services.EDITABLE:
            raise InvalidInput(
                {"non_field_errors": [_("This listing can no longer be changed.")]},
                detail=_("This listing can no longer be changed."),
            )
        form = checked_form(
            request.data, listing.organisation, listing, partial_change=partial_change
        )
        _run(services.save_changes, form.save(), request)
        return _listing_response(request, get_own_listing(request, pk))

    def _step(self, request, pk, name):
        listing = get_own_listing(request, pk)
        _run(ACTIONS[name].run, listing, request)
        return _listing_response(request, get_own_listing(request, pk))

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, pk, "submit")

    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._step(request, pk, "pause")

    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._step(request, pk, "resume")

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(request, pk, "close")

    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        return self._step(request, pk, "renew")


def _with_distance(listing, distance_km):
    listing.distance_km = distance_km
    return listing


@extend_schema_view(**docs.PHOTOS)
class ListingPhotoViewSet(viewsets.ViewSet):
    """A listing's photos: uploaded one at a time (multipart), checked and re-encoded as on
    the photo page; their sizes are made by the worker afterwards."""

    lookup_value_regex = r"\d+"

    def list(self, request, listing_pk=None):
        listing = get_listing(request, listing_pk)
        photos = PhotoSerializer(listing.photos.all(), many=True, context={"request": request})
        return Response(photos.data)

    def create(self, request, listing_pk=None):
        listing = get_own_listing(request, listing_pk)
        if listing.status not in services.EDITABLE:
            raise InvalidInput({"non_field_errors": [_("This listing can no longer be changed.")]})
        room = MAX_PHOTOS - listing.photos.count()
        form = PhotoUploadForm(
            {"alt_text_1": request.data.get("alt_text", "")},
            {"photo_1": request.FILES.get("photo")} if request.FILES.get("photo") else {},
            slots=1,
            room=room,
        )
        if not form.is_valid():
            raise InvalidInput(form_errors(form, {"photo_1": "photo", "alt_text_1": "alt_text"}))
        with transaction.atomic():
            try:
                added = photo_files.add_photos(listing, form.photos)
            except services.ListingError as error:
                raise InvalidInput({"photo": [str(error)]}) from error
            for photo in added:
                tasks.queue_photo_sizes(photo)
            # New pictures are content: where staff approve first, it goes back to them.
            _run(services.save_changes, listing, request)
        return Response(
            PhotoSerializer(added[0], context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def destroy(self, request, listing_pk=None, pk=None):
        listing = get_own_listing(request, listing_pk)
        if listing.status not in services.EDITABLE:
            raise InvalidInput({"non_field_errors": [_("This listing can no longer be changed.")]})
        photo = next((p for p in listing.photos.all() if str(p.pk) == str(pk)), None)
        if photo is None:
            raise NotFound
        photo_files.delete_photo(photo)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(**docs.CATEGORIES)
class CategoryList(APIView):
    def get(self, request):
        current = catalogue()
        groups = []
        for choice in current.choices:
            category = choice.category
            if not category.is_group:
                continue
            groups.append(
                {
                    **_category(category, current),
                    "categories": [_category(child, current) for child in choice.children],
                }
            )
        return Response(CategoryGroupSerializer(groups, many=True).data)


def _category(category, current):
    return {
        "slug": category.slug,
        "name": category.name,
        "description": category.description,
        "attributes": current.attributes.get(category.pk, ()),
    }


@extend_schema_view(**docs.ORGANISATIONS)
class OrganisationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = OrganisationSerializer
    pagination_class = Pages
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            # The directory's rule: every organisation but those staff rejected.
            Organisation.objects.in_region(self.request.region)
            .listed()
            .select_related("place")
            .order_by("name", "pk")
        )

    def list(self, request):
        filterset = OrganisationFilter(
            request.query_params, queryset=self.get_queryset(), region=request.region
        )
        if filterset.errors:
            raise InvalidInput(form_errors(filterset.form))
        page = self.paginate_queryset(filterset.qs)
        data = self.get_serializer(page, many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk=None):
        organisation = self.get_queryset().filter(pk=pk).first()
        if organisation is None:
            raise NotFound
        return Response(self.get_serializer(organisation).data)


@extend_schema_view(**docs.PLACES)
class PlaceList(APIView):
    def get(self, request):
        text = request.query_params.get("q", "")[:100]
        places = find_places(request.region, text) if text.strip() else places_of(request.region)
        return Response(PlaceSerializer([place._asdict() for place in places], many=True).data)


@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
@schema(None)
def not_found(request, *args, **kwargs):
    raise NotFound(
        _(
            "There is no such address in the API. Its addresses end with a slash, "
            "e.g. /api/v1/listings/."
        )
    )
