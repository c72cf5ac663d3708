"""The demo tells the programme's story as the public record has it (seeds), with the current
cohort dated from the day the demo is loaded, so a leader always has today's register."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from minipolice.accounts.models import User
from minipolice.delivery.models import Session
from minipolice.demo.today import demo_cohort
from minipolice.organisations.models import Force, School, Unit, UnitStatusChange
from minipolice.reports.selectors import units_by_status

D = datetime.date
SEVEN_OF_2018 = {
    "Somerset Bridge School",
    "Bournville Primary",
    "St Barnabas Primary",
    "Greenfield EACT Academy",
    "Fair Furlong",
    "Parkwall Primary",
    "Preston Primary",
}


def load(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db, settings, tmp_path):
    return load(settings, tmp_path)


def _started_in(force, year):
    """Schools whose unit first became trial or active in `year`, from the dated history."""
    started = {}
    changes = UnitStatusChange.objects.filter(
        unit__school__area__force=force, to_status__in=["trial", "active"]
    ).order_by("changed_on", "pk")
    for change in changes.select_related("unit__school"):
        started.setdefault(change.unit.school.name, change.changed_on.year)
    return {school for school, started_year in started.items() if started_year == year}


def test_avon_and_somerset_grows_from_the_knowle_pilot_to_thirty_active_units(demo):
    avon = Force.objects.get(short_name="avon-and-somerset")
    assert _started_in(avon, 2017) == {"Oasis Connaught School"}
    assert _started_in(avon, 2018) == SEVEN_OF_2018
    assert len(_started_in(avon, 2019)) == 22
    assert units_by_status(avon, D(2017, 12, 31))["trial"] == 1
    assert units_by_status(avon, D(2017, 12, 31))["active"] == 0
    assert units_by_status(avon, D(2018, 12, 31))["active"] == 8
    assert units_by_status(avon, D(2019, 6, 12))["active"] == 30
    # Every unit's history starts as proposed; some units stopped later, as units do.
    first = {
        u.pk: u.status_changes.order_by("changed_on", "pk").first() for u in Unit.objects.all()
    }
    assert {change.to_status for change in first.values()} == {"proposed"}
    assert Unit.objects.filter(school__area__force=avon, status__in=["paused", "closed"]).count()
    # The invented schools say so, and no school has an invented URN.
    invented = Unit.objects.filter(school__name__startswith="Avon Demo Primary")
    assert invented.count() == 22
    assert not Unit.objects.exclude(school__urn="").exists()


@pytest.mark.parametrize(
    "today",
    [D(2026, 12, 2), D(2027, 5, 15), D(2027, 8, 29), D(2027, 9, 2)],
    ids=["wednesday", "saturday", "sunday-in-summer", "first-week-of-term"],
)
def test_the_demo_leader_has_todays_register_to_take_on_any_day(
    db, settings, tmp_path, monkeypatch, client_for, today
):
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    load(settings, tmp_path)
    leader = User.objects.get(email="leader@avon.example.org")
    cohort = demo_cohort(today)
    session = Session.objects.get(cohort=cohort, date=today)
    weekly = cohort.sessions.exclude(pk=session.pk).order_by("date")
    weekend = today.weekday() >= 5  # the weekly sessions are on Fridays, and today is a visit
    assert weekly.filter(date__lt=today).count() == (5 if weekend else 4)
    assert weekly.filter(date__gt=today).count() == 3
    assert all(s.date.weekday() == min(today.weekday(), 4) for s in weekly)
    page = client_for(leader).get("/").content.decode()
    assert f'href="/sessions/{session.pk}/#register">Today,' in page


def test_opened_again_on_a_later_day_the_demo_adds_todays_session(
    db, settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2027, 1, 13))
    load(settings, tmp_path)
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2027, 1, 18))
    out = load(settings, tmp_path)
    assert "Added a session today" in out
    assert Session.objects.filter(cohort=demo_cohort(D(2027, 1, 18)), date=D(2027, 1, 18)).exists()
    assert "Added a session" not in load(settings, tmp_path)


def test_children_of_a_cohort_have_varied_invented_surnames(demo):
    cohort = demo_cohort()
    surnames = [e.child.last_name for e in cohort.enrolments.select_related("child")]
    assert len(surnames) == 25
    assert len(set(surnames)) >= 15
    # Only the demo parent's two children are Ashworths.
    assert surnames.count("Ashworth") == 2
    harpenden = Unit.objects.get(school__name="Harpenden Academy").cohorts.get(name="2018 trial")
    trial = [e.child.last_name for e in harpenden.enrolments.select_related("child")]
    assert len(trial) == 28 and len(set(trial)) >= 15


def test_schools_are_placed_by_their_postcode_district_so_a_unit_near_bs4_is_found(demo, client):
    districts = dict(School.objects.values_list("name", "postcode"))
    assert districts["Oasis Connaught School"] == "BS4"
    assert districts["Somerset Bridge School"] == "TA6"
    assert districts["Harpenden Academy"] == "AL5"
    assert districts["Spellbrook Primary School"] == "CM23"
    assert districts["St Barnabas Primary"] == ""  # not in the public pages: left empty
    page = client.get("/find/avon-and-somerset/", {"q": "bs4 1aa"}).content.decode()
    assert "Oasis Connaught School" in page and "Greenfield EACT Academy" in page
    assert "Avon Demo Primary" not in page and "No active units" not in page
    # Nobody meets in BS8 (Clifton): the nearest districts' units are offered instead.
    page = client.get("/find/avon-and-somerset/", {"q": "BS8 1TH"}).content.decode()
    assert "No active units found in BS8." in page
    nearest = page[page.index("Nearest units") :]
    assert "Horfield, Bristol BS7" in nearest and "Redland, Bristol BS6" in nearest
