"""A listing's life: draft → (pending) → published → paused / closed / expired / removed.

Every transition the services allow and refuse; moderation with reasons and the mails the
owner gets; the hourly expiry job with its reminder, whose renewal link works once, by
POST only, without logging in."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from listings import expiry, services, tasks
from listings.models import (
    PUBLICATION_PERIOD,
    EventAction,
    Listing,
    ListingEvent,
    Status,
)
from listings.permissions import can_view
from organisations.models import Role, Verification
from regions.models import Region

from .factories import make_listing, make_membership, make_organisation, make_user

pytestmark = pytest.mark.django_db

ALL = set(Status.values)


@pytest.fixture
def verified(organisation):
    organisation.verification = Verification.VERIFIED
    organisation.save()
    return organisation


def listing_in(organisation, status, **fields):
    return make_listing(organisation, f"Anzeige ({status})", status=status, **fields)


def events(listing):
    return list(
        ListingEvent.objects.filter(listing=listing)
        .order_by("pk")
        .values_list("action", "actor", "by_staff", "reason")
    )


def approx_now(value, *, plus=timedelta(0)):
    assert abs(value - (timezone.now() + plus)) < timedelta(minutes=1)


# Publishing ---------------------------------------------------------------------------------


def test_a_verified_organisation_publishes_at_once_where_staff_check_afterwards(
    verified, owner, pm
):
    assert pm.moderation == Region.Moderation.POST
    draft = listing_in(verified, Status.DRAFT)
    services.submit(draft, owner)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    approx_now(draft.published_at)
    approx_now(draft.expires_at, plus=PUBLICATION_PERIOD)
    assert events(draft) == [(EventAction.PUBLISHED, owner.pk, False, "")]
    assert can_view(AnonymousUser(), draft)


def test_a_pre_moderated_region_sends_every_draft_for_approval(verified, owner, pm):
    pm.moderation = Region.Moderation.PRE
    pm.save()
    draft = listing_in(verified, Status.DRAFT)
    services.submit(draft, owner)
    draft.refresh_from_db()
    assert draft.status == Status.PENDING
    assert draft.published_at is None
    assert events(draft) == [(EventAction.SUBMITTED, owner.pk, False, "")]
    assert not can_view(AnonymousUser(), draft)


def test_an_unverified_organisation_waits_for_approval_even_in_post_moderation(organisation, owner):
    assert not organisation.is_verified
    draft = listing_in(organisation, Status.DRAFT)
    services.submit(draft, owner)
    assert Listing.objects.get(pk=draft.pk).status == Status.PENDING


def refuses(transition, listing, *args):
    before = Listing.objects.get(pk=listing.pk).status
    with pytest.raises(services.ListingError) as error:
        transition(listing, *args)
    assert str(error.value)  # a message for the user
    assert Listing.objects.get(pk=listing.pk).status == before


@pytest.mark.parametrize(
    "transition, allowed, result",
    [
        (services.submit, {Status.DRAFT}, None),
        (services.pause, {Status.PUBLISHED}, Status.PAUSED),
        (services.resume, {Status.PAUSED}, Status.PUBLISHED),
        (
            services.close,
            {Status.DRAFT, Status.PENDING, Status.PUBLISHED, Status.PAUSED, Status.EXPIRED},
            Status.CLOSED,
        ),
        (services.renew, {Status.PUBLISHED, Status.EXPIRED}, Status.PUBLISHED),
    ],
    ids=["submit", "pause", "resume", "close", "renew"],
)
def test_member_transitions_from_every_state(verified, owner, transition, allowed, result):
    for status in Status.values:
        listing = listing_in(verified, status)
        if status in allowed:
            transition(listing, owner)
            listing.refresh_from_db()
            assert listing.status == (result or Status.PUBLISHED), status
            assert ListingEvent.objects.filter(listing=listing, actor=owner).exists()
        else:
            refuses(transition, listing, owner)


def test_pausing_hides_and_resuming_shows_again_with_the_same_end(verified, owner):
    listing = listing_in(verified, Status.PUBLISHED)
    expires = listing.expires_at
    services.pause(listing, owner)
    assert not can_view(AnonymousUser(), Listing.objects.get(pk=listing.pk))
    services.resume(listing, owner)
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED
    assert listing.expires_at == expires
    assert [e[0] for e in events(listing)][-2:] == [EventAction.PAUSED, EventAction.RESUMED]


def test_a_listing_resumed_after_its_time_ran_out_starts_anew(verified, owner):
    listing = listing_in(verified, Status.PUBLISHED)
    services.pause(listing, owner)
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(days=1))
    listing.refresh_from_db()
    services.resume(listing, owner)
    listing.refresh_from_db()
    approx_now(listing.expires_at, plus=PUBLICATION_PERIOD)


def test_renewing_gives_another_full_period(verified, owner):
    listing = listing_in(verified, Status.PUBLISHED)
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() + timedelta(days=3))
    listing.refresh_from_db()
    services.renew(listing, owner)
    listing.refresh_from_db()
    approx_now(listing.expires_at, plus=PUBLICATION_PERIOD)
    assert listing.reminder_sent_at is None


# Editing ------------------------------------------------------------------------------------


def test_editing_a_published_listing_where_staff_approve_first_sends_it_back(verified, owner, pm):
    listing = listing_in(verified, Status.PUBLISHED)
    pm.moderation = Region.Moderation.PRE
    pm.save()
    listing.region.refresh_from_db()
    listing.title = "Geänderter Titel"
    services.save_changes(listing, owner)
    listing.refresh_from_db()
    assert listing.status == Status.PENDING
    assert [e[0] for e in events(listing)][-2:] == [EventAction.EDITED, EventAction.SUBMITTED]


def test_editing_where_staff_check_afterwards_keeps_it_published(verified, owner):
    listing = listing_in(verified, Status.PUBLISHED)
    listing.title = "Geänderter Titel"
    services.save_changes(listing, owner)
    assert Listing.objects.get(pk=listing.pk).status == Status.PUBLISHED


@pytest.mark.parametrize("status", [Status.CLOSED, Status.REMOVED])
def test_ended_listings_cannot_be_changed(verified, owner, status):
    listing = listing_in(verified, status)
    listing.title = "Doch noch"
    with pytest.raises(services.ListingError):
        services.save_changes(listing, owner)
    assert Listing.objects.get(pk=listing.pk).title != "Doch noch"


# Moderation ---------------------------------------------------------------------------------


def test_approval_publishes_and_tells_the_author(
    organisation, owner, pm_moderator, django_capture_on_commit_callbacks
):
    listing = listing_in(organisation, Status.PENDING, author=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(listing, pm_moderator)
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED
    approx_now(listing.expires_at, plus=PUBLICATION_PERIOD)
    assert events(listing)[-1] == (EventAction.APPROVED, pm_moderator.pk, True, "")
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert listing.title in message.subject
    assert "Potsdam-Mittelmark" in message.subject
    assert f"http://pm.localhost/listings/{listing.pk}/" in message.body


@pytest.mark.parametrize("status", sorted(ALL - {Status.PENDING}))
def test_only_pending_listings_are_approved_or_rejected(organisation, pm_moderator, status):
    listing = listing_in(organisation, status)
    refuses(services.approve, listing, pm_moderator)
    refuses(services.reject, listing, pm_moderator, "Grund")


def test_rejection_returns_a_draft_with_the_reason(
    organisation, owner, pm_moderator, django_capture_on_commit_callbacks
):
    listing = listing_in(organisation, Status.PENDING, author=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(listing, pm_moderator, "  Bitte einen Preis nennen.  ")
    listing.refresh_from_db()
    assert listing.status == Status.DRAFT
    assert listing.moderation_reason == "Bitte einen Preis nennen."
    assert events(listing)[-1] == (
        EventAction.REJECTED,
        pm_moderator.pk,
        True,
        "Bitte einen Preis nennen.",
    )
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert "Bitte einen Preis nennen." in message.body
    # Publishing it again clears the old reason.
    services.submit(listing, owner)
    services.approve(listing, pm_moderator)
    assert Listing.objects.get(pk=listing.pk).moderation_reason == ""


def test_removal_needs_a_reason_and_tells_the_managers_when_the_author_left(
    organisation, owner, organisation_member, pm_moderator, django_capture_on_commit_callbacks
):
    listing = listing_in(organisation, Status.PUBLISHED, author=organisation_member)
    organisation.memberships.filter(user=organisation_member).delete()
    refuses(services.remove, listing, pm_moderator, "   ")
    with django_capture_on_commit_callbacks(execute=True):
        services.remove(listing, pm_moderator, "Kein Angebot im Sinne der Plattform.")
    listing.refresh_from_db()
    assert listing.status == Status.REMOVED
    assert not can_view(AnonymousUser(), listing)
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert "Kein Angebot im Sinne der Plattform." in message.body
    refuses(services.remove, listing, pm_moderator, "Nochmal")
    refuses(services.renew, listing, owner)


def test_nothing_is_mailed_when_the_transaction_is_undone(
    organisation, owner, pm_moderator, django_capture_on_commit_callbacks
):
    listing = listing_in(organisation, Status.PENDING, author=owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.approve(listing, pm_moderator)
    assert mail.outbox == []  # the mail waits for the commit …
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1  # … and goes out with it


# Expiry and reminders -----------------------------------------------------------------------


def expiring_in(organisation, days, **fields):
    listing = listing_in(organisation, Status.PUBLISHED, **fields)
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() + timedelta(days=days))
    listing.refresh_from_db()
    return listing


def renewal_link(message):
    match = re.search(r"http://pm\.localhost(/listings/renew/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_listing_expiring_in_five_days_gets_exactly_one_reminder(
    verified, owner, django_capture_on_commit_callbacks
):
    listing = expiring_in(verified, 5, author=owner)
    expiring_in(verified, 20, author=owner)  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert expiry.send_expiry_reminders() == 1
        assert expiry.send_expiry_reminders() == 0
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert listing.title in message.subject
    assert renewal_link(message)
    listing.refresh_from_db()
    approx_now(listing.reminder_sent_at)
    assert events(listing)[-1] == (EventAction.REMINDED, None, False, "")


def test_the_renewal_link_asks_on_get_and_renews_on_post_once(
    verified, owner, client_for, django_capture_on_commit_callbacks
):
    listing = expiring_in(verified, 5, author=owner)
    with django_capture_on_commit_callbacks(execute=True):
        expiry.send_expiry_reminders()
    link = renewal_link(mail.outbox[0])
    client = client_for()  # no login
    expires = listing.expires_at

    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert listing.title in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    listing.refresh_from_db()
    assert listing.expires_at == expires  # a mail scanner's GET changes nothing

    response = client.post(link)
    assert response.status_code == 200
    listing.refresh_from_db()
    approx_now(listing.expires_at, plus=PUBLICATION_PERIOD)
    assert listing.reminder_sent_at is None
    assert events(listing)[-1] == (EventAction.RENEWED, None, False, "")
    assert response.context["renewed"]

    again = client.post(link)
    assert again.status_code == 410
    with translation.override("de"):
        used = gettext("This link has already been used; the listing was renewed.")
    assert again.context["error"] == used
    assert used in again.content.decode()
    assert Listing.objects.get(pk=listing.pk).expires_at == listing.expires_at


def test_an_expired_listing_can_still_be_renewed_by_its_link(verified, owner, client_for):
    listing = expiring_in(verified, 5, author=owner)
    token = expiry.renewal_token(listing)
    expiry.expire_listings(now=listing.expires_at + timedelta(seconds=1))
    assert Listing.objects.get(pk=listing.pk).status == Status.EXPIRED
    client_for().post(f"/listings/renew/{token}/")
    assert Listing.objects.get(pk=listing.pk).status == Status.PUBLISHED


@pytest.mark.parametrize(
    "token",
    ["nonsense", "a" * 5000, "eyJsaXN0aW5nIjoxfQ:1tXyZa:forged-signature-0000000000000"],
)
def test_forged_renewal_links_get_a_clear_page(client_for, token, listing):
    for method in ("get", "post"):
        response = getattr(client_for(), method)(f"/listings/renew/{token}/")
        assert response.status_code == 410
        assert response.context["error"]
    assert Listing.objects.get(pk=listing.pk).expires_at == listing.expires_at


def test_an_expired_renewal_link_gets_a_clear_page(client_for, listing, monkeypatch):
    long_ago = time.time() - expiry.RENEWAL_LINK_VALID_FOR.total_seconds() - 3600
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: long_ago)
        token = expiry.renewal_token(listing)
    for method in ("get", "post"):
        response = getattr(client_for(), method)(f"/listings/renew/{token}/")
        assert response.status_code == 410
        with translation.override("de"):
            expired = gettext("This link has expired. Please log in to renew the listing.")
        assert response.context["error"] == expired
    assert Listing.objects.get(pk=listing.pk).expires_at == listing.expires_at


def test_a_closed_listing_is_not_renewed_by_its_link(client_for, listing, owner):
    token = expiry.renewal_token(listing)
    services.close(listing, owner)
    for method in ("get", "post"):
        response = getattr(client_for(), method)(f"/listings/renew/{token}/")
        assert response.status_code == 410
    assert Listing.objects.get(pk=listing.pk).status == Status.CLOSED


def test_a_renewal_link_of_another_region_answers_404(client_for, listing):
    token = expiry.renewal_token(listing)
    response = client_for(host="ohv.localhost").post(f"/listings/renew/{token}/")
    assert response.status_code == 404
    assert Listing.objects.get(pk=listing.pk).expires_at == listing.expires_at


def test_the_renewal_link_rejects_other_methods(client_for, listing):
    token = expiry.renewal_token(listing)
    assert client_for().put(f"/listings/renew/{token}/").status_code == 405


def test_expired_listings_end_and_leave_public_view(verified, owner):
    gone = expiring_in(verified, -1, author=owner)
    staying = expiring_in(verified, 1, author=owner)
    paused = expiring_in(verified, -1, author=owner)
    services.pause(paused, owner)
    assert expiry.expire_listings() == 1
    gone.refresh_from_db()
    assert gone.status == Status.EXPIRED
    assert gone not in Listing.objects.published()
    assert not can_view(AnonymousUser(), gone)
    assert can_view(owner, gone)  # the organisation still sees it, to renew it
    assert events(gone)[-1] == (EventAction.EXPIRED, None, False, "")
    assert Listing.objects.get(pk=staying.pk).status == Status.PUBLISHED
    assert Listing.objects.get(pk=paused.pk).status == Status.PAUSED
    assert expiry.expire_listings() == 0


def test_the_management_command_expires_and_reminds(
    verified, owner, capsys, django_capture_on_commit_callbacks
):
    expiring_in(verified, -1, author=owner)
    expiring_in(verified, 5, author=owner)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_listings")
    assert "1 listings expired, 1 reminders sent." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_hourly_task_expires_and_reminds(verified, owner, django_capture_on_commit_callbacks):
    gone = expiring_in(verified, -1, author=owner)
    soon = expiring_in(verified, 5, author=owner)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.expire_and_remind()  # the suite runs huey immediately
    assert Listing.objects.get(pk=gone.pk).status == Status.EXPIRED
    assert Listing.objects.get(pk=soon.pk).reminder_sent_at is not None
    assert len(mail.outbox) == 1


def test_the_hourly_task_is_scheduled_hourly():
    schedule = tasks.expire_and_remind.s().validate_datetime
    now = timezone.now().replace(minute=17, second=0, microsecond=0)
    assert schedule(now)
    assert not schedule(now.replace(minute=18))
    assert schedule(now + timedelta(hours=5))


def test_reminders_go_to_the_managers_when_the_author_has_left(
    organisation, owner, django_capture_on_commit_callbacks, pm
):
    admin = make_user("chefin@tischlerei.example")
    make_membership(organisation, admin, Role.ADMIN)
    former = make_user("ehemals@tischlerei.example")
    listing = expiring_in(organisation, 5, author=former)
    with django_capture_on_commit_callbacks(execute=True):
        expiry.send_expiry_reminders()
    assert sorted(mail.outbox[0].to) == sorted([owner.email, admin.email])
    assert listing.title in mail.outbox[0].subject


def test_listings_of_every_region_are_reminded_with_their_own_host(
    ohv, django_capture_on_commit_callbacks
):
    club = make_organisation(ohv, "Verein Oranienburg", owner=make_user("verein@ohv.example"))
    expiring_in(club, 5)
    with django_capture_on_commit_callbacks(execute=True):
        expiry.send_expiry_reminders()
    assert "http://ohv.localhost/listings/renew/" in mail.outbox[0].body


def test_an_edit_opened_before_a_removal_does_not_bring_the_listing_back(
    listing, owner, pm_moderator
):
    stale = Listing.objects.get(pk=listing.pk)  # the member's edit form holds this copy
    services.remove(Listing.objects.get(pk=listing.pk), pm_moderator, "Doppelt eingestellt.")
    Listing.objects.filter(pk=listing.pk).update(view_count=7)
    stale.title = "Gabelstapler, neu beschrieben"
    with pytest.raises(services.ListingError):
        services.save_changes(stale, owner)
    listing.refresh_from_db()
    assert (listing.status, listing.title, listing.view_count) == (
        Status.REMOVED,
        "Gabelstapler zu vermieten",
        7,
    )


def test_an_edit_keeps_views_counted_while_the_form_was_open(listing, owner):
    stale = Listing.objects.get(pk=listing.pk)
    Listing.objects.filter(pk=listing.pk).update(view_count=3)
    stale.title = "Gabelstapler, neu beschrieben"
    services.save_changes(stale, owner)
    listing.refresh_from_db()
    assert (listing.title, listing.view_count) == ("Gabelstapler, neu beschrieben", 3)


@pytest.mark.parametrize("status", [Status.PAUSED, Status.EXPIRED])
def test_a_change_while_paused_or_expired_goes_back_to_staff_where_they_approve(
    pm, verified, owner, status
):
    """Otherwise resume or renew would publish the unchecked change."""
    pm.moderation = Region.Moderation.PRE
    pm.save()
    listing = listing_in(verified, status, author=owner)
    listing.title = "Etwas ganz anderes"
    services.save_changes(listing, owner)
    listing.refresh_from_db()
    assert listing.status == Status.PENDING
    assert not can_view(AnonymousUser(), listing)


def test_renewing_keeps_the_publication_date(verified, owner):
    """Renewing extends the listing; it does not move it back to the top of "newest"."""
    listing = listing_in(verified, Status.PUBLISHED, author=owner)
    first = timezone.now() - timedelta(days=60)
    Listing.objects.filter(pk=listing.pk).update(published_at=first)
    listing.refresh_from_db()
    services.renew(listing, owner)
    listing.refresh_from_db()
    assert listing.published_at == first
    assert listing.expires_at > timezone.now() + PUBLICATION_PERIOD - timedelta(minutes=1)


# The signal higher apps act on ------------------------------------------------------------


def test_each_step_sends_listing_event_inside_its_transaction(verified, owner):
    """Alerts, matching and watch lists hear of every step, while the step's transaction is
    still open: what they record commits with the step or not at all."""
    from django.db import transaction

    from listings.signals import listing_event

    heard = []

    def receiver(sender, listing, action, **kwargs):
        heard.append((listing.pk, action, transaction.get_connection().in_atomic_block))

    listing_event.connect(receiver)
    try:
        listing = listing_in(verified, Status.DRAFT)
        services.submit(listing, owner)
        services.pause(listing, owner)
        with pytest.raises(services.ListingError):
            services.pause(listing, owner)
    finally:
        listing_event.disconnect(receiver)
    assert [(pk, action) for pk, action, _ in heard] == [
        (listing.pk, EventAction.PUBLISHED),
        (listing.pk, EventAction.PAUSED),
    ]
    assert all(in_transaction for *_, in_transaction in heard)
