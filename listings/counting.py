"""How often a listing was looked at — counted without tracking anyone.

A view counts once per visitor, listing and day. To know whether this visitor
already counted today, the counter keeps, in the shared cache only, a keyed hash
(HMAC-SHA256) of the client's IP address, its User-Agent and the listing id.
The key is derived from SECRET_KEY and today's date. That is privacy-friendly
because:

- no cookie is set and nothing is stored in the browser;
- neither the IP address nor the User-Agent is stored anywhere — not in the
  database, not in the cache: only the hash, which cannot be reversed without
  the secret key;
- the key changes every day, so tomorrow's hash of the same visitor differs
  from today's: visits cannot be linked across days, and the cache entry
  expires at midnight anyway;
- the database holds nothing but the total per listing (Listing.view_count).

Not counted: listings that are not published, members of the owning
organisation (they check their own listing), automated clients (search engines,
link previews, monitoring, scripts) and speculative prefetches by browsers.
"""

import re
from datetime import datetime, time, timedelta

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import Listing, Status

# Automated clients name themselves in the User-Agent; these words cover search engines
# (Googlebot, bingbot, Yahoo! Slurp), link previews of messengers and social networks
# (facebookexternalhit, WhatsApp, Slackbot, BingPreview), feed readers, uptime monitors,
# archives, command-line tools, HTTP libraries and headless browsers. ("cubot" is a phone.)
BOT_USER_AGENT = re.compile(
    r"(?<!cu)bot|crawl|spider|slurp|preview|fetch|monitor|uptime|pingdom|archiver|scan|validator"
    r"|externalhit|whatsapp|embedly|feed|reader|curl|wget|httpie|python|requests|urllib"
    r"|aiohttp|httpx|go-http-client|java/|okhttp|libwww|perl|ruby|php/|axios|node-fetch"
    r"|headless|phantomjs|selenium|puppeteer|playwright|lighthouse|scrapy",
    re.IGNORECASE,
)
MAX_USER_AGENT = 512  # enough to tell browsers apart; caps the work for absurd headers
KEY_PREFIX = "listing-view"


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOT_USER_AGENT.search(user_agent))


def is_prefetch(request) -> bool:
    """Browsers fetch pages a visitor might open next; nobody has seen those yet."""
    purpose = request.headers.get("Sec-Purpose") or request.headers.get("Purpose") or ""
    return "prefetch" in purpose.lower() or "prerender" in purpose.lower()


def client_ip(request) -> str:
    """The visitor's address as allauth's rate limits see it (ALLAUTH_TRUSTED_PROXY_COUNT
    and ALLAUTH_TRUSTED_CLIENT_IP_HEADER configure proxies once for both)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return ""


def visit_key(day, ip: str, user_agent: str, listing_id: int) -> str:
    """The cache key of one visitor's view of one listing on `day`; meaningless on any
    other day and without the secret key."""
    digest = salted_hmac(
        f"listings.view-count.{day.isoformat()}",
        f"{ip}\n{user_agent}\n{listing_id}",
        algorithm="sha256",
    ).hexdigest()
    return f"{KEY_PREFIX}:{digest}"


def seconds_until_midnight(now) -> int:
    local = timezone.localtime(now)
    midnight = datetime.combine(local.date() + timedelta(days=1), time.min, local.tzinfo)
    return max(1, int((midnight - local).total_seconds()))


def count_view(request, listing: Listing, *, by_member: bool, now=None) -> bool:
    """Adds one to the listing's view count if this is the visitor's first view today.

    `by_member`: the viewer belongs to the listing's organisation. Returns whether the
    view counted.
    """
    if listing.status != Status.PUBLISHED or by_member or request.method != "GET":
        return False
    user_agent = request.headers.get("User-Agent", "")[:MAX_USER_AGENT]
    if is_bot(user_agent) or is_prefetch(request):
        return False
    now = now or timezone.now()
    key = visit_key(timezone.localdate(now), client_ip(request), user_agent, listing.pk)
    if not cache.add(key, 1, timeout=seconds_until_midnight(now)):
        return False  # seen today already
    Listing.objects.filter(pk=listing.pk).update(view_count=F("view_count") + 1)
    return True
