from django.conf import settings

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
]


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "demo_without_mfa": False, "scope": None}
    scope = get_scope(user)
    return {
        "scope": scope,
        "navigation": [
            {"label": label, "url_name": name}
            for label, name, perm in NAVIGATION
            if perm is None or scope.has(perm)
        ],
        "demo_without_mfa": may_skip_second_factor(user) and settings.DEBUG,
    }
