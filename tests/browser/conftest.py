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

Each check looks at the page the way different people do, and lists every problem at once:

- axe-core runs at 1280 px (a desk) and at 375 px (a phone) wide;
- the page must reflow (WCAG 1.4.10): no sideways scrolling of the page at 320 px wide, nor at
  1280 px zoomed to 200% (640 CSS pixels at a device scale of 2). A wide data table may scroll
  on its own, inside a labelled, focusable region (the WCAG exception for data tables);
- a full-page PNG is kept, at the width the test is using, as the test's artefacts:
  test-artifacts/screenshots/<test name>/NN-<page>-<width>.png (NN counts the checks). Set
  MINIPOLICE_SCREENSHOTS to another folder to keep them there, or to "off" to keep none. The
  run's summary says where they are, and how long the checks took.

The widths are emulated (Emulation.setDeviceMetricsOverride) and cleared after each check, so
a test goes on at the window size it chose.
"""

import base64
import os
import re
import shutil
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
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from conftest import PASSWORD, build_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
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
# (CSS width, height, device scale): axe runs (and a screenshot is kept) at a desk's and a
# phone's width; the reflow check runs at 320 px and at 1280 px zoomed to 200%.
AXE_SCREENS = ((1280, 1024, 1), (375, 812, 1))
REFLOW_SCREENS = ((320, 568, 1), (640, 512, 2))
SCREENSHOTS = os.environ.get("MINIPOLICE_SCREENSHOTS") or str(
    ROOT / "test-artifacts" / "screenshots"
)
STATS = {"checks": 0, "seconds": 0.0, "screenshots": 0, "tests": 0, "axe": 0.0, "pictures": 0.0}

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then((results) => done({violations: results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }))}))
  .catch((error) => done({error: String(error)}));
"""

# Two animation frames: the layout after an emulated resize, and what scripts did about it.
AFTER_LAYOUT = """
const done = arguments[arguments.length - 1];
requestAnimationFrame(() => requestAnimationFrame(() => done()));
"""

DESCRIBE_JS = """
function describe(el) {
  let text = el.tagName.toLowerCase();
  if (el.id) return text + "#" + el.id;
  if (typeof el.className === "string" && el.className.trim()) {
    text += "." + el.className.trim().split(/\\s+/).join(".");
  }
  return text;
}
"""

REFLOW_JS = (
    DESCRIBE_JS
    + """
const doc = document.documentElement;
const width = doc.clientWidth;
function inScroller(el) {
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== "visible") return true;
  }
  return false;
}
const all = [...document.body.querySelectorAll("*")];
const wide = new Set();
if (doc.scrollWidth > width) {
  for (const el of all) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && !inScroller(el)) wide.add(el);
  }
}
const culprits = [...wide].filter((el) => ![...el.children].some((c) => wide.has(c)));
const regions = all.filter((el) => {
  const o = getComputedStyle(el).overflowX;
  if (!(o === "auto" || o === "scroll") || el.scrollWidth <= el.clientWidth + 1) return false;
  const named = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
  return !(el.getAttribute("role") === "region" && named && el.tabIndex === 0);
});
return {
  width, scale: window.devicePixelRatio, scrollWidth: doc.scrollWidth,
  wide: culprits.slice(0, 8).map((el) =>
    describe(el) + " (to " + Math.round(el.getBoundingClientRect().right) + " px)"),
  regions: regions.map(describe),
};
"""
)

FOCUS_JS = (
    DESCRIBE_JS
    + """
const FOCUS = "rgb(255, 221, 0)";  // GOV.UK's focus colour, #ffdd00
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) {
  return "nothing has the focus (it went back to the page itself)";
}
function shows(style) {
  return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
          && style.outlineColor === FOCUS)
    || style.boxShadow.includes(FOCUS) || style.backgroundColor === FOCUS;
}
let seen = shows(getComputedStyle(el));
for (const label of el.labels || []) {
  seen = seen || shows(getComputedStyle(label)) || shows(getComputedStyle(label, "::before"));
}
if (!seen) {
  return describe(el) + " has the focus but shows no focus indicator: " + el.outerHTML.slice(0, 200);
}
return null;
"""
)


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
def page(browser, live_server, request):
    cache.clear()  # TOTP codes already used, rate limits
    browser.get("about:blank")  # the last test's page stops polling (htmx) before we go on
    browser.delete_all_cookies()
    browser.set_window_size(1280, 1024)
    browser.get_log("browser")  # drop anything left over from the previous test
    return Page(browser, live_server.url, name=request.node.name)


def pytest_terminal_summary(terminalreporter):
    if not STATS["checks"]:
        return
    where = (
        f"{STATS['screenshots']} screenshots in {SCREENSHOTS}/<test name>/"
        if STATS["screenshots"]
        else "no screenshots (MINIPOLICE_SCREENSHOTS=off)"
    )
    terminalreporter.write_line(
        f"Browser checks: {STATS['checks']} page checks in {STATS['tests']} tests "
        f"(axe at {' and '.join(str(w) for w, _, _ in AXE_SCREENS)} px, reflow at 320 px and "
        f"200% zoom) took {STATS['seconds']:.0f} s (axe {STATS['axe']:.0f} s, screenshots "
        f"{STATS['pictures']:.0f} s); {where}"
    )


class Page:
    """What a test does in the browser. Every page load is checked for accessibility and
    console errors before the method returns."""

    def __init__(self, driver, base_url, name="browser-test"):
        self.driver = driver
        self.base_url = base_url
        self.visited = []
        self.codes_used = set()
        self.screenshots = None
        if SCREENSHOTS.lower() != "off":
            self.screenshots = Path(SCREENSHOTS) / re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
            shutil.rmtree(self.screenshots, ignore_errors=True)  # this run's pictures only
        STATS["tests"] += 1

    # Reading the page

    @property
    def path(self) -> str:
        return urlsplit(self.driver.current_url).path

    @property
    def heading(self) -> str:
        for _ in range(3):  # htmx may swap the heading while it is read
            try:
                return self._find("css selector", "h1").text.strip()
            except StaleElementReferenceException:
                continue
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
        """Follow a link (or press the Sign out button) in the service navigation, opening
        the menu first on a phone."""
        item = self._find(
            "xpath",
            "//*[contains(@class, 'govuk-service-navigation')]"
            f"//*[self::a or self::button][normalize-space()={_xpath_str(label)}]",
        )
        if not item.is_displayed():
            self.driver.find_element("css selector", ".govuk-service-navigation__toggle").click()
        self._follow(item)

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
        """Fail on console errors, missing template variables, axe violations at 1280 and 375
        px, or a page that scrolls sideways at 320 px or 200% zoom, listing all at once."""
        started = time.monotonic()
        self.visited.append(self.path)
        problems = self.invalid_template_variables()
        try:
            for width, height, scale in AXE_SCREENS:
                self.emulate(width, height, scale)
                lap = time.monotonic()
                problems += self.accessibility_violations(f" at {width} px")
                STATS["axe"] += time.monotonic() - lap
            for width, height, scale in REFLOW_SCREENS:
                self.emulate(width, height, scale)
                problems += self.reflow_problems()
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        lap = time.monotonic()
        self._save_screenshot()
        STATS["pictures"] += time.monotonic() - lap
        problems = self.console_errors(expected_console_error) + problems
        STATS["checks"] += 1
        STATS["seconds"] += time.monotonic() - started
        if problems:
            pytest.fail("\n\n".join(problems), pytrace=False)

    def emulate(self, width: int, height: int, scale: float = 1) -> None:
        """Lay the page out at `width` CSS pixels (a scale of 2 is a 200% zoom) and wait for
        the scripts that react to the change (GOV.UK's menu) to run."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False},
        )
        self.driver.execute_async_script(AFTER_LAYOUT)

    def reflow_problems(self) -> list[str]:
        """WCAG 1.4.10: the page itself never scrolls sideways; an element that does scroll
        sideways (a wide data table) is a named, focusable region a keyboard can scroll."""
        found = self.driver.execute_script(REFLOW_JS)
        problems = []
        where = f"{found['width']} CSS px (device scale {found['scale']})"
        if found["scrollWidth"] > found["width"]:
            problems.append(
                f"{self.path} scrolls sideways at {where}: the page is {found['scrollWidth']} px "
                "wide. Too wide: " + "; ".join(found["wide"])
            )
        if found["regions"]:
            problems.append(
                f"On {self.path} at {where} these scroll sideways without being a labelled, "
                'focusable region (role="region" aria-label="..." tabindex="0"): '
                + "; ".join(found["regions"])
            )
        return problems

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

    def accessibility_violations(self, where: str = "") -> list[str]:
        if not self.driver.execute_script("return typeof window.axe === 'object'"):
            self.driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
        result = self.driver.execute_async_script(RUN_AXE, AXE_TAGS)
        if "error" in result:
            return [f"axe-core could not run on {self.path}{where}: {result['error']}"]
        violations = [v for v in map(_without_known_govuk_issues, result["violations"]) if v]
        if not violations:
            return []
        return [describe_violations(self.path + where, self.driver.title, violations)]

    # The keyboard alone

    def focus_problem(self) -> str | None:
        """None when the focused element shows the focus colour (GOV.UK's yellow) in its
        outline, shadow or background, or, for a radio or checkbox, on its label's box."""
        return self.driver.execute_script(FOCUS_JS)

    def press(self, *keys: str) -> None:
        """Press keys, as a keyboard does, on whatever has the focus; the focus must stay
        visible after each."""
        for key in keys:
            ActionChains(self.driver).send_keys(key).perform()
            problem = self.focus_problem()
            if problem:
                pytest.fail(f"After pressing {_key_name(key)} on {self.path}: {problem}")

    def press_and_follow(self, key: str = Keys.ENTER) -> None:
        """Press a key that loads a new page (Enter on a link or a submit button)."""
        self._follow(lambda: ActionChains(self.driver).send_keys(key).perform())

    def tab_to(self, css: str, *, backwards: bool = False, limit: int = 150) -> None:
        """Press Tab (Shift+Tab) until an element matching `css` has the focus, failing if
        the focus is ever invisible on the way."""
        key = Keys.SHIFT + Keys.TAB if backwards else Keys.TAB
        for _ in range(limit):
            if self.driver.execute_script(
                "return document.activeElement.matches(arguments[0])", css
            ):
                return
            if backwards:
                ActionChains(self.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(
                    Keys.SHIFT
                ).perform()
            else:
                ActionChains(self.driver).send_keys(Keys.TAB).perform()
            problem = self.focus_problem()
            if problem:
                pytest.fail(f"Tabbing to {css} on {self.path}: {problem}", pytrace=False)
        pytest.fail(f"{_key_name(key)} {limit} times never reached {css} on {self.path}")

    @property
    def focused(self):
        return self.driver.switch_to.active_element

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
        """Click something (or do something: a function) that loads a new page, and check
        the page it loads."""
        old_page = self.driver.find_element("tag name", "html")
        if callable(element):
            element()
        else:
            element.click()
        WebDriverWait(self.driver, WAIT_SECONDS).until(lambda driver: _is_gone(old_page))
        self._wait_until_loaded()
        self.check()

    def _wait_until_loaded(self) -> None:
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda driver: driver.execute_script("return document.readyState") == "complete"
        )

    def _save_screenshot(self) -> None:
        """The whole page, at the width the test is using, as a PNG among its artefacts."""
        if self.screenshots is None:
            return
        self.screenshots.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", self.path.lower()).strip("-")[:60] or "home"
        width, height = self.driver.execute_script(
            "return [document.documentElement.clientWidth,"
            " Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)]"
        )
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "optimizeForSpeed": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        name = f"{len(self.visited):02d}-{slug}-{width}.png"
        (self.screenshots / name).write_bytes(base64.b64decode(shot["data"]))
        STATS["screenshots"] += 1


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


def _key_name(key: str) -> str:
    names = {
        Keys.TAB: "Tab",
        Keys.ENTER: "Enter",
        Keys.SPACE: "Space",
        Keys.ARROW_DOWN: "Down",
        Keys.ARROW_UP: "Up",
        Keys.ARROW_LEFT: "Left",
        Keys.ARROW_RIGHT: "Right",
        Keys.SHIFT + Keys.TAB: "Shift+Tab",
    }
    return names.get(key, repr(key))


def _xpath_str(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"'
