"""Wording of the account pages and the inquiry steps read once in German and English
(issue #17): what was awkward, inconsistent or said otherwise than the rest of the site."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from inquiries.services import create_inquiry
from inquiries.views import STEPS

from .factories import make_user

pytestmark = pytest.mark.django_db


def headings(html):
    return [" ".join(text.split()) for text in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)]


@pytest.fixture
def english(client_for, member):
    client = client_for(member)
    client.cookies["django_language"] = "en"
    return client


def test_allauths_english_pages_say_log_in_as_the_header_does(pm_client):
    pm_client.cookies["django_language"] = "en"
    login = pm_client.get("/accounts/login/").content.decode()
    assert headings(login) == ["Log in"]
    assert "Sign In" not in login
    signup = pm_client.get("/accounts/signup/").content.decode()
    assert headings(signup) == ["Sign up"]
    assert "please <a" in signup and "log in</a>" in signup


def test_allauths_english_account_pages_write_headings_in_sentence_case(english):
    assert headings(english.get("/accounts/password/change/").content.decode()) == [
        "Change password"
    ]
    assert headings(english.get("/accounts/email/").content.decode()) == ["Email addresses"]
    mfa = english.get("/accounts/2fa/").content.decode()
    assert "Two-factor authentication" in mfa
    assert "Authenticator app" in mfa
    assert "Two-Factor Authentication" not in mfa


def test_recovery_codes_are_spelt_one_way_in_german(client_for, member):
    html = client_for(member).get("/accounts/2fa/").content.decode()
    assert "Wiederherstellungscodes" in html
    assert "Wiederherstellungs-Codes" not in html


def test_sending_the_confirmation_again_is_said_plainly(client_for, member):
    html = client_for(member).get("/accounts/email/").content.decode()
    assert "Bestätigungs-E-Mail erneut senden" in html
    assert "nochmal verschicken" not in html


def test_the_account_page_names_the_person_in_a_sentence(client_for, db):
    person = make_user("jan@example.org", first_name="Jan", last_name="Berg")
    html = client_for(person).get("/accounts/").content.decode()
    assert "Jan Berg – so stehen Sie in Unterhaltungen neben Ihrer Organisation." in html


def test_the_delete_page_says_what_goes_in_one_sentence(client_for, db):
    person = make_user("jan@example.org")
    html = client_for(person).get("/accounts/delete/").content.decode()
    assert "Damit wird das Konto jan@example.org in allen Regionen gelöscht, mit seinen" in html


def test_the_report_link_of_a_message_is_named_for_screen_readers(
    client_for, listing, owner, inquirer, inquirer_organisation
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    inquiry = create_inquiry(
        listing, inquirer_organisation, inquirer, body="Noch da?", period=(tomorrow, tomorrow)
    )
    html = client_for(owner).get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert 'aria-label="Diese Nachricht melden">Melden</a>' in html
    assert "dieser Nachricht" not in html


def test_releasing_a_reservation_says_released_as_its_button_does():
    with translation.override("de"):
        assert str(STEPS["release"].label) == "Reservierung freigeben"
        assert str(STEPS["release"].done).startswith("Die Reservierung ist freigegeben;")
