"""Region pages: Markdown written by staff, rendered to sanitised HTML.

Every region gets the four pages when it is created, worded from the templates
in templates/regions/default_pages/ with the region's own name and operator.
"""

import markdown
import nh3
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

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
            body = render_to_string(f"regions/default_pages/{kind.value}.md", {"region": region})
            RegionPage.objects.get_or_create(
                region=region, kind=kind, defaults={"title": str(kind.label), "body": body.strip()}
            )


@receiver(post_save, sender=Region)
def _create_pages_for_new_region(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        create_default_pages(instance)
