"""The embed pages other websites show in an iframe, and the "Einbinden" page that
writes the snippet for them.

An embed page is public, cached whole (embeds.showcase) and framable by the region's
allowed websites (embeds.framing). It never touches the session, the user or a CSRF
token, so it sets no cookie; bad options answer 400 with what is wrong, in the frame.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from listings.catalogue import catalogue
from organisations.acting import acting_membership
from organisations.hooks import organisation_management

from .forms import BuilderForm
from .framing import brand_style, framable_by_region
from .hooks import embed_builder
from .options import UNKNOWN_ORGANISATION, EmbedOptions, EmbedOptionsForm, Layout
from .permissions import builder_scope
from .showcase import UnknownOrganisation, embed_page

# The unhashed address of the sizing script: a snippet on another site keeps it for
# years, beyond any deployment whose hashed file names would change under it.
SIZING_SCRIPT = "embeds/embed.js"
# builder.js asks for the snippet and preview alone with this header.
RESULT_ONLY_HEADER = "X-Embed-Builder"


@require_safe
@framable_by_region
def listings(request):
    language = _language(request)
    with translation.override(language):
        current = catalogue()
        form = EmbedOptionsForm(request.GET, catalogue=current)
        if not form.is_valid():
            return _invalid(request, language, [str(error) for error in _errors(form)])
        options = form.options()
        try:
            page = embed_page(request.region, options, options.language or language, current)
        except UnknownOrganisation:
            return _invalid(request, language, [str(UNKNOWN_ORGANISATION)])
    return HttpResponse(page)


def _language(request) -> str:
    chosen = request.GET.get("lang")
    return chosen if chosen in dict(settings.LANGUAGES) else request.LANGUAGE_CODE


def _errors(form):
    return [error for errors in form.errors.values() for error in errors]


def _invalid(request, language, errors):
    html = render_to_string(
        "embeds/invalid.html",
        {
            "region": request.region,
            "errors": errors,
            "brand_style": brand_style(request.region),
            "LANGUAGE_CODE": language,
        },
    )
    return HttpResponse(html, status=400)


@login_required
def builder(request):
    """The "Einbinden" page: options in a GET form, the snippet, and the embed itself as
    its preview. Works without JavaScript; embeds/builder.js updates it as one types."""
    scope = builder_scope(request)
    data = _with_defaults(request, scope)
    form = BuilderForm(data, catalogue=catalogue(), scope=scope)
    options = form.options() if form.is_valid() else None
    organisation = next(
        (org for org in scope.organisations if options and org.pk == options.organisation), None
    )
    context = {"form": form, "options": options, "organisation": organisation, "scope": scope}
    if options is not None:
        context.update(_snippet(request, options, organisation))
    if request.headers.get(RESULT_ONLY_HEADER) == "result":
        response = render(request, "embeds/_builder_result.html", context)
    else:
        if organisation is not None and not scope.whole_region:
            context.update(organisation_management.merged(request, organisation))
        context.update(embed_builder.merged(request, scope))
        response = render(request, "embeds/builder.html", context)
    patch_vary_headers(response, [RESULT_ONLY_HEADER])
    return response


def _with_defaults(request, scope) -> QueryDict:
    """The query with the defaults filled in, so that a first visit shows a snippet and the
    form's radio buttons show what the embed does; an organisation's administrators start
    with the organisation they act for, if they manage it, else their first."""
    data = request.GET.copy()
    data.setdefault("count", str(EmbedOptions.count))
    data.setdefault("layout", Layout.PORTRAIT)
    if not scope.whole_region:
        acting = acting_membership(request)
        first = scope.organisations[0].pk
        chosen = (
            acting.organisation_id if acting and scope.allows(acting.organisation_id) else first
        )
        data.setdefault("organisation", str(chosen))
    return data


def _snippet(request, options: EmbedOptions, organisation) -> dict:
    """The HTML another website pastes: the iframe (on the region's primary host, which
    links in emails use too) and the optional sizing script."""
    region = request.region
    path = reverse("embed_listings")
    query = options.query()
    relative = f"{path}?{query}" if query else path
    height = 360 if options.layout == Layout.LANDSCAPE else 80 + 110 * options.count
    if organisation is not None:
        what = _("Listings of %(name)s") % {"name": organisation.name}
    else:
        what = _("Current listings")
    title = f"{what} – starkeRegion {region.name}"
    snippet = format_html(
        '<iframe src="{}" title="{}" height="{}" style="width:100%;border:0" loading="lazy" '
        "data-starkeregion-embed></iframe>\n"
        '<script src="{}" async></script>',
        region.build_absolute_uri(relative),
        title,
        height,
        region.build_absolute_uri(settings.STATIC_URL + SIZING_SCRIPT),
    )
    return {
        "snippet": snippet,
        "preview_address": relative,
        "frame_title": title,
        "suggested_height": height,
    }
