"""Legal pages that stay right: starter texts per federal state, and the operator's details
filled in whenever a page is shown.

A page's stored text (RegionPage, PortalPage) holds placeholders such as `{operator_name}`
where the operator's details go. `fill_in` replaces them with today's values when the page
is shown, so a changed address reaches every page at once. An empty detail the law asks
for shows as a bracketed note telling the operator what is missing; an optional one
(register entry, VAT number, …) takes its whole line out of the page.

The starter texts (templates/regions/default_pages/) are worded for the region's federal
state, which its district key names (regions.states): Bayern's accessibility statement
names the BayBGG, Brandenburg's the BbgBGG. The required pages (imprint, privacy policy,
accessibility statement) can be edited but not deleted; should one be missing all the same,
its starter text is shown, so the footer never leads to a 404.
"""

import html
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .models import RegionPage
from .operators import InstallationOperator, PortalPage
from .states import STATES, state_for

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

# What each placeholder stands for, in the words of the page (German: the pages' language).
# The value is read from the region's operator, or from the installation's for those
# starting with `installation_`.
REQUIRED_DETAILS = {
    "operator_name": "Name des Betreibers",
    "operator_address": "Anschrift des Betreibers",
    "operator_email": "E-Mail-Adresse des Betreibers",
    "operator_phone": "Telefonnummer des Betreibers",
    "operator_representative": "Vertretungsberechtigte Person",
    "operator_responsible_person": "Verantwortliche Person nach § 18 Abs. 2 MStV mit Anschrift",
    "operator_privacy_officer": "Kontakt des oder der Datenschutzbeauftragten",
    "installation_operator_name": "Technischer Betreiber der Plattform",
    "installation_operator_address": "Anschrift des technischen Betreibers",
    "installation_hosting_provider": "Hosting-Anbieter mit Anschrift und Serverstandort",
    "installation_email_provider": "E-Mail-Versanddienst mit Anschrift",
    "installation_log_retention": "Speicherdauer der Server-Protokolle",
}
OPTIONAL_DETAILS = {
    "operator_website": "Website des Betreibers",
    "operator_register": "Registereintrag",
    "operator_vat_id": "Umsatzsteuer-Identifikationsnummer",
    "operator_supervisory_authority": "Aufsichtsbehörde",
}
DETAILS = {**REQUIRED_DETAILS, **OPTIONAL_DETAILS}

# Where the operator fills each one in, for the note on a page that lacks it.
WHERE_REGION = "im Backoffice unter „Regionen › Regionen“ beim Betreiber eintragen"
WHERE_INSTALLATION = "im Backoffice unter „Regionen › Betreiber der Installation“ eintragen"


# How a page says that the operator still has to do something: a missing detail, or a
# passage of a starter text only the operator can word ("[Bitte … eintragen]").
MISSING = "[Angabe fehlt:"
TO_DO = "[Bitte "


def missing_note(key: str) -> str:
    where = WHERE_INSTALLATION if key.startswith("installation_") else WHERE_REGION
    return f"{MISSING} {DETAILS[key]} – bitte {where}]"


def has_open_tasks(text: str) -> bool:
    """Whether a filled-in page still shows a note for the operator."""
    return MISSING in text or TO_DO in text


def _markdown_value(value: str) -> str:
    """A detail as it goes into Markdown: shown as typed, lines kept, never markup."""
    escaped = html.escape(value.strip(), quote=False)
    escaped = re.sub(r"([\\`*_\[\]])", r"\\\1", escaped)
    return "<br>".join(line.strip() for line in escaped.splitlines() if line.strip())


def details_of(operator, installation=None) -> dict[str, str]:
    """The placeholders' values: the operator's (a Region, or the installation's own) and the
    installation operator's, as typed (empty where not filled in)."""
    installation = installation if installation is not None else operator
    values = {key: getattr(operator, key, "") or "" for key in DETAILS if key.startswith("op")}
    for key in DETAILS:
        if key.startswith("installation_"):
            field = key.removeprefix("installation_")
            values[key] = getattr(installation, field, "") or ""
    return values


def fill_in(text: str, values: dict[str, str]) -> str:
    """`text` with its placeholders replaced by `values`: a missing required detail by a note
    saying so, a line with a missing optional detail left out. Unknown names stay as typed."""
    lines = []
    for line in text.splitlines():
        keys = PLACEHOLDER.findall(line)
        if any(key in OPTIONAL_DETAILS and not values.get(key, "").strip() for key in keys):
            continue

        def replace(match):
            key = match.group(1)
            if key not in DETAILS:
                return match.group(0)
            value = values.get(key, "")
            return _markdown_value(value) if value.strip() else missing_note(key)

        lines.append(PLACEHOLDER.sub(replace, line))
    return "\n".join(lines)


def missing_details(operator) -> list[str]:
    """The details the law asks for that `operator` (a Region or the installation's) lacks,
    named as on the pages; empty when complete."""
    values = details_of(operator)
    return [
        label
        for key, label in REQUIRED_DETAILS.items()
        if key.startswith("operator_") and not values[key].strip()
    ]


# Starter texts --------------------------------------------------------------------------------


def starter_text(kind: str, region=None, installation=None) -> str:
    """The starter text of a page: for a region, worded for its federal state; for the
    portal (`region` None), for the installation operator's state, if chosen. German, the
    pages' language, whatever language the person asking browses in."""
    if region is not None:
        state = state_for(region.district_key)
    else:
        state = STATES.get((installation or InstallationOperator.load()).state)
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(
            f"regions/default_pages/{kind}.md", {"region": region, "state": state}
        )
    return text.strip()


@dataclass
class ShownPage:
    """A legal page as it is shown: its title, its Markdown with the details filled in."""

    kind: str
    title: str
    body: str
    updated_at: datetime | None


def region_page(region, kind: str) -> ShownPage:
    """The region's page of `kind` with today's details; its starter text if it is missing."""
    page = RegionPage.objects.in_region(region).filter(kind=kind).first()
    text = page.body if page is not None else starter_text(kind, region)
    # Only texts that name the installation's details cost the query for them.
    needs_installation = "{installation_" in text
    installation = InstallationOperator.load() if needs_installation else InstallationOperator()
    values = details_of(region, installation)
    if page is None:
        with translation.override(settings.LANGUAGE_CODE):
            title = str(RegionPage.Kind(kind).label)
        return ShownPage(kind, title, fill_in(text, values), None)
    return ShownPage(kind, page.title, fill_in(text, values), page.updated_at)


def portal_page(kind: str) -> ShownPage:
    """The installation's own page of `kind` (the portal's) with today's details."""
    installation = InstallationOperator.load()
    values = details_of(installation)
    page = PortalPage.objects.filter(kind=kind).first()
    if page is None:
        with translation.override(settings.LANGUAGE_CODE):
            title = str(PortalPage.Kind(kind).label)
        text = starter_text(kind, installation=installation)
        return ShownPage(kind, title, fill_in(text, values), None)
    return ShownPage(kind, page.title, fill_in(page.body, values), page.updated_at)


def pages_adapted(region) -> bool:
    """Whether the region's required pages are all there and, with today's details filled
    in, none still shows a note for the operator (for the region's go-live checklist)."""
    pages = {page.kind: page for page in RegionPage.objects.in_region(region)}
    if not pages.keys() >= RegionPage.REQUIRED:
        return False
    values = details_of(region, InstallationOperator.load())
    return not any(has_open_tasks(fill_in(pages[kind].body, values)) for kind in pages)
