"""School holidays at 375 px: the Change and Remove controls of each row are targets big and far
enough apart for a finger (axe's target-size rule runs on every page the harness loads)."""

import datetime

import pytest

from minipolice.delivery import services

pytestmark = pytest.mark.browser


def test_holiday_actions_pass_target_size_on_a_phone(page, live_world):
    today = datetime.date.today()
    for name, start in (("Autumn half term", 20), ("Christmas", 60)):
        services.create_holiday(
            acting_user=None,
            force=live_world.force,
            name=name,
            area=None,
            start_date=today + datetime.timedelta(days=start),
            end_date=today + datetime.timedelta(days=start + 6),
        )
    page.sign_in(live_world.users["coordinator"])
    page.driver.set_window_size(375, 812)
    page.visit("/school-holidays/")  # fails on any axe violation, target-size included
    sizes = page.driver.execute_script(
        """return [...document.querySelectorAll('.mp-row-actions a, .mp-row-actions button')]
             .map((e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; });"""
    )
    assert len(sizes) == 4
    assert all(width >= 24 and height >= 24 for width, height in sizes)
