"""The route search "von … nach …" (/transport/)."""

from django.shortcuts import render

from listings.models import Category

from . import finding
from .forms import LookingFor, RouteSearchForm
from .models import TRANSPORT_CATEGORY
from .routes import CORRIDOR_KM


def search(request):
    """Trips that take goods from one place to another within the days asked, or requests
    whose goods a trip between the two places could take along."""
    data = None
    if request.GET:
        data = request.GET.copy()
        data.setdefault("looking_for", LookingFor.TRIPS)  # so that one choice shows chosen
    form = RouteSearchForm(data, region=request.region)
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        starts, ends = data["origin"].places, data["destination"].places
        if data["looking_for"] == LookingFor.REQUESTS:
            results = finding.requests_along(request.region, starts, ends, data["earliest"])
        else:
            results = finding.trips_carrying(
                request.region, starts, ends, data["earliest"], data["latest"]
            )
    return render(
        request,
        "trips/search.html",
        {
            "form": form,
            "corridor_km": f"{CORRIDOR_KM:.0f}",
            "transport_category_id": Category.objects.filter(slug=TRANSPORT_CATEGORY)
            .values_list("pk", flat=True)
            .first()
            if results == [] and request.user.is_authenticated
            else None,
            "results": results,
            "looking_for_requests": form.is_bound
            and form.is_valid()
            and form.cleaned_data["looking_for"] == LookingFor.REQUESTS,
        },
    )
