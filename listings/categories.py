"""The categories listings are filed under: a two-level tree the operator keeps, and the
attributes a category's listings have (a vehicle's type, a room's area). Models of the
listings app (listings.models brings them in); listings.catalogue keeps them cached."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .choices import AttributeKind


class CategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def leaves(self):
        """The categories a listing can be filed under."""
        return self.filter(parent__isnull=False)


class Category(models.Model):
    """A two-level tree kept by the operator: groups (Fahrzeuge & Transport) hold the
    categories (Fahrzeuge, Transport und Zulademöglichkeit) that listings are filed under."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("group"),
        limit_choices_to={"parent__isnull": True},
        help_text=_("Empty for a group; listings are filed under categories within a group."),
    )
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="category_is_not_its_own_parent"
            )
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.parent_id:
            raise ValidationError(
                {"parent": _("Categories have two levels: choose a group as parent.")}
            )
        if self.pk and self.parent_id and self.children.exists():
            raise ValidationError(
                {"parent": _("This group has categories of its own and cannot move into another.")}
            )

    @property
    def is_group(self):
        return self.parent_id is None


class CategoryAttribute(models.Model):
    """An extra field that listings of a category (or of all categories of a group) have,
    such as a vehicle's type or a room's area; stored in Listing.attributes under `key`."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="attributes", verbose_name=_("category")
    )
    key = models.SlugField(
        _("key"), max_length=40, help_text=_("Internal name, e.g. vehicle-type; never change it.")
    )
    label = models.CharField(_("label"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=AttributeKind)
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. kg, m², kWh"))
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For a choice: one option per line.")
    )
    is_filterable = models.BooleanField(
        _("filterable"), default=False, help_text=_("Offered as a filter on the search page.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category attribute")
        verbose_name_plural = _("category attributes")
        ordering = ["category", "position", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "key"],
                name="unique_attribute_key_per_category",
                violation_error_message=_("This category already has an attribute with this key."),
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def has_options(self) -> bool:
        return self.kind in (AttributeKind.CHOICE, AttributeKind.MULTIPLE)

    @property
    def allows_several(self) -> bool:
        return self.kind == AttributeKind.MULTIPLE

    def values_of(self, stored) -> list:
        """What a listing holds under this attribute, as a list: several choices are
        stored as a list, anything else (or a single choice stored before the attribute
        allowed several) as one value."""
        if stored is None or stored == "" or stored == []:
            return []
        return list(stored) if isinstance(stored, list) else [stored]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.has_options and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("A choice needs at least two options.")})
