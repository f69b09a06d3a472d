"""The steps that keep the exchange safe: an organisation blocks or unblocks another, a
member reports a message to the region's staff, and staff resolve the report. The models
are in inquiries.safety."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions import audit
from regions.audit import AuditAction

from . import notifications
from .models import Block, MessageReport
from .rules import InquiryError


def block(organisation, blocked, actor) -> Block:
    if organisation.pk == blocked.pk:
        raise InquiryError(_("An organisation cannot block itself."))
    entry, _created = Block.objects.get_or_create(
        organisation=organisation, blocked=blocked, defaults={"created_by": actor}
    )
    return entry


def unblock(organisation, blocked) -> None:
    Block.objects.filter(organisation=organisation, blocked=blocked).delete()


def report_message(message, reporter, *, reason: str, text: str = "") -> MessageReport:
    """Hands a message, and with it its thread, to the region's staff."""
    try:
        with transaction.atomic():
            report = MessageReport.objects.create(
                region=message.inquiry.region,
                message=message,
                reported_by=reporter,
                reason=reason,
                text=text.strip(),
            )
    except IntegrityError as error:
        raise InquiryError(_("You have already reported this message.")) from error
    notifications.tell_staff(report)
    return report


@transaction.atomic
def resolve_report(report, staff, resolution: str) -> MessageReport:
    report.resolved_at = timezone.now()
    report.resolved_by = staff
    report.resolution = resolution.strip()
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit.record(
        report.region, staff, AuditAction.MESSAGE_REPORT_RESOLVED, report, report.resolution
    )
    notifications.tell_reporter(report)
    return report
