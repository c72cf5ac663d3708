"""What the dashboards issue (#13) calls done, in a real browser, on the demo data: the Avon
and Somerset coordinator opens the dashboard for 1 September 2017 to 31 August 2019 and sees
the units grow from the Knowle pilot to the later units, downloads the XLSX, asks for the PDF
impact report and downloads it; the funder opens the same dashboard and sees the figures
rounded, with the caption, and downloads the report; the national viewer compares the two demo
forces, sorts by a column, sees the total, downloads the table and one force's report. axe checks every page on the way (the `page` helper does, on each load).
"""

import base64
import importlib
import io
import re

import openpyxl
import pytest
from django.apps import apps
from django.core.management import call_command

from minipolice.accounts.models import User
from minipolice.demo.data import DEMO_PASSWORD
from tests.browser.conftest import add_authenticator

pytestmark = pytest.mark.browser
PERIOD = {"start_0": "1", "start_1": "9", "start_2": "2017"}
PERIOD_END = {"end_0": "31", "end_1": "8", "end_2": "2019"}


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo, loaded as `make demo` does. Browser tests flush the database, which removes
    what the migrations seeded (the national libraries): seed them again first."""
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    for app in ("programme", "impact"):
        model = "ProgrammeTemplate" if app == "programme" else "InstrumentVersion"
        if not apps.get_model(app, model).objects.exists():
            importlib.import_module(f"minipolice.{app}.migrations.0002_national_library").seed(
                apps, None
            )
    call_command("load_demo", stdout=io.StringIO())
    users = {
        key: User.objects.get(email=email)
        for key, email in {
            "coordinator": "coordinator@avon.example.org",
            "funder": "funder@avon.example.org",
            "national": "national@example.org",
        }.items()
    }
    for user in users.values():
        add_authenticator(user)
    return users


def rows(page, table: str) -> dict[str, list[str]]:
    """A table's rows by their heading cell: {"Autumn 2017": ["0", "1", ...]}."""
    found = {}
    for row in page.driver.find_elements(
        "css selector", f"table[data-table={table}] tbody tr, table[data-table={table}] tfoot tr"
    ):
        heading = row.find_element("css selector", "th").text.strip()
        found[heading] = [cell.text.strip() for cell in row.find_elements("css selector", "td")]
    return found


def headline(page) -> dict[str, str]:
    return {key: values[0] for key, values in rows(page, "headline").items()}


FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(async (r) => {
  const bytes = new Uint8Array(await r.arrayBuffer());
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  done({status: r.status, type: r.headers.get("Content-Type"), body: btoa(text)});
}).catch((e) => done({error: String(e)}));
"""


def fetch(page, href: str) -> tuple[int, str, bytes]:
    """Download a link in the browser (its cookies, its session), as a click on it would."""
    found = page.driver.execute_async_script(FETCH, href)
    assert "error" not in found, found
    return found["status"], found["type"], base64.b64decode(found["body"])


def open_dashboard_for_the_period(page) -> None:
    page.navigate_to("Dashboard")
    page.submit_form(**PERIOD, **PERIOD_END)
    assert "1 September 2017 to 31 August 2019" in page.text


def sign_out(page) -> None:
    page.navigate_to("Sign out")
    page.driver.delete_all_cookies()


def test_coordinator_funder_and_national_viewer_read_the_dashboards(page, demo):
    # The coordinator: the force's dashboard for the pilot's and the 2018 units' years.
    page.sign_in(demo["coordinator"], DEMO_PASSWORD)
    open_dashboard_for_the_period(page)
    assert page.heading == "Avon and Somerset Constabulary"
    units = rows(page, "units")  # Term, then Proposed, Trial, Active, Paused, Closed
    assert units["Autumn 2017"][:3] == ["0", "1", "0"]  # the Knowle pilot, on trial
    assert units["Spring 2018"][2] == "1"
    assert units["Autumn 2018"][2] == "8"  # the pilot and the seven of 2018
    assert units["Summer 2019"][2] == "30"
    figures = headline(page)
    assert int(figures["Sessions delivered"]) > 50
    assert float(figures["Volunteer hours"].replace(",", "")) > 50
    reach = {key: values[0] for key, values in rows(page, "reach").items()}
    assert int(reach["Community actions"]) >= 10
    assert int(reach["Homes reached"].replace(",", "")) >= 1000  # 150 homes a unit
    assert figures["Events held"] == "1"
    exact_children = figures["Children attending events"]
    assert exact_children.isdigit() and int(exact_children) % 5  # exact: not rounded
    assert not page.driver.find_elements("css selector", "[data-disclosure]")

    xlsx = page.driver.find_element("partial link text", "XLSX").get_attribute("href")
    status, kind, content = fetch(page, xlsx)
    assert status == 200 and "spreadsheetml" in kind
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = [
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    ]
    assert "Autumn 2017" in cells and "Summer 2019" in cells
    assert len(book.sheetnames) >= 4

    ask_for_the_report(
        page, page.driver.find_element("link text", "Impact report (PDF) for these dates")
    )
    sign_out(page)

    # The funder: the same dashboard, children rounded to the nearest 5, with the caption.
    page.sign_in(demo["funder"], DEMO_PASSWORD)
    open_dashboard_for_the_period(page)
    caption = page.driver.find_element("css selector", "[data-disclosure]").text
    assert "No child is named" in caption and re.search(r"nearest 5|fewer than 5", caption)
    funded = headline(page)
    assert funded["Sessions delivered"] == figures["Sessions delivered"]  # not children: exact
    rounded = funded["Children attending events"]
    assert int(rounded) % 5 == 0 and abs(int(rounded) - int(exact_children)) <= 2
    assert rows(page, "units")["Summer 2019"][2] == "30"
    ask_for_the_report(
        page, page.driver.find_element("link text", "Impact report (PDF) for these dates")
    )
    sign_out(page)

    # The national viewer: both forces side by side, sorted by a column, with the total.
    page.sign_in(demo["national"], DEMO_PASSWORD)
    page.navigate_to("Dashboard")
    assert page.heading == "Every force side by side"
    page.submit_form(**PERIOD, **PERIOD_END)
    page.click_link("Sessions delivered")
    sorted_by = page.driver.find_element("css selector", "th[aria-sort]")
    assert "Sessions delivered" in sorted_by.text
    forces = rows(page, "national")
    assert list(forces) == [
        "Avon and Somerset Constabulary",
        "Hertfordshire Constabulary",
        "All forces",
    ]  # most sessions first: Avon and Somerset's 30 units
    page.click_link("Sessions delivered")  # again: the other way round
    assert list(rows(page, "national"))[0] == "Hertfordshire Constabulary"
    assert page.driver.find_elements("css selector", "[data-disclosure]")
    xlsx = page.driver.find_element("partial link text", "XLSX").get_attribute("href")
    status, kind, content = fetch(page, xlsx)
    assert status == 200 and "spreadsheetml" in kind
    # One force's dashboard from the table, and its impact report.
    page.click_link("Avon and Somerset Constabulary")
    assert page.heading == "Avon and Somerset Constabulary"
    ask_for_the_report(
        page, page.driver.find_element("link text", "Impact report (PDF) for these dates")
    )


def ask_for_the_report(page, link) -> None:
    """The PDF impact report: asked for from the dashboard, made by a task (immediate here),
    downloaded from its progress page."""
    page._follow(link)
    assert page.heading == "Impact report"
    page._follow(page._find("xpath", "//button[normalize-space()='Make the report']"))
    assert page.heading == "Impact report ready"
    pdf = page.driver.find_element("partial link text", "PDF").get_attribute("href")
    status, kind, content = fetch(page, pdf)
    assert status == 200 and kind == "application/pdf" and content.startswith(b"%PDF")
