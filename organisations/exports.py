"""Organisations as a CSV file for funders and reports: no personal data of members.

The file opens in a German Excel by double-click: UTF-8 with a byte order mark,
semicolons between the columns, dates as YYYY-MM-DD.
"""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from regions.models import Place

from .models import Organisation

# A cell starting like a formula would run as one in a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _label(model, field_name):
    return capfirst(model._meta.get_field(field_name).verbose_name)


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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # the byte order mark tells Excel the file is UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header())
    for organisation in organisations.select_related("place").iterator(chunk_size=500):
        writer.writerow([spreadsheet_safe(value) for value in row(organisation)])
    return response
