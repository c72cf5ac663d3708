from django.conf import settings
from django.urls import reverse

from minipolice.accounts.middleware import may_skip_second_factor
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope

NAVIGATION = [
    ("Home", "home", None),
    ("Areas", "organisations:area_list", Perm.AREA_READ),
    ("Schools", "organisations:school_list", Perm.SCHOOL_READ),
    ("Units", "organisations:unit_list", Perm.UNIT_READ),
    ("Cohorts", "organisations:cohort_list", Perm.COHORT_READ),
    ("Children", "people:child_list", Perm.CHILDREN_READ),
    ("Guardians", "people:guardian_list", Perm.CHILDREN_READ),
    ("Leaders", "people:leader_list", Perm.LEADERS_READ),
    ("Audit log", "audit:entry_list", Perm.AUDIT_READ),
    ("My sessions", "delivery:my_sessions", Perm.SESSION_READ),
    ("Curriculum", "programme:module_list", Perm.MODULE_READ),
    ("Community actions", "community:action_list", Perm.COMMUNITY_READ),
    ("Action totals", "community:totals", Perm.COMMUNITY_TOTALS),
    ("School holidays", "delivery:holiday_list", Perm.HOLIDAYS_MANAGE),
]
# Stories (minipolice.public) and API tokens (minipolice.api).
NAVIGATION += [
    ("Stories", "public:story_list", Perm.STORY_WRITE),
    ("API tokens", "public:api_token_list", Perm.API_TOKENS_MANAGE),
]
# The parent portal, emails to parents and data protection (minipolice.consent, people).
NAVIGATION += [
    ("Parent portal", "consent:portal_home", Perm.OWN_CHILDREN),
    ("Emails to parents", "consent:email_list", Perm.DATA_PROTECTION),
    ("Data protection", "people:retention", Perm.DATA_PROTECTION),
]


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "demo_without_mfa": False, "scope": None}
    scope = get_scope(user)
    navigation = []
    for label, name, perm in NAVIGATION:
        if perm is not None and not scope.has(perm):
            continue
        url = reverse(name)
        current = (
            "page"
            if request.path == url
            else ("true" if url != "/" and request.path.startswith(url) else "")
        )
        navigation.append({"label": label, "url": url, "current": current})
    return {
        "scope": scope,
        "navigation": navigation,
        "demo_without_mfa": may_skip_second_factor(user) and settings.DEBUG,
    }
