"""What keeps the exchange safe: an organisation blocks another, a member reports a
message to the region's staff. Models of the inquiries app (inquiries.models brings them
in); the steps that create and resolve them are in inquiries.safety_steps."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from regions.models import Region, RegionOwnedQuerySet


class BlockQuerySet(models.QuerySet):
    def between(self, first, second):
        """The blocks either of the two organisations placed on the other."""
        return self.filter(
            Q(organisation=first, blocked=second) | Q(organisation=second, blocked=first)
        )


class Block(models.Model):
    """`organisation` accepts no more inquiries or messages from `blocked`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="blocked_by",
        verbose_name=_("blocked organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~Q(organisation=F("blocked")), name="block_not_oneself"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ⊘ {self.blocked}"


def is_blocked_between(first, second) -> bool:
    """Whether either organisation blocked the other: no contact either way then."""
    return Block.objects.between(first, second).exists()


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Insulting or threatening")
    FRAUD = "fraud", _("Fraud or a fake offer")
    OTHER = "other", _("Something else")


class MessageReportQuerySet(RegionOwnedQuerySet):
    def unresolved(self):
        return self.filter(resolved_at__isnull=True)


class MessageReport(models.Model):
    """A message a member reported to the region's staff. It is the one way staff get to
    read a thread: the back office shows the reported message's thread, nothing else."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(
        "inquiries.Message",
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("message"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=10, choices=ReportReason)
    text = models.TextField(_("what happened"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.TextField(_("what staff did"), blank=True)

    objects = MessageReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("reported message")
        verbose_name_plural = _("reported messages")
        ordering = ["resolved_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reported_by"],
                name="report_a_message_once",
                violation_error_message=_("You have already reported this message."),
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.message.inquiry}"

    @property
    def is_resolved(self):
        return self.resolved_at is not None
