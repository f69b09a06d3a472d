"""The pages of saved searches: save one from the search page, list, edit, pause, resume
and delete them, and unsubscribe by the link in a mail without logging in."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import criteria, services
from . import digest as region_news
from .forms import DigestForm, SavedSearchForm
from .models import DigestSubscription, SavedSearch
from .permissions import get_saved_search


@login_required
def saved_searches(request):
    searches = list(
        SavedSearch.objects.in_region(request.region)
        .of_user(request.user)
        .select_related("category")
        .order_by("name", "pk")
    )
    return render(request, "alerts/list.html", {"saved_searches": searches})


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    """Step one is the search page's button (a GET with its query); this page names the
    search and chooses how often, and saving it is a POST."""
    query = request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode()
    search = criteria.search_form(request.region, query)
    accepted = criteria.accepted_query(search)
    form = SavedSearchForm(
        request.POST if request.method == "POST" else None,
        initial={"name": services.describe(search)},
        prefix="alert",
    )
    if request.method == "POST":
        if refused := ratelimit.consume_or_429(request, action="alert_create", user=request.user):
            return refused
        if form.is_valid():
            try:
                services.save_search(
                    request.region,
                    request.user,
                    accepted,
                    name=form.cleaned_data["name"],
                    frequency=form.cleaned_data["frequency"],
                )
            except services.AlertError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Your search is saved. We will email you new listings that match it."),
                )
                return redirect("alert_list")
    context = {"form": form, "query": accepted, "search": search}
    return render(request, "alerts/create.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    saved_search = get_saved_search(request, pk)
    form = SavedSearchForm(request.POST or None, instance=saved_search)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your changes are saved."))
        return redirect("alert_list")
    return render(request, "alerts/edit.html", {"form": form, "saved_search": saved_search})


@login_required
@require_POST
def change(request, pk, action):
    saved_search = get_saved_search(request, pk)
    if action == "pause":
        services.set_active(saved_search, False)
        messages.success(request, _("The search is paused; you receive no mails for it."))
    elif action == "resume":
        services.set_active(saved_search, True)
        messages.success(request, _("The search is active again."))
    elif action == "delete":
        saved_search.delete()
        messages.success(request, _("The search is deleted."))
    else:
        raise Http404
    return redirect("alert_list")


# Mail clients post the one-click unsubscribe (RFC 8058) without a CSRF token: the signed
# link alone authorises stopping the mails, and it can do nothing else.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stops a search's mails by the link in them, without logging in. Opening the link
    asks (a link checker opening it changes nothing); the button, or a mail client's
    one-click request, pauses the search."""
    try:
        saved_search = services.saved_search_from_token(request.region, token)
    except services.AlertError as error:
        return render(request, "alerts/unsubscribe.html", {"error": str(error)}, status=404)
    if request.method == "POST":
        services.set_active(saved_search, False)
        return render(
            request, "alerts/unsubscribe.html", {"done": True, "saved_search": saved_search}
        )
    return render(request, "alerts/unsubscribe.html", {"saved_search": saved_search})


# "Neu in <Region>" ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def digest(request):
    """Whether, and how often, the person gets the region's news."""
    subscription = DigestSubscription.objects.in_region(request.region).filter(user=request.user)
    subscription = subscription.first()
    initial = {"frequency": subscription.frequency if subscription else ""}
    form = DigestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = region_news.subscribe(request.region, request.user, form.cleaned_data["frequency"])
        if chosen:
            messages.success(
                request,
                _("You will receive “New %(in_region)s”: %(frequency)s.")
                % {
                    "in_region": request.region.name_with_preposition,
                    "frequency": chosen.get_frequency_display(),
                },
            )
        else:
            messages.success(request, _("You receive no news of the region by email."))
        return redirect("alert_digest")
    return render(request, "alerts/digest.html", {"form": form})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    """Ends the region's news by the link in its mail, without logging in (see
    `unsubscribe`: opening the link asks, the button or a mail client's request ends it)."""
    try:
        subscription = region_news.subscription_from_token(request.region, token)
    except region_news.DigestError as error:
        context = {"error": str(error), "digest": True}
        return render(request, "alerts/unsubscribe.html", context, status=404)
    if request.method == "POST":
        subscription.delete()
        return render(request, "alerts/unsubscribe.html", {"done": True, "digest": True})
    return render(request, "alerts/unsubscribe.html", {"digest": True})
