"""The page "API-Schlüssel" among an organisation's management pages: its owners and
admins make, name and revoke keys (organisations.permissions decides who manages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.hooks import organisation_management
from organisations.permissions import get_organisation_for_managing

from . import keys as key_services
from .forms import ApiKeyForm


@login_required
def keys(request, pk):
    organisation = get_organisation_for_managing(request, pk)
    form = ApiKeyForm(request.POST or None)
    new_key = None
    if form.is_valid():
        _key, new_key = key_services.issue(
            organisation,
            form.cleaned_data["name"],
            form.cleaned_data["scope"],
            created_by=request.user,
            expires_at=form.expires_at(),
        )
        form = ApiKeyForm()
    response = render(
        request,
        "api/keys.html",
        {
            "organisation": organisation,
            "form": form,
            "new_key": new_key,
            "keys": organisation.api_keys.select_related("created_by", "revoked_by"),
            "docs_url": reverse("api-docs"),
            **organisation_management.merged(request, organisation),
        },
    )
    # The key is shown this once: no cache may keep the page.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def revoke(request, pk, key_pk):
    organisation = get_organisation_for_managing(request, pk)
    key = get_object_or_404(organisation.api_keys, pk=key_pk)
    key_services.revoke(key, request.user)
    messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
    return redirect("api_keys", pk=organisation.pk)
