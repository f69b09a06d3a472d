"""/sitemap.xml and /robots.txt of a region's host, for search engines.

The sitemap names what anyone may see on this host and nothing of another
region: the home page, the region's pages, its published listings and the
profiles of the organisations its directory lists (no rejected one). Links are
absolute on the host that was asked (the sitemap protocol wants them on the
sitemap's own host). The portal host has its own (regions.views.portal_sitemap).
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from organisations.models import Organisation
from regions.models import RegionPage

from .models import Listing


class RegionSitemap(Sitemap):
    """A section of one region's sitemap."""

    def __init__(self, region):
        self.region = region


def _to_the_second(moment):
    # W3C datetime; fractions of a second tell a search engine nothing.
    return moment.replace(microsecond=0)


class HomeSitemap(RegionSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["home", "listing_search", "organisation_directory"]

    def location(self, item):
        return reverse(item)


class PageSitemap(RegionSitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return RegionPage.objects.in_region(self.region).only("kind", "updated_at")

    def location(self, page):
        return reverse(f"page_{page.kind}")

    def lastmod(self, page):
        return _to_the_second(page.updated_at)


class ListingSitemap(RegionSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (
            Listing.objects.in_region(self.region)
            .published()
            .only("pk", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, listing):
        return _to_the_second(listing.updated_at)


class OrganisationSitemap(RegionSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            Organisation.objects.in_region(self.region)
            .listed()
            .only("pk", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, organisation):
        return _to_the_second(organisation.updated_at)


@require_safe
@cache_control(max_age=3600)
def sitemap(request):
    sections = {
        "home": HomeSitemap(request.region),
        "pages": PageSitemap(request.region),
        "listings": ListingSitemap(request.region),
        "organisations": OrganisationSitemap(request.region),
    }
    # Our own template: django.contrib.sitemaps need not be an installed app for it.
    return sitemap_views.sitemap(request, sections, template_name="listings/sitemap.xml")


# Paths no search engine needs: the back office, accounts, personal pages and forms.
DISALLOWED = ["/admin/", "/accounts/", "/i18n/", "/listings/mine/", "/listings/new/"]


@require_safe
@cache_control(max_age=86400)
def robots_txt(request):
    lines = ["User-agent: *", *[f"Disallow: {path}" for path in DISALLOWED]]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
