"""The exchange over a listing: inquiries (Anfragen), their message threads, outcomes and
who gets which email (blocks between organisations and reports of messages: safety.py).

An Inquiry is one organisation's response to a listing of another: a contact, the
claim of a quantity or the booking of a period. Its status moves only through
inquiries.services, which writes each step into the thread as a Message.
"""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import Direction, Listing
from listings.models import Status as ListingStatus
from organisations.models import Organisation
from regions.models import Region, RegionOwnedQuerySet

# Blocks and reports are models of this app too; the rest of the project reaches them here.
from .safety import Block, MessageReport, ReportReason, is_blocked_between  # noqa: F401

MAX_MESSAGE_LENGTH = 4000
# Listings whose thank-you notes a profile may show.
WERE_PUBLIC = [
    ListingStatus.PUBLISHED,
    ListingStatus.PAUSED,
    ListingStatus.CLOSED,
    ListingStatus.EXPIRED,
]
MAX_THANK_YOU_LENGTH = 500


class Side(models.TextChoices):
    """The two parties of an inquiry: the listing's organisation and the one that asked."""

    OWNER = "owner", _("listing's organisation")
    INQUIRER = "inquirer", _("inquiring organisation")


def other_side(side) -> Side:
    return Side.INQUIRER if side == Side.OWNER else Side.OWNER


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RELEASED = "released", _("Released (not collected)")
    COMPLETED = "completed", _("Completed")


# The states that hold a reservation: the quantity taken, the period booked.
RESERVING = frozenset({Status.ACCEPTED, Status.COMPLETED})
# The states in which an organisation's inquiry for a listing is still under way.
ACTIVE = frozenset({Status.OPEN, Status.ACCEPTED})


class InquiryQuerySet(RegionOwnedQuerySet):
    def of_organisation(self, organisation):
        """Both received (on its listings) and sent inquiries of one organisation."""
        return self.filter(Q(listing_organisation=organisation) | Q(organisation=organisation))

    def received_by(self, organisation):
        return self.filter(listing_organisation=organisation)

    def sent_by(self, organisation):
        return self.filter(organisation=organisation)

    def reserving(self):
        return self.filter(status__in=RESERVING)

    def booked_periods(self, listing):
        """The listing's accepted bookings that have not ended yet (only those can overlap
        a new one, which must not start in the past); none for what is not booked."""
        if not (listing.is_offer and listing.books_periods):
            return self.none()
        return (
            self.reserving()
            .filter(listing=listing, period_end__gte=timezone.localdate())
            .order_by("period_start")
        )

    def overlapping(self, listing, start, end):
        return self.booked_periods(listing).filter(period_start__lte=end, period_end__gte=start)

    def unread_count_for(self, organisation) -> int:
        """How many updates the organisation has not read yet, over all its inquiries."""
        # Filtered first, so each side is found through its index.
        totals = self.filter(
            Q(listing_organisation=organisation, owner_unread__gt=0)
            | Q(organisation=organisation, inquirer_unread__gt=0)
        ).aggregate(
            received=models.Sum("owner_unread", filter=Q(listing_organisation=organisation)),
            sent=models.Sum("inquirer_unread", filter=Q(organisation=organisation)),
        )
        return (totals["received"] or 0) + (totals["sent"] or 0)


class Inquiry(models.Model):
    """One organisation's response to another's listing, and the reservation it asks for.

    `quantity` is set for claims of what is given away or donated, `period_start` and
    `period_end` for bookings (rent, loans, time donations); a plain contact has neither.
    Accepted and completed inquiries hold their reservation: the quantity is counted in
    Listing.quantity_reserved, and on PostgreSQL an exclusion constraint keeps booked
    periods of one listing from overlapping (migration 0002).
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="inquiries", verbose_name=_("listing")
    )
    # The listing's organisation, kept here so the inbox finds both sides by index.
    listing_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="received_inquiries"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="sent_inquiries",
        verbose_name=_("inquiring organisation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    quantity = models.PositiveIntegerField(
        _("quantity wanted"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    handover_on = models.DateField(_("handover on"), null=True, blank=True)
    # Updates the other side has not read yet, one counter per side.
    owner_unread = models.PositiveIntegerField(default=0, editable=False)
    inquirer_unread = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last activity"), default=timezone.now)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(
                fields=["listing_organisation", "-updated_at"], name="inquiry_received_idx"
            ),
            models.Index(fields=["organisation", "-updated_at"], name="inquiry_sent_idx"),
            models.Index(fields=["listing", "status"], name="inquiry_listing_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True, period_end__isnull=True)
                | Q(
                    period_start__isnull=False,
                    period_end__isnull=False,
                    period_end__gte=F("period_start"),
                ),
                name="inquiry_period_is_ordered",
                violation_error_message=_("The end of the period must not be before its start."),
            ),
            models.CheckConstraint(
                condition=~Q(organisation=F("listing_organisation")),
                name="inquiry_not_on_own_listing",
            ),
            # One inquiry under way per organisation and listing; a new one after it ended.
            models.UniqueConstraint(
                fields=["listing", "organisation"],
                condition=Q(status__in=["open", "accepted"]),
                name="one_active_inquiry_per_organisation",
                violation_error_message=_("Your organisation already has an inquiry about this."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.listing}"

    def get_absolute_url(self):
        return reverse("inquiry_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self):
        return self.status in ACTIVE

    @property
    def holds_reservation(self):
        return self.status in RESERVING

    @property
    def giving_side(self) -> Side:
        """Who gives: the listing's organisation for an offer, the helper for a request."""
        return Side.OWNER if self.listing.is_offer else Side.INQUIRER

    def organisation_of(self, side):
        return self.listing_organisation if side == Side.OWNER else self.organisation

    def side_of(self, organisation) -> Side:
        """The side `organisation` (one of the two) is on."""
        return Side.OWNER if organisation.pk == self.listing_organisation_id else Side.INQUIRER

    @property
    def receiving_organisation(self):
        """Who receives: the one that asked for an offer, the requester of a request."""
        return self.organisation_of(other_side(self.giving_side))

    @staticmethod
    def unread_field(side) -> str:
        """The counter of updates `side` has not read yet."""
        return "owner_unread" if side == Side.OWNER else "inquirer_unread"

    def unread_for(self, side) -> int:
        return getattr(self, self.unread_field(side))

    def awaits_answer_from(self, side) -> bool:
        """Completed, and `side` has not said yet whether it worked out."""
        if self.status != Status.COMPLETED:
            return False
        outcome = getattr(self, "outcome", None)
        return outcome is None or not outcome.has_answered(side)

    def handover_is_overdue(self, today=None) -> bool:
        """Accepted, and the day of the handover (or the start of the booked period) has
        passed: the provider may release it as a no-show."""
        today = today or timezone.localdate()
        due = self.handover_on or self.period_start
        return bool(self.status == Status.ACCEPTED and due and due < today)


class MessageKind(models.TextChoices):
    TEXT = "text", _("Message")
    CREATED = "created", _("asked")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrew")
    HANDOVER = "handover", _("set the handover date")
    RELEASED = "released", _("released the reservation")
    COMPLETED = "completed", _("marked as handed over")
    CONFIRMED = "confirmed", _("answered “Did it work out?”")


class MessageQuerySet(RegionOwnedQuerySet):
    region_lookup = "inquiry__region"


class Message(models.Model):
    """One entry of an inquiry's thread: a text one side wrote, or a step one side took
    (then `kind` names the step and `body` holds its reason, if any). Plain text only;
    templates escape it and make links clickable."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=10, choices=Side)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind, default=MessageKind.TEXT)
    body = models.TextField(_("message"), max_length=MAX_MESSAGE_LENGTH, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["inquiry", "created_at"], name="message_thread_idx")]

    def __str__(self):
        return f"{self.inquiry} – {self.get_kind_display()}"

    @property
    def is_text(self):
        return self.kind == MessageKind.TEXT

    @property
    def organisation(self):
        return self.inquiry.organisation_of(self.side)

    @property
    def handover_date(self):
        """The date a HANDOVER entry set (kept in `body` as an ISO date)."""
        try:
            return datetime.date.fromisoformat(self.body)
        except ValueError:
            return None


class OutcomeQuerySet(RegionOwnedQuerySet):
    region_lookup = "inquiry__region"

    def achieved(self):
        """What really happened: handed over, and neither side said it did not work out
        (a side that has not answered yet does not undo the handover). The impact
        figures count these and nothing else."""
        return self.filter(inquiry__status=Status.COMPLETED).exclude(
            Q(owner_succeeded=False) | Q(inquirer_succeeded=False)
        )

    def shown_publicly(self):
        return self.filter(thank_you_public=True).exclude(thank_you="")

    def thanking(self, organisation):
        """Notes thanking `organisation` as the giver: on its offers, or for its help."""
        return self.filter(
            Q(
                inquiry__listing__direction=Direction.OFFER,
                inquiry__listing_organisation=organisation,
            )
            | Q(inquiry__listing__direction=Direction.REQUEST, inquiry__organisation=organisation)
        )

    def for_profile_of(self, organisation):
        """What the giver's profile shows: notes it allowed, about listings that were
        public (not one back in draft or removed by moderation), newest first."""
        return (
            self.shown_publicly()
            .thanking(organisation)
            .filter(inquiry__listing__status__in=WERE_PUBLIC)
            .select_related(
                "inquiry__listing", "inquiry__organisation", "inquiry__listing_organisation"
            )
            .order_by("-inquirer_answered_at", "-owner_answered_at", "-pk")
        )


class Outcome(models.Model):
    """What a completed inquiry achieved, as both sides answer "Did it work out?"; the
    receiving side may write a thank-you note, which the giving side may allow to be
    shown publicly (profiles, the region's impact page)."""

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="outcome")
    # When the listing's side marked it as handed over (inquiries.services.complete): the
    # day the impact figures count it on.
    completed_at = models.DateTimeField(_("completed"), default=timezone.now, db_index=True)
    owner_succeeded = models.BooleanField(_("worked out (listing's side)"), null=True)
    owner_answered_at = models.DateTimeField(null=True, blank=True)
    inquirer_succeeded = models.BooleanField(_("worked out (inquiring side)"), null=True)
    inquirer_answered_at = models.DateTimeField(null=True, blank=True)
    thank_you = models.TextField(_("thank-you note"), max_length=MAX_THANK_YOU_LENGTH, blank=True)
    thank_you_public = models.BooleanField(_("note may be shown publicly"), default=False)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return str(self.inquiry)

    def succeeded(self, side):
        return self.owner_succeeded if side == Side.OWNER else self.inquirer_succeeded

    def has_answered(self, side):
        return self.succeeded(side) is not None


class NotificationKind(models.TextChoices):
    NEW_INQUIRY = "new_inquiry", _("New inquiries about our listings")
    MESSAGE = "message", _("New messages")
    STATUS = "status", _("Accepted, declined, withdrawn and other changes")


class NotificationSettings(models.Model):
    """Which inquiry emails a person receives; without a row, all of them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inquiry_notifications"
    )
    new_inquiry = models.BooleanField(_("New inquiries about our listings"), default=True)
    message = models.BooleanField(_("New messages"), default=True)
    status = models.BooleanField(_("Accepted, declined, withdrawn and other changes"), default=True)

    class Meta:
        verbose_name = _("email notification settings")
        verbose_name_plural = _("email notification settings")

    def __str__(self):
        return str(self.user)
