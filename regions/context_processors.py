from .models import RegionPage


def region(request):
    """The current region (None on portal hosts) and the pages every footer links to."""
    return {
        "region": getattr(request, "region", None),
        "region_page_kinds": RegionPage.Kind,
    }
