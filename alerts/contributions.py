"""What alerts adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (alerts.apps)."""

from django import forms
from django.urls import reverse
from django.utils.http import urlencode

from accounts.hooks import account_overview, personal_data_export
from listings.hooks import search_page

from . import criteria, services
from .forms import SavedSearchForm
from .models import DigestSubscription, Frequency, SavedSearch


@search_page.register
def save_this_search(request, filterset) -> dict:
    """ "Save this search": one click with a name and how often, for people signed in;
    the way to sign up (and back here) for everyone else. No query."""
    query = request.GET.copy()
    for name in criteria.NOT_CRITERIA:
        query.pop(name, None)
    create_url = reverse("alert_create") + (f"?{query.urlencode()}" if query else "")
    context = {"save_search_url": create_url}
    if request.user.is_authenticated:
        form = SavedSearchForm(
            initial={"name": services.describe(filterset), "frequency": Frequency.DAILY},
            prefix="alert",
        )
        # On one line beside the results: the choice of three as a select, no hint.
        form.fields["frequency"].widget = forms.Select(choices=Frequency.choices)
        form.fields["name"].help_text = ""
        context["save_search_form"] = form
        context["save_search_query"] = query.urlencode()
    else:
        context["save_search_signup"] = (
            f"{reverse('account_signup')}?{urlencode({'next': create_url})}"
        )
        context["save_search_login"] = (
            f"{reverse('account_login')}?{urlencode({'next': create_url})}"
        )
    return {**context, "parts": ["alerts/_save_search.html"]}


@account_overview.register
def saved_searches_card(request) -> dict:
    if getattr(request, "region", None) is None:
        return {}
    return {"parts": ["alerts/_account_card.html"]}


@personal_data_export.register
def saved_searches(user) -> dict:
    # Deleted with the account (their foreign keys cascade).
    return {
        "saved_searches": [
            {
                "region": saved_search.region.name,
                "name": saved_search.name,
                "search": saved_search.query,
                "frequency": saved_search.frequency,
                "active": saved_search.is_active,
                "saved": saved_search.created_at.isoformat(),
                "last_mail": saved_search.last_sent_at.isoformat()
                if saved_search.last_sent_at
                else None,
            }
            for saved_search in SavedSearch.objects.filter(user=user)
            .select_related("region")
            .order_by("region__name", "name", "pk")
        ],
        "region_news": [
            {
                "region": subscription.region.name,
                "frequency": subscription.frequency,
                "subscribed": subscription.created_at.isoformat(),
            }
            for subscription in DigestSubscription.objects.filter(user=user)
            .select_related("region")
            .order_by("region__name")
        ],
    }
