"""URLs of a portal host (plain localhost, the apex domain): the list of regions, the
installation operator's own legal pages, robots.txt and a sitemap of the regions."""

from django.urls import path

from regions import views as region_views
from regions.operators import PortalPage

from .urls import common_patterns

urlpatterns = [
    path("", region_views.portal, name="home"),
    path("sitemap.xml", region_views.portal_sitemap, name="sitemap"),
    path("robots.txt", region_views.portal_robots_txt, name="robots_txt"),
    *[
        path(
            f"{kind.value}/",
            region_views.portal_page,
            {"kind": kind.value},
            name=f"page_{kind.value}",
        )
        for kind in PortalPage.Kind
    ],
    *common_patterns,
]

# 503 while the database is unreachable, 500 otherwise; rendered without the database.
handler500 = "core.errors.server_error"
