"""The job table: what an action must cause later (a mail, photo sizes) is recorded with the
action, survives a mail server, queue or worker that is away, and is done exactly when due.

The suite runs huey in immediate mode (TASKS_URL=immediate://): the wake-up after a commit
runs the job at once in the test's process. Time passing is shown by moving the jobs' times
back, as a clock would move forward. Workers that are killed are in test_job_worker.py."""

import smtplib
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import locmem
from django.db import transaction
from django.db.models import F
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from core import jobs
from core.mail import MAIL_ATTEMPTS, MAIL_RETRY_DELAY, queue_mail
from core.models import Job
from core.tasks import send_mail_task
from organisations.models import Invitation, Role

from .factories import PASSWORD, sign_in_with_two_factor

pytestmark = pytest.mark.django_db


class FlakyMailServer(locmem.EmailBackend):
    """The test outbox, refusing every mail while `down` is set, like an unreachable server."""

    down = False

    def send_messages(self, messages):
        if FlakyMailServer.down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def mail_server(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.test_jobs.FlakyMailServer"
    monkeypatch.setattr(FlakyMailServer, "down", False)
    return FlakyMailServer


@pytest.fixture
def queue_down(monkeypatch):
    """The task queue (Redis) refuses every task: wake-ups are lost, nothing else."""

    def refuse(task):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(HUEY, "enqueue", refuse)
    monkeypatch.setattr(jobs, "_last_wake_warning", 0.0)


def time_passes(delta):
    """Every job's times move back by `delta`, as if the clock had moved on."""
    Job.objects.update(run_after=F("run_after") - delta, created_at=F("created_at") - delta)
    Job.objects.filter(locked_until__isnull=False).update(locked_until=F("locked_until") - delta)


def welcome(to=("a@example.org",), **fields):
    return EmailMultiAlternatives("Willkommen", "Hallo!", to=list(to), **fields)


def test_a_mail_goes_out_once_its_transaction_commits(
    mail_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = welcome(
            ["a@example.org", "b@example.org"], reply_to=["moderation@pm.example.org"]
        )
        message.attach_alternative("<p>Hallo!</p>", "text/html")
        job = queue_mail(message)
        assert mail.outbox == []  # not before the commit
    [sent] = mail.outbox
    assert (sent.subject, sent.body) == ("Willkommen", "Hallo!")
    assert sent.to == ["a@example.org", "b@example.org"]
    assert sent.reply_to == ["moderation@pm.example.org"]
    assert sent.alternatives[0].content == "<p>Hallo!</p>"
    assert sent.from_email == "starkeRegion <noreply@starkeregion.digital>"
    assert sent.extra_headers["Message-ID"].endswith("@starkeregion.digital>")
    job.refresh_from_db()
    assert (job.state, job.attempts, job.locked_until) == (Job.State.DONE, 1, None)


def test_a_rolled_back_action_leaves_no_mail(mail_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue_mail(welcome())
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert not Job.objects.exists()
    assert mail.outbox == []


def test_a_mail_server_outage_delays_the_mail_and_loses_nothing(
    mail_server, django_capture_on_commit_callbacks, caplog
):
    mail_server.down = True
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_mail(welcome())
    assert mail.outbox == []
    job.refresh_from_db()
    assert (job.state, job.attempts, job.locked_until) == (Job.State.WAITING, 1, None)
    assert "SMTPServerDisconnected" in job.last_error
    due_in = job.run_after - timezone.now()
    assert MAIL_RETRY_DELAY - timedelta(seconds=10) < due_in <= MAIL_RETRY_DELAY
    assert "trying again in 120 s, 6 attempts left" in caplog.text

    assert jobs.run_due() == 0  # not yet due
    mail_server.down = False
    time_passes(MAIL_RETRY_DELAY)
    assert jobs.run_due() == 1
    [sent] = mail.outbox
    assert sent.subject == "Willkommen"
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.last_error == ""


def test_retries_wait_longer_each_time_and_end_failed_for_the_operator(
    mail_server, django_capture_on_commit_callbacks, caplog
):
    mail_server.down = True
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_mail(welcome())
    delays = []
    while True:
        job.refresh_from_db()
        if job.state != Job.State.WAITING:
            break
        delays.append(round((job.run_after - timezone.now()).total_seconds() / 60))
        time_passes(job.run_after - timezone.now() + timedelta(seconds=1))
        jobs.run_due()
    assert delays == [2, 4, 8, 16, 32, 64]
    assert (job.state, job.attempts) == (Job.State.FAILED, MAIL_ATTEMPTS)
    assert mail.outbox == []
    records = [record for record in caplog.records if record.name == "core.jobs"]
    assert [record.levelname for record in records] == ["WARNING"] * 6 + ["ERROR"]
    assert "failed for good after 7 attempts" in records[-1].getMessage()


def test_the_queue_being_down_loses_no_mail(
    mail_server, queue_down, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_mail(welcome())
        queue_mail(welcome(["b@example.org"]))
    assert mail.outbox == []
    # One warning for both lost wake-ups: a queue that is away is logged once a minute.
    assert caplog.text.count("Could not wake the worker") == 1
    job.refresh_from_db()
    assert job.state == Job.State.WAITING and job.attempts == 0

    assert jobs.run_due() == 2  # the sweep of the next minute
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]


def test_a_job_leased_by_a_worker_is_not_taken_by_another_until_its_lease_runs_out():
    job = Job.objects.create(name="mail", payload={})
    [taken] = jobs.claim()
    assert taken.pk == job.pk and taken.attempts == 1
    assert jobs.claim() == []  # a second worker finds nothing due
    time_passes(jobs.LEASE - timedelta(seconds=5))
    assert jobs.claim() == []
    time_passes(timedelta(seconds=10))  # the first worker died: its lease ran out
    [again] = jobs.claim()
    assert again.pk == job.pk and again.attempts == 2


def test_a_wake_up_runs_only_its_own_jobs(mail_server):
    mine, other = (
        Job.objects.create(name="mail", payload=queue_payload(to))
        for to in ("mine@example.org", "other@example.org")
    )
    jobs.run_jobs([mine.pk])
    assert [message.to for message in mail.outbox] == [["mine@example.org"]]
    other.refresh_from_db()
    assert other.state == Job.State.WAITING and other.attempts == 0


def queue_payload(to):
    """The payload core.mail.queue_mail stores, for jobs made without a transaction's help."""
    return {
        "subject": "Hallo",
        "body": "Text",
        "from_email": "noreply@example.org",
        "to": [to],
        "cc": [],
        "bcc": [],
        "reply_to": [],
        "headers": {},
        "alternatives": [],
        "content_subtype": "plain",
    }


def test_a_job_nobody_here_knows_is_kept_for_a_worker_that_does(caplog):
    job = Job.objects.create(name="from.a.newer.release", payload={})
    assert jobs.run_due() == 0
    job.refresh_from_db()
    assert job.state == Job.State.WAITING and job.attempts == 1
    assert "No job handler called 'from.a.newer.release'" in job.last_error


def test_only_registered_jobs_can_be_queued():
    with pytest.raises(LookupError):
        jobs.enqueue("mial", subject="typo")
    assert not Job.objects.exists()


def test_a_mail_sent_twice_after_a_crash_carries_the_same_message_id(mail_server):
    job = Job.objects.create(name="mail", payload=queue_payload("a@example.org"))
    job.payload["headers"] = {"Message-ID": "<job-1@starkeregion.digital>"}
    job.save()
    for _ in range(2):  # the worker died after the server took it: the lease runs out
        jobs.run(job)
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        "<job-1@starkeregion.digital>"
    ] * 2


def test_finished_jobs_are_removed_after_a_while():
    now = timezone.now()
    kept = [
        Job.objects.create(name="mail", state=Job.State.DONE, finished_at=now - timedelta(days=6)),
        Job.objects.create(
            name="mail", state=Job.State.FAILED, finished_at=now - timedelta(days=29)
        ),
        Job.objects.create(name="mail", created_at=now - timedelta(days=90)),  # still waiting
    ]
    Job.objects.create(name="mail", state=Job.State.DONE, finished_at=now - timedelta(days=8))
    Job.objects.create(name="mail", state=Job.State.FAILED, finished_at=now - timedelta(days=31))
    assert jobs.purge_finished() == 2
    assert set(Job.objects.all()) == set(kept)


def test_a_legacy_mail_task_from_the_queue_moves_into_the_job_table(
    mail_server, django_capture_on_commit_callbacks
):
    # A queue written by the release before the job table may still hold such a task.
    with django_capture_on_commit_callbacks(execute=True):
        send_mail_task("Willkommen", "Hallo!", ["a@example.org"], html_message="<p>Hallo!</p>")
    job = Job.objects.get()
    assert job.state == Job.State.DONE
    [sent] = mail.outbox
    assert sent.alternatives[0].content == "<p>Hallo!</p>"


# What users do -------------------------------------------------------------------------------


def test_an_invitation_during_an_outage_arrives_when_the_server_is_back(
    client_for, owner, organisation, mail_server, django_capture_on_commit_callbacks
):
    mail_server.down = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            f"/organisations/{organisation.pk}/members/",
            {"email": "neue.kollegin@example.org", "role": Role.MEMBER},
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "neue.kollegin@example.org"
    assert mail.outbox == []

    mail_server.down = False
    time_passes(MAIL_RETRY_DELAY)
    jobs.run_due()
    [message] = mail.outbox
    assert message.to == ["neue.kollegin@example.org"]
    assert "Tischlerei Holzwurm" in message.subject


def test_sign_up_with_the_mail_server_down_sends_the_confirmation_later(
    pm_client, mail_server, django_capture_on_commit_callbacks
):
    mail_server.down = True
    with django_capture_on_commit_callbacks(execute=True):
        response = pm_client.post(
            "/accounts/signup/",
            {
                "first_name": "Anna",
                "last_name": "Schmidt",
                "email": "neu@firma.example",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    assert mail.outbox == []
    mail_server.down = False
    time_passes(MAIL_RETRY_DELAY)
    jobs.run_due()
    [message] = mail.outbox
    assert message.to == ["neu@firma.example"]
    assert "http://pm.localhost/accounts/confirm-email/" in message.body


def test_a_password_reset_mail_is_written_in_the_accounts_language_not_the_workers(
    pm, member, mail_server, django_capture_on_commit_callbacks
):
    # Rendered when queued, in the language the person chose (here not the request's,
    # German), never later in the worker.
    member.language = "en"
    member.save(update_fields=["language"])
    german = Client(HTTP_HOST="pm.localhost")
    with django_capture_on_commit_callbacks(execute=True):
        german.post("/accounts/password/reset/", {"email": member.email})
    [message] = mail.outbox
    assert "Password Reset" in message.subject
    assert "[starkeRegion Potsdam-Mittelmark]" in message.subject


def test_a_hanging_mail_server_does_not_hold_the_sign_up(pm_client, settings):
    # allauth sent this mail inside the request: the page waited for the server's timeout.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "192.0.2.1", 25  # TEST-NET: never answers
    started = time.monotonic()
    response = pm_client.post(
        "/accounts/signup/",
        {
            "first_name": "Anna",
            "last_name": "Schmidt",
            "email": "neu@firma.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert time.monotonic() - started < 5
    assert Job.objects.get().payload["to"] == ["neu@firma.example"]


# The back office -------------------------------------------------------------------------------


def test_the_operator_sees_a_failed_mail_and_starts_it_again(
    pm, operator, mail_server, django_capture_on_commit_callbacks
):
    failed = Job.objects.create(
        name="mail",
        payload=queue_payload("a@example.org"),
        state=Job.State.FAILED,
        attempts=MAIL_ATTEMPTS,
        finished_at=timezone.now(),
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), operator)
    listing = client.get("/admin/core/job/", {"state": "failed"})
    assert listing.status_code == 200
    assert "Hallo (an 1 Empfänger)" in listing.content.decode()
    index = client.get("/admin/").content.decode()
    assert "Betrieb" in index and ">Core<" not in index, "the section has a German name"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/core/job/", {"action": "retry", "_selected_action": [failed.pk]}
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (Job.State.DONE, 1)
    assert [message.to for message in mail.outbox] == [["a@example.org"]]


def test_region_staff_do_not_see_the_jobs_which_hold_everyones_mail(pm, pm_admin):
    Job.objects.create(name="mail", payload=queue_payload("a@example.org"))
    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/core/job/").status_code == 403
