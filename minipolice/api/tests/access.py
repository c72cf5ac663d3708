"""The API in the access matrix. Its operations take a bearer token and nothing else, so a
signed-in browser session (which is all the matrix has) gets 401 everywhere: pinned here.
Scoping per role is tested with tokens in test_scoping.py. The pages where a user manages
their own tokens are ordinary pages."""

from minipolice.api.services import create_api_token
from tests.access import EVERYONE, PUBLIC, ROLES, row

NO_SESSIONS = row(**dict.fromkeys(ROLES, 401))

# (url name, method, (path parameter, what it names))
OPERATIONS = [
    ("list_forces", "get", None),
    ("get_force", "get", ("force_id", "force")),
    ("list_areas", "get", None),
    ("create_area", "post", None),
    ("get_area", "get", ("area_id", "area")),
    ("update_area", "patch", ("area_id", "area")),
    ("list_schools", "get", None),
    ("create_school", "post", None),
    ("get_school", "get", ("school_id", "school")),
    ("update_school", "patch", ("school_id", "school")),
    ("list_units", "get", None),
    ("create_unit", "post", None),
    ("get_unit", "get", ("unit_id", "unit")),
    ("update_unit", "patch", ("unit_id", "unit")),
    ("change_unit_status", "post", ("unit_id", "unit")),
    ("list_cohorts", "get", None),
    ("create_cohort", "post", None),
    ("get_cohort", "get", ("cohort_id", "cohort")),
    ("update_cohort", "patch", ("cohort_id", "cohort")),
    ("list_children", "get", None),
    ("create_child", "post", None),
    ("get_child", "get", ("child_id", "child")),
    ("update_child", "patch", ("child_id", "child")),
    ("list_guardians", "get", None),
    ("create_guardian", "post", None),
    ("get_guardian", "get", ("guardian_id", "guardian")),
    ("update_guardian", "patch", ("guardian_id", "guardian")),
    ("link_guardian", "post", ("guardian_id", "guardian")),
    ("list_enrolments", "get", None),
    ("create_enrolment", "post", None),
    ("get_enrolment", "get", ("enrolment_id", "child")),
    ("leave_cohort", "post", ("enrolment_id", "child")),
    ("list_consents", "get", None),
    ("create_consent", "post", None),
    ("get_consent", "get", ("consent_id", "child")),
    ("list_sessions", "get", None),
    ("create_session", "post", None),
    ("get_session", "get", ("session_id", "session")),
    ("update_session", "patch", ("session_id", "session")),
    ("cancel_session", "post", ("session_id", "session")),
    ("reinstate_session", "post", ("session_id", "session")),
    ("record_session_details", "post", ("session_id", "session")),
    ("get_register", "get", ("session_id", "session")),
    ("replace_register", "put", ("session_id", "session")),
    ("list_community_actions", "get", None),
    ("create_community_action", "post", None),
    ("get_community_action", "get", ("action_id", "action")),
    ("update_community_action", "patch", ("action_id", "action")),
    ("list_events", "get", None),
    ("create_event", "post", None),
    ("get_event", "get", ("event_id", "event")),
    ("list_awards", "get", None),
    ("award_totals", "get", None),
    ("get_award", "get", ("award_id", "award")),
    ("create_award", "post", None),
    ("report_summary", "get", None),
    ("report_national", "get", None),
    ("impact_results", "get", None),
    ("list_tokens", "get", None),
    ("get_token", "get", ("token_id", "force")),
    ("revoke_token", "post", ("token_id", "force")),
]

MATRIX = {
    "api:api-root": ("get", row(**dict.fromkeys(ROLES, 404))),
    "api:openapi-json": ("get", PUBLIC),
    "api:openapi-view": ("get", PUBLIC),
    **{f"api:{name}": (method, NO_SESSIONS) for name, method, _ in OPERATIONS},
}
UNSCOPED = set(MATRIX)
MATRIX.update(
    {
        # Anyone signed in sees their own tokens; the token here is the leader's, so the leader
        # and their coordinator may revoke it and everyone else is told it does not exist.
        "api:api_token_list": ("get", EVERYONE),
        "api:api_token_revoke": (
            "post",
            row(
                guardian=404,
                teacher=404,
                leader=302,
                area_lead=404,
                coordinator=302,
                funder=404,
                national=404,
            ),
        ),
    }
)


def url_kwargs(world) -> dict:
    token, _ = create_api_token(acting_user=None, user=world.users["leader"])
    return {
        # Any id will do: the answer is 401 before the id is looked at.
        **{f"api:{name}": {param[0]: 1} for name, _, param in OPERATIONS if param},
        "api:api_token_revoke": {"pk": token.pk},
    }
