"""Lending staff between companies: the guide written from the law's text, the template
agreement as PDF, and the links to them beside the form and on the page of a listing
in "Personal & Know-how"."""

import io

from pypdf import PdfReader

from listings.choices import Terms
from tests.factories import category, make_listing

GUIDE = "/ratgeber/personal-ueberlassen/"
TEMPLATE = "/ratgeber/personal-ueberlassen/vereinbarung.pdf"


def test_guide_explains_the_legal_frame_with_a_note_and_its_date(client_for):
    response = client_for().get(GUIDE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Keine Rechtsberatung." in page
    assert "§ 1 Abs. 3 Nr. 2a AÜG" in page
    assert "nicht zum Zweck der Überlassung eingestellt und beschäftigt" in page
    assert "§ 613 BGB" in page
    assert "Berufsgenossenschaft" in page
    assert "Arbeitszeiten bei mehreren Arbeitgebern sind zusammenzurechnen" in page
    assert "Stand des Textes" in page
    assert '<time datetime="2026-12-05">5. Dezember 2026</time>' in page
    assert TEMPLATE in page


def test_guide_in_english_says_its_text_is_german(client_for):
    client = client_for()
    client.cookies["django_language"] = "en"

    page = client.get(GUIDE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No legal advice." in page
    assert "in German: they describe German law" in page
    assert '<div lang="de">' in page


def test_template_agreement_is_a_pdf_with_the_clauses_and_three_signatures(client_for):
    response = client_for().get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="vereinbarung-arbeitnehmerueberlassung.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Vereinbarung über die gelegentliche Überlassung eines Arbeitnehmers" in text
    assert "§ 1 Abs. 3 Nr. 2a AÜG" in text
    assert "nicht zum Zweck der Überlassung eingestellt" in text
    assert "Berufsgenossenschaft" in text
    assert "§ 2 Abs. 1 ArbZG" in text
    assert "Zustimmung der Arbeitnehmerin / des Arbeitnehmers (§ 613 BGB)" in text
    assert text.count("Ort, Datum, Unterschrift") == 3
    assert "keine Rechtsberatung" in text


def test_staff_listing_page_links_the_guide(client_for, organisation, owner):
    helper = make_listing(
        organisation,
        "Tischlergeselle für zwei Wochen",
        author=owner,
        terms=Terms.LOAN,
        category=category("fachkraft"),
    )

    response = client_for().get(helper.get_absolute_url())

    assert GUIDE.encode() in response.content


def test_machine_listing_page_does_not_link_the_guide(client_for, listing):
    response = client_for().get(listing.get_absolute_url())

    assert GUIDE.encode() not in response.content


def test_listing_form_of_a_staff_category_explains_lending_beside_it(
    client_for, organisation, owner
):
    response = client_for(owner).get(
        f"/listings/new/?direction=offer&category={category('aushilfe').pk}"
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Personal überlassen: der rechtliche Rahmen" in page
    assert GUIDE in page and TEMPLATE in page


def test_listing_form_of_a_shared_specialist_explains_lending_too(client_for, organisation, owner):
    helper = make_listing(
        organisation, "Elektriker teilen", author=owner, category=category("fachkraft-teilen")
    )

    response = client_for(owner).get(f"/listings/{helper.pk}/edit/")

    assert response.status_code == 200
    assert GUIDE.encode() in response.content


def test_listing_form_of_a_machine_says_nothing_about_staff(client_for, organisation, owner):
    response = client_for(owner).get(
        f"/listings/new/?direction=offer&category={category('maschinen').pk}"
    )

    assert response.status_code == 200
    assert GUIDE.encode() not in response.content
