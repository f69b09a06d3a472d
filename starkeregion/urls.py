"""URLs of a region's host (pm.starkeregion.digital); see urls_portal for the portal host."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from accounts import two_factor
from accounts import views as account_views
from impact import views as impact_views
from listings.sitemaps import robots_txt, sitemap
from regions import invitation_views
from regions import views as region_views
from regions.models import RegionPage

from . import views as project_views

# What every host offers: sign-in, account settings, the back office, the language switch.
common_patterns = [
    path("accounts/", account_views.overview, name="account_overview"),
    path("accounts/data/", account_views.export, name="account_export"),
    path("accounts/name/", account_views.name, name="account_name"),
    path("accounts/language/", account_views.language, name="account_language"),
    path("accounts/delete/", account_views.delete, name="account_delete"),
    # allauth's, remembering where the person was going (accounts.two_factor).
    path("accounts/2fa/totp/activate/", two_factor.activate_totp),
    path("accounts/2fa/recovery-codes/", two_factor.view_recovery_codes),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path(
        "staff-invitations/<str:token>/",
        invitation_views.staff_invitation,
        name="staff_invitation",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", project_views.favicon),
]
if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.strip("/")
    common_patterns.append(
        re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

urlpatterns = [
    path("", region_views.home, name="home"),
    path("listings/", include("listings.urls")),
    path("organisations/", include("organisations.urls")),
    path("inquiries/", include("inquiries.urls")),
    path("pools/", include("pools.urls")),
    path("organisations/<int:pk>/api-keys/", include("api.key_urls")),
    path("api/", include("api.urls")),
    path("impact/", include("impact.urls")),
    # Beside the listings' embed, before the embeds app's own addresses.
    path("embed/impact/", impact_views.embed, name="embed_impact"),
    path("embed/", include("embeds.urls")),
    path("watchlist/", include("watchlist.urls")),
    path("report/", include("moderation.urls")),
    path("alerts/", include("alerts.urls")),
    path("transport/", include("trips.urls")),
    path("", include("agreements.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    *[
        path(
            f"{kind.value}/",
            region_views.region_page,
            {"kind": kind.value},
            name=f"page_{kind.value}",
        )
        for kind in RegionPage.Kind
    ],
    *common_patterns,
]

# 503 while the database is unreachable, 500 otherwise; rendered without the database.
handler500 = "core.errors.server_error"
