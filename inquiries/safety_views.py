"""Keeping contact safe and wanted: reporting a message of the other side to the region's
staff, blocking and unblocking an organisation, and which inquiry emails a person gets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import safety_steps, services
from .forms import NotificationSettingsForm, ReportForm, UnblockForm
from .hooks import email_settings
from .models import Block, Message, NotificationSettings, other_side
from .permissions import get_inquiry
from .views import acting_organisation


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk, message_pk):
    """Report a message of the other side to the region's staff."""
    inquiry, side = get_inquiry(request, pk)
    message = get_object_or_404(
        Message.objects.exclude(side=side).filter(kind="text"), inquiry=inquiry, pk=message_pk
    )
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            safety_steps.report_message(
                message,
                request.user,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except services.InquiryError as error:
            messages.info(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Thank you. The staff of %(region)s will look at the message; for that "
                    "they can read this conversation."
                )
                % {"region": request.region.name},
            )
        return redirect(inquiry)
    return render(
        request,
        "inquiries/report.html",
        {"inquiry": inquiry, "message": message, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def block(request, pk):
    """Block the other organisation of a conversation: no more inquiries or messages."""
    inquiry, side = get_inquiry(request, pk)
    mine = inquiry.organisation_of(side)
    other = inquiry.organisation_of(other_side(side))
    if request.method == "POST":
        safety_steps.block(mine, other, request.user)
        messages.success(
            request,
            _("%(name)s can no longer contact %(mine)s.") % {"name": other.name, "mine": mine.name},
        )
        return redirect(inquiry)
    return render(
        request, "inquiries/block.html", {"inquiry": inquiry, "mine": mine, "other": other}
    )


@login_required
@require_http_methods(["GET", "POST"])
def blocked(request):
    """The organisations the acting organisation blocked; unblocking is one button each."""
    organisation = acting_organisation(request)
    if organisation is None:
        return render(request, "listings/no_organisation.html")
    if request.method == "POST":
        form = UnblockForm(request.POST, organisation=organisation)
        if not form.is_valid():  # not one it blocked: nothing to undo
            raise Http404
        other = form.cleaned_data["organisation"]
        safety_steps.unblock(organisation, other)
        messages.success(request, _("%(name)s can contact you again.") % {"name": other.name})
        return redirect("inquiry_blocked")
    blocks = Block.objects.filter(organisation=organisation).select_related("blocked")
    return render(
        request, "inquiries/blocked.html", {"organisation": organisation, "blocks": blocks}
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Which inquiry emails the person receives."""
    instance = NotificationSettings.objects.filter(user=request.user).first()
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=instance or NotificationSettings(user=request.user),
    )
    # The apps above add their own settings (inquiries.hooks.email_settings).
    more_forms = email_settings.merged(request)["forms"]
    if request.method == "POST" and all([form.is_valid(), *(f.is_valid() for f in more_forms)]):
        with transaction.atomic():
            for each in (form, *more_forms):
                each.save()
        messages.success(request, _("Your email settings are saved."))
        return redirect("inquiry_notifications")
    return render(request, "inquiries/notifications.html", {"form": form, "more_forms": more_forms})
