"""Scoped reads only the API makes: tokens (a user sees their own; a coordinator also sees
their force's), and the apps' scoped querysets in the shape the API's answers need. Each one
starts from the owning app's selector, so its scoping is the pages' scoping."""

from django.db.models import Prefetch, Q
from django.http import Http404

from minipolice.accounts.models import RoleAssignment, User
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, scope_q
from minipolice.api.models import ApiToken, hash_token
from minipolice.community import selectors as community
from minipolice.community.models import Participation
from minipolice.delivery import selectors as delivery
from minipolice.events import selectors as events
from minipolice.events.models import EventPlace, PlaceStatus
from minipolice.impact.selectors import forces_for_aggregates
from minipolice.organisations import selectors as organisations
from minipolice.people.selectors import visible_children


def visible_tokens(user):
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    force_users = RoleAssignment.objects.filter(
        scope_q(user, Perm.API_TOKENS_MANAGE, force="force_id")
    ).values("user_id")
    return ApiToken.objects.filter(Q(user=user) | Q(user_id__in=force_users)).select_related("user")


def get_token_for_user(user, pk) -> ApiToken:
    try:
        return visible_tokens(user).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def active_token(raw: str) -> ApiToken | None:
    """The live token whose hash matches `raw`, with its (active) user; None otherwise."""
    if not raw or len(raw) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def api_forces(user):
    """Forces the user works in (any read role), and those they may report on."""
    return (
        organisations.visible_forces(user, Perm.UNIT_READ) | forces_for_aggregates(user)
    ).distinct()


def units_with_history(user, perm: Perm = Perm.UNIT_READ):
    return organisations.visible_units(user, perm).prefetch_related("status_changes")


def sessions_with_register(user, perm: Perm = Perm.SESSION_READ):
    """Sessions with whether the user may read their notes, their register counts and the ids
    of the leaders present."""
    sessions = delivery.with_notes_visibility(delivery.visible_sessions(user, perm), user)
    return delivery.with_register_counts(sessions).prefetch_related(
        Prefetch("leaders_present", queryset=User.objects.only("pk"))
    )


def actions_with_participants(user, perm: Perm = Perm.COMMUNITY_READ):
    """Community actions, each with `visible_participations`: the children taking part whom
    the user may see (the others are counted in children_count, never named)."""
    seen = Participation.objects.filter(child__in=visible_children(user)).order_by("child_id")
    return community.visible_actions(user, perm).prefetch_related(
        Prefetch("participations", queryset=seen, to_attr="visible_participations")
    )


def events_with_places(user):
    """Events the user may read (or only count), with their programme, guests and invitations,
    and `visible_places`: the places and waiting places of children the user may see."""
    perm = Perm.EVENT_READ if get_scope(user).has(Perm.EVENT_READ) else Perm.EVENT_COUNTS
    seen = EventPlace.objects.filter(
        status__in=[PlaceStatus.PLACE, PlaceStatus.WAITING], child__in=visible_children(user)
    ).select_related("invitation")
    return events.visible_events(user, perm).prefetch_related(
        "programme",
        "guests",
        "invitations",
        Prefetch("places", queryset=seen.order_by("pk"), to_attr="visible_places"),
    )
