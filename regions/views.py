from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import legal
from .hooks import region_home
from .models import Region, RegionPage
from .operators import PortalPage
from .pages import render_markdown


def home(request):
    """The region's front page: a search box, then what the apps above contribute
    (regions.hooks.region_home): the newest offers and requests, and the categories with
    how many listings each holds."""
    return render(request, "regions/home.html", region_home.merged(request))


def region_page(request, kind):
    if kind not in RegionPage.Kind.values:
        raise Http404
    page = legal.region_page(request.region, kind)
    return render(request, "regions/page.html", {"page": page, "body": render_markdown(page.body)})


def portal(request):
    """The installation's own front page: every active region, with a link to it."""
    regions = Region.objects.reachable().prefetch_related("domains")
    return render(request, "regions/portal.html", {"regions": regions})


def portal_page(request, kind):
    """The installation operator's own imprint, privacy policy and accessibility statement."""
    if kind not in PortalPage.Kind.values:
        raise Http404
    page = legal.portal_page(kind)
    return render(request, "regions/page.html", {"page": page, "body": render_markdown(page.body)})


@require_safe
@cache_control(max_age=3600)
def portal_sitemap(request):
    """The portal's pages, and the front page of every region that is active and reachable:
    those are on their own hosts, whose sitemaps (named in their robots.txt) list the rest."""
    urls = [request.build_absolute_uri(reverse("home"))]
    urls += [request.build_absolute_uri(reverse(f"page_{kind}")) for kind in PortalPage.Kind]
    regions = Region.objects.reachable().prefetch_related("domains").order_by("name")
    urls += [region.build_absolute_uri() for region in regions]
    return render(request, "regions/sitemap.xml", {"urls": urls}, content_type="application/xml")


# The portal's paths no search engine needs: the back office, accounts, the language switch.
PORTAL_DISALLOWED = ["/admin/", "/accounts/", "/i18n/"]


@require_safe
@cache_control(max_age=86400)
def portal_robots_txt(request):
    lines = ["User-agent: *", *[f"Disallow: {path}" for path in PORTAL_DISALLOWED]]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
