"""Who may do what: a fixed vocabulary of permissions attached to roles.

Read this table in one glance. `*_manage` implies `*_read`. A permission says what a role may
do; the role assignment's scope (force, area, school, unit) says where.
"""

from enum import StrEnum

from minipolice.accounts.models import Role


class Perm(StrEnum):
    AREA_READ = "area_read"
    AREA_MANAGE = "area_manage"
    SCHOOL_READ = "school_read"
    SCHOOL_MANAGE = "school_manage"
    UNIT_READ = "unit_read"
    UNIT_MANAGE = "unit_manage"
    COHORT_READ = "cohort_read"
    COHORT_MANAGE = "cohort_manage"
    CHILDREN_READ = "children_read"
    CHILDREN_MANAGE = "children_manage"
    CHILD_NOTES = "child_notes"  # leaders' notes on additional needs
    LEADERS_READ = "leaders_read"
    LEADERS_MANAGE = "leaders_manage"
    AUDIT_READ = "audit_read"
    AGGREGATES_READ = "aggregates_read"
    OWN_CHILDREN = "own_children"
    DATA_PROTECTION = "data_protection"  # subject access, erasure, retention, emails to parents
    STORY_WRITE = "story_write"  # draft stories about a unit and tag children in photos
    STORY_PUBLISH = "story_publish"  # publish stories on the force's public pages
    API_TOKENS_MANAGE = "api_tokens_manage"  # see and revoke the API tokens of the force's users
    # Programme delivery: curriculum, sessions, registers, holidays, community actions.
    MODULE_READ = "module_read"
    MODULE_MANAGE = "module_manage"  # the force's own copies of modules and templates
    SESSION_READ = "session_read"
    SESSION_MANAGE = "session_manage"  # plan, move, cancel, add sessions; leaders and notes
    REGISTER_TAKE = "register_take"  # mark children present, absent or excused
    SESSION_NOTES = "session_notes"  # leaders' notes on a session: they may name children
    HOLIDAYS_MANAGE = "holidays_manage"  # school holidays that session planning skips
    COMMUNITY_READ = "community_read"
    COMMUNITY_MANAGE = "community_manage"
    COMMUNITY_TOTALS = "community_totals"  # reach totals, no names
    # Events and reward visits (minipolice.events).
    EVENT_COUNTS = "event_counts"  # events with counts of places, never a named place
    EVENT_READ = "event_read"  # events, their programme, invited units and places
    EVENT_MANAGE = "event_manage"  # create and change events, invite units
    EVENT_SIGN_OFF = "event_sign_off"  # sign off a risk assessment, confirm an event
    EVENT_PLACES = "event_places"  # choose children for places, check them in on the day
    # Awards and certificates (minipolice/awards).
    AWARDS_READ = "awards_read"  # awards and certificates of children in scope
    AWARDS_GIVE = "awards_give"  # named special awards with a citation
    AWARDS_MANAGE = "awards_manage"  # bulk-issue completion, re-issue and revoke certificates
    AWARDS_SETTINGS = "awards_settings"  # the force's certificate look and completion threshold
    AWARDS_TOTALS = "awards_totals"  # counts of awards, never a named one
    # Evidence of change: surveys and feedback (minipolice.impact).
    SURVEY_RUN = "survey_run"  # run a cohort's survey round in classroom mode or on paper
    SURVEY_RESULTS = "survey_results"  # anonymous results: distributions, changes, quotes
    FEEDBACK_GIVE = "feedback_give"  # a teacher's feedback on their school's cohorts
    INSTRUMENT_READ = "instrument_read"  # the questionnaires in use
    INSTRUMENT_MANAGE = "instrument_manage"  # the force's own copies and versions of them
    # Dashboards, reports and exports of figures (minipolice.reports).
    DASHBOARD_READ = "dashboard_read"  # a force's or area's figures over time, no child named
    REPORT_DOWNLOAD = "report_download"  # the impact report PDF for a force and period


P = Perm
ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    #                      areas          schools          units          cohorts          children            leaders           other
    Role.NATIONAL_VIEWER: frozenset({                                                                                            P.AGGREGATES_READ}),
    Role.FORCE_COORDINATOR: frozenset({P.AREA_MANAGE, P.SCHOOL_MANAGE, P.UNIT_MANAGE, P.COHORT_MANAGE, P.CHILDREN_MANAGE, P.CHILD_NOTES, P.LEADERS_MANAGE, P.AUDIT_READ, P.AGGREGATES_READ, P.STORY_PUBLISH, P.API_TOKENS_MANAGE, P.DATA_PROTECTION}),
    Role.AREA_LEAD:       frozenset({P.AREA_READ,   P.SCHOOL_MANAGE, P.UNIT_MANAGE, P.COHORT_MANAGE, P.CHILDREN_MANAGE, P.LEADERS_MANAGE,                 P.STORY_WRITE}),
    Role.UNIT_LEADER:     frozenset({               P.SCHOOL_READ,   P.UNIT_READ,   P.COHORT_MANAGE, P.CHILDREN_MANAGE, P.CHILD_NOTES,                    P.STORY_WRITE}),
    Role.TEACHER:         frozenset({               P.SCHOOL_READ,   P.UNIT_READ,   P.COHORT_MANAGE, P.CHILDREN_MANAGE}),
    Role.GUARDIAN:        frozenset({                                                                                            P.OWN_CHILDREN}),
    Role.FUNDER:          frozenset({                                                                                            P.AGGREGATES_READ}),
}  # fmt: skip

# Programme delivery (curriculum, sessions, registers, school holidays, community actions),
# joined to the table above role by role.
DELIVERY_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    #                        curriculum       sessions          session notes     registers        holidays            community           reach totals
    Role.NATIONAL_VIEWER:   frozenset({                                                                                                   P.COMMUNITY_TOTALS}),
    Role.FORCE_COORDINATOR: frozenset({P.MODULE_MANAGE, P.SESSION_MANAGE, P.SESSION_NOTES, P.REGISTER_TAKE, P.HOLIDAYS_MANAGE, P.COMMUNITY_MANAGE, P.COMMUNITY_TOTALS}),
    Role.AREA_LEAD:         frozenset({P.MODULE_READ,   P.SESSION_MANAGE, P.SESSION_NOTES, P.REGISTER_TAKE, P.HOLIDAYS_MANAGE, P.COMMUNITY_MANAGE, P.COMMUNITY_TOTALS}),
    Role.UNIT_LEADER:       frozenset({P.MODULE_READ,   P.SESSION_MANAGE, P.SESSION_NOTES, P.REGISTER_TAKE,                    P.COMMUNITY_MANAGE, P.COMMUNITY_TOTALS}),
    Role.TEACHER:           frozenset({P.MODULE_READ,   P.SESSION_READ,   P.SESSION_NOTES, P.REGISTER_TAKE,                    P.COMMUNITY_READ,   P.COMMUNITY_TOTALS}),
    Role.GUARDIAN:          frozenset(),
    Role.FUNDER:            frozenset({                                                                                  P.COMMUNITY_TOTALS}),
}  # fmt: skip
# Events and reward visits. Coordinators and area leads run force and area events and sign off
# risk assessments; leaders run their unit's reward visits, accept invitations, choose children
# and check them in; teachers see their school's events read-only; funders and national viewers
# see counts only.
EVENT_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.NATIONAL_VIEWER:   frozenset({P.EVENT_COUNTS}),
    Role.FORCE_COORDINATOR: frozenset({P.EVENT_COUNTS, P.EVENT_MANAGE, P.EVENT_SIGN_OFF, P.EVENT_PLACES}),
    Role.AREA_LEAD:         frozenset({P.EVENT_COUNTS, P.EVENT_MANAGE, P.EVENT_SIGN_OFF, P.EVENT_PLACES}),
    Role.UNIT_LEADER:       frozenset({P.EVENT_COUNTS, P.EVENT_MANAGE,                   P.EVENT_PLACES}),
    Role.TEACHER:           frozenset({P.EVENT_COUNTS, P.EVENT_READ}),
    Role.GUARDIAN:          frozenset(),
    Role.FUNDER:            frozenset({P.EVENT_COUNTS}),
}  # fmt: skip
ROLE_PERMISSIONS = {
    role: perms | DELIVERY_PERMISSIONS[role] | EVENT_PERMISSIONS[role]
    for role, perms in ROLE_PERMISSIONS.items()
}

# Awards and certificates, joined to the tables above role by role.
AWARDS_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    #                        read             special awards   issue, revoke      settings            counts
    Role.NATIONAL_VIEWER:   frozenset({                                                             P.AWARDS_TOTALS}),
    Role.FORCE_COORDINATOR: frozenset({P.AWARDS_READ, P.AWARDS_GIVE, P.AWARDS_MANAGE, P.AWARDS_SETTINGS, P.AWARDS_TOTALS}),
    Role.AREA_LEAD:         frozenset({P.AWARDS_READ, P.AWARDS_GIVE, P.AWARDS_MANAGE,                    P.AWARDS_TOTALS}),
    Role.UNIT_LEADER:       frozenset({P.AWARDS_READ, P.AWARDS_GIVE,                                     P.AWARDS_TOTALS}),
    Role.TEACHER:           frozenset({P.AWARDS_READ,                                                    P.AWARDS_TOTALS}),
    Role.GUARDIAN:          frozenset(),
    Role.FUNDER:            frozenset({                                                             P.AWARDS_TOTALS}),
}  # fmt: skip
ROLE_PERMISSIONS = {
    role: perms | AWARDS_PERMISSIONS[role] for role, perms in ROLE_PERMISSIONS.items()
}

# Surveys. The children's answers are anonymous, so results are open to every staff role in
# scope and to funders and national viewers (with "not enough responses" below 5 in a round).
IMPACT_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    #                        run a round      results             feedback           questionnaires
    Role.NATIONAL_VIEWER:   frozenset({                P.SURVEY_RESULTS}),
    Role.FORCE_COORDINATOR: frozenset({P.SURVEY_RUN,   P.SURVEY_RESULTS,                    P.INSTRUMENT_MANAGE}),
    Role.AREA_LEAD:         frozenset({P.SURVEY_RUN,   P.SURVEY_RESULTS,                    P.INSTRUMENT_READ}),
    Role.UNIT_LEADER:       frozenset({P.SURVEY_RUN,   P.SURVEY_RESULTS,                    P.INSTRUMENT_READ}),
    Role.TEACHER:           frozenset({                P.SURVEY_RESULTS,   P.FEEDBACK_GIVE, P.INSTRUMENT_READ}),
    Role.GUARDIAN:          frozenset(),
    Role.FUNDER:            frozenset({                P.SURVEY_RESULTS}),
}  # fmt: skip
ROLE_PERMISSIONS = {
    role: perms | IMPACT_PERMISSIONS[role] for role, perms in ROLE_PERMISSIONS.items()
}

# Dashboards and reports. Area leads see their areas' dashboard; coordinators, funders and
# national viewers their forces' (national viewers every force) and the PDF impact report.
REPORTS_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    #                        dashboards         impact report
    Role.NATIONAL_VIEWER:   frozenset({P.DASHBOARD_READ, P.REPORT_DOWNLOAD}),
    Role.FORCE_COORDINATOR: frozenset({P.DASHBOARD_READ, P.REPORT_DOWNLOAD}),
    Role.AREA_LEAD:         frozenset({P.DASHBOARD_READ}),
    Role.UNIT_LEADER:       frozenset(),
    Role.TEACHER:           frozenset(),
    Role.GUARDIAN:          frozenset(),
    Role.FUNDER:            frozenset({P.DASHBOARD_READ, P.REPORT_DOWNLOAD}),
}  # fmt: skip
ROLE_PERMISSIONS = {
    role: perms | REPORTS_PERMISSIONS[role] for role, perms in ROLE_PERMISSIONS.items()
}

IMPLIES: dict[Perm, Perm] = {
    P.AREA_MANAGE: P.AREA_READ,
    P.SCHOOL_MANAGE: P.SCHOOL_READ,
    P.UNIT_MANAGE: P.UNIT_READ,
    P.COHORT_MANAGE: P.COHORT_READ,
    P.CHILDREN_MANAGE: P.CHILDREN_READ,
    P.LEADERS_MANAGE: P.LEADERS_READ,
    P.MODULE_MANAGE: P.MODULE_READ,
    P.SESSION_MANAGE: P.SESSION_READ,
    P.COMMUNITY_MANAGE: P.COMMUNITY_READ,
    P.STORY_PUBLISH: P.STORY_WRITE,
    P.EVENT_MANAGE: P.EVENT_READ,
    P.EVENT_PLACES: P.EVENT_READ,
    P.AWARDS_MANAGE: P.AWARDS_READ,
    P.AWARDS_GIVE: P.AWARDS_READ,
    P.INSTRUMENT_MANAGE: P.INSTRUMENT_READ,
}

# Permissions over children's records: a unit leader holds them only while their vetting and
# safeguarding training are in date. A register lists children, so taking one needs them too.
# Story writers tag children in photos, and session notes may name children: both need it too.
NEEDS_CLEARANCE = frozenset(
    {
        P.CHILDREN_READ,
        P.CHILDREN_MANAGE,
        P.CHILD_NOTES,
        P.REGISTER_TAKE,
        P.STORY_WRITE,
        P.SESSION_NOTES,
        P.EVENT_MANAGE,
        P.EVENT_PLACES,
        P.AWARDS_READ,
        P.AWARDS_GIVE,
    }
)

# Which roles' assignments are scoped at which level of the hierarchy.
ROLE_LEVEL = {
    Role.FORCE_COORDINATOR: "force",
    Role.FUNDER: "force",
    Role.AREA_LEAD: "area",
    Role.TEACHER: "school",
    Role.UNIT_LEADER: "unit",
    Role.GUARDIAN: "guardian",
    Role.NATIONAL_VIEWER: "national",
}


def permissions_of(role: Role) -> frozenset[Perm]:
    granted = set(ROLE_PERMISSIONS[role])
    granted |= {IMPLIES[p] for p in granted if p in IMPLIES}
    return frozenset(granted)


ROLE_GRANTS: dict[Role, frozenset[Perm]] = {role: permissions_of(role) for role in Role}
