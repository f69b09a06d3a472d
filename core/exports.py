"""CSV files for the region's reports, made to open in a German Excel by double-click:
UTF-8 with a byte order mark, semicolons between the columns, and no cell that a
spreadsheet would run as a formula."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.text import capfirst

# A cell starting like a formula would run as one in a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def column_label(model, field_name) -> str:
    """A column named like the model field in the forms and the back office."""
    return capfirst(model._meta.get_field(field_name).verbose_name)


def csv_download(filename: str, header: list, rows: Iterable[list]) -> HttpResponse:
    """A download of `rows` under `header`; rows may be a generator over a large list."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # the byte order mark tells Excel the file is UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return response
