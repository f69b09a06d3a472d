"""/api/v1/ of a region's host: the resources, the schema and its docs. Anything else under
/api/ answers a JSON 404, never a page and never a redirect (which would lose a POST)."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("listings", views.ListingViewSet, basename="api-listing")
router.register("organisations", views.OrganisationViewSet, basename="api-organisation")

# Swagger UI's files come from our static files (drf-spectacular-sidecar) and its set-up
# script from this view (the "split" view, for the CSP); its styles set inline style
# attributes, which the site's policy allows on this page alone.
docs_page = csp_update({"style-src": [UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

photos = views.ListingPhotoViewSet
v1 = [
    *router.urls,
    path(
        "listings/<int:listing_pk>/photos/",
        photos.as_view({"get": "list", "post": "create"}),
        name="api-listing-photos",
    ),
    path(
        "listings/<int:listing_pk>/photos/<int:pk>/",
        photos.as_view({"delete": "destroy"}),
        name="api-listing-photo",
    ),
    path("categories/", views.CategoryList.as_view(), name="api-categories"),
    path("places/", views.PlaceList.as_view(), name="api-places"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="api-schema"),
    path("docs/", docs_page, name="api-docs"),
]

urlpatterns = [
    path("v1/", include(v1)),
    re_path(r"^.*$", views.not_found),
]
