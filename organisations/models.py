from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Exists, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from regions.models import Place, Region, RegionOwnedQuerySet


class PrivateStorage(LazyObject):
    """Files only views with a permission check may hand out (proofs of status)."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def get_private_storage():
    """For the field: migrations record this function, not a path of this machine."""
    return private_storage


class OrganisationType(models.TextChoices):
    COMPANY = "company", _("Company")
    CRAFT = "craft", _("Craft business")
    STARTUP = "startup", _("Start-up")
    ASSOCIATION = "association", _("Association")
    SCHOOL = "school", _("School")
    DAYCARE = "daycare", _("Daycare centre")
    PUBLIC = "public", _("Public institution")
    NONPROFIT = "nonprofit", _("Non-profit organisation")
    RESEARCH = "research", _("Research and education")


# Types that may receive donations once staff verified them, and so prove their status.
NONPROFIT_TYPES = frozenset(
    {
        OrganisationType.ASSOCIATION,
        OrganisationType.SCHOOL,
        OrganisationType.DAYCARE,
        OrganisationType.PUBLIC,
        OrganisationType.NONPROFIT,
    }
)


class Sector(models.TextChoices):
    """The old platform's 17 sectors."""

    CONSTRUCTION = "construction", _("Construction and planning")
    OFFICE = "office", _("Office and administration")
    CHEMICALS = "chemicals", _("Chemicals, plastics, pharmaceuticals")
    OTHER_SERVICES = "other-services", _("Other services")
    ENERGY = "energy", _("Energy")
    FORESTRY = "forestry", _("Forestry and horticulture")
    HEALTH = "health", _("Health, medicine, care")
    TRADE = "trade", _("Trade")
    CRAFTS = "crafts", _("Crafts")
    HOUSEHOLD = "household", _("Household services")
    REAL_ESTATE = "real-estate", _("Real estate")
    MEDIA = "media", _("Press and media")
    PRODUCTION = "production", _("Production")
    TOURISM = "tourism", _("Tourism and hospitality")
    ASSOCIATIONS = "associations", _("Clubs and associations")
    FINANCE = "finance", _("Insurance and finance")
    OTHER = "other", _("Other")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro (fewer than 10 people)")
    SMALL = "small", _("Small (10 to 49 people)")
    MEDIUM = "medium", _("Medium (50 to 249 people)")
    LARGE = "large", _("Large (250 people or more)")


class Verification(models.TextChoices):
    NEW = "new", _("Not checked yet")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


PROOF_LAPSES_SOON = timedelta(days=60)
# Managers of an eligible organisation are told this long before its verified proof lapses.
PROOF_REMINDER_BEFORE = timedelta(days=30)


class OrganisationQuerySet(RegionOwnedQuerySet):
    def verified(self):
        return self.filter(verification=Verification.VERIFIED)

    def listed(self):
        """Those the directory and the sitemap name: all but the ones staff rejected."""
        return self.exclude(verification=Verification.REJECTED)

    def eligible_for_donations(self, today=None):
        """Verified non-profits whose verified proof of status has not lapsed (an end date
        of none: the proof runs without one)."""
        today = today or timezone.localdate()
        return (
            self.verified()
            .filter(type__in=NONPROFIT_TYPES)
            .filter(Q(proof_verified_until__isnull=True) | Q(proof_verified_until__gte=today))
        )

    def proof_lapsing_on(self, day):
        """Eligible organisations whose verified proof lapses on or before `day` and whose
        managers have not been told of that date yet (organisations.services)."""
        return (
            self.eligible_for_donations()
            .filter(proof_verified_until__lte=day)
            .exclude(proof_reminded_for=F("proof_verified_until"))
        )

    def verified_proof_lapsing(self, within=PROOF_REMINDER_BEFORE):
        """Eligible organisations whose verified proof lapses within `within`: staff's queue
        of proofs to check again before a school or association loses its eligibility."""
        today = timezone.localdate()
        return self.eligible_for_donations(today).filter(proof_verified_until__lte=today + within)

    def suspended(self):
        return self.filter(suspended_at__isnull=False)

    def with_proof_lapsing(self, within=PROOF_LAPSES_SOON):
        """Proofs of status that run out within `within` (or have run out already)."""
        return self.filter(proof_valid_until__lte=timezone.localdate() + within)


class Organisation(models.Model):
    """A company, school, association … of one region, on whose behalf members act."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(_("name"), max_length=150)
    type = models.CharField(_("type of organisation"), max_length=20, choices=OrganisationType)
    legal_form = models.CharField(
        _("legal form"), max_length=60, blank=True, help_text=_("e.g. GmbH, e. V., gGmbH")
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    size = models.CharField(_("size"), max_length=10, choices=SizeClass)
    street = models.CharField(_("street and number"), max_length=150)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    website = models.URLField(_("website"), blank=True)
    public_email = models.EmailField(
        _("public email address"), blank=True, help_text=_("Shown to logged-in users only.")
    )
    public_phone = models.CharField(
        _("public phone number"),
        max_length=40,
        blank=True,
        help_text=_("Shown to logged-in users only."),
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    # Off by default: whoever receives should not be named without having chosen it. The
    # database has the default too, so code that predates the field still inserts rows
    # (the values migration test's historical models).
    named_as_giver = models.BooleanField(
        _("name us on the region's impact page"),
        default=False,
        db_default=False,
        help_text=_(
            "Lists your organisation among those who gave, with how often. "
            "What you received is never named."
        ),
    )

    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification, default=Verification.NEW
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verification_note = models.TextField(
        _("internal note"), blank=True, help_text=_("For staff only.")
    )
    rejection_reason = models.TextField(
        _("reason for rejection"), blank=True, help_text=_("The organisation's admins see this.")
    )
    proof = models.FileField(
        _("proof of status"),
        storage=get_private_storage,
        upload_to="proofs/%Y/",
        blank=True,
        help_text=_("e.g. the tax office's exemption notice; seen only by admins and staff."),
    )
    proof_valid_until = models.DateField(_("proof valid until"), null=True, blank=True)
    # The end date of the proof staff checked when they verified the organisation: what
    # eligibility counts. A new proof (and its date) counts once staff verify again.
    proof_verified_until = models.DateField(
        _("verified proof valid until"), null=True, blank=True, editable=False
    )
    proof_reminded_for = models.DateField(null=True, blank=True, editable=False)

    # Suspended by staff: its people log in and read, but it publishes, inquires and
    # writes nothing (organisations.permissions.restriction).
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True, editable=False)
    # A database default too: rows written by code that predates the column (older
    # migrations' states, a release still running during a deploy) stay valid.
    suspension_reason = models.TextField(
        _("reason for suspension"), blank=True, editable=False, default="", db_default=""
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["region", "name"], name="organisation_region_name_idx"),
            models.Index(fields=["region", "verification"], name="organisation_verification_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation_profile", kwargs={"pk": self.pk})

    @property
    def is_verified(self):
        return self.verification == Verification.VERIFIED

    @property
    def may_prove_status(self):
        """Schools, associations, public institutions and non-profits prove their status."""
        return self.type in NONPROFIT_TYPES

    @property
    def is_suspended(self):
        return self.suspended_at is not None

    @property
    def proof_has_lapsed(self):
        return bool(self.proof_verified_until and self.proof_verified_until < timezone.localdate())

    @property
    def is_eligible_for_donations(self):
        return self.may_prove_status and self.is_verified and not self.proof_has_lapsed

    @property
    def proof_lapses_soon(self):
        return bool(
            self.proof_valid_until
            and self.proof_valid_until <= timezone.localdate() + PROOF_LAPSES_SOON
        )


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


MANAGING_ROLES = frozenset({Role.OWNER, Role.ADMIN})


class MembershipQuerySet(RegionOwnedQuerySet):
    region_lookup = "organisation__region"

    def managing(self):
        return self.filter(role__in=MANAGING_ROLES)

    def owners(self):
        return self.filter(role=Role.OWNER)

    def mail_recipients(self, organisation, responsible=None):
        """Who in `organisation` gets mail about something: the person responsible for it
        (who wrote the listing or the inquiry; its user id) while they still belong to the
        organisation, else its owners and administrators. One query; narrow it further
        (people who turned a kind of mail off) before reading `emails()`."""
        memberships = self.filter(organisation=organisation)
        responsible_belongs = Exists(memberships.filter(user_id=responsible))
        return memberships.filter(
            Q(user_id=responsible) | (Q(role__in=MANAGING_ROLES) & ~responsible_belongs)
        )

    def emails(self) -> list[str]:
        return list(self.order_by("user__email").values_list("user__email", flat=True))


class Membership(models.Model):
    """A person acting for an organisation. Owners and administrators manage it and its
    members; members act for it (post, respond) but cannot manage it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                name="one_membership_per_user_and_organisation",
                violation_error_message=_("This person is already a member."),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def can_manage(self):
        return self.role in MANAGING_ROLES


INVITATION_VALID_FOR = timedelta(days=14)


class InvitationQuerySet(RegionOwnedQuerySet):
    region_lookup = "organisation__region"

    def open(self):
        return self.filter(
            accepted_at__isnull=True, created_at__gte=timezone.now() - INVITATION_VALID_FOR
        )


class Invitation(models.Model):
    """An invitation by email to join an organisation; the emailed link is signed, works
    once and only within INVITATION_VALID_FOR."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(role="owner"), name="invitations_never_make_owners")
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def expires_at(self):
        return self.created_at + INVITATION_VALID_FOR

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at
