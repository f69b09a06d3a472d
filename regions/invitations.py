"""An invitation by email to work in a region's back office; the workflows around it are in
regions.staffing."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .querysets import RegionOwnedQuerySet
from .roles import StaffRole

STAFF_INVITATION_VALID_FOR = timedelta(days=7)


class StaffInvitationQuerySet(RegionOwnedQuerySet):
    def open(self):
        """Neither accepted nor revoked, and not expired."""
        return self.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            sent_at__gte=timezone.now() - STAFF_INVITATION_VALID_FOR,
        )


class StaffInvitation(models.Model):
    """An invitation by email to work in a region's back office in a role."""

    class State(models.TextChoices):
        OPEN = "open", gettext_lazy("open")
        ACCEPTED = "accepted", gettext_lazy("accepted")
        EXPIRED = "expired", gettext_lazy("expired")
        REVOKED = "revoked", gettext_lazy("revoked")

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        related_name="staff_invitations",
        verbose_name=gettext_lazy("region"),
    )
    email = models.EmailField(gettext_lazy("email address"))
    role = models.CharField(
        gettext_lazy("role"), max_length=10, choices=StaffRole, default=StaffRole.MODERATOR
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("invited by"),
    )
    created_at = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    sent_at = models.DateTimeField(gettext_lazy("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(gettext_lazy("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(gettext_lazy("revoked"), null=True, blank=True)

    objects = StaffInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("staff invitation")
        verbose_name_plural = gettext_lazy("staff invitations")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="staff_invitation_accepted_or_revoked_not_both",
            )
        ]

    def __str__(self):
        return self.email

    @property
    def expires_at(self):
        return self.sent_at + STAFF_INVITATION_VALID_FOR

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if timezone.now() >= self.expires_at:
            return self.State.EXPIRED
        return self.State.OPEN

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)
