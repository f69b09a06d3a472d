from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.http.request import validate_host
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.uploads import MaxFileSizeValidator

from .colours import WHITE, contrast_ratio, darken, validate_brand_colour
from .operators import OperatorDetails
from .origins import parse_origins, validate_origins
from .querysets import RegionOwnedQuerySet
from .roles import StaffRole

district_key_validator = RegexValidator(
    r"^\d{5}$", _("The district key has exactly five digits, for example 12069.")
)
host_validator = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$",
    _("Enter a host name in lower case without protocol or port, e.g. pm.starkeregion.digital."),
)


class RegionQuerySet(RegionOwnedQuerySet):
    region_lookup = "pk"

    def active(self):
        return self.filter(is_active=True)

    def reachable(self):
        """Active regions that have a host name to be reached at."""
        return self.active().filter(domains__isnull=False).distinct()

    def without_places(self):
        """Regions whose postal codes were never imported (`manage.py import_places`): they
        refuse every address of their own district."""
        return self.exclude(district_key__in=Place.objects.values("district_key"))


class Region(OperatorDetails):
    """A district's instance of the platform: its name, look, operator and rules."""

    class Moderation(models.TextChoices):
        PRE = "pre", _("Pre-moderation: staff approve listings before they appear")
        POST = "post", _("Post-moderation: listings appear at once, staff check afterwards")

    class Preposition(models.TextChoices):
        # German words, whatever the interface language: they belong to the name.
        IN = "in", "in (in Potsdam-Mittelmark)"
        IM = "im", "im (im Havelland, im Rhein-Sieg-Kreis)"
        IN_DER = "in der", "in der (in der Uckermark)"

    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. Potsdam-Mittelmark"))
    preposition = models.CharField(
        _("preposition before the name"),
        max_length=6,
        choices=Preposition,
        default=Preposition.IN,
        db_default=Preposition.IN,
        help_text=_(
            "The word German puts before the name: Anzeigen in Potsdam-Mittelmark, im "
            "Havelland, in der Uckermark."
        ),
    )
    slug = models.SlugField(_("short name"), unique=True, help_text=_("e.g. pm"))
    district_key = models.CharField(
        _("official district key"),
        max_length=5,
        unique=True,
        validators=[district_key_validator],
        help_text=_("Official district key (Kreisschlüssel), five digits, e.g. 12069."),
    )
    claim = models.CharField(_("claim"), max_length=200, blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="regions/logos/",
        blank=True,
        validators=[MaxFileSizeValidator(2 * 1024 * 1024)],
        help_text=_("PNG, JPEG or WebP, square, at most 2 MB."),
    )
    primary_color = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#0b5e7e",
        validators=[validate_brand_colour],
        help_text=_("Hex code; must contrast with white at 4.5:1 or more."),
    )
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=Moderation, default=Moderation.POST
    )
    # A new region starts switched off: it goes live through the onboarding checklist
    # (regions.onboarding.go_live) once it has its places, look, staff and legal texts.
    is_active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_(
            "Inactive regions answer every page with 404 and are not listed on the portal. "
            "A region goes live with “Go live” once its checklist is complete."
        ),
    )
    # A default in the database too: code that predates the field (a web process during the
    # deploy's migration, a migration test's historical models) still inserts regions.
    embed_allowed_origins = models.TextField(
        _("websites that may embed listings"),
        blank=True,
        db_default="",
        validators=[validate_origins],
        help_text=_(
            "One website per line, e.g. https://www.landkreis.example. Only these may show the "
            "region's embedded listings; leave empty to allow every website."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def name_with_preposition(self) -> str:
        """Where, in the language of the page: “im Havelland”, “in der Uckermark” in German,
        which needs the name's own preposition; English says “in” before every name."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        preposition = self.preposition if language.startswith("de") else "in"
        return f"{preposition} {self.name}"

    @property
    def primary_color_dark(self):
        return darken(self.primary_color, 0.25)

    @property
    def primary_color_contrast(self):
        return contrast_ratio(self.primary_color, WHITE)

    @property
    def embed_origins(self) -> list[str]:
        """The websites allowed to frame the region's embeds; empty means any."""
        return parse_origins(self.embed_allowed_origins)

    @property
    def primary_host(self):
        """The host name links to this region use; prefetch `domains` when listing regions."""
        domains = sorted(self.domains.all(), key=lambda d: (not d.is_primary, d.host))
        return domains[0].host if domains else None

    def build_absolute_uri(self, path="/"):
        """An absolute URL on this region's own host, for emails and feeds."""
        port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
        return f"{settings.SITE_SCHEME}://{self.primary_host}{port}{path}"

    def reverse(self, viewname, *args, **kwargs):
        return self.build_absolute_uri(
            reverse(viewname, urlconf=settings.ROOT_URLCONF, args=args, kwargs=kwargs)
        )


class RegionDomain(models.Model):
    """A host name that serves a region; the primary one is used in links."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="domains")
    host = models.CharField(
        _("host name"), max_length=253, unique=True, validators=[host_validator]
    )
    is_primary = models.BooleanField(_("primary"), default=False)

    objects = RegionOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("host name")
        verbose_name_plural = _("host names")
        ordering = ["host"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(is_primary=True),
                name="one_primary_domain_per_region",
                violation_error_message=_("A region has only one primary host name."),
            )
        ]

    def __str__(self):
        return self.host

    def save(self, *args, **kwargs):
        self.host = self.host.lower().strip()
        super().save(*args, **kwargs)

    def clean(self):
        self.host = self.host.lower().strip()
        if self.host and not validate_host(self.host, settings.ALLOWED_HOSTS):
            raise ValidationError(
                {
                    "host": _(
                        "This installation does not answer for %(host)s: add it to the "
                        "ALLOWED_HOSTS setting first."
                    )
                    % {"host": self.host}
                }
            )


class RegionPage(models.Model):
    """A page each region words itself: legal texts and how the platform works."""

    class Kind(models.TextChoices):
        HOW_IT_WORKS = "how-it-works", _("How it works")
        IMPRINT = "imprint", _("Imprint")
        PRIVACY = "privacy", _("Privacy policy")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")

    # The law asks every region for these: edited, never deleted (regions.legal).
    REQUIRED = frozenset({Kind.IMPRINT, Kind.PRIVACY, Kind.ACCESSIBILITY})

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="pages")
    kind = models.CharField(_("page"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Markdown: blank line between paragraphs, ## for a heading, - for a list item, "
            "[text](https://…) for a link."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Empty while the page holds the starter text it was created with; set when staff save
    # a changed title or text in the back office (regions.admin.RegionPageAdmin).
    adapted_at = models.DateTimeField(_("adapted"), null=True, blank=True)

    objects = RegionOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("region page")
        verbose_name_plural = _("region pages")
        ordering = ["region", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind"],
                name="one_page_of_each_kind_per_region",
                violation_error_message=_("This region already has this page."),
            )
        ]

    def __str__(self):
        return f"{self.region} – {self.get_kind_display()}"

    def get_absolute_url(self):
        # Absolute, on the region's own host: the admin links here from any host.
        return self.region.reverse(f"page_{self.kind}")

    @property
    def is_required(self) -> bool:
        return self.kind in self.REQUIRED


class StaffMembership(models.Model):
    """A person who works in a region's back office, and in which role.

    Moderators check what members post; region administrators also edit the
    region's branding and pages.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships"
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("role"), max_length=10, choices=StaffRole)

    objects = RegionOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region"],
                name="one_staff_role_per_user_and_region",
                violation_error_message=_("This person already works for this region."),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.region} ({self.get_role_display()})"


class PlaceQuerySet(models.QuerySet):
    def in_region(self, region):
        return self.filter(district_key=region.district_key)


class Place(models.Model):
    """A postal code with place name and centroid, from GeoNames (CC BY 4.0).

    Reference data for the whole country, loaded per district by
    `manage.py import_places`; a region's places are those with its district key.
    """

    postal_code = models.CharField(_("postal code"), max_length=5)
    name = models.CharField(_("place"), max_length=100)
    district_key = models.CharField(_("district key"), max_length=5, db_index=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["postal_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["postal_code", "name", "district_key"], name="unique_place"
            )
        ]
        indexes = [models.Index(fields=["postal_code"], name="place_postal_code_idx")]

    def __str__(self):
        return f"{self.postal_code} {self.name}"


# The moderation log, the installation's operator and the invitations of staff are models of
# this app too (regions.audit, regions.operators, regions.invitations); importing them here
# registers them.
from .audit import AuditEntry  # noqa: E402, F401
from .invitations import StaffInvitation  # noqa: E402, F401
from .operators import InstallationOperator, PortalPage  # noqa: E402, F401
