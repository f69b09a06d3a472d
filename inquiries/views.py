"""The exchange on the site: respond to a listing, the inbox per organisation, the
conversation with its steps and outcomes (reports, blocks and email settings:
inquiries/safety_views.py).

Inquiries come only through inquiries.permissions.get_inquiry (404 for anyone but the
two organisations' members); every change goes through inquiries.services, whose
InquiryError becomes a message on the page, never an error page.
"""

from dataclasses import dataclass

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from listings.permissions import get_listing
from organisations.acting import acting_membership, memberships_in_region

from . import rules, services
from .forms import (
    HandoverForm,
    InboxFilterForm,
    InquiryForm,
    MessageForm,
    OptionalHandoverForm,
    OutcomeForm,
    ReasonForm,
    ThankYouConsentForm,
)
from .hooks import inquiry_page
from .models import (
    Block,
    Inquiry,
    Side,
    Status,
    other_side,
)
from .permissions import get_inquiry

PAGE_SIZE = 20


def acting_organisation(request):
    """The organisation the user acts for in this region, or None."""
    membership = acting_membership(request, memberships_in_region(request))
    return membership.organisation if membership else None


# Responding to a listing ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def create(request, listing_pk):
    """ "Anfragen" on an offer, "Ich kann helfen" on a request, for the acting organisation."""
    listing = get_listing(request, listing_pk)
    organisation = acting_organisation(request)
    if organisation is None:
        return render(request, "listings/no_organisation.html")
    if existing := rules.active_inquiry(listing, organisation):
        messages.info(request, _("Your organisation already has an inquiry about this."))
        return redirect(existing)
    context = {
        "listing": listing,
        "organisation": organisation,
        "booked_periods": list(Inquiry.objects.booked_periods(listing)),
    }
    if refusal := rules.refusal(listing, organisation):
        return render(request, "inquiries/create.html", {**context, "refusal": refusal})

    form = InquiryForm(request.POST if request.method == "POST" else None, listing=listing)
    if request.method == "POST" and form.is_valid():
        # Per organisation, whoever of its people writes: a limit against spam. Only sent
        # inquiries count; a form sent back with errors does not.
        if refused := ratelimit.consume_or_429(
            request, action="inquiry_create", key=f"organisation:{organisation.pk}"
        ):
            return refused
        try:
            inquiry = services.create_inquiry(
                listing,
                organisation,
                request.user,
                body=form.cleaned_data["body"],
                quantity=form.cleaned_data.get("quantity"),
                period=form.period,
            )
        except services.InquiryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your inquiry is sent. %(name)s will answer here; we will email you.")
                % {"name": listing.organisation.name},
            )
            return redirect(inquiry)
    return render(request, "inquiries/create.html", {**context, "form": form})


# Inbox ------------------------------------------------------------------------------------


@login_required
def inbox(request):
    """The acting organisation's inquiries, both received and sent, newest activity first."""
    organisation = acting_organisation(request)
    if organisation is None:
        return render(request, "listings/no_organisation.html")
    query = InboxFilterForm(request.GET)
    inquiries = (
        query.filter(Inquiry.objects.in_region(request.region), organisation)
        .select_related("listing", "listing_organisation", "organisation", "outcome")
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(inquiries, PAGE_SIZE).get_page(request.GET.get("page"))
    for inquiry in page:
        inquiry.side = inquiry.side_of(organisation)
        inquiry.other = inquiry.organisation_of(other_side(inquiry.side))
        inquiry.unread = inquiry.unread_for(inquiry.side)
        inquiry.awaits_answer = inquiry.awaits_answer_from(inquiry.side)
    return render(
        request,
        "inquiries/inbox.html",
        {
            "organisation": organisation,
            "page": page,
            "box": query.value("box") or "all",
            "boxes": InboxFilterForm.BOXES.items(),
            "status": query.value("status"),
            "statuses": Status.choices,
        },
    )


# The conversation -------------------------------------------------------------------------


def _thread_context(request, inquiry, side, **forms):
    is_giver = side == inquiry.giving_side
    outcome = getattr(inquiry, "outcome", None) if inquiry.status == Status.COMPLETED else None
    mine, other = inquiry.organisation_of(side), inquiry.organisation_of(other_side(side))
    blockers = set(Block.objects.between(mine, other).values_list("organisation_id", flat=True))
    context = {
        # The apps above add their parts first, so they can never replace the page's own.
        **inquiry_page.merged(request, inquiry, side),
        "inquiry": inquiry,
        "listing": inquiry.listing,
        "side": side,
        "mine": mine,
        "other": other,
        "thread": inquiry.messages.select_related("author"),
        "actions": [(name, STEPS[name]) for name in services.actions_for(inquiry, side)],
        "outcome": outcome,
        "in_contact": not blockers,
        "blocked_by_us": mine.pk in blockers,
    }
    context["message_form"] = forms.get("message_form") or MessageForm()
    if outcome is not None and not outcome.has_answered(side):
        context["outcome_form"] = forms.get("outcome_form") or OutcomeForm(is_giver=is_giver)
    if outcome is not None and is_giver and outcome.thank_you:
        context["consent_form"] = ThankYouConsentForm(initial={"public": outcome.thank_you_public})
    if any(name == "handover" for name, _step in context["actions"]):
        context["handover_form"] = forms.get("handover_form") or HandoverForm(
            initial={"handover_on": inquiry.handover_on}
        )
    context["is_giver"] = is_giver
    if outcome is not None:
        context["outcome_answers"] = [
            _("%(name)s: %(answer)s")
            % {
                "name": inquiry.organisation_of(answer_side).name,
                "answer": _("Yes, it worked out.")
                if outcome.succeeded(answer_side)
                else _("No, it did not work out."),
            }
            for answer_side in (Side.OWNER, Side.INQUIRER)
            if outcome.has_answered(answer_side)
        ]
    return context


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    """The thread; posting here adds a message."""
    inquiry, side = get_inquiry(request, pk)
    message_form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        # Per organisation, whoever of its people writes, like new inquiries: every message
        # mails the other side. A form sent back with errors does not count.
        if message_form.is_valid() and not ratelimit.consume(
            request,
            action="inquiry_message",
            key=f"organisation:{inquiry.organisation_of(side).pk}",
        ):
            message_form.add_error(
                "body",
                _(
                    "Your organisation has written many messages in a short time. To protect "
                    "everyone from unwanted mail, please wait a while and then send this one "
                    "again."
                ),
            )
            response = render(
                request,
                "inquiries/detail.html",
                _thread_context(request, inquiry, side, message_form=message_form),
                status=429,
            )
            response["Cache-Control"] = "private, no-store"
            return response
        if message_form.is_valid():
            try:
                services.post_message(
                    inquiry, side, request.user, message_form.cleaned_data["body"]
                )
            except services.InquiryError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your message is sent."))
            return redirect(inquiry)
    else:
        services.mark_read(inquiry, side)
    response = render(
        request,
        "inquiries/detail.html",
        _thread_context(request, inquiry, side, message_form=message_form),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class Step:
    """One step as the thread and its confirmation page show it: the button's label, the
    question asked before it is taken, what the page says once it is taken, the form
    asking for details, and whether it ends or undoes something (then its button is held
    back on the thread and red on the page that confirms it)."""

    label: str
    question: str
    done: str
    form: type | None = None
    danger: bool = False


STEPS = {
    "accept": Step(
        gettext_lazy("Accept"),
        gettext_lazy("Accept this inquiry? What it asks for is then reserved for them."),
        gettext_lazy("You accepted the inquiry; what it asks for is reserved for them."),
        OptionalHandoverForm,
    ),
    "decline": Step(
        gettext_lazy("Decline"),
        gettext_lazy("Decline this inquiry?"),
        gettext_lazy("You declined the inquiry."),
        ReasonForm,
        danger=True,
    ),
    "withdraw": Step(
        gettext_lazy("Withdraw"),
        gettext_lazy("Withdraw your inquiry? A reservation is given back."),
        gettext_lazy("You withdrew your inquiry."),
        ReasonForm,
        danger=True,
    ),
    "handover": Step(
        gettext_lazy("Set handover date"),
        gettext_lazy("When will it be handed over?"),
        gettext_lazy("The handover date is set."),
        HandoverForm,
    ),
    "release": Step(
        gettext_lazy("Release reservation"),
        gettext_lazy(
            "The handover date has passed without a handover. Release the reservation, so "
            "that you can accept another inquiry?"
        ),
        gettext_lazy("The reservation is released; you can accept another inquiry."),
        danger=True,
    ),
    "complete": Step(
        gettext_lazy("Mark as handed over"),
        gettext_lazy("Has it been handed over or done? Both of you are then asked how it went."),
        gettext_lazy("Handed over. Both of you are now asked how it went."),
    ),
}


def _run_step(request, inquiry, action, form):
    data = form.cleaned_data if form is not None else {}
    if action == "accept":
        return services.accept(inquiry, request.user, handover_on=data.get("handover_on"))
    if action in {"decline", "withdraw"}:
        run = services.decline if action == "decline" else services.withdraw
        return run(inquiry, request.user, data.get("reason", ""))
    if action == "handover":
        return services.set_handover(inquiry, request.user, data["handover_on"])
    return {"release": services.release, "complete": services.complete}[action](
        inquiry, request.user
    )


@login_required
@require_http_methods(["GET", "POST"])
def step(request, pk, action):
    """Accept, decline, withdraw, set the handover date, release or complete; GET asks
    first (with the step's form), only POST changes anything."""
    if action not in STEPS:
        raise Http404
    inquiry, side = get_inquiry(request, pk)
    details = STEPS[action]
    allowed = action in services.actions_for(inquiry, side)
    data = request.POST if request.method == "POST" else None
    form = details.form(data) if details.form else None
    if request.method == "POST" and allowed and (form is None or form.is_valid()):
        try:
            _run_step(request, inquiry, action, form)
        except services.InquiryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, details.done)
        return redirect(inquiry)
    return render(
        request,
        "inquiries/step.html",
        {
            "inquiry": inquiry,
            "listing": inquiry.listing,
            "action": action,
            "details": details,
            "allowed": allowed,
            "form": form,
        },
        status=200 if allowed or request.method == "GET" else 409,
    )


@login_required
@require_POST
def outcome(request, pk):
    inquiry, side = get_inquiry(request, pk)
    form = OutcomeForm(request.POST, is_giver=side == inquiry.giving_side)
    if form.is_valid():
        try:
            services.answer_outcome(
                inquiry,
                side,
                request.user,
                succeeded=form.cleaned_data["succeeded"],
                thank_you=form.cleaned_data.get("thank_you", ""),
            )
        except services.InquiryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you for your answer."))
        return redirect(inquiry)
    return render(
        request,
        "inquiries/detail.html",
        _thread_context(request, inquiry, side, outcome_form=form),
        status=400,
    )


@login_required
@require_POST
def thank_you_consent(request, pk):
    """The giving side allows the thank-you note to be shown publicly, or no longer."""
    inquiry, side = get_inquiry(request, pk)
    form = ThankYouConsentForm(request.POST)
    form.is_valid()  # a checkbox: absent means no
    try:
        services.allow_thank_you(
            inquiry, side, request.user, public=form.cleaned_data.get("public", False)
        )
    except services.InquiryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your choice is saved."))
    return redirect(inquiry)
