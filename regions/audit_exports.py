"""The moderation log as a CSV file (core.exports' format): who decided what, when, why."""

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.exports import column_label as _label
from core.exports import csv_download

from .audit import AuditEntry


def header():
    return [
        _label(AuditEntry, "created_at"),
        _label(AuditEntry, "actor"),
        _label(AuditEntry, "action"),
        _label(AuditEntry, "content_type"),
        _label(AuditEntry, "object_id"),
        _label(AuditEntry, "subject"),
        _label(AuditEntry, "reason"),
        _label(AuditEntry, "region"),
    ]


def row(entry: AuditEntry):
    return [
        timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"),
        entry.actor.email if entry.actor else _("automatically"),
        entry.get_action_display(),
        capfirst(entry.content_type.name),
        entry.object_id,
        entry.subject,
        entry.reason,
        entry.region.name,
    ]


def audit_csv(queryset, filename):
    entries = queryset.select_related("actor", "content_type", "region").order_by(
        "-created_at", "-pk"
    )
    return csv_download(filename, header(), (row(entry) for entry in entries.iterator(2000)))
