"""Finding listings: full text and distance from a place (the counts beside the filters
are in listings.facets).

Full text folds the query as listings.indexing folds the listings (case, accents, and
umlauts spelled out: "Buero" finds "Büro") and strips common German endings, so
"Maschinen" finds "Maschine" and "GERÄT" finds "Gerät"; a word also finds the compounds
it is part of ("Lager" finds "Lagerhalle", "Stapler" finds "Gabelstapler"). PostgreSQL
adds its German stemming and rank. Results are ordered by where the words occur: title,
then description, then category or organisation. A search that finds nothing may
suggest a known word close to a mistyped one (`did_you_mean`).

Distances are computed in SQL by regions.places, by the same formula the listing page
shows them with; a postal code that several places share searches around each of them.
"""

import difflib
import re
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import Coalesce, Concat, StrIndex
from django.db.models.lookups import Contains, GreaterThan, LessThan

from regions.places import (
    PlaceEntry,
    nearest_distance_km,
    nearest_distance_km_expression,
    places_of,
)

from .indexing import DESCRIPTION_END, SEARCH_CONFIG, TITLE_END, fold
from .models import (
    Listing,
)
from .signals import listings_generation

# Endings stripped from a word on databases without German stemming, longest first;
# what remains must keep at least MIN_STEM letters to still say something.
GERMAN_ENDINGS = ("en", "er", "es", "e", "n", "s")
MIN_STEM = 4
# Words that say nothing about a listing; PostgreSQL's German configuration drops
# them too ("oder"/"or" are operators in its web search syntax).
STOP_WORDS = frozenset(
    {
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer",
        "und", "oder", "or", "mit", "fur", "von", "vom", "zu", "zum", "zur", "im", "in",
        "am", "an", "auf", "aus", "bei", "nach", "uber", "unter",
    }
)  # fmt: skip


# `# pragma: no mutate` marks what `make mutate` cannot judge: it runs on SQLite, so the
# PostgreSQL branches are left to the tests of the PostgreSQL run in CI.
def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"  # pragma: no mutate, PostgreSQL only


# Full text --------------------------------------------------------------------------------


def stem(word: str) -> str:
    """The word without one common German ending: "maschinen" → "maschin"."""
    for ending in GERMAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def search_words(text: str) -> tuple[list[str], list[str]]:
    """The folded words a query asks for, and those it rules out with a leading minus
    ("bagger -kran"), as PostgreSQL's web search syntax reads it. Punctuation, quotes
    and operators are dropped; each word counts once."""
    wanted, unwanted = [], []
    for token in fold(text).split():
        words = unwanted if token.startswith("-") else wanted
        words += [word for word in re.findall(r"\w+", token) if word not in STOP_WORDS]
    wanted = list(dict.fromkeys(wanted))  # each once, in the order asked
    return wanted, [word for word in dict.fromkeys(unwanted) if word not in wanted]


def search_stems(text: str) -> tuple[list[str], list[str]]:
    """search_words, each stemmed: "Maschinen" → "maschin"."""
    wanted, unwanted = search_words(text)
    return list(dict.fromkeys(map(stem, wanted))), list(dict.fromkeys(map(stem, unwanted)))


def has_search_words(text: str) -> bool:
    """Whether the text asks for anything (not just punctuation or exclusions)."""
    return bool(text and search_words(text)[0])


def search_listings(queryset, text: str, *, region_first: bool = False):
    """The listings that match every word of `text` and none with a leading minus, in
    any of their parts, annotated (as an alias) with their `relevance` to it.

    A word matches where its stem occurs in the folded `search_text`: "lager" finds
    "Lagerhalle", "stapler" "Gabelstapler", "buero" "Büro". PostgreSQL finds the stem
    through the trigram index (only for stems of MIN_STEM letters or more, which the
    index can narrow), and also the word as a prefix of a German stem in the search
    vector ("Häuser" finds "Haus"); a tsquery is built from the folded words alone, so
    no input is a syntax error. A text without words changes nothing.

    `region_first` (see scans_region_first) tests the same conditions row by row on the
    rows the rest of the query selects, instead of through the text indexes.
    """
    wanted, unwanted = search_words(text)
    if not wanted:
        return queryset
    postgres = uses_postgres_search()
    for word in wanted:
        queryset = queryset.filter(_matches(word, postgres, region_first))
    for word in unwanted:
        queryset = queryset.exclude(_matches(word, postgres, region_first))
    queryset = queryset.alias(relevance=_relevance(wanted))
    if postgres:  # pragma: no mutate block, PostgreSQL only
        query = _prefix_query(" & ".join(f"'{word}':*" for word in wanted))
        queryset = queryset.alias(rank=SearchRank(F("search_vector"), query))
    return queryset


def _matches(word: str, postgres: bool, region_first: bool = False) -> Q:
    contains = Q(search_text__contains=stem(word))
    if not postgres:
        return contains
    prefix = Q(search_vector=_prefix_query(f"'{word}':*"))  # pragma: no mutate, PostgreSQL
    if region_first:  # pragma: no mutate block, PostgreSQL only
        # The same tests on expressions no index covers, so that the planner reads the
        # region's rows (by its index on region and status) and tests each of them.
        vector = Coalesce("search_vector", Value("", output_field=SearchVectorField()))
        prefix = Q(SearchVectorExact(vector, _prefix_query(f"'{word}':*")))
        text = Concat("search_text", Value(""), output_field=TextField())
        contains = Q(Contains(text, stem(word)))
    return prefix | contains if len(stem(word)) >= MIN_STEM else prefix  # pragma: no mutate


# A region with at most this many published listings is searched by reading its rows
# rather than through the text indexes, which hold the listings of every region: in an
# installation of 400 regions a common word matches tens of thousands of listings across
# Germany, and collecting them took 17–110 ms where reading one region's 2,200 rows took
# 4–8 ms (tests/bench/national.py). Larger regions are better served by the indexes.
SCAN_REGION_UP_TO = 10_000
REGION_SIZE_CACHED_FOR = 60 * 60  # seconds; a new listings generation ends it sooner


def scans_region_first(region) -> bool:  # pragma: no mutate block, PostgreSQL only
    """Whether a text search of the region reads its rows (see SCAN_REGION_UP_TO); on
    PostgreSQL only, which has the text indexes."""
    return uses_postgres_search() and is_small(region)


def is_small(region) -> bool:
    """Whether the region has at most SCAN_REGION_UP_TO published listings, so that its
    matches for a word are few enough to read at once. One cached count per listings
    generation."""
    key = f"listings:published-count:{region.pk}:{listings_generation(region.pk)}"
    count = cache.get(key)
    if count is None:
        count = Listing.objects.in_region(region).published().count()
        cache.set(key, count, REGION_SIZE_CACHED_FOR)
    return count <= SCAN_REGION_UP_TO


def _prefix_query(raw: str):  # pragma: no mutate block, PostgreSQL only
    """A tsquery of folded words (letters, digits and underscores only, quoted)."""
    return SearchQuery(raw, config=SEARCH_CONFIG, search_type="raw")


# Where a word occurs counts for this much: a title match outranks one in the description,
# which outranks one only in the category, group or organisation.
IN_TITLE, IN_DESCRIPTION, ELSEWHERE = 4, 2, 1


def _relevance(words):
    """The sum over the words of where each first occurs in `search_text` (title first,
    then description, then the rest: the first occurrence is in the best part)."""
    title_end = StrIndex("search_text", Value(TITLE_END))
    description_end = StrIndex("search_text", Value(DESCRIPTION_END))
    total = Value(0)
    for word in words:
        at = StrIndex("search_text", Value(stem(word)))
        total += Case(
            When(GreaterThan(at, 0) & LessThan(at, title_end), then=Value(IN_TITLE)),
            When(GreaterThan(at, 0) & LessThan(at, description_end), then=Value(IN_DESCRIPTION)),
            When(GreaterThan(at, 0), then=Value(ELSEWHERE)),
            default=Value(0),
        )
    return total


def order_by_relevance(queryset):
    """Best matches first: by where the words occur, then (on PostgreSQL) by the rank of
    the German search, then newest first."""
    if "relevance" not in queryset.query.annotations:
        return queryset.order_by("-published_at", "-pk")
    if "rank" in queryset.query.annotations:  # pragma: no mutate block, PostgreSQL only
        return queryset.order_by("-relevance", "-rank", "-published_at", "-pk")
    return queryset.order_by("-relevance", "-published_at", "-pk")


# Typos ------------------------------------------------------------------------------------

# How alike a typed word and a known word must be (difflib's ratio) to be suggested.
SUGGESTION_CUTOFF = 0.75
MAX_WORDS_CORRECTED = 4  # the first words of a long query only: one query each on PostgreSQL
VOCABULARY_CACHED_FOR = 60 * 60  # seconds; a new listings generation ends it sooner


def did_you_mean(region, text: str) -> str:
    """For a search that found nothing: the query with each word nobody uses replaced by
    the closest word the region's listings use ("Gabelstabler" → "Gabelstapler"), or ""
    when there is nothing close.

    PostgreSQL first asks whether the region's published listings use the word at all (a
    search that found nothing for its filters, not for its words, needs no suggestion),
    and only for a word they do not use looks for the closest one in their titles and
    descriptions through the trigram index (pg_trgm's word similarity): at most two
    queries per word. Elsewhere the words of the titles alone are the vocabulary (one
    query per listings generation, then cached), compared with difflib."""
    postgres = uses_postgres_search()
    vocabulary = None if postgres else _title_vocabulary(region)
    suggestion, changed = [], False
    for position, token in enumerate(text.split()):
        word = fold(token).strip("\"'„“”‚‘’.,;:!?()[]")
        if (
            position >= MAX_WORDS_CORRECTED
            or token.startswith("-")
            or len(word) < MIN_STEM
            or not re.fullmatch(r"\w+", word)
        ):
            suggestion.append(token)
            continue
        if postgres and _is_used(region, word):  # pragma: no mutate, PostgreSQL only
            suggestion.append(token)
            continue
        known = _similar_words(region, word) if postgres else vocabulary  # pragma: no mutate
        closest = _closest(word, known)
        changed |= closest is not None
        suggestion.append(closest or token)
    return " ".join(suggestion) if changed else ""


def _closest(word: str, known: dict) -> str | None:
    """The known word closest to `word` (folded form → as written), or None when the word
    is known itself (a known word contains its stem) or nothing is close enough."""
    if any(stem(word) in folded for folded in known):
        return None
    close = difflib.get_close_matches(word, known, n=1, cutoff=SUGGESTION_CUTOFF)
    return known[close[0]] if close else None


def _words_of(texts) -> dict:
    words = {}
    for text in texts:
        for word in re.findall(r"\w+", text):
            if len(word) >= MIN_STEM and not word.isdigit():
                words.setdefault(fold(word), word)
    return words


def _title_vocabulary(region) -> dict:
    """The words of the titles of the region's published listings, folded → as written."""
    key = f"listings:vocabulary:{region.pk}:{listings_generation(region.pk)}"
    words = cache.get(key)
    if words is None:
        titles = Listing.objects.in_region(region).published().values_list("title", flat=True)
        words = _words_of(titles.iterator())
        cache.set(key, words, VOCABULARY_CACHED_FOR)
    return words


def _is_used(region, word: str) -> bool:  # pragma: no mutate block, PostgreSQL only
    """Whether a published listing of the region matches the word as the search does."""
    matches = _matches(word, True, scans_region_first(region))
    return Listing.objects.in_region(region).published().filter(matches).exists()


def _similar_words(region, word: str) -> dict:  # pragma: no mutate block, PostgreSQL only
    """The words of the few listings of the region whose text holds a word most like
    `word`, found through the trigram index on search_text."""
    rows = (
        Listing.objects.in_region(region)
        .published()
        .filter(TrigramWordSimilar(F("search_text"), Value(word)))
        .annotate(similarity=TrigramWordSimilarity(Value(word), "search_text"))
        .order_by("-similarity", "-pk")
        .values_list("title", "description")[:3]
    )
    return _words_of(text for row in rows for text in row)


# Distance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """The place or places a visitor searches around: one place, or every place of one
    postal code (14542 is Werder (Havel), Schwielowsee and Kloster Lehnin). A listing is
    as far away as the nearest of them."""

    label: str
    places: tuple[PlaceEntry, ...]
    # The region's places: its listings lie at no others (see within_radius).
    region_places: tuple[PlaceEntry, ...] = ()


def find_places(region, text: str, places=None) -> list[PlaceEntry]:
    """The region's places (`places`, if read already) a visitor means by a postal code
    and/or a name, accents and case ignored: "14806", "Brück", "bruck" and "14822 Brück"
    all work."""
    text = " ".join(text.split())
    places = places_of(region) if places is None else places
    code = re.match(r"(\d{5})\b\s*(.*)", text)
    if code:
        with_code = [place for place in places if place.postal_code == code.group(1)]
        return _named(with_code, code.group(2)) or with_code
    return _named(places, text)


def _named(places, text):
    """The places called `text`; failing that, those whose name contains the text or is
    contained in it ("Bad Belzig" finds Belzig, "Werder" finds Werder (Havel))."""
    wanted = fold(text)
    if len(wanted) < 2:
        return []
    equal = [place for place in places if fold(place.name) == wanted]
    return equal or [
        place
        for place in places
        if wanted in fold(place.name) or re.search(rf"\b{re.escape(fold(place.name))}\b", wanted)
    ]


def names_one_place(places: list[PlaceEntry]) -> bool:
    """Whether the places found are one to search around: the places of one postal code
    are (all of them), those of several postal codes are not."""
    return len({place.postal_code for place in places}) == 1


def origin_of(places: list[PlaceEntry], region_places=()) -> Origin:
    """The places as one origin, named by their postal code (and name, if just one)."""
    codes = sorted({place.postal_code for place in places})
    names = sorted({place.name for place in places})
    if len(places) == 1:
        label = f"{codes[0]} {names[0]}"
    else:
        label = codes[0] if len(codes) == 1 else names[0]
    return Origin(label=label, places=tuple(places), region_places=tuple(region_places))


def within_radius(queryset, origin: Origin, km: float):
    """Listings whose place lies within `km` of one of the origin's places, annotated with
    `distance_km` from the nearest of them. Those of the region's places within reach are
    picked here, so that the database reads the listings at them alone instead of weighing
    every place of the country against the origin first."""
    within_reach = [
        place.pk
        for place in origin.region_places
        if nearest_distance_km(origin.places, place) <= km
    ]
    return queryset.filter(place__in=within_reach).annotate(
        distance_km=nearest_distance_km_expression(origin.places, "place__")
    )
