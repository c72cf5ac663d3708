"""A force coordinator signs in with their authenticator app and opens a unit."""

import pytest

pytestmark = pytest.mark.browser


def test_coordinator_signs_in_and_opens_a_unit(page, live_world):
    page.sign_in(live_world.users["coordinator"])
    assert page.path == "/"
    assert page.heading == "Hello, Cora Coordinator"

    page.navigate_to("Units")
    assert page.heading == "Units"

    page.click_link("Hilltop Mini Police")
    assert page.heading == "Hilltop Mini Police"
    assert page.summary_value("Status").startswith("Active since")
    assert page.summary_value("School") == "Hilltop Primary"
    assert page.visited == [
        "/accounts/login/",
        "/accounts/2fa/authenticate/",
        "/",
        "/units/",
        f"/units/{live_world.unit.pk}/",
    ]
