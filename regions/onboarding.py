"""Putting a new district on the platform: from its district key to a region ready for
review (`set_up_region`, used by `manage.py add_region` and the back office), the checklist
its admin page shows, and going live only once the checklist holds (`go_live`).

A region is created switched off; `go_live` switches it on and writes the moderation log's
entry in the same transaction. Each item of the checklist is a small function of the region,
so that a rule can change (which legal pages count, which operator data are required)
without touching the others.
"""

import csv
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, legal
from .audit import AuditAction
from .invitations import StaffInvitation
from .models import Place, Region, RegionDomain, RegionPage, StaffMembership
from .operators import InstallationOperator
from .places import DATA_FILE, import_places, read_places


class OnboardingError(Exception):
    """A rule stopped the step; the message is meant for the operator."""


# From a district key to a region -------------------------------------------------------------

# Districts whose names take "im" or "in der" in German without saying "Kreis" (the same
# list as migration regions/0003, which keeps its own frozen copy).
PREPOSITIONS = {
    "Ammerland": "im",
    "Barnim": "im",
    "Breisgau-Hochschwarzwald": "im",
    "Eichsfeld": "im",
    "Emsland": "im",
    "Harz": "im",
    "Havelland": "im",
    "Jerichower Land": "im",
    "Oberallgäu": "im",
    "Ostallgäu": "im",
    "Unterallgäu": "im",
    "Prignitz": "in der",
    "Uckermark": "in der",
    "Vulkaneifel": "in der",
}

COUNTY_PREFIXES = ("Landkreis ", "Kreis ")


def preposition_for(name: str) -> str:
    """What German says before the name: "in" for most, "im" for a "…kreis" (im
    Rhein-Sieg-Kreis), "in der" for a "Region …"."""
    words = name.casefold().split()
    if name in PREPOSITIONS:
        return PREPOSITIONS[name]
    if any(word.endswith("kreis") for word in words) or words[:1] == ["regionalverband"]:
        return Region.Preposition.IM
    if words[:1] in (["region"], ["städteregion"]):
        return Region.Preposition.IN_DER
    return Region.Preposition.IN


def _bare_name(official: str) -> str:
    """ "Havelland" for "Landkreis Havelland", "Köln" for "Köln, Stadt"."""
    name = official.split(",")[0].strip().removeprefix("Kreisfreie Stadt ")
    for prefix in COUNTY_PREFIXES:
        name = name.removeprefix(prefix)
    return name


def district_name(district_key: str) -> str:
    """The district's name as people say it ("Havelland" for "Landkreis Havelland"), from
    the postal code data; a county keeps "Landkreis" where a city has the same name
    ("Landkreis Rosenheim"). UnknownDistrict if the data has no such district."""
    read_places(district_key)  # refuses malformed and unknown keys with a clear message
    with DATA_FILE.open(encoding="utf-8", newline="") as data:
        districts = {row["district_key"]: row["district"] for row in csv.DictReader(data)}
    official = districts[district_key]
    name = _bare_name(official)
    namesakes = [key for key, other in districts.items() if _bare_name(other) == name]
    return name if namesakes == [district_key] else official.split(",")[0].strip()


@transaction.atomic
def set_up_region(district_key: str, host: str, *, slug="", name="", **fields) -> Region:
    """Creates the district's region, switched off, with its host name, its postal codes
    and the starter pages (regions.pages), its name and preposition taken from the data
    unless given. `fields` are further Region fields (the operator's data)."""
    district_key = district_key.strip()
    name = name or district_name(district_key)
    if Region.objects.filter(district_key=district_key).exists():
        raise OnboardingError(
            _("A region for the district key %(key)s exists already.") % {"key": district_key}
        )
    region = Region(
        district_key=district_key,
        name=name,
        preposition=fields.pop("preposition", "") or preposition_for(name),
        slug=slug or slugify(host.split(".")[0]),
        is_active=False,
        **fields,
    )
    domain = RegionDomain(region=region, host=host, is_primary=True)
    _validate(region, exclude=["operator_name", "operator_address", "operator_email"])
    region.save()
    _validate(domain, exclude=["region"])
    domain.save()
    import_places(district_key)
    return region


def _validate(obj, exclude):
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        messages = [
            f"{obj._meta.get_field(field).verbose_name}: {' '.join(texts)}"
            if field != "__all__"
            else " ".join(texts)
            for field, texts in error.message_dict.items()
        ]
        raise OnboardingError("; ".join(messages)) from error


# The checklist -------------------------------------------------------------------------------

DEFAULT_PRIMARY_COLOR = Region._meta.get_field("primary_color").default

# The pages the law asks of every region; "So funktioniert's" is the region's own affair.
REQUIRED_LEGAL_PAGES = [kind for kind in RegionPage.Kind if kind in RegionPage.REQUIRED]

# What the legal pages need of the region's operator (§ 5 DDG, § 18 MStV, Art. 13 GDPR): the
# details regions.legal shows a note for while they are empty.
REQUIRED_OPERATOR_FIELDS = [key for key in legal.REQUIRED_DETAILS if key.startswith("operator_")]


def has_places(region) -> bool:
    return Place.objects.in_region(region).exists()


def has_branding(region) -> bool:
    """A logo uploaded and a colour chosen (not the installation's default)."""
    return bool(region.logo) and region.primary_color.lower() != DEFAULT_PRIMARY_COLOR


def has_staff(region) -> bool:
    """Someone works for the region, or has an open invitation to."""
    return (
        StaffMembership.objects.filter(region=region).exists()
        or StaffInvitation.objects.open().filter(region=region).exists()
    )


def unadapted_legal_pages(region) -> list[str]:
    """The required legal pages, by name, that are missing, still hold the starter text they
    were created with (staff never saved a change), or, with today's details filled in,
    still show a note for the operator ("[Angabe fehlt: …]", "[Bitte … eintragen]")."""
    pages = {
        page.kind: page
        for page in RegionPage.objects.in_region(region).filter(kind__in=REQUIRED_LEGAL_PAGES)
    }
    values = legal.details_of(region, InstallationOperator.load())

    def adapted(page):
        return (
            page is not None
            and page.adapted_at is not None
            and not legal.has_open_tasks(legal.fill_in(page.body, values))
        )

    return [str(kind.label) for kind in REQUIRED_LEGAL_PAGES if not adapted(pages.get(kind))]


def missing_operator_data(region) -> list[str]:
    """The operator's data the imprint needs and the region lacks, by field name."""
    return [
        str(Region._meta.get_field(field).verbose_name)
        for field in REQUIRED_OPERATOR_FIELDS
        if not str(getattr(region, field)).strip()
    ]


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    missing: str = ""  # what is missing, in words, when not done


def checklist(region) -> list[ChecklistItem]:
    pages = unadapted_legal_pages(region)
    operator = missing_operator_data(region)
    items = [
        (gettext_lazy("Postal codes imported"), has_places(region), ""),
        (gettext_lazy("Logo and colour set"), has_branding(region), ""),
        (gettext_lazy("Staff invited"), has_staff(region), ""),
        (gettext_lazy("Legal pages adapted"), not pages, ", ".join(pages)),
        (gettext_lazy("Operator data complete"), not operator, ", ".join(operator)),
    ]
    return [ChecklistItem(str(label), done, missing) for label, done, missing in items]


def what_is_missing(region) -> list[str]:
    """The open items of the checklist, each in words with what it lacks."""
    return [
        f"{item.label} ({item.missing})" if item.missing else item.label
        for item in checklist(region)
        if not item.done
    ]


# Live and off --------------------------------------------------------------------------------


@transaction.atomic
def go_live(region, actor) -> Region:
    """Switches the region on once its checklist holds; logged in the moderation log."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    if region.is_active:
        raise OnboardingError(_("%(region)s is live already.") % {"region": region.name})
    missing = what_is_missing(region)
    if missing:
        raise OnboardingError(
            _("%(region)s cannot go live yet. Missing: %(missing)s.")
            % {"region": region.name, "missing": "; ".join(missing)}
        )
    region.is_active = True
    region.save()
    audit.record(region, actor, AuditAction.REGION_WENT_LIVE, region)
    return region


@transaction.atomic
def switch_off(region, actor, reason: str = "") -> Region:
    """Takes the region off the web (every page 404, off the portal); logged."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    if not region.is_active:
        raise OnboardingError(_("%(region)s is switched off already.") % {"region": region.name})
    region.is_active = False
    region.save()
    audit.record(region, actor, AuditAction.REGION_SWITCHED_OFF, region, reason)
    return region
