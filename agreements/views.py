"""The documents as PDF downloads, and the guide to lending staff.

An inquiry's document comes only through inquiries.permissions.get_inquiry (404 for
anyone but the two organisations' members, on another region's host too) and
agreements.documents.get_document (404 before acceptance, after a decline, or for terms
that have none). It is rendered on each request and never stored.
"""

from allauth.core import ratelimit
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from inquiries.permissions import get_inquiry

from .documents import context_for, get_document
from .lending import GUIDE_DATE


def _pdf_response(pdf: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def inquiry_document(request, pk, kind):
    """The document `kind` of an inquiry, e.g. "Leihvertrag-Anfrage-42.pdf"."""
    inquiry, _side = get_inquiry(request, pk)
    document = get_document(inquiry, kind)
    if refused := ratelimit.consume_or_429(request, action="agreement_pdf"):
        return refused
    # The contract is German, whatever language the person reads the site in.
    with translation.override("de"):
        pdf = _render_pdf(document.template, context_for(inquiry), request)
        file_name = f"{document.file_name}-{inquiry.pk}.pdf"
    return _pdf_response(pdf, file_name)


@require_safe
def staff_lending_guide(request):
    return render(request, "agreements/staff_lending_guide.html", {"guide_date": GUIDE_DATE})


@require_safe
def staff_lending_template(request):
    """The template agreement for lending an employee, blank for the parties to fill in."""
    if refused := ratelimit.consume_or_429(request, action="agreement_pdf"):
        return refused
    context = {
        "region": request.region,
        "guide_date": GUIDE_DATE,
        "generated_on": timezone.localdate(),
    }
    with translation.override("de"):
        pdf = _render_pdf("agreements/pdf/staff_lending.html", context, request)
        file_name = _("staff-lending-agreement") + ".pdf"
    return _pdf_response(pdf, file_name)


def _render_pdf(template_name, context, request):
    """agreements.pdf, imported when a document is asked for: WeasyPrint loads Pango as it is
    imported, and a machine without it should lose the documents, not every page."""
    from .pdf import render_pdf

    return render_pdf(template_name, context, request)
