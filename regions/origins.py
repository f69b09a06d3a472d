"""The other websites a region lets show its embeds (Region.embed_allowed_origins).

Region administrators list them one per line as origins, the way a browser names a
site: scheme, host and an optional port, nothing after it (`https://www.ihk.de`,
`https://*.landkreis.example`). They become the `frame-ancestors` of the embed pages
(embeds.framing), so each must be a valid source expression there: anything else
would be dropped by browsers without a word, or widen what may frame the page.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_ORIGINS = 50

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
ORIGIN = re.compile(rf"^https?://(?:\*\.)?{_LABEL}(?:\.{_LABEL})*(?::\d{{1,5}})?$")


def parse_origins(text: str) -> list[str]:
    """The origins of the field's text, normalised: trimmed, lower case, without a
    trailing slash, each once, in the order given."""
    origins = []
    for line in text.splitlines():
        origin = line.strip().rstrip("/").lower()
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def validate_origins(text: str) -> None:
    origins = parse_origins(text)
    wrong = [origin for origin in origins if not ORIGIN.match(origin)]
    if wrong:
        raise ValidationError(
            _(
                "Enter one website per line as https://host or https://host:port, without a "
                "path (a leading *. allows every subdomain). Not valid: %(origins)s"
            ),
            code="invalid_origin",
            params={"origins": ", ".join(wrong)},
        )
    if len(origins) > MAX_ORIGINS:
        raise ValidationError(
            _("Enter at most %(limit)d websites."),
            code="too_many_origins",
            params={"limit": MAX_ORIGINS},
        )
