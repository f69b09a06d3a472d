"""The district's figures in the back office (issue #16): per period, region-scoped (the
operator sees every region side by side on the portal host), and their exports for
funders as CSV and XLSX."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from impact.figures import GIVER
from impact.report import Period, build_report
from inquiries.models import Inquiry, Message, MessageKind, Outcome, Side
from inquiries.models import Status as InquiryStatus
from listings.models import Direction, Terms

from .factories import category, make_listing, make_organisation, sign_in_with_two_factor
from .impact_data import build_scene, hand_over

pytestmark = pytest.mark.django_db

FIGURES = "/admin/impact/handedover/figures/"
EXCHANGES = "/admin/impact/handedover/"


@pytest.fixture
def scene(pm, ohv, organisation, owner, school, school_user, inquirer_organisation, inquirer):
    return build_scene(
        pm, ohv, organisation, owner, school, school_user, inquirer_organisation, inquirer
    )


@pytest.fixture
def staff_client(pm, ohv):
    def login(user, host="pm.localhost"):
        return sign_in_with_two_factor(Client(HTTP_HOST=host), user)

    return login


def this_year():
    today = timezone.localdate()
    return Period(today - datetime.timedelta(days=364), today)


def row(report, table_key, label):
    table = next(table for table in report.tables if table.key == table_key)
    return next(r.values for r in table.rows if r.label == label)


# The figures equal the records ---------------------------------------------------------------


def test_the_funnel_counts_the_periods_inquiries(pm, scene):
    report = build_report([pm], this_year())
    inquiries = Inquiry.objects.in_region(pm)
    assert row(report, "inquiries", "Gesendet") == [inquiries.count()]
    accepted = inquiries.filter(messages__kind=MessageKind.ACCEPTED).distinct().count()
    assert row(report, "inquiries", "Angenommen") == [accepted]
    completed = inquiries.filter(status=InquiryStatus.COMPLETED).count()
    assert row(report, "inquiries", "Abgeschlossen (übergeben)") == [completed]
    for status, label in [
        (InquiryStatus.DECLINED, "Abgelehnt"),
        (InquiryStatus.WITHDRAWN, "Zurückgezogen"),
        (InquiryStatus.RELEASED, "Freigegeben (nicht abgeholt)"),
    ]:
        assert row(report, "inquiries", label) == [inquiries.filter(status=status).count()]
    # Two of them were never answered: the withdrawn one and the one still open.
    never = inquiries.exclude(messages__side=Side.OWNER).count()
    assert never == 2
    assert row(report, "inquiries", "Nie beantwortet") == [
        f"{round(100 * never / inquiries.count())} %"
    ]


def test_the_median_time_to_the_first_answer(pm, scene, organisation, owner, school, school_user):
    # Every answer in the scene came within seconds; three more, after 2, 4 and 30 hours.
    for hours in (2, 4, 30):
        listing = make_listing(organisation, f"Tisch {hours}", author=owner, terms="give-away")
        inquiry = hand_over(listing, school, school_user, owner, quantity=1)
        Message.objects.filter(inquiry=inquiry, side=Side.INQUIRER).update(
            created_at=timezone.now() - datetime.timedelta(hours=hours)
        )
        Inquiry.objects.filter(pk=inquiry.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=hours)
        )
    report = build_report([pm], this_year())
    answered = Inquiry.objects.in_region(pm).filter(messages__side=Side.OWNER).distinct()
    assert answered.count() == 12  # median: the 6th and 7th, both within seconds
    assert row(report, "inquiries", "Median der Zeit bis zur ersten Antwort") == ["0,0 Std."]


def test_outcomes_by_kind_count_only_what_was_handed_over_in_the_period(pm, scene):
    report = build_report([pm], this_year())
    assert row(report, "outcomes", "Übergeben") == [5]  # the one of 800 days ago is outside
    assert row(report, "outcomes", "Spende") == [2]
    assert row(report, "outcomes", "Vermietung") == [0]
    assert row(report, "outcomes", "Nicht gezählt: eine Seite sagt, es hat nicht geklappt") == [1]
    long_ago = Period(datetime.date(2020, 1, 1), timezone.localdate())
    assert row(build_report([pm], long_ago), "outcomes", "Übergeben") == [6]


def test_organisations_and_listings_by_type_direction_and_month(pm, scene):
    report = build_report([pm], this_year())
    assert row(report, "organisations", "Organisationen am Ende des Zeitraums") == [4]
    assert row(report, "organisations", "Schule") == [1]
    assert row(report, "organisations", "Verein") == [1]
    assert row(report, "organisations", "Verifiziert") == [1]
    rows = next(t for t in report.tables if t.key == "organisations").rows
    joined = rows.index(next(r for r in rows if r.label == "Im Zeitraum beigetreten"))
    months = rows[joined + 1 :]
    assert len(months) in (12, 13)  # the months the period touches
    assert rows[joined].values == [4] and sum(r.values[0] for r in months) == 4
    assert months[-1].values == [4]  # all of them joined today
    assert row(report, "listings", "Gesuch") == [1]
    assert row(report, "listings", "Angebot") == [6]


def test_the_categories_asked_for_without_offers(pm, scene, school, school_user, organisation):
    make_listing(
        school,
        "Suchen Beamer",
        author=school_user,
        direction=Direction.REQUEST,
        category=category("lager"),
    )
    make_listing(
        school,
        "Suchen Lagerraum",
        author=school_user,
        direction=Direction.REQUEST,
        category=category("lager"),
    )
    make_listing(
        school,
        "Suchen Stapler",
        author=school_user,
        direction=Direction.REQUEST,
        category=category("maschinen"),
    )  # the region offers machines
    missing = build_report([pm], this_year()).missing[pm.pk]
    names = [name for name, _count in missing]
    assert names[0].endswith("› " + category("lager").name)
    assert missing[0][1] == 2
    assert not any(name.endswith("› " + category("maschinen").name) for name in names)


def test_no_figure_of_another_region_gets_into_a_regions_report(pm, ohv, scene):
    report = build_report([pm], this_year())
    assert row(report, "outcomes", "Übergeben") == [5]
    both = build_report([pm, ohv], this_year())
    assert row(both, "outcomes", "Übergeben") == [5, 1]
    assert row(both, "inquiries", "Gesendet") == [
        Inquiry.objects.in_region(pm).count(),
        Inquiry.objects.in_region(ohv).count(),
    ]


def test_the_report_runs_the_same_queries_for_more_data(
    pm, scene, organisation, owner, school, school_user
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            build_report([pm], this_year())
        return len(queries)

    few = count()
    for number in range(6):
        listing = make_listing(organisation, f"Kiste {number}", author=owner, terms="give-away")
        hand_over(listing, school, school_user, owner, quantity=1, completed_days_ago=number * 30)
        make_organisation(pm, f"Neu {number}")
    assert count() == few


# The page: who sees what ---------------------------------------------------------------------


def test_staff_see_their_regions_figures_page(staff_client, pm_moderator, scene):
    response = staff_client(pm_moderator).get(FIGURES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Potsdam-Mittelmark" in html and "Oberhavel" not in html
    assert "Im Zeitraum gestellte Anfragen" in html


def test_staff_of_another_region_never_see_them(staff_client, ohv_admin, scene):
    response = staff_client(ohv_admin).get(FIGURES)
    assert response.status_code in (302, 403)
    own = staff_client(ohv_admin, host="ohv.localhost").get(FIGURES).content.decode()
    assert "Oberhavel" in own and "Potsdam-Mittelmark" not in own
    on_portal = staff_client(ohv_admin, host="localhost").get(FIGURES).content.decode()
    assert "Oberhavel" in on_portal and "Potsdam-Mittelmark" not in on_portal


def test_the_operator_sees_every_region_side_by_side_on_the_portal(staff_client, operator, scene):
    html = staff_client(operator, host="localhost").get(FIGURES).content.decode()
    header = re.findall(r'<th scope="col" class="number">([^<]+)</th>', html)
    assert header[:2] == ["Oberhavel", "Potsdam-Mittelmark"]


def test_members_get_no_figures(client_for, owner, scene):
    response = client_for(owner).get(FIGURES)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "gestern", "end": "2026-01-01"}, "start", "Bitte geben Sie ein Datum ein"),
        ({"start": "2026-02-30", "end": "2026-03-01"}, "start", "Bitte geben Sie ein Datum ein"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "end", "nicht vor dem Anfang"),
        ({"start": "2001-01-01", "end": "2026-04-01"}, "end", "höchstens zehn Jahren"),
        ({"start": "1900-01-01", "end": "1901-04-01"}, "start", "ab dem Jahr 2000"),
        ({"start": "9999-12-30", "end": "9999-12-31"}, "end", "vor dem Jahr 2100"),
        ({"start": "2026-01-01", "end": ""}, "end", "zwingend erforderlich"),
        ({"start": "9" * 40, "end": "2026-01-01"}, "start", "Bitte geben Sie ein Datum ein"),
    ],
)
def test_a_bad_period_gets_a_german_message_at_its_field(
    staff_client, pm_moderator, pm, query, field, message
):
    response = staff_client(pm_moderator).get(FIGURES, {**query, "export": "xlsx"})
    assert response.status_code == 200  # no file, no 500: the form with its message
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert message in response.content.decode()
    assert response.context["report"] is None


def test_a_chosen_period_is_shown(staff_client, pm_moderator, scene):
    response = staff_client(pm_moderator).get(FIGURES, {"start": "2020-01-01", "end": "2020-12-31"})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.period == Period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    assert row(report, "outcomes", "Übergeben") == [0]


def test_the_figures_page_runs_the_same_queries_for_more_data(
    staff_client, pm_moderator, scene, organisation, owner, school, school_user
):
    client = staff_client(pm_moderator)
    client.get(FIGURES)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(FIGURES).status_code == 200
        return len(queries)

    few = count()
    for number in range(5):
        listing = make_listing(organisation, f"Kiste {number}", author=owner, terms="give-away")
        hand_over(listing, school, school_user, owner, quantity=1, completed_days_ago=number * 30)
    assert count() == few


def test_the_index_links_to_the_figures(staff_client, pm_moderator, pm):
    html = staff_client(pm_moderator).get("/admin/").content.decode()
    assert f'href="{FIGURES}"' in html


def test_the_list_of_exchanges_is_region_scoped(staff_client, pm_moderator, scene):
    html = staff_client(pm_moderator).get(EXCHANGES).content.decode()
    assert "Schreibtische" in html and "Tische</" not in html.replace("Schreibtische", "")
    assert "Gabelstapler" not in html  # one side said it did not work out
    other = Outcome.objects.get(inquiry__region__slug="ohv")
    response = staff_client(pm_moderator).get(f"{EXCHANGES}{other.pk}/change/")
    assert response.status_code == 404


# Exports for funders ---------------------------------------------------------------------------


def csv_rows(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return [line.split(";") for line in content[1:].strip().splitlines()]


def test_figures_as_csv(staff_client, pm_moderator, scene):
    query = {"start": "2026-01-01", "end": "2026-12-31", "export": "figures.csv"}
    response = staff_client(pm_moderator).get(FIGURES, query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="impact-figures-pm-2026-01-01_2026-12-31.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == ["Tabelle", "Kennzahl", "Potsdam-Mittelmark"]
    assert rows[next(i for i, r in enumerate(rows) if r[1] == "Gesendet")][:2] == [
        "Im Zeitraum gestellte Anfragen",
        "Gesendet",
    ]


def test_a_row_per_exchange_as_csv_with_formulas_guarded(
    staff_client, pm_moderator, scene, organisation
):
    organisation.name = '=HYPERLINK("http://böse.example")'
    organisation.save()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=3 * 365)
    query = {"start": start.isoformat(), "end": today.isoformat(), "export": "exchanges.csv"}
    response = staff_client(pm_moderator).get(FIGURES, query)
    assert (
        f"impact-exchanges-pm-{start.isoformat()}_{today.isoformat()}.csv"
        in response["Content-Disposition"]
    )
    content = response.content.decode()
    assert "'=HYPERLINK" in content and ";=HYPERLINK" not in content
    rows = csv_rows(response)
    achieved = Outcome.objects.in_region(scene["muster"].region).achieved()
    assert len(rows) - 1 == achieved.count() == 6
    givers = {row[6] for row in rows[1:]}
    expected = set(achieved.annotate(giver=GIVER).values_list("giver", flat=True).distinct())
    assert len(givers) == len(expected) == 2


def test_figures_and_exchanges_as_xlsx(staff_client, pm_moderator, scene, organisation):
    organisation.name = "=1+1"
    organisation.save()
    today = timezone.localdate()
    query = {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": today.isoformat()}
    response = staff_client(pm_moderator).get(FIGURES, {**query, "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"_{today.isoformat()}.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Kennzahlen", "Übergaben"]
    figures, exchanges = workbook["Kennzahlen"], workbook["Übergaben"]
    assert figures["A1"].value.startswith("Zeitraum: ")
    assert [cell.value for cell in figures[3]] == ["Tabelle", "Kennzahl", "Potsdam-Mittelmark"]
    numbers = [r for r in figures.iter_rows(min_row=4, values_only=True) if r[1] == "Gesendet"]
    assert isinstance(numbers[0][2], int)
    rows = list(exchanges.iter_rows(min_row=2, values_only=True))
    # The desks, the advice and the books today; the flour, 40 days ago, is outside.
    assert len(rows) == 3
    assert sorted(row[6] for row in rows) == ["'=1+1", "'=1+1", "Muster GmbH"]
    assert {row[3] for row in rows} == {
        str(Terms.GIVE_AWAY.label),
        str(Terms.TIME_DONATION.label),
        str(Terms.DONATION.label),
    }


def test_exports_follow_the_region_scoping(staff_client, ohv_admin, scene):
    response = staff_client(ohv_admin, host="ohv.localhost").get(
        FIGURES, {"export": "exchanges.csv"}
    )
    rows = csv_rows(response)
    assert [row[1] for row in rows[1:]] == ["Oberhavel"]
