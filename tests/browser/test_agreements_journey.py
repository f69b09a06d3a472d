"""The documents of an accepted loan and the staff lending guide, in a real browser: the
youth club opens its accepted loan, finds "Dokumente" beside the conversation and
downloads the Leihvertrag with the keyboard; a carpentry writing a listing of staff
finds the legal frame above the form and follows it to the guide and its template.
axe-core checks every page on the way."""

import io

import pytest
from pypdf import PdfReader

from inquiries import services
from listings.choices import Terms

from ..factories import category, in_days, make_listing
from .keyboard import tab_to
from .test_accessibility import assert_no_violations
from .test_organisation_journey import log_in_with_session_cookie

pytestmark = pytest.mark.browser

HOST = "pm.localhost"


def test_accepted_loan_offers_its_agreement_as_a_download(
    page, site_url, organisation, owner, inquirer_organisation, inquirer
):
    trailer = make_listing(organisation, "Pkw-Anhänger 750 kg", author=owner, terms=Terms.LOAN)
    inquiry = services.create_inquiry(
        trailer,
        inquirer_organisation,
        inquirer,
        body="Für das Sommerfest.",
        period=(
            in_days(3),
            in_days(4),
        ),
    )
    services.accept(inquiry, owner, handover_on=in_days(3))
    log_in_with_session_cookie(page, site_url, inquirer)

    page.goto(site_url(HOST, inquiry.get_absolute_url()))
    assert_no_violations(page, "the inquiry page with its documents")
    link = page.get_by_role("link", name="Leihvertrag (unentgeltlich)")
    tab_to(page, link)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value

    assert download.suggested_filename == f"leihvertrag-{inquiry.pk}.pdf"
    with open(download.path(), "rb") as file:
        text = PdfReader(io.BytesIO(file.read())).pages[0].extract_text()
    assert "Leihvertrag" in text and "Jugendclub Werder" in text


def test_staff_listing_form_leads_to_the_guide(page, site_url, organisation, owner):
    log_in_with_session_cookie(page, site_url, owner)

    page.goto(site_url(HOST, f"/listings/new/?direction=offer&category={category('aushilfe').pk}"))
    assert_no_violations(page, "the listing form of a staff category")
    page.get_by_role("link", name="Zum Ratgeber").click()

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Personal zwischen Betrieben überlassen"
    )
    assert_no_violations(page, "the staff lending guide")
