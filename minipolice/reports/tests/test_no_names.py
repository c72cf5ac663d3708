"""No demo child's name reaches a funder or a national viewer (#13, "Done means").

The demo is loaded; then the demo funder and the demo national viewer each read everything
they can reach that shows figures: every page linked from their home page, followed link by
link (so a new page is covered when it is linked), the dashboards of every force and area
they may read for several periods (2017-2019, this school year, every term preset), every CSV
and XLSX download (every cell read with openpyxl), the API's summary and survey results for
their forces, survey results, events, award and action totals. No child's first name or
surname appears anywhere: case-blind, as a whole word, in the text a reader sees (and in the
alt, title, aria-label and value attributes, where a name could hide).
"""

import datetime
import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import openpyxl
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from minipolice.accounts.models import Role, RoleAssignment, User
from minipolice.api.services import create_api_token
from minipolice.organisations.models import Area, Cohort, Force
from minipolice.people.models import Child

SHOWN_ATTRIBUTES = {"alt", "title", "aria-label", "value", "placeholder", "content"}
# Never followed: signing out ends the crawl; the rest are not pages of figures.
SKIP = ("/accounts/logout", "/accounts/", "/static/", "/media/", "/manage/", "/api/v1/docs")
MAX_PAGES = 400  # per persona: far more than either reaches today (the test says if not)
MAX_VARIANTS = 15  # query strings followed per path (period and sort links multiply)
TABLES = ["headline", "units", "terms", "reach", "survey"]


class _Text(HTMLParser):
    """The text a reader is shown, and the links to follow."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.parts.append(value)
            if tag == "a" and name == "href" and value:
                self.links.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    return "\n".join([*book.sheetnames, *cells])


def _text_of(response) -> tuple[str, list[str]]:
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        return _xlsx_text(content), []
    if "html" in kind:
        parser = _Text()
        parser.feed(content.decode())
        return "\n".join(parser.parts), parser.links
    if "pdf" in kind:
        return "", []  # the report's PDF is checked by its own tests
    return content.decode(), []  # CSV, JSON, plain text


class Reader:
    """One persona's client, the names looked for, and where each was found."""

    def __init__(self, user, pattern: re.Pattern, adults: re.Pattern):
        self.client = Client()
        self.client.force_login(user)
        session = self.client.session
        session["mfa_enrolled"] = True
        session.save()
        self.pattern, self.adults = pattern, adults
        self.read: dict[str, int] = {}
        self.found: list[str] = []

    def check(self, url: str, response) -> list[str]:
        text, links = _text_of(response)
        text = self.adults.sub(" ", text)  # staff and guests are named, as they may be
        for match in self.pattern.finditer(text):
            start = max(match.start() - 40, 0)
            self.found.append(f"{url}: ...{text[start : match.end() + 40]!r}...")
        return links

    def get(self, url: str) -> list[str]:
        url = _normal(url)
        if url in self.read:
            return []
        response = self.client.get(url)
        self.read[url] = response.status_code
        if response.status_code != 200:
            return []
        return self.check(url, response)

    def crawl(self, start: list[str]) -> None:
        queue = deque(start)
        variants: dict[str, int] = {}
        while queue and len(self.read) < MAX_PAGES:
            url = queue.popleft()
            for href in self.get(url):
                absolute = urljoin(url, href)
                parts = urlsplit(absolute)
                if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
                    continue
                if parts.path.startswith(SKIP):
                    continue
                link, query = _normal(absolute), parts.query
                if link in self.read or link in queue:
                    continue
                if query:
                    variants[parts.path] = variants.get(parts.path, 0) + 1
                    if variants[parts.path] > MAX_VARIANTS:
                        continue
                queue.append(link)
        assert len(self.read) < MAX_PAGES, "raise MAX_PAGES: the crawl stopped early"


def _normal(url: str) -> str:
    """The path and the query sorted, so one page is read once however its link is written."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query)))
    return parts.path + (f"?{query}" if query else "")


def _periods(today: datetime.date) -> list[tuple[str, str]]:
    year = today.year if today.month >= 9 else today.year - 1
    return [
        ("2017-09-01", "2019-08-31"),
        ("2018-04-01", "2018-08-31"),  # the Harpenden trial's term
        ("2019-06-01", "2019-06-30"),  # the celebration day's month
        (f"{year}-09-01", f"{year + 1}-08-31"),  # this school year
        (str(today), str(today)),
    ]


def _dashboards(reader: Reader, forces, areas, today) -> None:
    for number, (start, end) in enumerate(_periods(today)):
        period = {"start": start, "end": end}
        every_table = number in (0, 3)  # 2017-2019 and this school year: each table alone too
        for force in forces:
            base = f"/dashboards/forces/{force.pk}/"
            reader.crawl([f"{base}?{urlencode(period)}"])
            for fmt in ("csv", "xlsx"):
                reader.get(f"{base}?{urlencode({**period, 'format': fmt})}")
                for table in TABLES if every_table else []:
                    reader.get(f"{base}?{urlencode({**period, 'format': fmt, 'table': table})}")
            for area in areas:
                if area.force_id == force.pk:
                    area_page = f"/dashboards/areas/{area.pk}/"
                    reader.get(f"{area_page}?{urlencode(period)}")
                    if every_table:
                        reader.get(f"{base}?{urlencode({**period, 'area': area.pk})}")
                        reader.get(f"{area_page}?{urlencode({**period, 'format': 'xlsx'})}")
                        reader.get(f"{area_page}?{urlencode({**period, 'format': 'csv'})}")
        reader.get(f"/dashboards/national/?{urlencode(period)}")
        for fmt in ("csv", "xlsx"):
            reader.get(f"/dashboards/national/?{urlencode({**period, 'format': fmt})}")


def _api(reader: Reader, user, forces, today) -> None:
    token = create_api_token(acting_user=None, user=user, name="no names test")[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    for force in forces:
        for start, end in _periods(today):
            url = f"/api/v1/reports/summary?force={force.pk}&from={start}&to={end}"
            response = api.get(url)
            assert response.status_code == 200, url
            reader.check(url, response)
        url = f"/api/v1/impact/results?force={force.pk}"
        response = api.get(url)
        assert response.status_code == 200, url
        reader.check(url, response)
        reader.read[url] = 200
    for url in ("/api/v1/awards/totals", "/api/v1/events"):
        response = api.get(url)
        reader.read[url] = response.status_code
        if response.status_code == 200:
            reader.check(url, response)


def test_no_demo_childs_name_reaches_funders_or_national_viewers(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ALLOW_DEMO_WITHOUT_MFA = False
    call_command("load_demo", stdout=io.StringIO())
    names = set()
    for first, last in Child.objects.values_list("first_name", "last_name"):
        names.update({first.strip().lower(), last.strip().lower()})
    assert len(names) > 60 and "ashworth" in names  # the demo's children are all there
    adults = [name for name in User.objects.values_list("full_name", flat=True) if name]
    for force in Force.objects.all():
        adults += [force.chief_constable_name, force.pcc_name]
    adult_pattern = re.compile(
        "|".join(re.escape(a) for a in sorted(adults, key=len, reverse=True)), re.IGNORECASE
    )
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(n) for n in sorted(names)) + r")\b", re.IGNORECASE
    )
    # The search finds names where they are shown: on a cohort's page, to its coordinator.
    probe = Reader(User.objects.get(email="coordinator@avon.example.org"), pattern, adult_pattern)
    pilot = Cohort.objects.filter(unit__school__name="Oasis Connaught School").earliest(
        "start_date"
    )
    probe.get(f"/cohorts/{pilot.pk}/")
    assert probe.read[f"/cohorts/{pilot.pk}/"] == 200 and len(probe.found) >= 10

    for role in (Role.FUNDER, Role.NATIONAL_VIEWER):
        assignment = RoleAssignment.objects.filter(role=role, user__is_demo=True).first()
        _reads_no_name(assignment, pattern, adult_pattern)


def _reads_no_name(assignment, pattern, adult_pattern) -> None:
    user = assignment.user
    national = assignment.role == Role.NATIONAL_VIEWER
    forces = list(Force.objects.all() if assignment.force_id is None else [assignment.force])
    areas = list(Area.objects.filter(force__in=forces))
    today = timezone.localdate()
    reader = Reader(user, pattern, adult_pattern)

    reader.crawl(["/"])
    assert reader.read["/"] == 200
    _dashboards(reader, forces, areas, today)
    for force in forces:
        reader.crawl(
            [
                f"/surveys/forces/{force.pk}/results/",
                f"/surveys/forces/{force.pk}/formats/",
                f"/events/?force={force.pk}",
            ]
        )
    reader.crawl(["/events/", "/awards/totals/", "/community-totals/", "/dashboards/"])
    _api(reader, user, forces, today)

    shown = [url for url, status in reader.read.items() if status == 200]
    # The reader did reach the figures: dashboards, their downloads, survey results.
    assert any("format=xlsx" in url for url in shown), user
    assert any("format=csv" in url for url in shown), user
    assert any("/results/" in url for url in shown), user
    for force in forces:
        assert any(url.startswith(f"/dashboards/forces/{force.pk}/?") for url in shown)
    assert any(url.startswith("/dashboards/national/?") for url in shown) == national
    assert len(shown) > 60, user
    for listed in ("/events/", "/awards/totals/", "/community-totals/", "/api/v1/awards/totals"):
        assert reader.read.get(listed) in (200, 403, 404), listed  # read, or not theirs
    assert not reader.found, "\n".join(reader.found[:20])
    # Funders and national viewers are refused children's pages, never shown them.
    assert not any(re.match(r"^/children/\d+/$", url) for url in shown)
