"""Every URL of the project, for every role, against the answer we expect.

A new URL without an entry here fails the suite: decide who may see it before it ships.
Codes: 200 page, 302 sent elsewhere (sign-in for anonymous), 403 role lacks the permission,
404 out of scope or does not exist, 405 wrong method.
"""

import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import (
    AREA,
    COORDINATOR,
    EVERYONE,
    PUBLIC,
    ROLES,
    SIGNED_IN_REDIRECT,
    UNIT_STAFF,
    row,
)

# name: (method, expected by role)
MATRIX = {
    "healthz": ("get", PUBLIC),
    "readyz": ("get", PUBLIC),
    "manage": ("get", EVERYONE),
    # The language switch on every page: anyone, signed in or not; it goes back to the page.
    "switch_language": ("post", row(**dict.fromkeys(ROLES, 302))),
    # Sign-in and second factor (django-allauth).
    "account_login": ("get", SIGNED_IN_REDIRECT),
    "account_logout": ("get", row(anonymous=302, **{r: 200 for r in ROLES[1:]})),
    "account_inactive": ("get", PUBLIC),
    "account_signup": ("get", row(anonymous=200, **{r: 302 for r in ROLES[1:]})),
    # A parent's account has no password (#8.8): nothing to re-enter, change or set (setting
    # one is refused: the set-password form says so).
    "account_reauthenticate": ("get", {**EVERYONE, "guardian": 403}),
    "account_email": ("get", row(**dict.fromkeys(ROLES, 404))),
    "account_email_closed": ("get", row(**dict.fromkeys(ROLES, 404))),
    "account_email_verification_sent": ("get", PUBLIC),
    "account_change_password": ("get", {**EVERYONE, "guardian": 302}),
    "account_set_password": (
        "get",
        row(anonymous=302, **{r: 302 for r in ROLES[1:] if r != "guardian"}, guardian=200),
    ),
    "account_reset_password": ("get", PUBLIC),
    "account_confirm_login_code": ("get", row(anonymous=302, **{r: 302 for r in ROLES[1:]})),
    "account_confirm_email": ("get", PUBLIC),
    "account_reset_password_from_key_done": ("get", PUBLIC),
    "account_reset_password_from_key": ("get", PUBLIC),
    "account_reset_password_done": ("get", PUBLIC),
    "mfa_index": ("get", EVERYONE),
    "mfa_authenticate": ("get", row(anonymous=302, **{r: 302 for r in ROLES[1:]})),
    # Managing a second factor asks for a fresh sign-in first (allauth's reauthentication).
    "mfa_reauthenticate": ("get", row(anonymous=302, **{r: 302 for r in ROLES[1:]})),
    "mfa_activate_totp": ("get", row(anonymous=302, **{r: 302 for r in ROLES[1:]})),
    "mfa_deactivate_totp": ("get", row(anonymous=302, **{r: 404 for r in ROLES[1:]})),
    "mfa_view_recovery_codes": ("get", row(anonymous=302, **{r: 404 for r in ROLES[1:]})),
    "mfa_generate_recovery_codes": ("get", row(anonymous=302, **{r: 302 for r in ROLES[1:]})),
    "mfa_download_recovery_codes": ("get", row(anonymous=302, **{r: 404 for r in ROLES[1:]})),
    # Organisations.
    "organisations:area_list": ("get", AREA),
    "organisations:area_create": ("get", COORDINATOR),
    "organisations:area_detail": ("get", AREA),
    "organisations:area_edit": ("get", COORDINATOR),
    "organisations:school_list": ("get", UNIT_STAFF),
    "organisations:school_create": ("get", AREA),
    "organisations:school_detail": ("get", UNIT_STAFF),
    "organisations:school_edit": ("get", AREA),
    "organisations:unit_list": ("get", UNIT_STAFF),
    "organisations:unit_create": ("get", AREA),
    "organisations:unit_detail": ("get", UNIT_STAFF),
    "organisations:unit_edit": ("get", AREA),
    "organisations:unit_status": ("get", AREA),
    "organisations:unit_leaders": ("get", AREA),
    "organisations:unit_leader_remove": ("post", row(area_lead=302, coordinator=302)),
    "organisations:cohort_create": ("get", UNIT_STAFF),
    "organisations:cohort_list": ("get", UNIT_STAFF),
    "organisations:cohort_detail": ("get", UNIT_STAFF),
    "organisations:cohort_edit": ("get", UNIT_STAFF),
    # People.
    "people:child_list": ("get", UNIT_STAFF),
    "people:child_create": ("get", UNIT_STAFF),
    "people:cohort_import": ("get", UNIT_STAFF),
    "people:cohort_import_template": ("get", UNIT_STAFF),
    "people:child_detail": ("get", UNIT_STAFF),
    "people:child_edit": ("get", UNIT_STAFF),
    "people:child_move": ("get", UNIT_STAFF),
    "people:child_leave": ("get", UNIT_STAFF),
    "people:guardian_add": ("get", UNIT_STAFF),
    "people:guardian_list": ("get", UNIT_STAFF),
    "people:guardian_detail": ("get", UNIT_STAFF),
    "people:guardian_edit": ("get", UNIT_STAFF),
    "people:leader_list": ("get", AREA),
    "people:leader_create": ("get", AREA),
    "people:leader_detail": ("get", AREA),
    "people:leader_vetting_add": ("get", AREA),
    "people:leader_training_add": ("get", AREA),
    "audit:entry_list": ("get", COORDINATOR),
}


# A parent's account is sent to the portal from every staff account page (sign-in settings,
# password, authenticator app): it has no password and no second factor.
for _name, (_method, _expected) in list(MATRIX.items()):
    if _name.startswith(("account_", "mfa_")) and _name != "account_logout":
        MATRIX[_name] = (_method, {**_expected, "guardian": 302})


def _app_access_modules():
    for app in apps.get_app_configs():
        if app.name.startswith("minipolice."):
            try:
                yield importlib.import_module(f"{app.name}.tests.access")
            except ModuleNotFoundError:
                continue


CORE_NAMES = frozenset(MATRIX)
UNSCOPED = set()  # URLs that are not about one force's objects (apps list them as UNSCOPED)
for _module in _app_access_modules():
    UNSCOPED |= set(getattr(_module, "UNSCOPED", ()))
    overlap = set(MATRIX) & set(_module.MATRIX)
    assert not overlap, f"{_module.__name__} repeats matrix entries {overlap}"
    MATRIX.update(_module.MATRIX)


def app_url_kwargs(world) -> dict:
    found = {}
    for module in _app_access_modules():
        if hasattr(module, "url_kwargs"):
            found.update(module.url_kwargs(world))
    return found


def all_url_patterns() -> dict[str, tuple[str, list[str]]]:
    """Every named URL of the project: name -> (route, argument names)."""
    found = {}

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                params = list(
                    getattr(pattern.pattern, "converters", {}) or pattern.pattern.regex.groupindex
                )
                yield name, (prefix + str(pattern.pattern), params)

    for name, value in walk(get_resolver().url_patterns):
        found.setdefault(name, value)
    return found


def all_url_names():
    return sorted(all_url_patterns())


def unnamed_url_routes() -> list[str]:
    """Routes with no name: the matrix cannot check them, so none may ship."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif not pattern.name:
                found.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)
    return found


# The first segment of a route says which of the world's objects `pk` means.
PK_BY_SEGMENT = {
    "areas": "area",
    "schools": "school",
    "units": "unit",
    "cohorts": "cohort",
    "children": "child",
    "guardians": "guardian",
    "leaders": "leader",
}
OTHER_ARGS = {"unit_pk": "unit", "cohort_pk": "cohort", "child_pk": "child", "user_pk": "leader"}


def url_for(name, world, *, other_force=False):
    """The URL of `name` pointing at the world's objects (or the other force's, for 404 checks)."""
    objects = {
        "area": world.area,
        "school": world.school,
        "unit": world.other_unit if other_force else world.unit,
        "cohort": world.other_cohort if other_force else world.cohort,
        "child": world.other_child if other_force else world.child,
        "guardian": world.guardian,
        "leader": world.users["leader"],
    }
    route, params = all_url_patterns()[name]
    if not other_force:
        special = app_url_kwargs(world)
        if name in special:
            return reverse(name, kwargs=special[name])
    kwargs = {}
    for param in params:
        if param == "pk":
            kwargs[param] = objects[PK_BY_SEGMENT[route.split("/")[0]]].pk
        elif param in OTHER_ARGS:
            kwargs[param] = objects[OTHER_ARGS[param]].pk
        else:
            kwargs[param] = "1" if param == "uidb36" else "not-a-real-key"
    return reverse(name, kwargs=kwargs or None)


def test_every_url_pattern_has_a_name():
    unnamed = unnamed_url_routes()
    assert not unnamed, f"URL patterns without a name escape the access matrix: {unnamed}"


def test_every_url_has_an_entry_in_the_matrix():
    missing = [name for name in all_url_names() if name not in MATRIX]
    stale = [name for name in MATRIX if name not in all_url_names()]
    assert not missing, f"URLs with no access-matrix entry: {missing}"
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access_matrix(name, world, client, settings):
    settings.ALLOW_DEMO_WITHOUT_MFA = False
    method, expected = MATRIX[name]
    url = url_for(name, world)
    users = {
        "guardian": world.users["guardian"],
        "teacher": world.users["teacher"],
        "leader": world.users["leader"],
        "area_lead": world.users["area_lead"],
        "coordinator": world.users["coordinator"],
        "funder": world.users["funder"],
        "national": world.users["national"],
    }
    answers = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
            session = client.session
            session["mfa_enrolled"] = True
            session.save()
        response = getattr(client, method)(url)
        answers[role] = response.status_code
    wrong = {
        role: f"got {answers[role]}, expected {expected[role]}"
        for role in ROLES
        if answers[role] != expected[role]
    }
    assert not wrong, f"{name} ({url}): {wrong}"


def _signed_in(client, user):
    client.logout()
    client.force_login(user)
    session = client.session
    session["mfa_enrolled"] = True
    session.save()
    return client


OBJECT_URLS = sorted(
    name
    for name, (route, params) in all_url_patterns().items()
    if params and not name.startswith(("account_", "mfa_")) and name not in UNSCOPED
)


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_objects_of_another_force_are_not_found(name, world, client):
    """A coordinator of another force gets 404 for every object here, as if it did not exist."""
    method, _ = MATRIX[name]
    response = getattr(_signed_in(client, world.users["outsider"]), method)(url_for(name, world))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in OBJECT_URLS
        if n in CORE_NAMES
        and not any(word in n for word in ("leader", "area", "school", "guardian_"))
    ],
)
def test_units_cohorts_and_children_of_another_force_are_not_found_for_staff(name, world, client):
    method, expected = MATRIX[name]
    for role in ("teacher", "leader", "area_lead", "coordinator"):
        if expected[role] not in (200, 302):
            continue
        response = getattr(_signed_in(client, world.users[role]), method)(
            url_for(name, world, other_force=True)
        )
        assert response.status_code == 404, role


def test_leader_of_another_unit_in_the_same_force_cannot_open_the_child(world, client):
    from minipolice.organisations import services as org
    from minipolice.people import services as people

    unit = org.create_unit(
        acting_user=None, school=world.school, name="Second unit", status="active"
    )
    cohort = org.create_cohort(
        acting_user=None,
        unit=unit,
        name="Other",
        start_date=world.cohort.start_date,
        end_date=world.cohort.end_date,
    )
    stranger = people.add_child_to_cohort(
        acting_user=None, cohort=cohort, first_name="Cy", last_name="Elsewhere", year_group=5
    )
    leader = _signed_in(client, world.users["leader"])
    assert leader.get(f"/children/{stranger.pk}/").status_code == 404
    assert leader.get(f"/cohorts/{cohort.pk}/").status_code == 404
    assert leader.get(f"/children/{world.child.pk}/").status_code == 200


def test_leader_with_expired_vetting_sees_no_child_record(world, client):
    lapsed = _signed_in(client, world.users["lapsed_leader"])
    assert lapsed.get(f"/children/{world.child.pk}/").status_code == 403
    assert lapsed.get("/children/").status_code == 403
    cohort_page = lapsed.get(f"/cohorts/{world.cohort.pk}/")
    assert cohort_page.status_code == 200
    assert "Lovelace" not in cohort_page.content.decode()
    assert lapsed.get(f"/guardians/{world.guardian.pk}/").status_code == 403
