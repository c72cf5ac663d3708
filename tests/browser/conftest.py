"""The browser-test harness: Debian's headless Chromium, driven by Selenium.

Every page the `page` helper loads is checked before the test goes on:

- axe-core (installed by npm in frontend/node_modules) must find no WCAG 2.2 A/AA violation;
- the browser console must hold no error. A Content Security Policy violation or a JavaScript
  error shows up there, so this also proves the CSP (no unsafe-inline) does not break the page;
- no template variable may be missing (tests render one as INVALID_TEMPLATE_VARIABLE(name)).

All the problems on a page are reported together, axe's as rule, impact, help and selectors.

The tests are skipped, with the reason printed, when /usr/bin/chromium or /usr/bin/chromedriver
is missing (`make browser-deps` installs them; .ci/run always does). Selenium never downloads a
browser: both paths are given explicitly.

Set MINIPOLICE_SCREENSHOTS=/some/folder to keep a full-page PNG of every page checked, at
1280 and 375 pixels wide.
"""

import os
import re
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from selenium import webdriver
from selenium.common.exceptions import (
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from conftest import PASSWORD, build_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE_JS = (
    Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
)
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe has no separate "wcag22a" tag).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",  # as on a phone; screenshots show the page alone
    "--window-size=1280,1024",
]
WAIT_SECONDS = 10
SCREEN_WIDTHS = (1280, 375)

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then((results) => done({violations: results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }))}))
  .catch((error) => done({error: String(error)}));
"""


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; each test starts with no cookies."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        pytest.skip(
            f"Browser tests skipped: {' and '.join(missing)} not installed. "
            "Install Debian's chromium and chromium-driver with `make browser-deps`."
        )
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing ({AXE_JS}). Run `make setup` to install it.")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.TemporaryDirectory(prefix="minipolice-chromium-")
    options.add_argument(f"--user-data-dir={profile.name}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(30)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    profile.cleanup()


@pytest.fixture
def live_world(transactional_db):
    """The persona world, committed so the live server's thread can see it.

    Every staff persona has set up an authenticator app, as the sign-in rules require.
    """
    world = build_world()
    for key, user in world.users.items():
        if key != "guardian":
            add_authenticator(user)
    return world


def add_authenticator(user) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


def current_totp_code(user, *, not_in=()) -> str:
    """The code the user's authenticator app shows now. Waits for the next code when this one
    is about to expire, or is in `not_in` (allauth accepts each code only once)."""
    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    period = app_settings.TOTP_PERIOD
    while True:
        left = period - time.time() % period
        code = format_hotp_value(hotp_value(secret, int(time.time()) // period))
        if left > 3 and code not in not_in:
            return code
        time.sleep(left + 0.1)


@pytest.fixture
def page(browser, live_server):
    cache.clear()  # TOTP codes already used, rate limits
    browser.delete_all_cookies()
    browser.set_window_size(1280, 1024)
    browser.get_log("browser")  # drop anything left over from the previous test
    return Page(browser, live_server.url)


class Page:
    """What a test does in the browser. Every page load is checked for accessibility and
    console errors before the method returns."""

    def __init__(self, driver, base_url):
        self.driver = driver
        self.base_url = base_url
        self.visited = []
        self.codes_used = set()

    # Reading the page

    @property
    def path(self) -> str:
        return urlsplit(self.driver.current_url).path

    @property
    def heading(self) -> str:
        return self._find("css selector", "h1").text.strip()

    @property
    def text(self) -> str:
        return self._find("css selector", "body").text

    def summary_value(self, key: str) -> str:
        """The value beside `key` in a GOV.UK summary list."""
        xpath = (
            f"//dt[contains(@class, 'govuk-summary-list__key')][normalize-space()={_xpath_str(key)}]"
            "/following-sibling::dd[contains(@class, 'govuk-summary-list__value')][1]"
        )
        return self._find("xpath", xpath).text.strip()

    # Moving around

    def visit(self, path: str, *, status: int = 200) -> None:
        """Open `path`. Pass the status a refusal page is expected to answer with (403, 404):
        the browser logs that as an error, which is then not counted against the page."""
        self.driver.get(self.base_url + path)
        self._wait_until_loaded()
        expected = None
        if status != 200:
            expected = f"{self.base_url + path} - Failed to load resource: the server responded with a status of {status}"
        self.check(expected_console_error=expected)

    def navigate_to(self, label: str) -> None:
        """Follow a link (or press the Sign out button) in the service navigation."""
        self._follow(
            self._find(
                "xpath",
                "//*[contains(@class, 'govuk-service-navigation')]"
                f"//*[self::a or self::button][normalize-space()={_xpath_str(label)}]",
            )
        )

    def open_from_manage(self, label: str) -> None:
        """Open a page listed on the Manage page, through the menu as a user would."""
        self.navigate_to("Manage")
        self.click_link(label)

    def click_link(self, text: str) -> None:
        self._follow(self._find("link text", text))

    def submit_form(self, **fields: str) -> None:
        """Type into the named fields, then press the submit button of their form."""
        form = None
        for name, value in fields.items():
            field = self._find("name", name)
            field.clear()
            field.send_keys(value)
            form = field.find_element("xpath", "./ancestor::form")
        self._follow(form.find_element("css selector", "button[type=submit], input[type=submit]"))

    def sign_in(self, user, password: str = PASSWORD) -> None:
        """Sign in through the real form, typing the authenticator code when asked for it."""
        self.visit("/accounts/login/")
        self.submit_form(login=user.email, password=password)
        if self.path.startswith("/accounts/2fa/authenticate/"):
            code = current_totp_code(user, not_in=self.codes_used)
            self.codes_used.add(code)
            self.submit_form(code=code)
        if self.path.startswith("/accounts/"):
            pytest.fail(
                f"Signing in as {user.email} stopped at {self.path}:\n{self.text}", pytrace=False
            )

    # Checks run after every page load

    def check(self, expected_console_error: str | None = None) -> None:
        """Fail on console errors or axe violations, listing all of them at once."""
        self.visited.append(self.path)
        self._save_screenshots()
        problems = (
            self.console_errors(expected_console_error)
            + self.accessibility_violations()
            + self.invalid_template_variables()
        )
        if problems:
            pytest.fail("\n\n".join(problems), pytrace=False)

    def console_errors(self, expected: str | None = None) -> list[str]:
        errors = [
            entry
            for entry in self.driver.get_log("browser")
            if entry["level"] == "SEVERE"
            and not (expected and entry["message"].startswith(expected))
        ]
        if not errors:
            return []
        lines = "\n".join(f"  - {entry['message']}" for entry in errors)
        return [
            f"The browser console shows {len(errors)} error(s) on {self.path} "
            f"(a CSP violation, a JavaScript error or a failed request):\n{lines}"
        ]

    def invalid_template_variables(self) -> list[str]:
        """Tests render a missing template variable as INVALID_TEMPLATE_VARIABLE(name)."""
        found = sorted(
            set(re.findall(r"INVALID_TEMPLATE_VARIABLE\([^)]*\)", self.driver.page_source))
        )
        if not found:
            return []
        return [f"Missing template variables on {self.path}: {', '.join(found)}"]

    def accessibility_violations(self) -> list[str]:
        if not self.driver.execute_script("return typeof window.axe === 'object'"):
            self.driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
        result = self.driver.execute_async_script(RUN_AXE, AXE_TAGS)
        if "error" in result:
            return [f"axe-core could not run on {self.path}: {result['error']}"]
        violations = [v for v in map(_without_known_govuk_issues, result["violations"]) if v]
        if not violations:
            return []
        return [describe_violations(self.path, self.driver.title, violations)]

    # Plumbing

    def _find(self, by: str, value: str):
        try:
            return WebDriverWait(self.driver, WAIT_SECONDS).until(
                ec.presence_of_element_located((by, value))
            )
        except TimeoutException:
            pytest.fail(
                f"No element {by}={value!r} on {self.path}:\n{self.text_or_source()}", pytrace=False
            )

    def text_or_source(self) -> str:
        try:
            return self.driver.find_element("css selector", "body").text
        except Exception:
            return self.driver.page_source

    def _follow(self, element) -> None:
        """Click something that loads a new page, and check the page it loads."""
        old_page = self.driver.find_element("tag name", "html")
        element.click()
        WebDriverWait(self.driver, WAIT_SECONDS).until(lambda driver: _is_gone(old_page))
        self._wait_until_loaded()
        self.check()

    def _wait_until_loaded(self) -> None:
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda driver: driver.execute_script("return document.readyState") == "complete"
        )

    def _save_screenshots(self) -> None:
        folder = os.environ.get("MINIPOLICE_SCREENSHOTS")
        if not folder:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", self.path.lower()).strip("-") or "home"
        original = self.driver.get_window_size()
        for width in SCREEN_WIDTHS:
            self.driver.set_window_size(width, 800)
            for _ in range(2):  # the page reflows once its scrollbar goes
                toolbars, height = self.driver.execute_script(
                    "return [window.outerHeight - window.innerHeight,"
                    " document.documentElement.scrollHeight]"
                )
                self.driver.set_window_size(width, height + toolbars)
            self.driver.save_screenshot(f"{folder}/{len(self.visited):02d}-{slug}-{width}.png")
        self.driver.set_window_size(original["width"], original["height"])


def _without_known_govuk_issues(violation: dict) -> dict | None:
    """GOV.UK Frontend's conditional reveal sets aria-expanded on the radio that reveals
    content, on purpose: screen readers announce it (a known axe finding the Design System
    keeps, alphagov/govuk-frontend#979). Only that one attribute on those radios is let
    through; any other attribute, or any other element, is still a violation."""
    if violation["id"] != "aria-allowed-attr":
        return violation
    nodes = [
        node
        for node in violation["nodes"]
        if not (
            'class="govuk-radios__input"' in node["html"]
            and "aria-controls=" in node["html"]
            and re.fullmatch(
                r"Fix all of the following:\s+ARIA attribute is not allowed: "
                r'aria-expanded="(true|false)"',
                node["summary"].strip(),
            )
        )
    ]
    return {**violation, "nodes": nodes} if nodes else None


def _is_gone(element) -> bool:
    """Like selenium's staleness_of, but Chromium sometimes answers a query about a node of a
    page it has just left with a generic error ("Node with given id does not belong to the
    document") instead of a stale-element one: both mean the old page is gone."""
    try:
        element.is_enabled()
    except (StaleElementReferenceException, WebDriverException):
        return True
    return False


def describe_violations(path: str, title: str, violations: list[dict]) -> str:
    """axe's findings as a list a person can act on."""
    lines = [f"axe-core found {len(violations)} WCAG 2.2 A/AA violation(s) on {path} ({title!r}):"]
    for number, violation in enumerate(violations, start=1):
        lines.append("")
        lines.append(f"{number}. {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"   {violation['helpUrl'].split('?')[0]}")
        for node in violation["nodes"]:
            target = " ".join(
                " >> ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            lines.append(f"   - at {target}")
            lines.append(f"     {node['html'][:200]}")
            for reason in (node["summary"] or "").splitlines():
                lines.append(f"       {reason.strip()}")
    return "\n".join(lines)


def _xpath_str(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"'
