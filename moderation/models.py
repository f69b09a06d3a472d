"""Reports of what is public — a listing or an organisation's profile — and the case staff
decide on. Everyone logged in may report; reports of one thing wait together in one open
case, which staff decide once for all of them (moderation.services)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from listings.models import Listing
from organisations.models import Organisation
from regions.models import Region, RegionOwnedQuerySet

# Reports from this many different organisations hide a listing until staff decide.
HIDE_AFTER_ORGANISATIONS = 3
MAX_TEXT_LENGTH = 2000


class ReportReason(models.TextChoices):
    WRONG_CATEGORY = "category", _("Wrong category")
    NOT_AVAILABLE = "unavailable", _("No longer available")
    INAPPROPRIATE = "inappropriate", _("Inappropriate content")
    FRAUD = "fraud", _("Fraud or a fake offer")
    OTHER = "other", _("Something else")


class CaseState(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")
    REVIEW = "review", _("Review requested")
    CLOSED = "closed", _("Closed")


class Decision(models.TextChoices):
    DISMISSED = "dismissed", _("Dismissed")
    FIX_REQUESTED = "fix", _("Owner asked to fix")
    LISTING_REMOVED = "removed", _("Listing removed")
    ORGANISATION_SUSPENDED = "suspended", _("Organisation suspended")


# States in which staff still have something to do.
WAITING = (CaseState.OPEN, CaseState.REVIEW)


class CaseQuerySet(RegionOwnedQuerySet):
    def waiting(self):
        return self.filter(state__in=WAITING)

    def open_about(self, *, listing=None, organisation=None):
        """The open case about the listing, or about the organisation's profile itself."""
        if listing is not None:
            return self.filter(state=CaseState.OPEN, listing=listing)
        return self.filter(state=CaseState.OPEN, listing__isnull=True, organisation=organisation)


class Case(models.Model):
    """Everything reported about one listing (or one organisation's profile) until staff
    decide: the reports, the decision with its reason, and the owner's one request for a
    review with staff's answer."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # Empty for a report of the organisation itself; else the listing, of `organisation`.
    listing = models.ForeignKey(
        Listing,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("listing"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CaseState, default=CaseState.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("first reported"), auto_now_add=True)
    last_reported_at = models.DateTimeField(_("last reported"), db_index=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    hidden = models.BooleanField(
        _("hidden after reports"),
        default=False,
        help_text=_("The listing was hidden after reports from several organisations."),
    )

    decision = models.CharField(_("decision"), max_length=10, choices=Decision, blank=True)
    decision_text = models.TextField(_("reason given"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    review_text = models.TextField(_("owner's request for review"), blank=True)
    review_requested_at = models.DateTimeField(_("review requested"), null=True, blank=True)
    review_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("review requested by"),
    )
    review_answer = models.TextField(_("answer to the review"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-last_reported_at", "-pk"]
        constraints = [
            # One open case per listing, and one per organisation's profile.
            models.UniqueConstraint(
                fields=["listing"],
                condition=Q(state="open", listing__isnull=False),
                name="moderation_one_open_case_per_listing",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(state="open", listing__isnull=True),
                name="moderation_one_open_case_per_organisation",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region", "state", "-report_count", "-last_reported_at"],
                name="moderation_queue_idx",
            )
        ]

    def __str__(self):
        return self.listing.title if self.listing_id else self.organisation.name

    def get_absolute_url(self):
        """Where the owner reads the decision and may ask for a review."""
        return reverse("moderation_case", kwargs={"pk": self.pk})

    @property
    def is_about_listing(self):
        return self.listing_id is not None

    @property
    def may_ask_for_review(self):
        """Once, after a decision that is not a dismissal."""
        return (
            self.state == CaseState.DECIDED
            and self.decision != Decision.DISMISSED
            and self.review_requested_at is None
        )


class Report(models.Model):
    """One person's report, on behalf of the organisation they act for (if any): only
    reports of different organisations count towards hiding a listing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reporter_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    reason = models.CharField(_("reason"), max_length=15, choices=ReportReason)
    text = models.TextField(_("what is wrong"), max_length=MAX_TEXT_LENGTH, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("single report")
        verbose_name_plural = _("single reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "reported_by"],
                name="moderation_report_once_per_case",
                violation_error_message=_("You have already reported this."),
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.case}"


class StaffMailSettings(models.Model):
    """Whether a staff member gets the morning's mail of what waits for them in the back
    office (moderation.queue_mail); without a row, they do. The row also remembers the day
    it was last sent, so that a task run twice sends it once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_mail_settings"
    )
    queue_mail = models.BooleanField(
        _("Each morning, what waits for me in the back office (only when something waits)"),
        default=True,
    )
    queue_mail_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("back-office email settings")
        verbose_name_plural = _("back-office email settings")

    def __str__(self):
        return str(self.user)
