"""What waits for staff: the back office's overview counts the region's queues (listings
awaiting approval, organisations to verify, reports, reported messages, lapsing proofs),
each linked to its filtered list; each staff member gets a morning mail of it, only when
something waits, in their language, unless they turned it off."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from inquiries import safety_steps
from inquiries import services as inquiry_services
from listings.models import Status, Terms
from moderation import tasks
from moderation.models import Case, StaffMailSettings
from organisations.models import OrganisationType, Verification
from regions.models import StaffRole

from .factories import (
    category,
    in_days,
    make_listing,
    make_organisation,
    make_staff,
    make_user,
    sign_in_with_two_factor,
)

pytestmark = pytest.mark.django_db


def fill(region, *, pending=0, new=0, lapsing=0, cases=0, reports=0):
    """Work waiting in `region`, so many of each kind; all else there is done."""
    slug = region.slug
    owner = make_user(f"inhaber@firma.{slug}.example")
    home = make_organisation(region, f"Firma {slug}", owner=owner, verification="verified")
    for number in range(pending):
        make_listing(home, f"Hubwagen {number}", author=owner, status=Status.PENDING)
    for number in range(new):
        make_organisation(region, f"Neu {slug} {number}")
    for number in range(lapsing):
        make_organisation(
            region,
            f"Schule {slug} {number}",
            type=OrganisationType.SCHOOL,
            verification=Verification.VERIFIED,
            proof_verified_until=in_days(5 + number),
        )
    # Eligible, but its proof runs longer than a month: nothing to do yet.
    make_organisation(
        region,
        f"Verein {slug}",
        type=OrganisationType.ASSOCIATION,
        verification=Verification.VERIFIED,
        proof_verified_until=in_days(45),
    )
    for number in range(cases):
        reported = make_organisation(region, f"Gemeldet {slug} {number}", verification="verified")
        Case.objects.create(
            region=region, organisation=reported, last_reported_at=timezone.now(), report_count=1
        )
    Case.objects.create(
        region=region,
        organisation=home,
        last_reported_at=timezone.now(),
        state="closed",
        report_count=1,
    )
    if reports:
        desks = make_listing(
            home,
            "Schreibtische zu verschenken",
            author=owner,
            terms=Terms.GIVE_AWAY,
            quantity=20,
            category=category("it-technik"),
        )
        asker_user = make_user(f"sekretariat@schule.{slug}.example")
        asker = make_organisation(
            region,
            f"Grundschule {slug}",
            owner=asker_user,
            type=OrganisationType.SCHOOL,
            verification=Verification.VERIFIED,
        )
        inquiry = inquiry_services.create_inquiry(
            desks, asker, asker_user, body="Billige Uhren!", quantity=1
        )
        message = inquiry.messages.get(kind="text")
        safety_steps.report_message(message, owner, reason="spam")
    return home


def counts(response):
    return {queue.key: queue.total for queue in response.context["queues"]}


@pytest.fixture
def waiting_work(pm, ohv):
    fill(pm, pending=3, new=2, lapsing=1, cases=2, reports=1)
    fill(ohv, pending=1, new=4, lapsing=2, cases=0, reports=0)


def test_the_overview_shows_the_regions_queues_linked_to_their_lists(pm_moderator, waiting_work):
    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_moderator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert counts(response) == {
        "listings_pending": 3,
        "organisations_new": 2,
        "proofs_lapsing": 1,
        "message_reports": 1,
        "reports": 2,
    }
    page = response.content.decode()
    assert "Was auf Sie wartet" in page
    assert "Anzeigen, die auf Freigabe warten" in page
    # Each link opens the list filtered to just that work, with as many rows as counted.
    for queue in response.context["queues"]:
        assert f'href="{queue.path}"' in page.replace("&amp;", "&")
        listed = client.get(queue.path)
        assert listed.status_code == 200, queue.key
        assert listed.context["cl"].result_count == queue.total, queue.key


def test_staff_of_another_region_see_only_theirs(ohv_admin, waiting_work):
    client = sign_in_with_two_factor(Client(HTTP_HOST="ohv.localhost"), ohv_admin)
    assert counts(client.get("/admin/")) == {
        "listings_pending": 1,
        "organisations_new": 4,
        "proofs_lapsing": 2,
        "message_reports": 0,
        "reports": 0,
    }
    # On the portal host too, a staff member counts only the regions they work for.
    portal = sign_in_with_two_factor(Client(HTTP_HOST="localhost"), ohv_admin)
    assert counts(portal.get("/admin/"))["listings_pending"] == 1


def test_the_operator_on_the_portal_sees_every_regions_queues(operator, waiting_work):
    client = sign_in_with_two_factor(Client(HTTP_HOST="localhost"), operator)
    assert counts(client.get("/admin/")) == {
        "listings_pending": 4,
        "organisations_new": 6,
        "proofs_lapsing": 3,
        "message_reports": 1,
        "reports": 2,
    }


def test_the_overview_counts_in_a_constant_number_of_queries(
    pm, ohv, operator, django_assert_max_num_queries
):
    client = sign_in_with_two_factor(Client(HTTP_HOST="localhost"), operator)
    fill(pm, pending=1, new=1, lapsing=1, cases=1, reports=1)
    client.get("/admin/")  # the session and caches warmed
    with django_assert_max_num_queries(20) as few:
        client.get("/admin/")
    fill(ohv, pending=6, new=6, lapsing=6, cases=6, reports=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert counts(client.get("/admin/"))["listings_pending"] == 7


# The morning mail ---------------------------------------------------------------------------


def queue_mails():
    return [m for m in mail.outbox if "Verwaltung" in m.subject or "back office" in m.subject]


def run_task(django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.mail_staff_queues()  # the suite runs huey immediately
    return queue_mails()


def test_each_staff_member_is_mailed_their_regions_queues_with_links(
    pm_moderator, pm_admin, ohv_admin, waiting_work, django_capture_on_commit_callbacks
):
    sent = {tuple(m.to): m for m in run_task(django_capture_on_commit_callbacks)}
    assert set(sent) == {(pm_moderator.email,), (pm_admin.email,), (ohv_admin.email,)}
    pm_mail = sent[(pm_moderator.email,)]
    assert pm_mail.subject == (
        "[starkeRegion Potsdam-Mittelmark] Was in der Verwaltung auf Sie wartet"
    )
    body = pm_mail.body
    assert "- Anzeigen, die auf Freigabe warten: 3\n" in body
    assert "- Zu prüfende Organisationen: 2\n" in body
    assert "- Gemeldete Nachrichten: 1\n" in body
    assert "- Meldungen zu Anzeigen und Organisationen: 2\n" in body
    assert "Nachweise der Gemeinnützigkeit, die innerhalb eines Monats ablaufen: 1\n" in body
    assert "http://pm.localhost/admin/listings/listing/?status__exact=pending" in body
    assert "http://pm.localhost/admin/moderation/case/?todo=yes" in body
    assert "http://pm.localhost/inquiries/notifications/" in body
    # Nothing of the other region.
    assert "ohv.localhost" not in body and "Oberhavel" not in body
    ohv_body = sent[(ohv_admin.email,)].body
    assert "- Anzeigen, die auf Freigabe warten: 1\n" in ohv_body
    assert "- Zu prüfende Organisationen: 4\n" in ohv_body
    assert "Gemeldete Nachrichten" not in ohv_body  # nothing waits there: not listed
    assert "pm.localhost" not in ohv_body


def test_nobody_is_mailed_when_nothing_waits(pm, pm_moderator, django_capture_on_commit_callbacks):
    fill(pm)  # only work that is done
    assert run_task(django_capture_on_commit_callbacks) == []


def test_staff_whose_region_has_nothing_waiting_get_nothing(
    pm, ohv, pm_moderator, ohv_admin, django_capture_on_commit_callbacks
):
    fill(pm, pending=1)
    fill(ohv)
    assert [m.to for m in run_task(django_capture_on_commit_callbacks)] == [[pm_moderator.email]]


def test_staff_who_turned_it_off_are_not_mailed(
    pm_moderator, pm_admin, waiting_work, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST="pm.localhost")
    client.force_login(pm_admin)
    page = client.get("/inquiries/notifications/")
    assert "Jeden Morgen, was in der Verwaltung auf mich wartet" in page.content.decode()
    response = client.post(
        "/inquiries/notifications/",
        # The inquiries' own settings, all kept on; the back office's mail turned off.
        {"new_inquiry": "on", "message": "on", "status": "on", "matching-match_mails": "on"},
    )
    assert response.status_code == 302
    assert StaffMailSettings.objects.get(user=pm_admin).queue_mail is False
    assert [m.to for m in run_task(django_capture_on_commit_callbacks)] == [[pm_moderator.email]]


def test_members_without_a_staff_role_are_not_offered_the_setting(client_for, member):
    page = client_for(member).get("/inquiries/notifications/").content.decode()
    assert "Jeden Morgen" not in page


def test_the_mail_goes_once_a_day(pm_moderator, waiting_work, django_capture_on_commit_callbacks):
    assert len(run_task(django_capture_on_commit_callbacks)) == 1
    assert run_task(django_capture_on_commit_callbacks) == []
    StaffMailSettings.objects.update(queue_mail_sent_on=timezone.localdate() - timedelta(days=1))
    assert len(run_task(django_capture_on_commit_callbacks)) == 1


def test_the_mail_is_in_the_staff_members_language(
    pm, pm_moderator, waiting_work, django_capture_on_commit_callbacks
):
    pm_moderator.language = "en"
    pm_moderator.save(update_fields=["language"])
    (sent,) = run_task(django_capture_on_commit_callbacks)
    assert sent.subject == "[starkeRegion Potsdam-Mittelmark] What waits for you in the back office"
    assert "- Listings awaiting approval: 3\n" in sent.body


def test_staff_of_two_regions_get_one_mail_with_both(
    pm, ohv, pm_moderator, waiting_work, django_capture_on_commit_callbacks
):
    from regions.models import StaffMembership

    StaffMembership.objects.create(user=pm_moderator, region=ohv, role=StaffRole.MODERATOR)
    (sent,) = run_task(django_capture_on_commit_callbacks)
    assert sent.subject == "[starkeRegion] Was in der Verwaltung auf Sie wartet"
    assert "Oberhavel\n" in sent.body and "Potsdam-Mittelmark\n" in sent.body
    assert "http://ohv.localhost/admin/" in sent.body and "http://pm.localhost/admin/" in sent.body


def test_the_command_sends_the_mails(
    pm_moderator, waiting_work, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("mail_staff_queues", stdout=out)
    assert out.getvalue().strip() == "1 mails queued."
    assert len(queue_mails()) == 1


def test_the_task_runs_every_morning():
    schedule = tasks.mail_staff_queues.s().validate_datetime
    morning = timezone.now().replace(hour=4, minute=45, second=0, microsecond=0)
    assert schedule(morning)
    assert not schedule(morning.replace(hour=5))
    assert schedule(morning + timedelta(days=1))


def test_a_staff_member_who_left_is_not_mailed(
    pm, waiting_work, django_capture_on_commit_callbacks
):
    gone = make_staff("ehemals@pm.example.org", pm, StaffRole.MODERATOR)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert run_task(django_capture_on_commit_callbacks) == []
