from django.shortcuts import get_object_or_404, render

from .hooks import region_home
from .models import Region, RegionPage
from .pages import render_markdown


def home(request):
    """The region's front page: a search box, then what the apps above contribute
    (regions.hooks.region_home): the newest offers and requests, and the categories with
    how many listings each holds."""
    return render(request, "regions/home.html", region_home.merged(request))


def region_page(request, kind):
    page = get_object_or_404(RegionPage.objects.in_region(request.region), kind=kind)
    return render(request, "regions/page.html", {"page": page, "body": render_markdown(page.body)})


def portal(request):
    """The installation's own front page: every active region, with a link to it."""
    regions = Region.objects.reachable().prefetch_related("domains")
    return render(request, "regions/portal.html", {"regions": regions})
