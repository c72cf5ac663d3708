import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minipolice.audit.models import AuditEntry
from minipolice.community import services
from minipolice.community.models import CommunityAction, Participation
from minipolice.delivery.tests.helpers import add_children, grant_participation
from minipolice.organisations import services as org

TODAY = timezone.localdate


def leaflet_drop(world, **extra):
    data = {
        "date": TODAY().isoformat(),
        "place": "Stockmoor",
        "partners": "Neighbourhood team",
        "homes_reached": "150",
        "leaflets_delivered": "150",
        "outcome": "Advice on burglary and rogue traders.",
    }
    data.update(extra)
    return data


def test_the_form_shows_only_the_measures_of_the_chosen_kind(world, client_for):
    client = client_for(world.users["leader"])
    url = f"/units/{world.unit.pk}/community-actions/new/"

    step = client.get(url).content.decode()
    assert "What kind of community action was it?" in step
    assert 'name="homes_reached"' not in step

    leaflets = client.get(f"{url}?kind=leaflet_drop").content.decode()
    assert 'name="homes_reached"' in leaflets and 'name="leaflets_delivered"' in leaflets
    assert 'name="bags_collected"' not in leaflets and 'name="vehicles_checked"' not in leaflets

    speed = client.get(f"{url}?kind=speed_watch").content.decode()
    assert 'name="vehicles_over_limit"' in speed and 'name="homes_reached"' not in speed


def test_leader_logs_a_leaflet_drop_to_150_homes_with_the_children_who_took_part(world, client_for):
    grant_participation(world.child)
    client = client_for(world.users["leader"])

    response = client.post(
        f"/units/{world.unit.pk}/community-actions/new/?kind=leaflet_drop",
        leaflet_drop(world, participants=[world.child.pk], bags_collected="9"),
    )

    action = CommunityAction.objects.get()
    assert response["Location"] == f"/community-actions/{action.pk}/"
    assert (action.kind, action.homes_reached, action.leaflets_delivered) == (
        "leaflet_drop",
        150,
        150,
    )
    assert action.bags_collected is None  # not a measure of a leaflet drop
    assert list(Participation.objects.values_list("child_id", flat=True)) == [world.child.pk]
    entry = AuditEntry.objects.get(object_type="communityaction", action="create")
    assert entry.fields["participants"] == [world.child.pk] and entry.force == world.force
    page = client.get(f"/community-actions/{action.pk}/").content.decode()
    assert "Homes reached" in page and "150" in page and "Ada Lovelace" in page


def test_a_child_without_consent_cannot_be_recorded_as_taking_part(world, client_for):
    client = client_for(world.users["leader"])
    url = f"/units/{world.unit.pk}/community-actions/new/?kind=litter_pick"

    form = client.get(url).content.decode()
    assert "Cannot take part: No consent recorded for taking part" in form

    response = client.post(
        url, {"date": TODAY().isoformat(), "place": "Park", "participants": [world.child.pk]}
    )
    assert "govuk-error-summary" in response.content.decode()
    assert not CommunityAction.objects.exists()


def test_changing_the_kind_clears_measures_that_no_longer_fit(world, client_for):
    action = services.record_action(
        acting_user=None,
        unit=world.unit,
        kind="leaflet_drop",
        date=TODAY(),
        place="Estate",
        homes_reached=20,
    )
    client = client_for(world.users["coordinator"])
    client.post(
        f"/community-actions/{action.pk}/edit/?kind=litter_pick",
        {"date": TODAY().isoformat(), "place": "Estate", "bags_collected": "12"},
    )
    action.refresh_from_db()
    assert (action.kind, action.homes_reached, action.bags_collected) == ("litter_pick", None, 12)
    entry = AuditEntry.objects.get(object_type="communityaction", action="update")
    assert entry.fields["kind"] == ["leaflet_drop", "litter_pick"]


def test_vehicles_over_the_limit_cannot_exceed_vehicles_checked(world, client_for):
    client = client_for(world.users["leader"])
    response = client.post(
        f"/units/{world.unit.pk}/community-actions/new/?kind=speed_watch",
        {
            "date": TODAY().isoformat(),
            "place": "School Lane",
            "vehicles_checked": "10",
            "vehicles_over_limit": "12",
        },
    )
    assert "cannot be more than vehicles checked" in response.content.decode()


def test_teacher_sees_actions_but_cannot_record_them(world, client_for):
    services.record_action(
        acting_user=None, unit=world.unit, kind="other", date=TODAY(), place="Hall"
    )
    client = client_for(world.users["teacher"])
    assert "Hall" in client.get("/community-actions/").content.decode()
    assert client.get(f"/units/{world.unit.pk}/community-actions/new/").status_code == 403


def record(unit, day, **measures):
    return services.record_action(
        acting_user=None, unit=unit, kind="leaflet_drop", date=day, place="Somewhere", **measures
    )


def test_totals_per_unit_area_and_force_for_a_date_range(world, client_for):
    second = org.create_unit(acting_user=None, school=world.school, name="Second unit")
    kids = add_children(world.cohort, 2)
    in_range = TODAY()
    services.record_action(
        acting_user=None,
        unit=world.unit,
        kind="leaflet_drop",
        date=in_range,
        place="Estate",
        homes_reached=150,
        leaflets_delivered=160,
        participants=kids,
    )
    record(world.unit, in_range, homes_reached=50)
    record(second, in_range, homes_reached=7)
    record(world.unit, TODAY() - datetime.timedelta(days=60), homes_reached=1000)  # too early
    record(world.other_unit, in_range, homes_reached=999)  # another force
    client = client_for(world.users["coordinator"])

    def page(level):
        return client.get(
            "/community-totals/",
            {
                "start": (TODAY() - datetime.timedelta(days=10)).isoformat(),
                "end": TODAY().isoformat(),
                "level": level,
            },
        ).content.decode()

    units = page("unit")
    assert "Hilltop Mini Police" in units and "Second unit" in units
    assert ">200<" in units and ">7<" in units and ">207<" in units
    assert "1000" not in units and "999" not in units
    force = page("force")
    assert "Testshire Police" in force and "Otherton" not in force
    assert ">207<" in force
    assert ">2<" in force  # two children took part


def test_funders_see_totals_but_small_numbers_of_children_are_hidden(world, client_for):
    kids = add_children(world.cohort, 2)
    services.record_action(
        acting_user=None,
        unit=world.unit,
        kind="leaflet_drop",
        date=TODAY(),
        place="Estate",
        homes_reached=150,
        participants=kids,
    )
    html = client_for(world.users["funder"]).get("/community-totals/").content.decode()
    assert ">150<" in html and "fewer than 5" in html
    national = client_for(world.users["national"]).get("/community-totals/").content.decode()
    assert ">150<" in national


def test_totals_and_list_cost_the_same_queries_for_1_and_30_actions(world, client_for):
    client = client_for(world.users["coordinator"])
    client.get("/")
    record(world.unit, TODAY(), homes_reached=1)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = ["/community-actions/", "/community-totals/"]
    before = [count(url) for url in urls]
    kids = add_children(world.cohort, 3)
    for i in range(29):
        unit = org.create_unit(acting_user=None, school=world.school, name=f"Unit {i}")
        services.record_action(
            acting_user=None,
            unit=unit if i % 2 else world.unit,
            kind="leaflet_drop",
            date=TODAY(),
            place=f"Street {i}",
            homes_reached=i,
            participants=kids if not i % 2 else [],
        )
    assert before == [count(url) for url in urls] == [6, 7]


def test_funder_cannot_work_out_a_hidden_count_from_the_total(world, client_for):
    """One unit with 2 children (hidden) and one with 6: the total would give the 2 away."""
    import datetime

    from django.utils import timezone

    from minipolice.community import services as community
    from minipolice.consent.services import record_consent
    from minipolice.organisations import services as org
    from minipolice.people import services as people

    today = timezone.localdate()
    second = org.create_unit(acting_user=None, school=world.school, name="Second", status="active")
    cohort = org.create_cohort(
        acting_user=None,
        unit=second,
        name="Y5",
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=90),
    )
    groups = {world.cohort: 2, cohort: 6}
    for group, size in groups.items():
        kids = [
            people.add_child_to_cohort(
                acting_user=None, cohort=group, first_name=f"K{i}", last_name="Total", year_group=5
            )
            for i in range(size)
        ]
        for kid in kids:
            record_consent(
                acting_user=None, child=kid, kind="participation", status="granted", method="paper"
            )
        community.record_action(
            acting_user=world.users["coordinator"],
            unit=group.unit,
            kind="litter_pick",
            participants=kids,
            date=today,
            place="Park",
            bags_collected=3,
        )
    body = (
        client_for(world.users["funder"])
        .get(
            f"/community-totals/?level=unit&start={(today - datetime.timedelta(days=1)).isoformat()}&end={today.isoformat()}"
        )
        .content.decode()
    )
    assert "fewer than 5" in body
    assert ">8<" not in body.replace(" ", "")


# Each required field of the community forms says what is missing.
def test_an_empty_leaflet_drop_says_which_fields_are_missing(world, client_for):
    client = client_for(world.users["leader"])
    response = client.post(
        f"/units/{world.unit.pk}/community-actions/new/?kind=leaflet_drop",
        {"date": "", "place": ""},
    )
    html = response.content.decode()
    assert "Enter the date of the action" in html
    assert "Enter where the leaflet drop took place" in html
    assert "This field is required." not in html


def test_a_count_that_is_not_a_number_is_named(world, client_for):
    client = client_for(world.users["leader"])
    response = client.post(
        f"/units/{world.unit.pk}/community-actions/new/?kind=litter_pick",
        {"date": "2026-01-05", "place": "Park", "bags_collected": "lots"},
    )
    assert "Enter the number of bags of litter collected as a whole number" in (
        response.content.decode()
    )


def test_the_kind_step_asks_to_select_a_kind(world, client_for):
    client = client_for(world.users["leader"])
    html = client.get(f"/units/{world.unit.pk}/community-actions/new/?kind=").content.decode()
    assert "Select what kind of community action it was" in html


def test_totals_with_empty_dates_say_which_dates_are_missing(world, client_for):
    html = client_for(world.users["coordinator"]).get("/community-totals/?start=&end=&level=")
    html = html.content.decode()
    assert "Enter the first date to count from" in html
    assert "Enter the last date to count to" in html
    assert "Select whether to total by unit, area or force" in html


def test_continue_with_no_kind_chosen_shows_the_error_summary(world, client_for):
    """Submit the first step as a browser does when no radio is ticked: only the form's other
    fields are sent."""
    import re

    client = client_for(world.users["leader"])
    url = f"/units/{world.unit.pk}/community-actions/new/"
    page = client.get(url).content.decode()
    start = page.index('<form method="get" novalidate>')
    form = page[start : page.index("</form>", start)]
    sent = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    html = client.get(url, sent).content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "Select what kind of community action it was" in html
    assert 'href="#id_kind_0"' in html or 'href="#id_kind"' in html
