"""A leader adds a session on a phone (375 px): the date is typed in GOV.UK's Day, Month and
Year boxes and the time as 24-hour text; a date left without its month is said beside the
field, and the error summary's link takes the leader to the Day box. axe runs on every page."""

import datetime

import pytest

from minipolice.delivery.models import Session

pytestmark = pytest.mark.browser


def test_leader_adds_a_session_typing_the_date_in_boxes_on_a_phone(page, live_world):
    day = datetime.date.today() + datetime.timedelta(days=7)
    page.sign_in(live_world.users["leader"])
    page.driver.set_window_size(375, 812)
    page.visit(f"/cohorts/{live_world.cohort.pk}/sessions/new/")

    assert page.driver.find_elements("css selector", 'input[type="date"], input[type="time"]') == []
    boxes = page.driver.find_elements("css selector", ".govuk-date-input input")
    assert [box.get_attribute("inputmode") for box in boxes] == ["numeric"] * 3
    assert page.driver.execute_script("return document.documentElement.scrollWidth") <= 375
    # The three boxes sit side by side, as GOV.UK's pattern shows them, even at 375 px.
    tops = {round(box.rect["y"]) for box in boxes}
    assert len(tops) == 1

    page.submit_form(
        date_0=str(day.day), date_1="", date_2=str(day.year), start_time="1430", minutes="60"
    )

    assert "The date must include a month" in page.text
    link = page.driver.find_element("link text", "The date must include a month")
    assert link.get_attribute("href").endswith("#id_date_0")
    month = page.driver.find_element("id", "id_date_1")
    assert "govuk-input--error" in month.get_attribute("class")
    assert page.driver.find_element("id", "id_date_0").get_attribute("value") == str(day.day)
    link.click()
    assert page.driver.execute_script("return document.activeElement.id") == "id_date_0"

    page.submit_form(date_1=str(day.month))

    session = Session.objects.get(cohort=live_world.cohort)
    assert (session.date, session.start_time) == (day, datetime.time(14, 30))
    assert page.driver.execute_script("return document.documentElement.scrollWidth") <= 375
