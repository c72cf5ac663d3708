"""`Scope.can(perm, row)`: "may this user do `perm` to this row?" answered from the role
assignments already loaded, with no query, and always the same answer as the scoped query."""

import pytest
from django.utils import timezone

from minipolice.accounts.models import User
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.delivery import selectors as delivery
from minipolice.delivery.models import Session
from minipolice.delivery.tests.helpers import session_on
from minipolice.organisations import selectors as org
from minipolice.organisations.models import Area, Cohort, School, Unit
from minipolice.people import selectors as people
from minipolice.people import services as people_services
from minipolice.people.models import Child, Guardian
from minipolice.programme import selectors as programme
from minipolice.programme.models import Module

# model -> the scoped query whose answer Scope.can must give, row by row.
SCOPED_QUERIES = {
    Area: org.visible_areas,
    School: org.visible_schools,
    Unit: org.visible_units,
    Cohort: org.visible_cohorts,
    Session: delivery.visible_sessions,
    Child: people.visible_children,
    Guardian: people.visible_guardians,
    User: people.visible_leaders,
}
STAFF = ["coordinator", "area_lead", "leader", "teacher"]


def _fresh(row):
    """The row again, nothing loaded with it, as a page that did not select_related would."""
    return type(row).objects.get(pk=row.pk)


@pytest.fixture
def rows(world):
    session = session_on(world.cohort, timezone.localdate())
    # A child who left this unit's cohort: only the force's coordinator keeps their record.
    left = people_services.add_child_to_cohort(
        acting_user=None, cohort=world.cohort, first_name="Cy", last_name="Gone", year_group=5
    )
    people_services.leave_cohort(acting_user=None, enrolment=left.enrolments.get())
    return [
        world.area,
        world.school,
        world.unit,
        world.cohort,
        world.other_unit,
        world.other_cohort,
        world.other_unit.school,
        session,
        world.child,
        left,
        world.other_child,
        world.guardian,
        world.users["leader"],
        world.users["lapsed_leader"],
    ]


@pytest.mark.parametrize("persona", sorted(STAFF + ["guardian", "funder", "national", "outsider"]))
def test_scope_can_gives_the_answer_of_the_scoped_query_for_every_permission(world, rows, persona):
    user = world.users[persona]
    scope = get_scope(user)
    for row in rows:
        row = _fresh(row)
        query = SCOPED_QUERIES[type(row)]
        for perm in Perm:
            expected = query(user, perm).filter(pk=row.pk).exists()
            assert scope.can(perm, row) == expected, (persona, perm, type(row).__name__, row.pk)


def test_scope_can_answers_a_forces_own_modules_like_the_managed_library(world, client_for):
    coordinator = world.users["coordinator"]
    module = Module.objects.filter(force__isnull=True).first()
    assert module is not None  # the national library is loaded by the migrations
    client_for(coordinator).post(f"/curriculum/{module.pk}/copy/")
    copy = Module.objects.get(copied_from=module, force=world.force)
    for persona in ("coordinator", "area_lead", "outsider"):
        user = world.users[persona]
        for row in (module, copy):
            expected = programme.visible_modules(user, Perm.MODULE_MANAGE).filter(pk=row.pk)
            assert get_scope(user).can(Perm.MODULE_MANAGE, row) == expected.exists()


@pytest.mark.parametrize("persona", STAFF)
def test_scope_can_costs_no_query_once_the_scope_and_the_rows_are_loaded(
    world, persona, django_assert_num_queries
):
    session_on(world.cohort, timezone.localdate())
    user = world.users[persona]
    scope = get_scope(user)
    loaded = [
        # A leader reaches a school through its units: the one to-many path, here prefetched.
        *org.visible_schools(user).prefetch_related("units"),
        *org.visible_units(user),
        *org.visible_cohorts(user),
        *delivery.visible_sessions(user),
        *people.children_list(user),
    ]
    if persona == "coordinator":
        # By force, from the children loaded with them; anyone else reaches a guardian through
        # the children's current enrolments, one query for all of them.
        loaded += list(people.guardians_list(user))
    if scope.has(Perm.AREA_READ):
        loaded += list(org.visible_areas(user))
    if scope.has(Perm.LEADERS_READ):
        loaded += list(people.leaders_list(user))
    assert {type(row) for row in loaded} >= {School, Unit, Cohort, Session}
    with django_assert_num_queries(0):
        answers = [scope.can(perm, row) for row in loaded for perm in Perm]
    assert any(answers)


def test_a_child_fetched_alone_costs_one_query_for_every_question_about_them(
    world, django_assert_num_queries
):
    leader = world.users["leader"]
    scope = get_scope(leader)
    child = people.get_child_for_user(leader, world.child.pk)
    with django_assert_num_queries(1):  # their current enrolments, once
        assert scope.can(Perm.CHILDREN_MANAGE, child)
        assert scope.can(Perm.CHILD_NOTES, child)
        assert not scope.can(Perm.DATA_PROTECTION, child)


def test_scope_can_refuses_a_row_of_a_model_without_declared_scope_paths(world):
    with pytest.raises(TypeError):
        get_scope(world.users["coordinator"]).can(Perm.UNIT_READ, world.force)
