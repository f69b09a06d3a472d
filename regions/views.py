from django.shortcuts import get_object_or_404, render

from listings.models import Direction
from listings.search import category_tree, newest_by_direction

from .models import Region, RegionPage
from .pages import render_markdown

NEWEST_ON_HOME = 6


def home(request):
    """The region's front page: a search box, the newest offers and requests, and the
    categories with how many listings each holds."""
    newest = newest_by_direction(request.region, NEWEST_ON_HOME)
    return render(
        request,
        "regions/home.html",
        {
            "offers": newest[Direction.OFFER],
            "requests": newest[Direction.REQUEST],
            "category_groups": category_tree(request.region),
        },
    )


def region_page(request, kind):
    page = get_object_or_404(RegionPage.objects.in_region(request.region), kind=kind)
    return render(request, "regions/page.html", {"page": page, "body": render_markdown(page.body)})


def portal(request):
    """The installation's own front page: every active region, with a link to it."""
    regions = Region.objects.reachable().prefetch_related("domains")
    return render(request, "regions/portal.html", {"regions": regions})
