"""The documents an accepted inquiry offers (agreements.documents): a Leihvertrag for a
free loan, a Mietvertrag for a rental, a draft Sachspende confirmation for a donation to
a verified non-profit; each rendered as PDF on request, its text read back with pypdf,
and offered only to the two organisations' members in the right states."""

import io

import pytest
from pypdf import PdfReader

from inquiries import services
from inquiries.models import Status
from listings.choices import PriceUnit, Terms
from organisations.models import OrganisationType, Verification
from tests.factories import category, claim, in_days, make_listing, make_organisation, make_user


def pdf_text(response) -> str:
    """The text of every page of a PDF response, whitespace folded."""
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def document_url(inquiry, kind):
    return f"/inquiries/{inquiry.pk}/documents/{kind}.pdf"


def book(listing, organisation, author, start, end):
    return services.create_inquiry(
        listing, organisation, author, body="Wir würden es gern nutzen.", period=(start, end)
    )


@pytest.fixture
def trailer(organisation, owner):
    """A trailer the carpentry lends free of charge."""
    return make_listing(
        organisation,
        "Pkw-Anhänger 750 kg",
        author=owner,
        terms=Terms.LOAN,
        description="Kastenanhänger mit Plane, TÜV neu.",
    )


@pytest.fixture
def loan(trailer, owner, inquirer_organisation, inquirer):
    inquiry = book(trailer, inquirer_organisation, inquirer, in_days(3), in_days(10))
    return services.accept(inquiry, owner, handover_on=in_days(3))


@pytest.fixture
def forklift(organisation, owner):
    return make_listing(
        organisation,
        "Gabelstapler zu vermieten",
        author=owner,
        terms=Terms.RENT,
        price="85.50",
        price_unit=PriceUnit.DAY,
    )


@pytest.fixture
def rental(forklift, owner, inquirer_organisation, inquirer):
    inquiry = book(forklift, inquirer_organisation, inquirer, in_days(5), in_days(6))
    return services.accept(inquiry, owner)


@pytest.fixture
def donated_desks(organisation, owner):
    return make_listing(
        organisation,
        "Schreibtische zu spenden",
        author=owner,
        terms=Terms.DONATION,
        quantity=5,
        category=category("moebel"),
    )


@pytest.fixture
def donation(donated_desks, owner, school, school_user):
    inquiry = claim(donated_desks, school, school_user, 3)
    return services.accept(inquiry, owner, handover_on=in_days(2))


# The documents' content ---------------------------------------------------------------------


def test_loan_agreement_names_parties_item_period_handover_and_the_law(client_for, owner, loan):
    response = client_for(owner).get(document_url(loan, "loan-agreement"))

    assert response.status_code == 200
    text = pdf_text(response)
    assert "Leihvertrag" in text
    assert "§§ 598 ff. BGB" in text
    assert "Verleiher" in text and "Tischlerei Holzwurm" in text
    assert "Entleiher" in text and "Jugendclub Werder" in text
    assert "Pkw-Anhänger 750 kg" in text
    assert "Kastenanhänger mit Plane" in text
    assert "1 Stück" in text
    period = f"vom {in_days(3):%d.%m.%Y} bis zum {in_days(10):%d.%m.%Y}"
    assert period in text
    assert f"Übergabetermin {in_days(3):%d.%m.%Y}" in text
    assert "Vorsatz und grobe Fahrlässigkeit" in text and "§ 599 BGB" in text
    assert "Übergabeprotokoll" in text
    assert "keine Zuwendungen (§ 10b Abs. 1 Satz 3 EStG)" in text
    assert "keine Rechtsberatung" in text


def test_loan_agreement_is_a_download_with_a_clear_name_never_cached(client_for, owner, loan):
    response = client_for(owner).get(document_url(loan, "loan-agreement"))

    assert response["Content-Disposition"] == f'attachment; filename="leihvertrag-{loan.pk}.pdf"'
    assert "no-store" in response["Cache-Control"]


def test_rental_agreement_has_the_price_per_unit(client_for, inquirer, rental):
    response = client_for(inquirer).get(document_url(rental, "rental-agreement"))

    assert response.status_code == 200
    text = pdf_text(response)
    assert "Mietvertrag" in text
    assert "Vermieter" in text and "Tischlerei Holzwurm" in text
    assert "Mieter" in text and "Jugendclub Werder" in text
    assert "Gabelstapler zu vermieten" in text
    assert "85,50 € pro Tag" in text
    assert f"vom {in_days(5):%d.%m.%Y} bis zum {in_days(6):%d.%m.%Y}" in text
    assert (
        "Mietvertrag" in response["Content-Disposition"]
        or "mietvertrag" in (response["Content-Disposition"])
    )


def test_rental_without_a_price_leaves_a_line_to_fill_in(client_for, owner, forklift, rental):
    forklift.price = None
    forklift.save(update_fields=["price"])

    text = pdf_text(client_for(owner).get(document_url(rental, "rental-agreement")))

    assert "Preis auf Anfrage: bitte eintragen" in text


def test_donation_receipt_draft_names_giver_recipient_goods_and_what_does_not_qualify(
    client_for, owner, donation
):
    response = client_for(owner).get(document_url(donation, "donation-receipt"))

    assert response.status_code == 200
    text = pdf_text(response)
    assert "ENTWURF" in text
    assert "Bestätigung über Sachzuwendungen" in text
    assert "Grundschule am See" in text
    assert "Tischlerei Holzwurm" in text
    assert "3 Stück Schreibtische zu spenden" in text
    assert f"Tag der Zuwendung {in_days(2):%d.%m.%Y}" in text
    assert "gespendete Zeit sind keine Zuwendungen" in text
    assert "§ 10b Abs. 1 Satz 3 EStG" in text
    assert response["Content-Disposition"] == (
        f'attachment; filename="zuwendungsbestaetigung-entwurf-{donation.pk}.pdf"'
    )


def test_documents_are_german_whatever_language_the_reader_chose(client_for, owner, loan):
    client = client_for(owner)
    client.cookies["django_language"] = "en"

    text = pdf_text(client.get(document_url(loan, "loan-agreement"), HTTP_ACCEPT_LANGUAGE="en"))

    assert "1 Stück" in text


# Who may download, and when -----------------------------------------------------------------


def test_members_of_both_organisations_may_download(client_for, owner, inquirer, loan):
    for user in (owner, inquirer):
        assert client_for(user).get(document_url(loan, "loan-agreement")).status_code == 200


def test_outsider_gets_404(client_for, outsider, loan):
    make_organisation(loan.region, "Fremdfirma", owner=outsider)

    assert client_for(outsider).get(document_url(loan, "loan-agreement")).status_code == 404


def test_member_on_another_regions_host_gets_404(client_for, owner, loan):
    response = client_for(owner, host="ohv.localhost").get(document_url(loan, "loan-agreement"))

    assert response.status_code == 404


def test_visitor_is_sent_to_log_in(client_for, loan):
    response = client_for().get(document_url(loan, "loan-agreement"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_open_inquiry_offers_no_document(
    client_for, owner, trailer, inquirer_organisation, inquirer
):
    inquiry = book(trailer, inquirer_organisation, inquirer, in_days(3), in_days(4))

    assert client_for(owner).get(document_url(inquiry, "loan-agreement")).status_code == 404


def test_declined_inquiry_offers_no_document(
    client_for, owner, trailer, inquirer_organisation, inquirer
):
    inquiry = services.decline(
        book(trailer, inquirer_organisation, inquirer, in_days(3), in_days(4)), owner
    )
    assert inquiry.status == Status.DECLINED

    assert client_for(owner).get(document_url(inquiry, "loan-agreement")).status_code == 404


def test_completed_loan_still_offers_its_agreement(client_for, owner, loan):
    services.complete(loan, owner)

    assert client_for(owner).get(document_url(loan, "loan-agreement")).status_code == 200


def test_a_document_of_other_terms_is_404(client_for, owner, loan, rental, donation):
    client = client_for(owner)

    assert client.get(document_url(loan, "rental-agreement")).status_code == 404
    assert client.get(document_url(rental, "loan-agreement")).status_code == 404
    assert client.get(document_url(rental, "donation-receipt")).status_code == 404
    assert client.get(document_url(donation, "loan-agreement")).status_code == 404
    assert client.get(document_url(loan, "no-such-document")).status_code == 404


def test_donation_to_an_unverified_association_offers_no_receipt(
    client_for, owner, donated_desks, inquirer_organisation, inquirer
):
    inquiry = services.accept(claim(donated_desks, inquirer_organisation, inquirer, 1), owner)

    assert client_for(owner).get(document_url(inquiry, "donation-receipt")).status_code == 404


def test_give_away_to_a_company_offers_no_receipt(client_for, owner, desks):
    buyer = make_user("einkauf@firma.example")
    company = make_organisation(
        desks.region, "Firma GmbH", owner=buyer, verification=Verification.VERIFIED
    )
    inquiry = services.accept(claim(desks, company, buyer, 1), owner)

    assert client_for(owner).get(document_url(inquiry, "donation-receipt")).status_code == 404


def test_give_away_to_a_verified_association_offers_a_receipt(client_for, owner, desks):
    chair = make_user("vorstand@verein.example")
    club = make_organisation(
        desks.region,
        "Sportverein Werder e. V.",
        owner=chair,
        type=OrganisationType.ASSOCIATION,
        verification=Verification.VERIFIED,
    )
    inquiry = services.accept(claim(desks, club, chair, 2), owner)

    response = client_for(chair).get(document_url(inquiry, "donation-receipt"))

    assert response.status_code == 200
    assert "Sportverein Werder e. V." in pdf_text(response)


# The inquiry page ---------------------------------------------------------------------------


def test_inquiry_page_links_the_document(client_for, inquirer, loan):
    response = client_for(inquirer).get(loan.get_absolute_url())

    assert document_url(loan, "loan-agreement").encode() in response.content


def test_open_inquiry_page_links_no_document(
    client_for, owner, trailer, inquirer_organisation, inquirer
):
    inquiry = book(trailer, inquirer_organisation, inquirer, in_days(3), in_days(4))

    response = client_for(owner).get(inquiry.get_absolute_url())

    assert b"/documents/" not in response.content


def test_loan_to_a_verified_school_says_it_gets_no_donation_receipt(
    client_for, owner, trailer, school, school_user
):
    inquiry = services.accept(book(trailer, school, school_user, in_days(3), in_days(4)), owner)

    response = client_for(school_user).get(inquiry.get_absolute_url())

    assert b"keine Zuwendungen" in response.content
    assert document_url(inquiry, "loan-agreement").encode() in response.content
    assert document_url(inquiry, "donation-receipt").encode() not in response.content


def test_donation_handed_over_without_a_date_is_dated_the_day_it_was_completed(
    client_for, owner, donated_desks, school, school_user
):
    inquiry = services.accept(claim(donated_desks, school, school_user, 1), owner)
    services.complete(inquiry, owner)

    text = pdf_text(client_for(school_user).get(document_url(inquiry, "donation-receipt")))

    assert f"Tag der Zuwendung {in_days(0):%d.%m.%Y}" in text


# Rendering fetches nothing from the network ------------------------------------------------


def test_documents_load_our_stylesheet_and_refuse_every_other_address():
    from agreements.pdf import BASE_URL, STYLESHEET, StaticFilesOnly

    fetcher = StaticFilesOnly()
    stylesheet = fetcher.fetch(f"{BASE_URL.rstrip('/')}/static/{STYLESHEET}")
    assert b"@page" in stylesheet.read()
    for address in (
        "http://127.0.0.1:8000/admin/",
        "https://example.org/static/agreements/documents.css",
        "file:///etc/passwd",
        f"{BASE_URL.rstrip('/')}/static/../../etc/passwd",
        f"{BASE_URL.rstrip('/')}/media/proofs/2026/secret.pdf",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(address)


def test_making_a_document_leaves_truncated_uploads_refused(client_for, owner, loan):
    """WeasyPrint, as it is imported, tells Pillow to accept truncated images everywhere;
    a logo or photo cut short in its upload must still be refused afterwards."""
    from PIL import ImageFile

    assert client_for(owner).get(document_url(loan, "loan-agreement")).status_code == 200
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
