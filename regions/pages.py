"""Region pages: Markdown written by staff, rendered to sanitised HTML.

Every region gets the four pages when it is created, worded from the templates
in templates/regions/default_pages/ for its federal state, with placeholders where its
operator's details go (filled in when a page is shown: regions.legal).
"""

import markdown
import nh3
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.safestring import mark_safe

from .legal import starter_text
from .models import Region, RegionPage

ALLOWED_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "a", "strong", "em", "br", "blockquote"}


def render_markdown(text: str) -> str:
    """Markdown to HTML that can only contain harmless tags, whoever typed it."""
    html = markdown.markdown(text, extensions=["sane_lists"])
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener")
    return mark_safe(cleaned)  # noqa: S308  (sanitised by nh3 just above)


def create_default_pages(region: Region) -> None:
    # The pages are the region's own German content, whatever language the creator uses.
    with translation.override(settings.LANGUAGE_CODE):
        for kind in RegionPage.Kind:
            RegionPage.objects.get_or_create(
                region=region,
                kind=kind,
                defaults={"title": str(kind.label), "body": starter_text(kind.value, region)},
            )


@receiver(post_save, sender=Region)
def _create_pages_for_new_region(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        create_default_pages(instance)
