"""Co-investment pools ("Kooperation & Investition"): organisations that share a machine,
an office, a specialist or another investment.

A `Pool` holds the terms of one offer in the group "Kooperation & Investition": what is
shared, what it costs (once or per month), how many partners are sought, the initiator's
own share of the cost, how use is split and until when partners may join. Other
organisations join with a `Commitment` (their share of the cost, their use). The pool
reaches its threshold when as many partners as sought have committed, or when the shares
committed and the initiator's own cover the whole cost; then everyone is told and the
group thread (`PoolMessage`) opens for the initiator and the partners. The initiator then
marks the partnership formed, or lets it lapse with a reason. No money moves through the
platform. Every change of a pool's state goes through pools.services.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import Listing
from organisations.models import Organisation
from regions.models import Region, RegionOwnedQuerySet

# The group of categories whose offers are pools, as seeded (listings/migrations/0003).
POOL_GROUP = "kooperation-investition"
MAX_PARTNERS = 20
MAX_MESSAGE_LENGTH = 5000


class Shared(models.TextChoices):
    MACHINE = "machine", _("A machine or equipment")
    OFFICE = "office", _("An office or premises")
    SPECIALIST = "specialist", _("A specialist")
    INVESTMENT = "investment", _("Another investment")


class CostBasis(models.TextChoices):
    ONE_OFF = "one_off", _("once")
    MONTHLY = "monthly", _("per month")


class PoolStatus(models.TextChoices):
    OPEN = "open", _("Looking for partners")
    FORMED = "formed", _("Partnership formed")
    LAPSED = "lapsed", _("Lapsed")


def is_pool_category(category) -> bool:
    """Offers in the group "Kooperation & Investition" are pools."""
    return bool(category and category.parent_id and category.parent.slug == POOL_GROUP)


class PoolQuerySet(RegionOwnedQuerySet):
    def formed(self):
        return self.filter(status=PoolStatus.FORMED)

    def open(self):
        return self.filter(status=PoolStatus.OPEN)

    def with_progress(self):
        """Each pool with its active partners counted and their shares summed."""
        active = Q(commitments__withdrawn_at__isnull=True)
        return self.annotate(
            partner_count=models.Count("commitments", filter=active),
            shares_committed=Coalesce(Sum("commitments__share", filter=active), 0),
        )


class Pool(models.Model):
    """The terms of a cooperation offer and how far its partners have come (see above)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    listing = models.OneToOneField(
        Listing, on_delete=models.CASCADE, related_name="pool", verbose_name=_("listing")
    )
    shared = models.CharField(_("what is shared"), max_length=12, choices=Shared)
    total_cost = models.DecimalField(
        _("total cost in euros"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(1)],
    )
    cost_basis = models.CharField(
        _("the cost is due"), max_length=10, choices=CostBasis, default=CostBasis.MONTHLY
    )
    partners_sought = models.PositiveSmallIntegerField(
        _("partners sought"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTNERS)],
        help_text=_("How many other organisations you are looking for."),
    )
    initiator_share = models.PositiveSmallIntegerField(
        _("your own share of the cost in percent"),
        default=0,
        validators=[MaxValueValidator(99)],
        help_text=_("What your organisation carries itself; the partners share the rest."),
    )
    use_split = models.CharField(
        _("how use is split"),
        max_length=200,
        help_text=_("For example: one day a week each, or by booking."),
    )
    join_until = models.DateField(_("partners may join until"))
    status = models.CharField(
        _("status"), max_length=10, choices=PoolStatus, default=PoolStatus.OPEN, db_index=True
    )
    # When the threshold was first reached: the group thread is open from then on.
    threshold_reached_at = models.DateTimeField(_("threshold reached"), null=True, blank=True)
    formed_at = models.DateTimeField(_("formed"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("lapsed"), null=True, blank=True)
    lapse_reason = models.TextField(_("why it lapsed"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = PoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation pool")
        verbose_name_plural = _("cooperation pools")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partners_sought__gte=1) & Q(partners_sought__lte=MAX_PARTNERS),
                name="pool_partners_sought_in_range",
            ),
            models.CheckConstraint(
                condition=Q(initiator_share__lte=99), name="pool_initiator_share_below_whole"
            ),
        ]

    def __str__(self):
        return self.listing.title

    @property
    def organisation(self) -> Organisation:
        return self.listing.organisation

    @property
    def is_open(self):
        return self.status == PoolStatus.OPEN

    @property
    def is_formed(self):
        return self.status == PoolStatus.FORMED

    @property
    def is_lapsed(self):
        return self.status == PoolStatus.LAPSED

    @property
    def thread_is_open(self) -> bool:
        """The group thread opens when the threshold is first reached and stays open."""
        return self.threshold_reached_at is not None

    def join_period_is_over(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.join_until

    @property
    def share_per_partner(self) -> int:
        """The share of the cost each partner takes if all sought join equally."""
        return (100 - self.initiator_share) // self.partners_sought

    def progress(self, commitments=None) -> "Progress":
        """How far the pool is, from its active commitments (read once if not given)."""
        if commitments is None:
            commitments = self.commitments.active()
        shares = [commitment.share for commitment in commitments]
        return Progress(self, len(shares), sum(shares))


class Progress:
    """How far a pool is: partners committed of those sought, and the cost covered.

    The threshold is reached when as many partners as sought have committed, or when the
    committed shares and the initiator's own share together cover the whole cost."""

    def __init__(self, pool, partners, shares):
        self.pool = pool
        self.partners = partners
        self.shares = shares

    @property
    def covered(self) -> int:
        """Percent of the cost covered, the initiator's own share included."""
        return min(self.pool.initiator_share + self.shares, 100)

    @property
    def open_share(self) -> int:
        return 100 - self.covered

    @property
    def threshold_reached(self) -> bool:
        return self.partners >= self.pool.partners_sought or self.covered >= 100

    @property
    def partners_missing(self) -> int:
        return max(self.pool.partners_sought - self.partners, 0)

    @property
    def cost_covered(self):
        return self.pool.total_cost * self.covered / 100


class CommitmentQuerySet(RegionOwnedQuerySet):
    region_lookup = "pool__region"

    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Commitment(models.Model):
    """An organisation's promise to join a pool: its share of the cost and its use.

    One active commitment per organisation and pool (a unique constraint); withdrawing
    keeps the row, with the time, so the initiator sees who left."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="commitments")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="pool_commitments",
        verbose_name=_("organisation"),
    )
    share = models.PositiveSmallIntegerField(
        _("share of the cost in percent"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    use = models.CharField(
        _("your use"),
        max_length=200,
        help_text=_("For example: Mondays and Tuesdays, or about ten hours a month."),
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committed by"),
    )
    committed_at = models.DateTimeField(_("committed"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["committed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_commitment_per_organisation",
                violation_error_message=_("Your organisation has already committed to this pool."),
            ),
            models.CheckConstraint(
                condition=Q(share__gte=1) & Q(share__lte=100), name="commitment_share_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.pool}"

    @property
    def is_active(self):
        return self.withdrawn_at is None


class PoolMessageQuerySet(RegionOwnedQuerySet):
    region_lookup = "pool__region"


class PoolMessage(models.Model):
    """A message in the pool's group thread, which the initiator and the partners read."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"), max_length=MAX_MESSAGE_LENGTH)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    objects = PoolMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("pool message")
        verbose_name_plural = _("pool messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.pool} – {self.organisation}"
