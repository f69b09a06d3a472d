from django.shortcuts import get_object_or_404, render

from .models import Region, RegionPage
from .pages import render_markdown


def home(request):
    """The region's front page."""
    return render(request, "regions/home.html")


def region_page(request, kind):
    page = get_object_or_404(RegionPage.objects.in_region(request.region), kind=kind)
    return render(request, "regions/page.html", {"page": page, "body": render_markdown(page.body)})


def portal(request):
    """The installation's own front page: every active region, with a link to it."""
    regions = Region.objects.reachable().prefetch_related("domains")
    return render(request, "regions/portal.html", {"regions": regions})
