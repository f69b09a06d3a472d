"""The figures for funders as files: CSV the way core.exports writes every CSV of the back
office (semicolons, UTF-8 with BOM, no cell a spreadsheet would run as a formula), and
XLSX with a sheet of figures and a sheet of the exchanges."""

from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.exports import csv_download, spreadsheet_safe

from .report import Report, outcome_header, outcome_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(report: Report, what: str, extension: str) -> str:
    regions = report.regions[0].slug if len(report.regions) == 1 else "all"
    return f"impact-{what}-{regions}-{report.period.slug}.{extension}"


def figure_header(report: Report) -> list:
    return [_("Table"), _("Figure"), *[region.name for region in report.regions]]


def figure_rows(report: Report):
    for table in report.tables:
        for row in table.rows:
            yield [str(table.title), ("– " * row.level) + row.label, *row.values]
    title = _("Most asked for, not offered")
    for region, missing in report.missing_by_region():
        for name, count in missing:
            yield [
                str(title),
                name,
                *[count if other == region else "" for other in report.regions],
            ]


def figures_csv(report: Report) -> HttpResponse:
    return csv_download(
        filename(report, "figures", "csv"), figure_header(report), figure_rows(report)
    )


def outcomes_csv(report: Report) -> HttpResponse:
    return csv_download(
        filename(report, "exchanges", "csv"),
        outcome_header(),
        outcome_rows(report.regions, report.period),
    )


def workbook_xlsx(report: Report) -> HttpResponse:
    """Both as one workbook: "Figures" and "Exchanges", the period in the first rows."""
    workbook = Workbook(write_only=False)
    figures = workbook.active
    figures.title = _("Figures")[:31]
    period = _("Period: %(start)s to %(end)s") % {
        "start": report.period.start.strftime("%d.%m.%Y"),
        "end": report.period.end.strftime("%d.%m.%Y"),
    }
    _write(figures, [[period], [], figure_header(report), *figure_rows(report)], header_row=3)
    exchanges = workbook.create_sheet(_("Exchanges")[:31])
    _write(
        exchanges,
        [outcome_header(), *outcome_rows(report.regions, report.period)],
        header_row=1,
    )
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    name = filename(report, "figures", "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _write(sheet, rows, *, header_row):
    for row in rows:
        # Numbers stay numbers; text is guarded, since openpyxl stores "=…" as a formula.
        sheet.append(
            [value if isinstance(value, int | float) else spreadsheet_safe(value) for value in row]
        )
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for column in sheet.columns:
        width = max((len(str(cell.value or "")) for cell in column), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
