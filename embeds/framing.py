"""Which pages may be shown inside another website, and by whom.

Every page refuses to be framed (X-Frame-Options DENY and `frame-ancestors 'none'`,
see settings), against clickjacking. The embed pages are the one exception: they take
no input, set no cookie and hold nothing but public listings with links, so framing
them cannot trick anyone into an action. A region may still limit them to the websites
its administrators list (Region.embed_allowed_origins); without a list, any website
may frame them that is served as securely as the installation itself: any https
site, and plain http ones too where the installation runs without HTTPS (development).
"""

import base64
import hashlib
from functools import wraps

from csp.constants import SELF
from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt


def frame_ancestors(region) -> list[str]:
    """The `frame-ancestors` sources of the region's embeds; always the region's own
    site too, whose "Einbinden" page shows the embed as its preview."""
    if region.embed_origins:
        return [SELF, *region.embed_origins]
    return [SELF, "https:"] if settings.HTTPS else [SELF, "https:", "http:"]


def brand_style(region) -> str:
    """The region's colours as the embed's only inline style. Its hash, not a nonce,
    allows it, so that the page can be cached whole and served as it is."""
    return f":root{{--brand:{region.primary_color};--brand-dark:{region.primary_color_dark}}}"


def style_source(style: str) -> str:
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def framable_by_region(view):
    """Lets the region's allowed websites frame the view's pages (and no X-Frame-Options,
    which knows no list of sites), and allows the region's colours as inline style."""

    @wraps(view)
    def framed(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_replace = {
            "frame-ancestors": frame_ancestors(request.region),
            "style-src": [SELF, style_source(brand_style(request.region))],
        }
        return response

    return xframe_options_exempt(framed)
