"""Wording that keeps the demo listings of a region apart.

An idea of demo.listings is used more than once in a region (about 95 ideas fill 150
listings), and ideas without numbers or a place in their text would read the same twice.
So a repeated title names the place (or, where it does already, a word on timing), and a
repeated description ends with one more sentence of these. Should all variants be taken
(they are not, by far), the last is used and tests/test_demo_data.py says so.
"""

from itertools import pairwise

from listings.models import Direction

OFFER, REQUEST = Direction.OFFER, Direction.REQUEST

TITLE_EXTRAS = {
    OFFER: ["kurzfristig frei", "auch langfristig", "nach Absprache", "ab sofort"],
    REQUEST: ["flexibel im Termin", "auch kurzfristig", "gern regelmäßig", "dringend"],
}
TEXT_ENDINGS = {
    OFFER: [
        "Anfragen beantworten wir meist noch am selben Werktag.",
        "Über Anfragen aus der Nachbarschaft freuen wir uns besonders.",
        "Rufen Sie gern vorher an, dann klären wir die Einzelheiten.",
        "Termine stimmen wir flexibel mit Ihnen ab.",
        "Schreiben Sie uns einfach über die Plattform, wir melden uns zügig.",
        "Die Einzelheiten besprechen wir gern persönlich.",
    ],
    REQUEST: [
        "Wir freuen uns über jede Rückmeldung, auch über Tipps.",
        "Den Termin können wir mit etwas Vorlauf abstimmen.",
        "Gern auch von Betrieben aus den Nachbarorten.",
        "Bitte melden Sie sich über die Plattform, wir antworten schnell.",
        "Für Vorschläge, wie es für beide Seiten am besten passt, sind wir offen.",
        "Eine kurze Nachricht genügt, den Rest besprechen wir am Telefon.",
    ],
}


def title_variants(idea, title, place_name):
    """The title as it is, then with the place (unless the idea names it), then with a
    word on timing."""
    yield title
    if "{place}" not in idea.title:
        title = f"{title} in {place_name}" if " – " in title else f"{title} – {place_name}"
        yield title
    extras = TITLE_EXTRAS[idea.direction]
    for extra in extras:
        yield f"{title}, {extra}"
    for extra, other in pairwise(extras):
        yield f"{title}, {extra}, {other}"


def text_variants(idea, text, start):
    """The text as it is, then with one more sentence (from the `start`-th on, so that not
    every repeated listing ends alike), then with two."""
    endings = TEXT_ENDINGS[idea.direction]
    endings = endings[start % len(endings) :] + endings[: start % len(endings)]
    yield text
    for ending in endings:
        yield f"{text} {ending}"
    for ending, other in pairwise(endings):
        yield f"{text} {ending} {other}"


def make_distinct(fields, idea, place_name, titles, texts):
    """Varies the listing's title and description so that no other listing of the region
    has them; `titles` and `texts` are the region's so far, and get these added."""
    for title in title_variants(idea, fields["title"], place_name):
        if title[:120] not in titles:
            break
    for text in text_variants(idea, fields["description"], start=len(texts)):
        if text not in texts:
            break
    fields["title"], fields["description"] = title[:120], text
    titles.add(fields["title"])
    texts.add(fields["description"])
    return fields
