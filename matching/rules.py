"""When an offer and a request fit each other.

A published listing's counterparts are the published listings of the other direction in
its region that

- belong to another organisation, neither of the two having blocked the other;
- are filed in the same group of categories (the same category counts for more);
- lie within MAX_DISTANCE_KM;
- respect audience and eligibility both ways: the offer is meant for the requesting
  organisation's kind (a company's offer meant for schools fits schools' requests only),
  the request for the offering organisation's kind, and a donation meant for non-profits
  fits only organisations the region verified as such;
- are still current: not past their end, an offer not fully reserved;
- share words of substance: a word of one title, its stem or the last part of a
  compound in it, occurs in the other's title (enough on its own) or description (enough
  within the same category, or with another word) ("Stapler" fits
  "Gabelstapler", "Maschinen" fits "Maschine", "Kühllager" fits "Lagerfläche"). Texts
  are folded as the search folds them (listings.indexing.fold); function words, listing
  boilerplate ("suchen", "Abholung") and the region's place names do not count.
  tests/test_matching_quality.py holds the pairs judged by hand.

A transport listing with a route (trips) fits by its route instead of words and distance:
a trip and a request fit when the trip passes near the goods' places in their order, runs
before their date and has room for them (trips.finding); the distance recorded is the
trip's detour. A listing without a route never fits one with a route by its words.

Everything but the words is one query over indexed columns (region, status, direction,
category) and the places' coordinates; the words are compared in Python, on those
candidates only.
"""

import functools
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, Q, When
from django.utils import timezone

from inquiries.models import Block
from listings.indexing import DESCRIPTION_END, TITLE_END, fold
from listings.models import (
    AUDIENCE_OF_ORGANISATION_TYPE,
    DONATION_TERMS,
    PERIOD_TERMS,
    Audience,
    Category,
    Direction,
    Listing,
    audience_includes,
)
from organisations.models import Organisation
from regions.places import bounding_box, distance_km, places_of
from trips import finding

MAX_DISTANCE_KM = 40
# The best this many counterparts of one listing are recorded (and their organisations told).
MAX_MATCHES = 20
MIN_WORD_LENGTH = 4
# A compound's last part counts when it has this many letters and this many come before it.
MIN_PART_LENGTH = 5
MIN_HEAD = 3
# What a shared term is worth, and how much a pair needs: a word in both titles is enough,
# a title's word in the other's description only within the same category or with another.
TITLE_SCORE = 10
DESCRIPTION_SCORE = 5
SAME_CATEGORY_BONUS = 5
ENOUGH = 10
# What a route that fits is worth: as much as a word in both titles in the same category.
ROUTE_SCORE = TITLE_SCORE + SAME_CATEGORY_BONUS

_WORD = re.compile(r"[^\W\d_]+")
# Endings stripped before comparing, longest first, while at least MIN_WORD_LENGTH remain.
_ENDINGS = ("ern", "en", "er", "es", "e", "n", "s")
# fmt: off
_NOT_SUBSTANCE = """
aber alle allem allen aller alles also ander andere anderen auch bald bereits besonders
bitte dabei damit dann dass denn diese diesem diesen dieser dieses doch durch eine einem
einen einer eines etwa euro ganz gern gerne haben hier ihre ihren ihrer immer jede jeden
jeder jetzt kann keine konnen mehr mindestens moglich nach nicht noch oder ohne sehr sich
sind sowie uber unser unsere unseren unserer unter viel viele wenn werden wird wieder
wollen teilen teilt geteilt frei freie freien personen person platz platze stelle
stellen technik betrieben partner zwei drei vier funf zehn jahr jahre jahren woche
wochen monat monate monaten tage
tagen stunde stunden sofort suchen suche gesucht sucht biete bieten bietet angebot anfrage
anfragen verfugbar kurzfristig langfristig regelmassig absprache abholung abholen
gebraucht neuwertig zustand erhalten region regional bitte melden kontakt gesamt
insgesamt stuck ideal einfach eigene eigenen benotigen brauchen benotigt zeitraum flexibel
gunstig kostenlos gratis verschenken schenken spende spenden leihen verleihen vermieten
mieten miete verleih ausleihen tageweise wochenweise stundenweise gelegentlich einmalig
nutzung nutzen genutzt vorhanden zusammen zusammenarbeit unterstutzung helfen hilfe
gesellschaft firma betrieb betriebe unternehmen organisation einrichtung verein vereine
schule schulen landkreis umgebung umkreis nahe direkt inklusive zzgl rund sowohl
klein kleine kleiner kleines gross grosse grosser grosses neue neuer neues alte alter
altes gute guter gutes leer leere
"""
# fmt: on


def stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_WORD_LENGTH:
            return word[: -len(ending)]
    return word


# The words and their stems ("platz", "platze" and "platzen" are "platz").
NOT_SUBSTANCE = frozenset(
    form for word in _NOT_SUBSTANCE.split() for form in (fold(word), stem(fold(word)))
)


ENDS_OF_NO_SUBSTANCE = frozenset(
    word[start:] for word in NOT_SUBSTANCE for start in range(len(word) - MIN_PART_LENGTH + 1)
)


def terms_of(folded_title: str, ignored=frozenset()) -> frozenset[str]:
    """What a title is about: the stems of its words of substance, and of the last parts of
    its compounds ("Kühllager" → "kuhllag", "llager", "lager"), which German puts last."""
    terms = set()
    for word in _WORD.findall(folded_title):
        if len(word) >= MIN_WORD_LENGTH and word not in ignored:
            terms.update(_terms_of_word(word))
    return frozenset(terms - ignored)


@functools.lru_cache(maxsize=100_000)
def _terms_of_word(word: str) -> frozenset[str]:
    """terms_of for one word; a region's words repeat from listing to listing."""
    if word in NOT_SUBSTANCE:
        return frozenset()
    terms = {stem(word)}
    for start in range(MIN_HEAD, len(word) - MIN_PART_LENGTH + 1):
        part = stem(word[start:])
        # Not what ends a word of no substance ("…technik", "…plätze").
        if len(part) >= MIN_PART_LENGTH and part not in ENDS_OF_NO_SUBSTANCE:
            terms.add(part)
    return frozenset(terms - NOT_SUBSTANCE)


def pieces_of(folded: str) -> frozenset[str]:
    """Every run of MIN_WORD_LENGTH or more letters within a word of the text: a term is in
    the text exactly when it is one of these (a set to look terms up in at once)."""
    return frozenset(
        word[start:end]
        for word in _WORD.findall(folded)
        for start in range(len(word) - MIN_WORD_LENGTH + 1)
        for end in range(start + MIN_WORD_LENGTH, len(word) + 1)
    )


def parts_of(search_text: str) -> tuple[str, str]:
    """The folded title and title-and-description of listings.indexing's search_text."""
    title, _, rest = search_text.partition(TITLE_END)
    description = rest.partition(DESCRIPTION_END)[0]
    return title, f"{title} {description}"


def place_words(region) -> frozenset[str]:
    """The words of the region's place names ("Bad", "Belzig"): every listing names one."""
    words = set()
    for place in places_of(region):
        words.update(_WORD.findall(fold(place.name)))
    return frozenset(words)


@dataclass
class Fit:
    listing: Listing  # the counterpart
    score: int
    distance_km: float
    words: tuple[str, ...]


def shared_terms(own, other_terms, other_title, other_text, same_category) -> dict[str, int]:
    """The terms of either title found in the other listing, each with what it is worth: a
    term in both titles TITLE_SCORE, in the other's description only DESCRIPTION_SCORE.
    `own` is the listing matched (see Own). The other's terms count only within the same
    category: so the terms of the listing matched select the candidates of the rest of the
    group, in SQL on PostgreSQL (see `narrowed`)."""
    found = {}
    for term in own.terms:
        if term in other_title:
            found[term] = TITLE_SCORE
        elif term in other_text:
            found[term] = DESCRIPTION_SCORE
    for term in other_terms if same_category else ():
        if term in own.title_pieces:
            found[term] = TITLE_SCORE
        elif term in own.text_pieces:
            found[term] = max(found.get(term, 0), DESCRIPTION_SCORE)
    if len(found) < 2:
        return found
    # A word and the last part of it ("kuhllag", "lager") count once, as the longer one.
    return {
        term: score
        for term, score in found.items()
        if not any(term != other and term in other for other in found)
    }


@dataclass(frozen=True)
class Own:
    """What the listing matched brings to each comparison, worked out once."""

    terms: frozenset
    title_pieces: frozenset
    text_pieces: frozenset

    @classmethod
    def of(cls, search_text, ignored):
        title, text = parts_of(search_text)
        return cls(terms_of(title, ignored), pieces_of(title), pieces_of(text))


def counterparts(listing: Listing, *, now=None) -> list[Fit]:
    """The listings that fit `listing`, best first (see the module's docstring)."""
    now = now or timezone.now()
    route = finding.route_of(listing)
    if route is not None:
        return route_counterparts(listing, route, now)
    ignored = place_words(listing.region)
    own = Own.of(listing.search_text, ignored)
    rows = (
        narrowed(finding.without_route(candidates(listing, now)), listing, own)
        .order_by()
        .values_list("pk", "category_id", "place__latitude", "place__longitude", "search_text")
    )
    fits = []
    origin = listing.place
    # One fetch: a server-side cursor (iterator) plans for its first rows, a slower plan here.
    for pk, category_id, latitude, longitude, search_text in list(rows):
        other_title, other_text = parts_of(search_text)
        same_category = category_id == listing.category_id
        other_terms = terms_of(other_title, ignored) if same_category else ()
        found = shared_terms(own, other_terms, other_title, other_text, same_category)
        if not found:
            continue
        score = sum(found.values())
        if same_category:
            score += SAME_CATEGORY_BONUS
        if score < ENOUGH:
            continue
        km = distance_km(origin, _Point(latitude, longitude))
        if km > MAX_DISTANCE_KM:
            continue
        fits.append(Fit(_Ref(pk), score, km, tuple(sorted(found))))
    fits.sort(key=lambda fit: (-fit.score, fit.distance_km, fit.listing.pk))
    return fits[:MAX_MATCHES]


def route_counterparts(listing, route, now) -> list[Fit]:
    """A trip's requests along its route, a request's trips on its way (trips.finding):
    among the candidates of the other rules but the words and the distance, which a route
    decides instead. The soonest and closest first."""
    found = finding.counterparts(route, candidates(listing, now, near=False), now=now)
    return [
        Fit(_Ref(item.route.pk), ROUTE_SCORE, item.detour_km, ()) for item in found[:MAX_MATCHES]
    ]


def narrowed(others, listing, own):
    """On PostgreSQL, the candidates that can fit by their words: those of the same category,
    and those of the rest of the group whose text holds one of the listing's terms (a LIKE
    the trigram index of search_text can answer). The same as the words decide in Python,
    only sooner; SQLite leaves it to Python."""
    if connection.vendor != "postgresql" or not own.terms:
        return others if own.terms else others.filter(category_id=listing.category_id)
    holds_a_term = Q()
    # A text holding "arbeitung" holds "beitung" too: the shortest terms say it all.
    for term in sorted(own.terms):
        if not any(other != term and other in term for other in own.terms):
            holds_a_term |= Q(search_text__contains=term)
    return others.filter(Q(category_id=listing.category_id) | holds_a_term)


class _Point:
    __slots__ = ("latitude", "longitude")

    def __init__(self, latitude, longitude):
        self.latitude, self.longitude = latitude, longitude


class _Ref:
    """A counterpart known by its primary key (its fields are not needed to record it)."""

    __slots__ = ("pk",)

    def __init__(self, pk):
        self.pk = pk


def candidates(listing: Listing, now, *, near=True):
    """Everything but the words, in one query (see the module's docstring); without the
    distance unless `near`."""
    offer = listing.is_offer
    own_kind = AUDIENCE_OF_ORGANISATION_TYPE[listing.organisation.type]
    group = listing.category.parent_id or listing.category_id
    in_group = Category.objects.filter(Q(pk=group) | Q(parent_id=group)).values("pk")
    kinds_meant = [
        kind for kind, bit in AUDIENCE_OF_ORGANISATION_TYPE.items() if bit & listing.audience
    ]
    others = (
        Listing.objects.in_region(listing.region_id)
        .published()
        .filter(
            direction=Direction.REQUEST if offer else Direction.OFFER,
            category_id__in=in_group,
            expires_at__gt=now,
        )
        .exclude(organisation_id=listing.organisation_id)
        # The other is meant for us, and we for the other's kind.
        .filter(audience_includes(own_kind), organisation__type__in=kinds_meant)
        .exclude(organisation_id__in=_blocked_by_or_blocking(listing.organisation_id))
    )
    if near:
        others = others.filter(bounding_box(listing.place, MAX_DISTANCE_KM, prefix="place__"))
    if offer:
        if listing.is_reserved:
            return others.none()
        if listing.is_donation_for_nonprofits:
            others = others.filter(
                organisation_id__in=Organisation.objects.eligible_for_donations().values("pk")
            )
    else:
        others = others.filter(Q(terms__in=PERIOD_TERMS) | Q(quantity_reserved__lt=F("quantity")))
        if not listing.organisation.is_eligible_for_donations:
            others = others.exclude(
                Q(terms__in=DONATION_TERMS) & ~audience_includes(Audience.COMPANIES)
            )
    return others


def _blocked_by_or_blocking(organisation_id):
    """The organisations that blocked this one or that it blocked."""
    other = Case(
        When(organisation_id=organisation_id, then=F("blocked_id")),
        default=F("organisation_id"),
    )
    return (
        Block.objects.filter(Q(organisation_id=organisation_id) | Q(blocked_id=organisation_id))
        .annotate(other=other)
        .values("other")
    )
