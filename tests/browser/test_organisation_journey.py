"""An organisation from its founding to its second member, in two browsers.

A member of Potsdam-Mittelmark registers an organisation with a logo, invites a
colleague from the members page; the colleague opens the link from the mail in
their own browser, logs in through the login form and accepts. Both go about it
with the keyboard (Tab, type, Enter); only the logo is chosen with
set_input_files, and the link from the mail is opened directly. axe-core checks
every page on the way, as in test_accessibility.py.
"""

import re
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from organisations.models import Invitation, Membership, Organisation, Role

from ..factories import PASSWORD, make_user
from .keyboard import press_and_load, tab_once_to, tab_to
from .test_accessibility import assert_no_violations
from .test_signup_login import german

pytestmark = pytest.mark.browser

HOST = "pm.localhost"
NAME = "Tischlerei Holzwurm"
COLLEAGUE_EMAIL = "kollegin@tischlerei.example"
INVITATION_LINK = re.compile(r"https?://\S+/organisations/invitations/[^/\s]+/")
LOGO_SIZE = (200, 120)


def german_plural(singular, plural, count):
    """Like german(), for a text with singular and plural forms."""
    with translation.override("de"):
        translated = translation.ngettext(singular, plural, count)
    assert translated not in (singular, plural), f"no German translation for {plural!r}"
    return translated


@pytest.fixture
def colleague(db):
    """Has an account with a confirmed address, but no organisation yet."""
    return make_user(COLLEAGUE_EMAIL)


@pytest.fixture
def logo(tmp_path):
    """A small PNG logo, wider than high, with transparency."""
    path = tmp_path / "holzwurm-logo.png"
    image = Image.new("RGBA", LOGO_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 196, 116), radius=18, fill=(139, 90, 43, 255))
    draw.ellipse((70, 30, 130, 90), fill=(245, 222, 179, 255))
    image.save(path, format="PNG")
    return path


@pytest.fixture
def invitation_links_to_live_server(settings, site_url):
    """Mails link to the region's host on SITE_PORT, the live server's port here."""
    settings.SITE_PORT = str(site_url.port)


def serve_uploads(context, media_root):
    """Lets the browser load uploaded files (logos) from the test's media folder.

    Without DEBUG, the live server does not serve /media/ (in production the proxy
    does); a missing logo would be a 404, which the page fixtures count as an error.
    """
    root = media_root.resolve()

    def fulfil(route):
        relative = unquote(urlsplit(route.request.url).path).removeprefix(settings.MEDIA_URL)
        file = (root / relative).resolve()
        if root in file.parents and file.is_file():
            route.fulfill(path=file)
        else:
            route.fulfill(status=404)

    context.route(f"**{settings.MEDIA_URL}**", fulfil)


def log_in_with_session_cookie(page, site_url, user):
    """Logs `user` in without the form (the login form has its own tests)."""
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site_url(HOST),
            }
        ]
    )


def logo_has_loaded(image):
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_found_an_organisation_with_a_logo_and_bring_in_a_colleague(
    page,
    new_page,
    site_url,
    pm,
    places,
    member,
    colleague,
    logo,
    upload_dirs,
    invitation_links_to_live_server,
    mailoutbox,
):
    serve_uploads(page.context, upload_dirs.media)
    log_in_with_session_cookie(page, site_url, member)
    header = page.get_by_role("banner")
    main = page.get_by_role("main")

    # The directory is empty; a logged-in member is offered to register an organisation.
    page.goto(site_url(HOST, "/organisations/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(german("Organisations"))
    expect(main.get_by_role("status")).to_contain_text("0")
    assert_no_violations(page, "the empty directory")

    tab_to(page, main.get_by_role("link", name=german("Register your organisation")))
    press_and_load(page)
    expect(page).to_have_url(site_url(HOST, "/organisations/new/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(german("Register your organisation"))
    assert_no_violations(page, "the empty registration form")

    # First attempt: a name and a Berlin postal code, nothing else.
    tab_to(page, page.locator("#id_name"))
    page.keyboard.type(NAME)
    tab_to(page, page.locator("#id_postal_code"))
    page.keyboard.type("10115")
    press_and_load(page)

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(german("There is a problem"))
    not_in_region = german("The postal code %(code)s is not %(in_region)s.") % {
        "code": "10115",
        "in_region": "in Potsdam-Mittelmark",
    }
    expect(summary).to_contain_text(not_in_region)
    expect(summary).to_contain_text(german("This field is required."))
    for field in ("type", "sector", "size", "street", "postal_code"):
        expect(page.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name")).to_have_value(NAME)
    assert not Organisation.objects.exists()
    assert_no_violations(page, "the registration form with errors")

    # The summary's first link leads to the first field in error; from there the
    # fields follow one Tab apart. Select boxes are set like a keyboard user does,
    # with the focus on them (select_option does not click).
    tab_once_to(page, summary.get_by_role("link").first)
    page.keyboard.press("Enter")
    expect(page.locator("#id_type")).to_be_focused()
    page.locator("#id_type").select_option(label=german("Craft business"))
    tab_once_to(page, page.locator("#id_legal_form"))
    page.keyboard.type("GmbH")
    tab_once_to(page, page.locator("#id_sector"))
    page.locator("#id_sector").select_option(label=german("Crafts"))
    tab_once_to(page, page.locator("#id_size"))
    page.locator("#id_size").select_option(label=german("Micro (fewer than 10 people)"))
    tab_once_to(page, page.locator("#id_street"))
    page.keyboard.type("Potsdamer Straße 12")
    tab_once_to(page, page.locator("#id_postal_code"))
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("14513")
    tab_once_to(page, page.locator("#id_place_name"))  # one place only: Teltow
    tab_once_to(page, page.locator("#id_website"))
    page.keyboard.type("holzwurm-teltow.example")
    tab_once_to(page, page.locator("#id_public_email"))
    page.keyboard.type("info@holzwurm-teltow.example")
    tab_once_to(page, page.locator("#id_public_phone"))
    page.keyboard.type("03328 123456")
    tab_once_to(page, page.locator("#id_description"))
    page.keyboard.type("Möbel nach Maß aus Holz der Region.\nReparaturen aller Art.")
    tab_once_to(page, page.locator("#id_logo"))
    page.locator("#id_logo").set_input_files(logo)
    tab_once_to(page, main.get_by_role("button", name=german("Create organisation")))
    press_and_load(page)

    # The organisation exists, owned by its founder, at Teltow, with the logo re-encoded.
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.region, organisation.legal_form) == (NAME, pm, "GmbH")
    assert (organisation.place.postal_code, organisation.place.name) == ("14513", "Teltow")
    assert organisation.website == "https://holzwurm-teltow.example"
    # Browsers send a textarea's line breaks as CRLF.
    assert organisation.description.splitlines() == [
        "Möbel nach Maß aus Holz der Region.",
        "Reparaturen aller Art.",
    ]
    assert organisation.memberships.get().user == member
    assert organisation.memberships.get().role == Role.OWNER
    stored_logo = upload_dirs.media / organisation.logo.name
    assert organisation.logo.name.startswith("organisations/logos/")
    with Image.open(stored_logo) as image:
        assert (image.format, image.size) == ("PNG", LOGO_SIZE)

    # … and the founder manages it. (Without "#id_type": the summary link's fragment
    # must not follow the redirect and scroll the new page down to that field.)
    expect(page).to_have_url(site_url(HOST, f"/organisations/{organisation.pk}/manage/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        german("Edit %(name)s") % {"name": NAME}
    )
    expect(main.get_by_role("status")).to_contain_text(
        german("Your organisation has been created.")
    )
    header.locator("summary.account-menu__button").click()  # the person's part of the header
    expect(header.get_by_role("link", name=NAME)).to_be_visible()  # acting for it now
    expect(page.locator("#id_postal_code")).to_have_value("14513")
    expect(page.locator("#id_place_name")).to_have_value("Teltow")
    expect(main.locator(f'a[href="{organisation.logo.url}"]')).to_be_visible()
    assert_no_violations(page, "the manage page")

    # Members: the founder alone; invite the colleague (the role stays "Member").
    breadcrumbs = page.get_by_role("navigation", name=german("Breadcrumb"))
    expect(breadcrumbs.get_by_role("link", name=german("Profile"))).to_have_attribute(
        "aria-current", "page"
    )
    tab_to(page, breadcrumbs.get_by_role("link", name=german("Members")))
    press_and_load(page)
    members_url = site_url(HOST, f"/organisations/{organisation.pk}/members/")
    expect(page).to_have_url(members_url)
    expect(breadcrumbs.get_by_role("link", name=german("Members"))).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        german("Members of %(name)s") % {"name": NAME}
    )
    table = main.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text(member.email)
    assert_no_violations(page, "the members page")

    tab_to(page, page.locator("#id_email"))
    page.keyboard.type(COLLEAGUE_EMAIL)
    tab_once_to(page, page.locator("#id_role"))
    expect(page.locator("#id_role")).to_have_value(Role.MEMBER)
    tab_once_to(page, main.get_by_role("button", name=german("Send invitation")))
    press_and_load(page)
    expect(page).to_have_url(members_url)
    expect(main.get_by_role("status")).to_contain_text(
        german("The invitation to %(email)s is on its way.") % {"email": COLLEAGUE_EMAIL}
    )
    open_invitations = main.get_by_role("list").filter(has_text=COLLEAGUE_EMAIL)
    expect(open_invitations).to_contain_text(german("Member"))
    assert_no_violations(page, "the members page with an open invitation")

    # The live server committed the invitation, so the mail went out, linking back
    # to this region on this server.
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        COLLEAGUE_EMAIL,
        Role.MEMBER,
        member,
    )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [COLLEAGUE_EMAIL]
    assert "Potsdam-Mittelmark" in message.subject
    assert NAME in message.subject
    link = INVITATION_LINK.search(message.body).group(0)
    assert urlsplit(link).hostname == HOST
    assert urlsplit(link).port == site_url.port

    # The colleague, in their own browser, opens the link before logging in …
    other = new_page()
    serve_uploads(other.context, upload_dirs.media)
    other_main = other.get_by_role("main")
    other.goto(link)
    expect(other.get_by_role("heading", level=1)).to_have_text(german("Invitation"))
    expect(other_main).to_contain_text(NAME)
    expect(other_main).to_contain_text(COLLEAGUE_EMAIL)
    assert_no_violations(other, "the invitation page, logged out")

    # … logs in from there (the "log in" link in the page, not the header's) …
    tab_to(other, other_main.get_by_role("link", name=german("Log in")))
    press_and_load(other)
    expect(other).to_have_url(re.compile(r"/accounts/login/\?next="))
    tab_to(other, other.locator("#id_login"))
    other.keyboard.type(COLLEAGUE_EMAIL)
    tab_to(other, other.locator("#id_password"))
    other.keyboard.type(PASSWORD)
    press_and_load(other)

    # … is back on the invitation and accepts it.
    expect(other).to_have_url(link)
    accept = other_main.get_by_role("button", name=german("Accept invitation"))
    expect(accept).to_be_visible()
    assert_no_violations(other, "the invitation page, logged in")
    tab_to(other, accept)
    press_and_load(other)

    # The organisation's profile welcomes the new member, with the logo.
    expect(other).to_have_url(site_url(HOST, f"/organisations/{organisation.pk}/"))
    expect(other_main.get_by_role("status")).to_contain_text(
        german("Welcome to %(name)s.") % {"name": NAME}
    )
    expect(other.get_by_role("heading", level=1)).to_contain_text(NAME)
    profile_logo = other_main.get_by_role("img", name=german("Logo of %(name)s") % {"name": NAME})
    expect(profile_logo).to_be_visible()
    assert logo_has_loaded(profile_logo)
    expect(other_main).to_contain_text(german("Your membership"))
    expect(other_main).to_contain_text("Potsdamer Straße 12, 14513 Teltow")
    # Members neither edit the profile nor manage members.
    expect(other_main.get_by_role("link", name=german("Edit profile"))).to_have_count(0)
    assert_no_violations(other, "the profile page, seen by the new member")
    membership = Membership.objects.get(organisation=organisation, user=colleague)
    assert membership.role == Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague

    # The founder sees the colleague among the members; the invitation is no longer open.
    page.reload()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    colleague_row = rows.filter(has_text=COLLEAGUE_EMAIL)
    expect(colleague_row.get_by_role("combobox")).to_have_value(Role.MEMBER)
    expect(main.get_by_role("heading", name=german("Open invitations"))).to_have_count(0)
    assert_no_violations(page, "the members page with two members")

    # The directory lists the organisation with its logo, and leads to its profile.
    tab_to(page, header.get_by_role("link", name=german("Organisations")))
    press_and_load(page)
    expect(main.get_by_role("status")).to_contain_text("1")
    card = main.get_by_role("listitem").filter(has_text=NAME)
    assert logo_has_loaded(card.locator("img"))  # decorative: alt=""
    assert_no_violations(page, "the directory with the organisation")
    tab_to(page, card.get_by_role("link", name=NAME))
    press_and_load(page)
    expect(page).to_have_url(site_url(HOST, f"/organisations/{organisation.pk}/"))
    your_role = german_plural(
        "You are %(role)s of this organisation, with %(count)s member in all.",
        "You are %(role)s of this organisation, with %(count)s members in all.",
        2,
    )
    expect(main).to_contain_text(your_role % {"role": german("Owner"), "count": 2})
    assert_no_violations(page, "the profile page, seen by the owner")
