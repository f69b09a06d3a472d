"""Emails about inquiries: one to the other side for each new inquiry, message and step.

Mails go out after the commit through the background queue (core.mail), so a
mail server that is down delays them but never loses the inquiry or shows an error.
Each is branded with the listing's region and links into that region's host; each
person may turn off each kind (NotificationSettings).
"""

from core.mail import Silencer, send_mail_on_commit
from organisations.models import Membership
from regions.models import StaffMembership

from .models import NotificationKind, NotificationSettings, Side, other_side

# No mails for what happens inside `with suppressed():` (demo data).
suppressed = Silencer("inquiry_notifications")


def recipients(inquiry, side, kind, *, actor=None) -> list[str]:
    """Who hears of it on `side`: the person who wrote the listing or the inquiry while
    they still belong to the organisation, else its owners and admins; less whoever turned
    this kind of mail off, and less the person who acted."""
    responsible = inquiry.listing.author_id if side == Side.OWNER else inquiry.author_id
    memberships = Membership.objects.mail_recipients(inquiry.organisation_of(side), responsible)
    opted_out = NotificationSettings.objects.filter(**{kind: False}).values("user_id")
    memberships = memberships.exclude(user_id__in=opted_out)
    if actor is not None:
        memberships = memberships.exclude(user_id=actor.pk)
    return memberships.emails()


def tell_staff(report) -> None:
    """A reported message: the region's staff are told, with a link to the back office
    (the only place they read the thread)."""
    region = report.region
    addresses = list(
        StaffMembership.objects.filter(region=region)
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )
    if not addresses:
        return
    context = {
        "report": report,
        "link": region.reverse("admin:inquiries_messagereport_change", report.pk),
    }
    send_mail_on_commit(region, "inquiries/email/report.txt", context, addresses)


def tell_reporter(report) -> None:
    """A reported message that staff resolved: the person who reported it hears that it was
    dealt with (not what staff noted: that may concern the other organisation)."""
    reporter = report.reported_by
    if reporter is None or not reporter.is_active:
        return
    region = report.region
    inquiry = report.message.inquiry
    context = {
        "report": report,
        "listing": inquiry.listing,
        "link": region.reverse("inquiry_detail", pk=inquiry.pk),
    }
    send_mail_on_commit(region, "inquiries/email/report_resolved.txt", context, [reporter.email])


SUBJECTS = {
    NotificationKind.NEW_INQUIRY: "inquiries/email/new_inquiry_subject.txt",
    NotificationKind.MESSAGE: "inquiries/email/message_subject.txt",
    NotificationKind.STATUS: "inquiries/email/status_subject.txt",
}


def tell(inquiry, side, kind, *, actor=None, message=None) -> None:
    """Queues the mail for `side` about what just happened to `inquiry`, after commit."""
    if suppressed.on:
        return
    addresses = recipients(inquiry, side, kind, actor=actor)
    if not addresses:
        return
    region = inquiry.region
    context = {
        "inquiry": inquiry,
        "listing": inquiry.listing,
        "side": side,
        "kind": kind,
        "message": message,
        "from_organisation": inquiry.organisation_of(other_side(side)),
        "link": region.reverse("inquiry_detail", pk=inquiry.pk),
        "settings_link": region.reverse("inquiry_notifications"),
    }
    send_mail_on_commit(
        region,
        "inquiries/email/notification.txt",
        context,
        addresses,
        subject_template=SUBJECTS[kind],
    )
