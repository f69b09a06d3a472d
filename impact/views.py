"""The region's impact page ("Erfolge") and the impact counter other websites embed.

Both are public and show impact.figures, which are cached; the embed is rendered without
the request and cached whole, like the listings' embed (embeds.showcase), and framable by
the same websites (embeds.framing)."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from embeds.framing import brand_style, framable_by_region
from listings.models import Terms

from . import chart
from .figures import CACHED_FOR, KINDS, ReceiverGroup, region_impact
from .signals import impact_generation


@require_safe
def page(request):
    impact = region_impact(request.region)
    return render(
        request,
        "impact/page.html",
        {
            "impact": impact,
            "kinds": [(Terms(kind).label, impact.kind(kind)) for kind in KINDS],
            "receiver_groups": [
                (label, impact.receiver_group(group)) for group, label in receiver_labels()
            ],
            "bars": chart.bars(impact),
            "legend": chart.legend(),
            "kind_labels": [Terms(kind).label for kind in KINDS],
        },
    )


def receiver_labels():
    labels = {
        ReceiverGroup.SCHOOLS: _("Schools and daycare centres"),
        ReceiverGroup.ASSOCIATIONS: _("Associations"),
        ReceiverGroup.OTHER_NONPROFITS: _("Other non-profit and public institutions"),
    }
    return [(group, labels[group]) for group in ReceiverGroup.ORDER]


@require_safe
@framable_by_region
def embed(request):
    """The counter: a few figures of the region and a link to its impact page."""
    chosen = request.GET.get("lang")
    language = chosen if chosen in dict(settings.LANGUAGES) else request.LANGUAGE_CODE
    region = request.region
    day = timezone.localdate().isoformat()
    key = f"impact:embed:{region.pk}:{impact_generation(region.pk)}:{day}:{language}"
    html = cache.get(key)
    if html is None:
        with translation.override(language):
            # Without the request: nothing of the visitor gets into a page cached for all.
            html = render_to_string(
                "impact/embed.html",
                {
                    "region": region,
                    "impact": region_impact(region),
                    "brand_style": brand_style(region),
                    "LANGUAGE_CODE": language,
                },
            )
        cache.set(key, html, CACHED_FOR)
    return HttpResponse(html)
