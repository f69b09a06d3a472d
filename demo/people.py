"""The names of the demo's people, so that conversations say who wrote (issue #17).

The three accounts one logs in with have names of their own; the owners of the demo
organisations (inhaber@<domain>) get one from the lists below, the same for the same
address on every load. A demo loaded before people had names gets them on the next load.
"""

import zlib

from django.contrib.auth import get_user_model
from django.db.models import Q

NAMED_ACCOUNTS = {
    "betreiber@example.org": ("Birgit", "Brandt"),
    "moderation@pm.example.org": ("Moritz", "Kranz"),
    "mitglied@example.org": ("Mia", "Lindner"),
}
FIRST_NAMES = [
    "Anja", "Bernd", "Carola", "Dirk", "Elke", "Frank", "Gesine", "Holger", "Ines", "Jörg",
    "Katrin", "Lars", "Monika", "Nils", "Petra", "Ralf", "Sabine", "Torsten", "Ulrike", "Volker",
]  # fmt: skip
LAST_NAMES = [
    "Albrecht", "Bauer", "Dietrich", "Engel", "Fiedler", "Günther", "Hoffmann", "Jahn",
    "Krüger", "Lehmann", "Marquardt", "Neumann", "Otto", "Pohl", "Richter", "Schulze",
    "Thiele", "Voigt", "Wendt", "Zimmermann",
]  # fmt: skip


def name_for(email: str) -> tuple[str, str]:
    if email in NAMED_ACCOUNTS:
        return NAMED_ACCOUNTS[email]
    number = zlib.crc32(email.encode())
    return FIRST_NAMES[number % len(FIRST_NAMES)], LAST_NAMES[number // 7 % len(LAST_NAMES)]


def load() -> int:
    """Names the demo's people who have no name yet; returns how many."""
    User = get_user_model()
    owners = Q(email__startswith="inhaber@", email__endswith=".example")
    nameless = User.objects.filter(owners | Q(email__in=NAMED_ACCOUNTS), first_name="")
    named = 0
    for person in nameless:
        person.first_name, person.last_name = name_for(person.email)
        person.save(update_fields=["first_name", "last_name"])
        named += 1
    return named
