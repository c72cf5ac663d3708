from minipolice.delivery.models import SchoolHoliday


def test_coordinator_adds_force_wide_holiday_dates(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post(
        "/school-holidays/new/",
        {
            "name": "Autumn half term",
            "area": "",
            "start_date": "2026-10-26",
            "end_date": "2026-10-30",
        },
    )
    assert response.status_code == 302
    holiday = SchoolHoliday.objects.get()
    assert holiday.force == world.force and holiday.area is None
    assert "Autumn half term" in client.get("/school-holidays/").content.decode()


def test_area_lead_must_choose_their_area(world, client_for):
    client = client_for(world.users["area_lead"])
    data = {"name": "Closure", "area": "", "start_date": "2026-10-26", "end_date": "2026-10-26"}
    assert "govuk-error-summary" in client.post("/school-holidays/new/", data).content.decode()
    data["area"] = world.area.pk
    assert client.post("/school-holidays/new/", data).status_code == 302
    assert SchoolHoliday.objects.get().area == world.area


def test_last_day_before_first_day_is_refused(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post(
        "/school-holidays/new/",
        {"name": "Backwards", "start_date": "2026-10-30", "end_date": "2026-10-26"},
    )
    assert "The last day must be on or after the first day." in response.content.decode()
    assert not SchoolHoliday.objects.exists()


def test_holidays_list_costs_the_same_for_1_and_30(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minipolice.delivery import services

    client = client_for(world.users["coordinator"])
    client.get("/")

    def add(n):
        for i in range(n):
            services.create_holiday(
                acting_user=None,
                force=world.force,
                area=world.area if i % 2 else None,
                name=f"Closure {i}",
                start_date=f"2026-0{1 + i % 9}-0{1 + i % 9}",
                end_date=f"2026-0{1 + i % 9}-1{i % 9}",
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/school-holidays/").status_code == 200
        return len(queries)

    add(1)
    one = count()
    add(29)
    assert one == count() == 4


def test_an_empty_school_holiday_says_which_fields_are_missing(world, client_for):
    coordinator = client_for(world.users["coordinator"]).post("/school-holidays/new/", {"name": ""})
    html = coordinator.content.decode()
    assert "Enter the name of the holiday" in html
    assert "Enter the first day of the holiday" in html
    assert "Enter the last day of the holiday" in html

    area_lead = client_for(world.users["area_lead"]).post("/school-holidays/new/", {"name": ""})
    assert "Select the area these dates apply to" in area_lead.content.decode()
