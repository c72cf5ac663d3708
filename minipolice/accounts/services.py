"""Writes for users and role assignments."""

from django.db import transaction

from minipolice.accounts.models import Role, RoleAssignment, User
from minipolice.audit.services import record_audit


@transaction.atomic
def create_user(
    *, acting_user, email: str, full_name: str, password: str | None = None, is_demo=False
) -> User:
    user = User(email=email.strip().lower(), full_name=full_name, is_demo=is_demo)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record_audit(acting_user=acting_user, action="create", obj=user, fields={"email": user.email})
    return user


@transaction.atomic
def assign_role(
    *,
    acting_user,
    user: User,
    role: Role,
    force=None,
    area=None,
    school=None,
    unit=None,
    guardian=None,
) -> RoleAssignment:
    if area is not None:
        force = area.force
    elif school is not None:
        force = school.area.force
    elif unit is not None:
        force = unit.school.area.force
    elif guardian is not None:
        force = guardian.force
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, force=force, area=area, school=school, unit=unit, guardian=guardian
    )
    if created:
        assignment.full_clean()
        record_audit(
            acting_user=acting_user,
            action="create",
            obj=assignment,
            force=force,
            fields={"user": user.pk, "role": role},
        )
    if role == Role.GUARDIAN:
        remove_password_if_guardian_only(acting_user=acting_user, user=user)
    return assignment


@transaction.atomic
def remove_password_if_guardian_only(*, acting_user, user: User) -> bool:
    """A parent's account must not have a usable password: with one, the staff sign-in (no
    second factor for parents) would sidestep the portal-only session. True if one was removed."""
    if not user.has_usable_password() or not user.is_guardian_only():
        return False
    user.set_unusable_password()
    user.save(update_fields=["password"])
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=user,
        fields={
            "password": "removed: parents sign in by emailed link"
        },  # the audit entry's words, not a password # nosec B105
    )
    return True
