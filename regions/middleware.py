from django.conf import settings
from django.http.request import split_domain_port
from django.shortcuts import render

from .tenancy import region_for_host


class RegionMiddleware:
    """Sets `request.region` from the Host header (pretix's multidomain idea).

    A region's host serves that region only; a portal host (PORTAL_HOSTS) serves
    the list of regions with its own URLconf; any other host, and a region that
    is switched off, gets a friendly 404 page and nothing of any region.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host, _port = split_domain_port(request.get_host())
        host = host.lower()
        if host in settings.PORTAL_HOSTS:
            request.region = None
            request.urlconf = settings.PORTAL_URLCONF
            return self.get_response(request)
        region = region_for_host(host)
        if region is None or not region.is_active:
            return render(
                request,
                "regions/unknown_host.html",
                {"host": host, "unknown_host": True},
                status=404,
            )
        request.region = region
        return self.get_response(request)
