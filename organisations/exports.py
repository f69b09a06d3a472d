"""Organisations as a CSV file for funders and reports: no personal data of members.
Dates as YYYY-MM-DD; the file's format is core.exports'."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import column_label as _label
from core.exports import csv_download
from regions.models import Place

from .models import Organisation


def header():
    return [
        _label(Organisation, "name"),
        _label(Organisation, "type"),
        _label(Organisation, "sector"),
        _label(Organisation, "size"),
        _label(Place, "postal_code"),
        _label(Place, "name"),
        _label(Organisation, "verification"),
        _("Eligible for donations"),
        _label(Organisation, "proof_valid_until"),
        _label(Organisation, "created_at"),
    ]


def row(organisation: Organisation):
    valid_until = organisation.proof_valid_until
    return [
        organisation.name,
        organisation.get_type_display(),
        organisation.get_sector_display(),
        organisation.get_size_display(),
        organisation.place.postal_code,
        organisation.place.name,
        organisation.get_verification_display(),
        _("Yes") if organisation.is_eligible_for_donations else _("No"),
        valid_until.isoformat() if valid_until else "",
        timezone.localdate(organisation.created_at).isoformat(),
    ]


def organisations_csv(organisations, filename: str) -> HttpResponse:
    """A download of `organisations` (a queryset; the caller has scoped it)."""
    rows = organisations.select_related("place").iterator(chunk_size=500)
    return csv_download(filename, header(), (row(organisation) for organisation in rows))
