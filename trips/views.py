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
    results, looking_for_requests = None, False
    if form.is_bound and form.is_valid():
        asked = form.cleaned_data
        starts, ends = asked["origin"].places, asked["destination"].places
        looking_for_requests = asked["looking_for"] == LookingFor.REQUESTS
        if looking_for_requests:
            results = finding.requests_along(request.region, starts, ends, asked["earliest"])
        else:
            results = finding.trips_carrying(
                request.region, starts, ends, asked["earliest"], asked["latest"]
            )
    # Nothing found: a member is offered to post what they looked for.
    offer_to_post = results == [] and request.user.is_authenticated
    transport = Category.objects.filter(slug=TRANSPORT_CATEGORY).values_list("pk", flat=True)
    return render(
        request,
        "trips/search.html",
        {
            "form": form,
            "corridor_km": f"{CORRIDOR_KM:.0f}",
            "transport_category_id": transport.first() if offer_to_post else None,
            "results": results,
            "looking_for_requests": looking_for_requests,
        },
    )
