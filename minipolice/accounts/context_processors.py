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
