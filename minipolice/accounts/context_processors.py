from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minipolice.accounts.middleware import may_skip_second_factor, needs_second_factor
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope

# Headings of the Manage page, in the order it shows them.
PEOPLE = _("People")
PROGRAMME = _("Programme")
DATA_PROTECTION = _("Data protection and audit")
SETTINGS = _("Settings")
MANAGE_SECTIONS = [PEOPLE, PROGRAMME, DATA_PROTECTION, SETTINGS]

# (label, url name, permission needed, Manage heading). Items without a heading are the
# day-to-day work and sit in the bar; the rest are listed on the Manage page.
NAVIGATION = [
    (_("Home"), "home", None, None),
    (_("Units"), "organisations:unit_list", Perm.UNIT_READ, None),
    (_("Cohorts"), "organisations:cohort_list", Perm.COHORT_READ, None),
    (_("Children"), "people:child_list", Perm.CHILDREN_READ, None),
    (_("My sessions"), "delivery:my_sessions", Perm.SESSION_READ, None),
    (_("Community actions"), "community:action_list", Perm.COMMUNITY_READ, None),
    (_("Events"), "events:event_list", Perm.EVENT_COUNTS, None),
    (_("Areas"), "organisations:area_list", Perm.AREA_READ, PROGRAMME),
    (_("Schools"), "organisations:school_list", Perm.SCHOOL_READ, PROGRAMME),
    (_("Guardians"), "people:guardian_list", Perm.CHILDREN_READ, PEOPLE),
    (_("Leaders"), "people:leader_list", Perm.LEADERS_READ, PEOPLE),
    (_("Curriculum"), "programme:module_list", Perm.MODULE_READ, PROGRAMME),
    (_("Action totals"), "community:totals", Perm.COMMUNITY_TOTALS, PROGRAMME),
    (_("School holidays"), "delivery:holiday_list", Perm.HOLIDAYS_MANAGE, PROGRAMME),
    (_("Audit log"), "audit:entry_list", Perm.AUDIT_READ, DATA_PROTECTION),
]
# Stories (minipolice.public) and API tokens (minipolice.api).
NAVIGATION += [
    (_("Stories"), "public:story_list", Perm.STORY_WRITE, None),
    (_("API tokens"), "api:api_token_list", Perm.API_TOKENS_MANAGE, SETTINGS),
]
# Awards and certificates (minipolice.awards).
NAVIGATION += [
    (_("Awards"), "awards:award_list", Perm.AWARDS_READ, PROGRAMME),
    (_("Award totals"), "awards:award_totals", Perm.AWARDS_TOTALS, PROGRAMME),
    (
        _("Certificate and event settings"),
        "awards:certificate_settings",
        Perm.AWARDS_SETTINGS,
        SETTINGS,
    ),
]
# Surveys and feedback (minipolice.impact).
NAVIGATION += [
    (_("Survey results"), "impact:results_home", Perm.SURVEY_RESULTS, PROGRAMME),
    (_("Questionnaires"), "impact:instrument_list", Perm.INSTRUMENT_READ, PROGRAMME),
]
# Dashboards and the impact report (minipolice.reports): in the bar, after Home.
NAVIGATION.insert(1, (_("Dashboard"), "reports:dashboards", Perm.DASHBOARD_READ, None))
# The parent portal, emails to parents and data protection (minipolice.consent, people).
NAVIGATION += [
    (_("Parent portal"), "consent:portal_home", Perm.OWN_CHILDREN, PEOPLE),
    (_("Emails to parents"), "consent:email_list", Perm.DATA_PROTECTION, DATA_PROTECTION),
    (_("Data protection"), "people:retention", Perm.DATA_PROTECTION, DATA_PROTECTION),
]


def visible_navigation(request) -> list[dict]:
    """The NAVIGATION entries the signed-in user may open, each marked current or not."""
    scope = get_scope(request.user)
    items = []
    for label, name, perm, section in NAVIGATION:
        if perm is not None and not scope.has(perm):
            continue
        url = reverse(name)
        current = (
            "page"
            if request.path == url
            else ("true" if url != "/" and request.path.startswith(url) else "")
        )
        items.append(
            {"label": label, "name": name, "url": url, "current": current, "section": section}
        )
    # Someone who is only a parent has nothing else to manage: their portal stays in the bar.
    if all(item["name"] in ("home", "consent:portal_home") for item in items):
        for item in items:
            item["section"] = None
    return items


def manage_sections(items: list[dict]) -> list[dict]:
    """The Manage page's headings, each with its items, leaving out empty headings."""
    sections = []
    for heading in MANAGE_SECTIONS:
        entries = [item for item in items if item["section"] == heading]
        if entries:
            sections.append({"heading": heading, "items": entries})
    return sections


def signed_in_with_second_factor(request) -> bool:
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "demo_without_mfa": False, "scope": None}
    items = visible_navigation(request)
    # Each page has one place: day-to-day work in the bar, the rest on the Manage page.
    navigation = [item for item in items if item["section"] is None]
    manage_only = [item for item in items if item not in navigation]
    if manage_only:
        url = reverse("manage")
        current = (
            "page"
            if request.path == url
            else ("true" if any(item["current"] for item in manage_only) else "")
        )
        navigation.append(
            {
                "label": _("Manage"),
                "name": "manage",
                "url": url,
                "current": current,
                "section": None,
            }
        )
    return {
        "scope": get_scope(user),
        "navigation": navigation,
        # Parents never use a second factor, so the warning is for staff demo accounts only,
        # and only when this sign-in really skipped it.
        "demo_without_mfa": settings.DEBUG
        and may_skip_second_factor(user)
        and needs_second_factor(user)
        and not signed_in_with_second_factor(request),
    }
