"""What impact adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (impact.apps)."""

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from embeds.hooks import embed_builder
from embeds.views import SIZING_SCRIPT
from organisations.hooks import organisation_profile
from regions.hooks import region_home

from .figures import organisation_counts, region_impact

COUNTER_HEIGHT = 260


@region_home.register
def impact_teaser(request) -> dict:
    """A few of the region's figures and the way to its impact page (cached figures)."""
    return {"impact": region_impact(request.region), "parts": ["impact/_home_teaser.html"]}


@organisation_profile.register
def organisation_figures(request, organisation) -> dict:
    """ "Hat in <Region> N-mal geholfen" / "hat N-mal etwas erhalten", beside its name."""
    counts = organisation_counts(organisation)
    if not (counts["helped"] or counts["received"]):
        return {}
    region = request.region
    if organisation.region_id != region.pk:  # a neighbour region's organisation
        region = organisation.region
    return {
        "impact_counts": counts,
        "impact_region_name": region.name,
        "summary_parts": ["impact/_profile_figures.html"],
    }


@embed_builder.register
def impact_counter(request, scope) -> dict:
    """The region's impact counter, offered beside the listings' snippet."""
    region = request.region
    title = _("Achieved together in %(name)s") % {"name": region.name}
    snippet = format_html(
        '<iframe src="{}" title="{}" height="{}" style="width:100%;border:0" loading="lazy" '
        "data-starkeregion-embed></iframe>\n"
        '<script src="{}" async></script>',
        region.build_absolute_uri(reverse("embed_impact")),
        f"{title} – starkeRegion",
        COUNTER_HEIGHT,
        region.build_absolute_uri(settings.STATIC_URL + SIZING_SCRIPT),
    )
    return {
        "impact_embed_snippet": snippet,
        "impact_embed_title": title,
        "impact_embed_preview": reverse("embed_impact"),
        "impact_embed_height": COUNTER_HEIGHT,
        "parts": ["impact/_builder_counter.html"],
    }
