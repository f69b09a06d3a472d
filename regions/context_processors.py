from django.utils.functional import SimpleLazyObject

from .models import RegionPage
from .operators import InstallationOperator, PortalPage


def region(request):
    """The current region (None on portal hosts) and the pages every footer links to: the
    region's, or on a portal host the installation's own (with its operator, read only when
    a footer names it)."""
    current = getattr(request, "region", None)
    context = {"region": current, "region_page_kinds": RegionPage.Kind}
    if current is None and getattr(request, "urlconf", None):
        context["portal_page_kinds"] = PortalPage.Kind
        context["installation_operator"] = SimpleLazyObject(InstallationOperator.load)
    return context
