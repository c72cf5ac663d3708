"""Only children of a cohort running on the action's date can be ticked as taking part."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minipolice.community import services
from minipolice.community.models import CommunityAction
from minipolice.delivery.tests.helpers import add_children, grant_participation
from minipolice.organisations import services as org


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def cohort_child(world, name, start, end):
    cohort = org.create_cohort(
        acting_user=None, unit=world.unit, name=name, start_date=start, end_date=end
    )
    return add_children(cohort, 1, first=name)[0]


@pytest.fixture
def past_and_future(world):
    grant_participation(world.child)
    ended = cohort_child(world, "Ended", days(-3 * 365), days(-3 * 365 + 120))
    future = cohort_child(world, "Future", days(30), days(150))
    return ended, future


def test_action_form_offers_only_children_of_cohorts_running_on_the_date(
    world, client_for, past_and_future
):
    ended, future = past_and_future
    client = client_for(world.users["leader"])

    html = client.get(f"/units/{world.unit.pk}/community-actions/new/?kind=leaflet_drop")
    html = html.content.decode()

    assert world.child.full_name in html
    assert ended.full_name not in html and future.full_name not in html


def test_a_child_of_an_ended_cohort_is_refused_with_a_field_error(
    world, client_for, past_and_future
):
    ended, _ = past_and_future
    client = client_for(world.users["leader"])

    response = client.post(
        f"/units/{world.unit.pk}/community-actions/new/?kind=litter_pick",
        {"date": days(0).isoformat(), "place": "Park", "participants": [ended.pk]},
    )

    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "cohorts running on the date of the action" in html
    assert not CommunityAction.objects.exists()


def test_an_action_on_a_date_when_the_old_cohort_ran_offers_its_children(
    world, client_for, past_and_future
):
    ended, _ = past_and_future
    client = client_for(world.users["leader"])
    on = days(-3 * 365 + 10)

    response = client.post(
        f"/units/{world.unit.pk}/community-actions/new/?kind=litter_pick",
        {"date": on.isoformat(), "place": "Park", "participants": [ended.pk]},
    )

    assert response.status_code == 302
    assert list(CommunityAction.objects.get().participations.values_list("child", flat=True)) == [
        ended.pk
    ]


def test_the_service_refuses_a_child_whose_cohort_is_not_running(world, past_and_future):
    ended, future = past_and_future
    for child in (ended, future):
        with pytest.raises(ValidationError) as error:
            services.record_action(
                acting_user=world.users["leader"],
                unit=world.unit,
                kind="litter_pick",
                participants=[child],
                date=days(0),
                place="Park",
            )
        messages = error.value.message_dict["participants"]
        assert f"{child} was not in a cohort of {world.unit.name} running on" in messages[0]
    assert not CommunityAction.objects.exists()
