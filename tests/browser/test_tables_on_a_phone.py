"""Tables on a 375 px phone: a table wider than the screen says it scrolls, and the units list
puts each unit's status where a reader sees it without scrolling."""

import pytest

pytestmark = pytest.mark.browser

HINT = "Scroll the table sideways to see every column."


def _visible_columns(driver, region_label):
    """Headings of the columns whose left edge is on screen, without scrolling the table."""
    return driver.execute_script(
        """
        const region = document.querySelector(`[aria-label="${arguments[0]}"]`);
        const right = region.getBoundingClientRect().right;
        return [...region.querySelectorAll("th")]
          .filter((th) => th.getBoundingClientRect().left < right)
          .map((th) => th.textContent.trim());
        """,
        region_label,
    )


def test_units_list_on_a_phone_shows_status_and_says_it_scrolls(page, live_world):
    page.sign_in(live_world.users["coordinator"])
    page.driver.set_window_size(375, 812)
    page.visit("/units/")
    hint = page.driver.find_element("css selector", ".mp-table-scroll__hint")
    assert hint.is_displayed() and hint.text == HINT
    visible = _visible_columns(page.driver, "Units")
    assert {"Unit", "Status"} <= set(visible), visible

    page.driver.set_window_size(1280, 1024)
    page.visit("/units/")
    assert not page.driver.find_element("class name", "mp-table-scroll__hint").is_displayed()
