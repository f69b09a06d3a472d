"""The watch list page ("Merkliste") and the buttons that change it: the star on every
listing card and page, "Folgen" on an organisation's profile. They are plain forms that
work without JavaScript; after the change the person is back where they clicked."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from listings.models import Listing, Status
from listings.permissions import get_listing
from organisations.permissions import get_organisation

from . import services
from .models import Follow, Watch


def _back(request, default):
    """Where the form was sent from (the `next` it carries), if that is on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _adding(request) -> bool:
    return request.POST.get("watch", request.POST.get("follow", "1")) != "0"


@login_required
@require_http_methods(["GET", "POST"])
def listing(request, pk):
    """Puts a listing the person may see on the watch list (watch=1), or takes one off
    (watch=0)."""
    if request.method == "POST" and not _adding(request):
        return _unwatch(request, pk)
    watched = get_listing(request, pk)
    if request.method == "GET":  # after logging in on the way here: nothing was sent
        return redirect(watched)
    if not watched.is_published:  # only what is published is watched (no star elsewhere)
        raise Http404
    if refused := ratelimit.consume_or_429(request, action="watchlist", user=request.user):
        return refused
    services.watch(request.user, watched)
    messages.success(request, _("“%(title)s” is on your watch list.") % {"title": watched})
    return redirect(_back(request, watched.get_absolute_url()))


def _unwatch(request, pk):
    """Any listing on the person's list of this region comes off it, also one that ended
    meanwhile and that nobody else may see any more."""
    entry = (
        Watch.objects.in_region(request.region)
        .of_user(request.user)
        .filter(listing_id=pk)
        .select_related("listing")
        .first()
    )
    if entry is None:
        raise Http404
    if refused := ratelimit.consume_or_429(request, action="watchlist", user=request.user):
        return refused
    services.unwatch(request.user, entry.listing)
    if entry.listing.status != Status.PUBLISHED:
        messages.success(request, _("The listing is no longer on your watch list."))
        return redirect(_back(request, reverse("watchlist")))
    messages.success(
        request, _("“%(title)s” is no longer on your watch list.") % {"title": entry.listing}
    )
    return redirect(_back(request, entry.listing.get_absolute_url()))


@login_required
@require_http_methods(["GET", "POST"])
def organisation(request, pk):
    """Follows an organisation (follow=1) or no longer (follow=0)."""
    followed = get_organisation(request, pk)
    if request.method == "GET":
        return redirect("organisation_profile", pk=followed.pk)
    if refused := ratelimit.consume_or_429(request, action="watchlist", user=request.user):
        return refused
    if _adding(request):
        services.follow(request.user, followed)
        messages.success(
            request,
            _("You follow %(name)s and hear when it publishes something new.")
            % {"name": followed.name},
        )
    else:
        services.unfollow(request.user, followed)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": followed.name})
    return redirect(_back(request, followed.get_absolute_url()))


@login_required
@require_safe
def watchlist(request):
    """The person's watched listings and followed organisations in this region."""
    region = request.region
    watched = Watch.objects.in_region(region).of_user(request.user).values("listing_id")
    listings = list(
        Listing.objects.in_region(region)
        .filter(pk__in=watched)
        .for_cards()
        .order_by("-published_at", "-pk")
    )
    current = [listing for listing in listings if listing.status == Status.PUBLISHED]
    ended = [listing for listing in listings if listing.status != Status.PUBLISHED]
    follows = (
        Follow.objects.in_region(region)
        .of_user(request.user)
        .select_related("organisation__place")
        .order_by("organisation__name")
    )
    return render(
        request,
        "watchlist/watchlist.html",
        {"current": current, "ended": ended, "follows": list(follows)},
    )
