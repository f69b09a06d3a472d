"""Reporting a listing or an organisation ("Melden"), and the page where the owner reads
staff's decision and may ask for a review once."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from listings.permissions import get_listing
from organisations.acting import acting_membership
from organisations.permissions import get_organisation, membership_of

from . import services
from .forms import ReportForm, ReviewForm
from .models import Case


def _report(request, *, listing=None, organisation=None):
    target = listing or organisation
    membership = acting_membership(request)
    acting = membership.organisation if membership else None
    context = {"listing": listing, "organisation": organisation or listing.organisation}
    refusal = services.refusal(
        request.user, listing=listing, organisation=context["organisation"], acting=acting
    )
    if refusal:
        return render(request, "moderation/report.html", {**context, "refusal": refusal})
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="report_create", user=request.user):
            form.add_error(
                None,
                _("You have sent many reports in a short time. Please try again later."),
            )
            status = 429
        else:
            try:
                services.report(
                    request.user,
                    reason=form.cleaned_data["reason"],
                    text=form.cleaned_data["text"],
                    listing=listing,
                    organisation=organisation,
                    acting=acting,
                )
            except services.ModerationError as error:
                messages.info(request, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. The staff of %(region)s will look at it. The organisation "
                        "is not told who reported it."
                    )
                    % {"region": request.region.name},
                )
            return redirect(target.get_absolute_url())
    response = render(request, "moderation/report.html", {**context, "form": form}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report_listing(request, pk):
    return _report(request, listing=get_listing(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def report_organisation(request, pk):
    return _report(request, organisation=get_organisation(request, pk))


def get_case_for_owner(request, pk) -> Case:
    """A decided case about one of the user's organisations in this region, else 404."""
    try:
        case = (
            Case.objects.in_region(request.region)
            .select_related("listing", "organisation", "region")
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
    if case.decided_at is None or membership_of(request.user, case.organisation) is None:
        raise Http404
    return case


@login_required
@require_http_methods(["GET", "POST"])
def case(request, pk):
    """The decision, its reason, and (once) the owner's request for a review."""
    case = get_case_for_owner(request, pk)
    form = None
    if case.may_ask_for_review:
        form = ReviewForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.request_review(case, request.user, form.cleaned_data["text"])
            except services.ModerationError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Your answer is sent to the staff of %(region)s. They will write to you.")
                    % {"region": request.region.name},
                )
            return redirect(case)
    elif request.method == "POST":
        messages.error(request, _("A review of this decision can no longer be asked for."))
        return redirect(case)
    response = render(request, "moderation/case.html", {"case": case, "form": form})
    response["Cache-Control"] = "private, no-store"
    return response
