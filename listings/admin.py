"""Categories and listings in the back office.

Categories are the operator's: one tree for all regions. Listings belong to their
organisations, so staff change none of their content here: a listing is shown
read-only, and moderators act on it only through the actions approve, reject and
remove. Those call listings.services, which log the decision (ListingEvent and the
admin history) and tell the organisation by email — with the reason, which it also
sees on its listing. Nothing changes silently under an organisation's name.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.backoffice import (
    CsvExportAdmin,
    DecisionAdmin,
    OperatorOnly,
    ReadOnlyInline,
    decision_form,
)
from regions.backoffice import SUPERUSER_ONLY, RegionScopedAdmin
from regions.models import StaffRole

from . import services
from .detail import attribute_rows
from .exports import listings_csv
from .models import Category, CategoryAttribute, Listing, ListingEvent, ListingPhoto, Status

# Categories ---------------------------------------------------------------------------------


class CategoryAttributeForm(forms.ModelForm):
    class Meta:
        model = CategoryAttribute
        fields = ["key", "label", "kind", "unit", "choices", "is_filterable", "position"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3, "cols": 30})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Listings store their values under the key: renaming it would orphan them.
            self.fields["key"].disabled = True


class CategoryAttributeInline(OperatorOnly, admin.TabularInline):
    model = CategoryAttribute
    form = CategoryAttributeForm
    extra = 0


@admin.register(Category)
class CategoryAdmin(OperatorOnly, admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "position", "is_active", "listing_count"]
    list_filter = ["is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["parent", "name", "slug", "description", "position", "is_active"]
    inlines = [CategoryAttributeInline]
    ordering = ["parent__position", "parent__name", "position", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(number_of_listings=models.Count("listings"))

    @admin.display(description=gettext_lazy("listings"), ordering="number_of_listings")
    def listing_count(self, category):
        return category.number_of_listings


# Listings: inlines --------------------------------------------------------------------------


class ListingPhotoInline(ReadOnlyInline):
    model = ListingPhoto
    fields = ["thumbnail", "alt_text", "position"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("photo"))
    def thumbnail(self, photo):
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" width="160" height="120"></a>',
            photo.large_url,
            photo.card_url,
            photo.alt_text,
        )


class ListingEventInline(ReadOnlyInline):
    model = ListingEvent
    fields = ["created_at", "action", "actor_email", "by_staff", "reason"]
    readonly_fields = fields
    verbose_name = gettext_lazy("history")
    verbose_name_plural = gettext_lazy("history")

    def get_queryset(self, request):
        # The row's title names the listing (ListingEvent.__str__): fetched with it.
        events = super().get_queryset(request).select_related("actor", "listing")
        return events.order_by("-created_at", "-pk")

    @admin.display(description=gettext_lazy("by"))
    def actor_email(self, event):
        return event.actor.email if event.actor else "–"


# Listings: filters and decision forms -------------------------------------------------------


class CategoryFilter(admin.SimpleListFilter):
    """The categories the shown listings are filed under, named with their group."""

    title = gettext_lazy("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        used = model_admin.get_queryset(request).values("category")
        categories = Category.objects.filter(pk__in=used).select_related("parent")
        ordered = sorted(categories, key=lambda c: (str(c).casefold(), c.pk))
        return [(category.pk, str(category)) for category in ordered]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # A string from the address, or a lookup's own pk while the admin counts facets.
        if str(self.value()) not in {str(pk) for pk, _label in self.lookup_choices}:
            raise IncorrectLookupParameters  # the admin answers "?e=1", like for its own filters
        return queryset.filter(category_id=self.value())


class ApproveForm(forms.Form):
    """Approving needs no words: the organisation is told its listing is published."""


ReasonForm = decision_form(
    "reason",
    gettext_lazy("Reason"),
    gettext_lazy(
        "The organisation reads this in an email and on its listing. Say what is wrong "
        "and, where it can be fixed, what to change."
    ),
    required=gettext_lazy("Please give a reason; the organisation will read it."),
)


# Listings -----------------------------------------------------------------------------------


@admin.register(Listing)
class ListingAdmin(DecisionAdmin, CsvExportAdmin, RegionScopedAdmin):
    """Moderators see their region's listings, pending ones first, and decide on them with
    the actions. Listings are created on the site only; only the operator deletes one
    (moderators remove it instead, which keeps its history)."""

    minimum_roles = {
        "view": StaffRole.MODERATOR,
        "add": SUPERUSER_ONLY,  # nobody, see has_add_permission
        "change": SUPERUSER_ONLY,  # nobody, see has_change_permission
        "delete": SUPERUSER_ONLY,
        "moderate": StaffRole.MODERATOR,
    }
    decision_template = "admin/listings/decision.html"
    decision_error = services.ListingError
    csv_name = "listings"
    write_csv = staticmethod(listings_csv)
    list_display = [
        "title",
        "region",
        "organisation",
        "category",
        "direction",
        "status",
        "published_at",
        "expires_at",
    ]
    list_display_links = ["title"]
    list_filter = [
        "status",
        CategoryFilter,
        "direction",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("region", admin.RelatedOnlyFieldListFilter),  # shown on the portal host only
    ]
    list_select_related = ["region", "organisation", "category__parent"]
    search_fields = ["title", "description", "organisation__name"]
    search_help_text = gettext_lazy("Title, description or name of the organisation")
    actions = ["approve", "reject", "remove", "export_csv"]
    inlines = [ListingPhotoInline, ListingEventInline]
    fieldsets = [
        (
            None,
            {"fields": ["title", "direction", "category_name", "description", "attribute_list"]},
        ),
        (
            gettext_lazy("Terms"),
            {
                "fields": [
                    "terms",
                    "price",
                    "price_unit",
                    "reduced_price",
                    "audience_list",
                    "places_of_use_list",
                    "quantity",
                    "quantity_unit",
                    "available_from",
                    "available_until",
                ]
            },
        ),
        (gettext_lazy("Location"), {"fields": ["place_name", "street"]}),
        (
            gettext_lazy("Organisation and status"),
            {
                "fields": [
                    "organisation",
                    "author_email",
                    "status",
                    "moderation_reason",
                    "published_at",
                    "expires_at",
                    "view_count",
                    "created_at",
                    "updated_at",
                ],
                "description": gettext_lazy(
                    "Listings belong to their organisation: approve, reject or remove them with "
                    "the actions in the list of listings, so that the organisation is told why."
                ),
            },
        ),
    ]
    readonly_fields = [field for _name, options in fieldsets for field in options["fields"]]

    def get_list_display(self, request):
        # On a region's host the back office shows that region only: no need to repeat it.
        if getattr(request, "region", None) is not None:
            return [field for field in self.list_display if field != "region"]
        return self.list_display

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("region", "organisation", "category__parent", "place", "author")
        )

    def get_ordering(self, request):
        # Pending listings wait for a decision: they come first, then the newest.
        waiting_first = models.Case(
            models.When(status=Status.PENDING, then=0),
            default=1,
            output_field=models.IntegerField(),
        )
        return [waiting_first.asc(), "-created_at", "-pk"]

    def has_add_permission(self, request):
        return False  # listings are written on the site, by their organisations

    def has_change_permission(self, request, obj=None):
        return False  # content is the organisation's; staff decide through the actions

    def has_moderate_permission(self, request, obj=None):
        return self._allowed(request, "moderate", obj)

    def view_on_site(self, listing):
        # On the listing's own host: the portal host does not serve listing pages.
        return listing.region.reverse("listing_detail", pk=listing.pk)

    # Read-only displays -----------------------------------------------------------------------

    # Category and place as text: the admin would link them to pages only the operator may see.

    @admin.display(description=gettext_lazy("category"))
    def category_name(self, listing):
        return str(listing.category)

    @admin.display(description=gettext_lazy("place"))
    def place_name(self, listing):
        return str(listing.place)

    @admin.display(description=gettext_lazy("author"))
    def author_email(self, listing):
        return listing.author.email if listing.author else "–"

    @admin.display(description=gettext_lazy("who may respond"))
    def audience_list(self, listing):
        return ", ".join(str(audience.label) for audience in listing.audience_list)

    @admin.display(description=gettext_lazy("place of use"))
    def places_of_use_list(self, listing):
        return listing.places_of_use_display

    @admin.display(description=gettext_lazy("details"))
    def attribute_list(self, listing):
        rows = attribute_rows(listing)
        if not rows:
            return "–"
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))

    # Approve, reject, remove ------------------------------------------------------------------

    def moderatable(self, request, queryset):
        region_ids = self.staff_region_ids(request, "moderate")
        return queryset if region_ids is None else queryset.in_regions(region_ids)

    @admin.action(description=gettext_lazy("Approve selected listings"), permissions=["moderate"])
    def approve(self, request, queryset):
        return self.decision(
            request,
            queryset,
            form_class=ApproveForm,
            action="approve",
            title=_("Approve listings"),
            explanation=_(
                "They are published at once; their organisations are told by email. The "
                "decision is recorded in each listing's history."
            ),
            button=_("Approve and publish"),
            decide=lambda listing, data: services.approve(listing, request.user),
            done=lambda count: ngettext(
                "%(count)d listing has been approved and published.",
                "%(count)d listings have been approved and published.",
                count,
            ),
        )

    @admin.action(description=gettext_lazy("Reject selected listings"), permissions=["moderate"])
    def reject(self, request, queryset):
        return self.decision(
            request,
            queryset,
            form_class=ReasonForm,
            action="reject",
            title=_("Reject listings"),
            explanation=_(
                "They go back to their organisations as drafts, which can be changed and "
                "submitted again. The organisations are told by email, with your reason."
            ),
            button=_("Reject"),
            decide=lambda listing, data: services.reject(listing, request.user, data["reason"]),
            done=lambda count: ngettext(
                "%(count)d listing has been rejected; its organisation is told by email.",
                "%(count)d listings have been rejected; their organisations are told by email.",
                count,
            ),
        )

    @admin.action(description=gettext_lazy("Remove selected listings"), permissions=["moderate"])
    def remove(self, request, queryset):
        return self.decision(
            request,
            queryset,
            form_class=ReasonForm,
            action="remove",
            title=_("Remove listings"),
            explanation=_(
                "They disappear from the platform for good. The organisations are told by "
                "email, with your reason."
            ),
            button=_("Remove"),
            decide=lambda listing, data: services.remove(listing, request.user, data["reason"]),
            done=lambda count: ngettext(
                "%(count)d listing has been removed; its organisation is told by email.",
                "%(count)d listings have been removed; their organisations are told by email.",
                count,
            ),
        )

    def decision_objects(self, request, queryset):
        listings = list(
            self.moderatable(request, queryset)
            .select_related("region", "organisation", "category__parent")
            .prefetch_related("region__domains")
        )
        for listing in listings:
            listing.site_url = listing.region.reverse("listing_detail", pk=listing.pk)
        return listings

    # CSV --------------------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Export selected listings as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self.export_selected(request, queryset)
