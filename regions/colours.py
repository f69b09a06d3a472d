"""Colour arithmetic for region branding (WCAG 2.1 relative luminance and contrast)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
MINIMUM_CONTRAST = 4.5  # WCAG 2.1 AA for normal text


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_brand_colour(value: str) -> None:
    """The brand colour carries white text and is used for links on white, so it must
    reach AA contrast against white."""
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(
            _("Enter the colour as a hex code with six digits, for example #0b5e7e."),
            code="invalid",
        )
    ratio = contrast_ratio(value, WHITE)
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _(
                "This colour is too light: its contrast to white is %(ratio)s:1, at least "
                "4.5:1 is needed so that text stays readable (WCAG AA). Choose a darker shade."
            ),
            code="low_contrast",
            params={"ratio": f"{ratio:.1f}".replace(".", ",")},
        )


def darken(colour: str, factor: float) -> str:
    """A darker shade of the colour for hover and pressed states."""
    channels = [round(int(colour[i : i + 2], 16) * (1 - factor)) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)
