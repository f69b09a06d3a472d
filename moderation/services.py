"""Reports and what staff decide about them, one function and one transaction per step:

    report ×n ──▶ open case ──(3 organisations: listing hidden)
                     │
                     └─decide─▶ dismissed (closed) | fix asked | listing removed | suspended
                                    │
                                    └─ owner asks for a review, once ──▶ staff answer: closed

Every decision is written to the region's moderation log (regions.audit), by the service
that takes it (listings.services and organisations.services log removals and suspensions
themselves); the owner is told by email why, with the link to ask for a review. A rule that
stops a step raises ModerationError with a message for the user.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import send_mail_on_commit
from listings import services as listing_services
from listings.models import Status as ListingStatus
from organisations import services as organisation_services
from organisations.models import Membership
from regions import audit
from regions.audit import AuditAction
from regions.models import StaffMembership

from .models import HIDE_AFTER_ORGANISATIONS, Case, CaseState, Decision, Report


class ModerationError(Exception):
    """A rule stopped the step; the message is meant for the user."""


# Reporting --------------------------------------------------------------------------------


def refusal(user, *, listing=None, organisation=None, acting=None) -> str | None:
    """Why `user` (acting for `acting`) may not report this, or None when they may."""
    target = listing.organisation if listing is not None else organisation
    if acting is not None and acting.pk == target.pk:
        return _("This is your own organisation.")
    if Membership.objects.filter(organisation=target, user=user).exists():
        return _("You belong to this organisation.")
    if listing is not None and listing.status != ListingStatus.PUBLISHED:
        return _("This listing is not published at the moment.")
    return None


def _open_case(region, listing, organisation) -> Case:
    """The open case about the target, made if there is none; its row locked."""
    cases = Case.objects.select_for_update()
    case = cases.open_about(listing=listing, organisation=organisation).first()
    if case is not None:
        return case
    try:
        with transaction.atomic():
            return Case.objects.create(
                region=region,
                listing=listing,
                organisation=organisation,
                last_reported_at=timezone.now(),
            )
    except IntegrityError:  # another report made it a moment ago
        return cases.open_about(listing=listing, organisation=organisation).get()


@transaction.atomic
def report(user, *, reason: str, text: str = "", listing=None, organisation=None, acting=None):
    """A report of a listing or an organisation's profile by `user`, on behalf of the
    organisation they act for (if any). The first report of a case tells the region's staff;
    reports from HIDE_AFTER_ORGANISATIONS different organisations hide a listing until
    staff decide."""
    if listing is not None:
        organisation = listing.organisation
    if why := refusal(user, listing=listing, organisation=organisation, acting=acting):
        raise ModerationError(why)
    case = _open_case(organisation.region, listing, organisation)
    try:
        with transaction.atomic():
            entry = Report.objects.create(
                case=case,
                reported_by=user,
                reporter_organisation=acting,
                reason=reason,
                text=text.strip(),
            )
    except IntegrityError as error:
        raise ModerationError(_("You have already reported this.")) from error
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(report_count=F("report_count") + 1, last_reported_at=now)
    case.report_count += 1
    case.last_reported_at = now
    if case.report_count == 1:
        _tell_staff(case, "moderation/email/new_report.txt")
    if listing is not None and not case.hidden:
        organisations = (
            case.reports.filter(reporter_organisation__isnull=False)
            .values("reporter_organisation")
            .distinct()
            .count()
        )
        if organisations >= HIDE_AFTER_ORGANISATIONS:
            reason_text = _("Reported by %(count)d organisations.") % {"count": organisations}
            if listing_services.hide(listing, reason_text):
                case.hidden = True
                case.save(update_fields=["hidden"])
                _tell_staff(case, "moderation/email/hidden.txt")
                _tell_owner(case, "moderation/email/hidden_owner.txt")
    return entry


# Deciding ---------------------------------------------------------------------------------


def _lock(case) -> Case:
    # of=("self",): the case's row only; PostgreSQL refuses to lock the nullable side of
    # the join to the listing, and the listings' and organisations' services lock theirs.
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("listing", "organisation", "region")
        .get(pk=case.pk)
    )
    case.listing, case.organisation, case.region = (
        locked.listing,
        locked.organisation,
        locked.region,
    )
    case.state = locked.state
    case.hidden = locked.hidden
    case.decision = locked.decision
    case.review_requested_at = locked.review_requested_at
    return case


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ModerationError(_("Please give a reason; the organisation will read it."))
    return text


def _show_listing_again(case, staff, reason):
    if case.hidden and case.listing is not None:
        listing_services.show_again(case.listing, staff, reason)


DECISIONS_ABOUT_LISTINGS_ONLY = {Decision.LISTING_REMOVED}


@transaction.atomic
def decide(case: Case, staff, decision: str, text: str = "") -> Case:
    """Staff's decision on an open case, for all its reports at once."""
    _lock(case)
    if case.state != CaseState.OPEN:
        raise ModerationError(_("This report has been decided already."))
    if decision in DECISIONS_ABOUT_LISTINGS_ONLY and not case.is_about_listing:
        raise ModerationError(_("Only a reported listing can be removed."))
    region = case.region
    if decision == Decision.DISMISSED:
        text = text.strip()
        _show_listing_again(case, staff, text)
        audit.record(region, staff, AuditAction.REPORT_DISMISSED, case, text)
        case.state = CaseState.CLOSED
        case.closed_at = timezone.now()
    else:
        text = _text(text)
        if decision == Decision.FIX_REQUESTED:
            _show_listing_again(case, staff, text)
            audit.record(region, staff, AuditAction.FIX_REQUESTED, case, text)
        elif decision == Decision.LISTING_REMOVED:
            try:
                listing_services.remove(case.listing, staff, text, notify=False)
            except listing_services.ListingError as error:
                raise ModerationError(str(error)) from error
        elif decision == Decision.ORGANISATION_SUSPENDED:
            try:
                organisation_services.suspend(case.organisation, staff, text, notify=False)
            except organisation_services.OrganisationError as error:
                raise ModerationError(str(error)) from error
        else:
            raise ModerationError(_("Unknown decision."))
        case.state = CaseState.DECIDED
    case.decision = decision
    case.decision_text = text
    case.decided_by = staff
    case.decided_at = timezone.now()
    case.save()
    if decision != Decision.DISMISSED:
        _tell_owner(case, "moderation/email/decision.txt")
    elif case.hidden:
        _tell_owner(case, "moderation/email/shown_again.txt")
    return case


# The owner's review -----------------------------------------------------------------------


@transaction.atomic
def request_review(case: Case, user, text: str) -> Case:
    """The owner answers a decision, once; the answer goes to the region's staff."""
    text = text.strip()
    if not text:
        raise ModerationError(_("Please write what the staff should know."))
    _lock(case)
    if not case.may_ask_for_review:
        raise ModerationError(_("A review of this decision can no longer be asked for."))
    case.state = CaseState.REVIEW
    case.review_text = text
    case.review_requested_at = timezone.now()
    case.review_requested_by = user
    case.save(update_fields=["state", "review_text", "review_requested_at", "review_requested_by"])
    audit.record(case.region, user, AuditAction.REVIEW_REQUESTED, case, text)
    _tell_staff(case, "moderation/email/review_requested.txt")
    return case


@transaction.atomic
def answer_review(case: Case, staff, text: str, *, withdraw: bool) -> Case:
    """Staff's answer to the owner's review: the decision stands, or it is withdrawn (a
    suspension lifted, a hidden listing shown again; a removal cannot be undone — the
    organisation may publish the listing anew)."""
    text = _text(text)
    _lock(case)
    if case.state != CaseState.REVIEW:
        raise ModerationError(_("No review has been asked for."))
    if withdraw:
        if case.decision == Decision.ORGANISATION_SUSPENDED and case.organisation.is_suspended:
            organisation_services.reinstate(case.organisation, staff, text, notify=False)
        _show_listing_again(case, staff, text)
    case.state = CaseState.CLOSED
    case.review_answer = text
    case.closed_at = timezone.now()
    case.save(update_fields=["state", "review_answer", "closed_at"])
    audit.record(
        case.region,
        staff,
        AuditAction.REVIEW_ANSWERED,
        case,
        (_("Decision withdrawn: %(text)s") if withdraw else _("Decision upheld: %(text)s"))
        % {"text": text},
    )
    _tell_owner(case, "moderation/email/review_answered.txt", withdrawn=withdraw)
    return case


# Mail -------------------------------------------------------------------------------------


def _tell_owner(case, template, **extra):
    """The listing's author while they belong to the organisation, else its managers."""
    region = case.region
    responsible = case.listing.author_id if case.listing is not None else None
    recipients = Membership.objects.mail_recipients(case.organisation, responsible).emails()
    context = {"case": case, "link": region.reverse("moderation_case", pk=case.pk), **extra}
    send_mail_on_commit(region, template, context, recipients)


def _tell_staff(case, template):
    region = case.region
    addresses = list(
        StaffMembership.objects.filter(region=region)
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )
    context = {"case": case, "link": region.reverse("admin:moderation_case_change", case.pk)}
    send_mail_on_commit(region, template, context, addresses)
