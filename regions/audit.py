"""The region's moderation log: every decision staff (or a rule acting for them) take on
what members publish — who, when, what, on which object, and why.

It lives on the regions floor, below the apps whose services decide (organisations,
listings, moderation), so that each service writes its entry itself, in the transaction of
the decision: an entry exists exactly when the decision committed, and no app above has to
be installed or listening for the log to be complete. Entries are never changed; the back
office lists, filters and exports them (regions.admin).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .querysets import RegionOwnedQuerySet


class AuditAction(models.TextChoices):
    LISTING_APPROVED = "listing-approved", _("Listing approved")
    LISTING_REJECTED = "listing-rejected", _("Listing rejected")
    LISTING_REMOVED = "listing-removed", _("Listing removed")
    LISTING_HIDDEN = "listing-hidden", _("Listing hidden after reports")
    LISTING_SHOWN = "listing-shown", _("Listing shown again")
    ORGANISATION_VERIFIED = "org-verified", _("Organisation verified")
    ORGANISATION_REJECTED = "org-rejected", _("Verification rejected")
    ORGANISATION_SUSPENDED = "org-suspended", _("Organisation suspended")
    ORGANISATION_REINSTATED = "org-reinstated", _("Suspension lifted")
    REPORT_DISMISSED = "report-dismissed", _("Report dismissed")
    FIX_REQUESTED = "fix-requested", _("Owner asked to fix")
    REVIEW_REQUESTED = "review-requested", _("Owner asked for review")
    REVIEW_ANSWERED = "review-answered", _("Review answered")
    MESSAGE_REPORT_RESOLVED = "message-resolved", _("Reported message resolved")
    REGION_WENT_LIVE = "region-live", _("Region went live")
    REGION_SWITCHED_OFF = "region-off", _("Region switched off")


class AuditEntry(models.Model):
    """One moderation decision. `actor` is empty where a rule acted (a listing hidden after
    reports from three organisations); `subject` names the object as it was then, so the
    entry still reads right once the object is changed or gone."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("what"), max_length=20, choices=AuditAction)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind")
    )
    object_id = models.PositiveBigIntegerField(_("object number"))
    subject = models.CharField(_("about"), max_length=200)
    reason = models.TextField(_("why"), blank=True)

    objects = RegionOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "-created_at"], name="audit_region_newest_idx"),
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.subject}"


def record(region, actor, action: str, target, reason: str = "") -> AuditEntry:
    """Writes the entry for `action` on `target` (a model instance) by `actor` (None: a
    rule), in the caller's transaction."""
    return AuditEntry.objects.create(
        region=region,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        subject=str(target)[:200],
        reason=reason,
    )
