from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; roles come from RoleAssignment."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)
    # Demo accounts may skip the second factor, and only while settings.DEBUG is on.
    is_demo = models.BooleanField(default=False)
    # The language chosen with the switch on every page ("" until one is chosen: then the
    # browser's). Kept so that it follows the user to another browser.
    language = models.CharField(max_length=8, blank=True, default="", choices=settings.LANGUAGES)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def is_guardian_only(self) -> bool:
        """A parent's account and nothing else. It has no password and signs in only by an
        emailed link into the portal: never by the staff sign-in or a password reset."""
        if self.pk is None or self.is_staff or self.is_superuser:
            return False
        roles = set(self.role_assignments.values_list("role", flat=True))
        if roles:
            return roles == {Role.GUARDIAN}
        # A guardian record whose portal account this is (people.Guardian.user), found through
        # the reverse relation so that this app does not import the people app.
        return type(self).objects.filter(pk=self.pk, guardian_profile__isnull=False).exists()


class Role(models.TextChoices):
    NATIONAL_VIEWER = "national_viewer", _("National viewer")
    FORCE_COORDINATOR = "force_coordinator", _("Force coordinator")
    AREA_LEAD = "area_lead", _("Area lead")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    TEACHER = "teacher", _("Teacher")
    GUARDIAN = "guardian", _("Parent or guardian")
    FUNDER = "funder", _("Funder")


class RoleAssignment(models.Model):
    """A user's role over one scope: a force, an area, a school, a unit or (national) nothing."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    force = models.ForeignKey(
        "organisations.Force", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        "organisations.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="leader_assignments",
    )
    guardian = models.ForeignKey(
        "people.Guardian", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Every assignment names exactly the scope its role needs; `force` is always the
            # force the scope belongs to (none only for national viewers).
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(
                        role="national_viewer",
                        force__isnull=True,
                        area__isnull=True,
                        school__isnull=True,
                        unit__isnull=True,
                        guardian__isnull=True,
                    )
                    | Q(
                        role__in=["force_coordinator", "funder"],
                        force__isnull=False,
                        area__isnull=True,
                        school__isnull=True,
                        unit__isnull=True,
                        guardian__isnull=True,
                    )
                    | Q(
                        role="area_lead",
                        force__isnull=False,
                        area__isnull=False,
                        school__isnull=True,
                        unit__isnull=True,
                        guardian__isnull=True,
                    )
                    | Q(
                        role="teacher",
                        force__isnull=False,
                        area__isnull=True,
                        school__isnull=False,
                        unit__isnull=True,
                        guardian__isnull=True,
                    )
                    | Q(
                        role="unit_leader",
                        force__isnull=False,
                        area__isnull=True,
                        school__isnull=True,
                        unit__isnull=False,
                        guardian__isnull=True,
                    )
                    | Q(
                        role="guardian",
                        force__isnull=False,
                        area__isnull=True,
                        school__isnull=True,
                        unit__isnull=True,
                        guardian__isnull=False,
                    )
                ),
                violation_error_message="That scope does not fit the role.",
            ),
        ]
        indexes = [models.Index(fields=["role", "unit"])]

    def __str__(self):
        scope = self.unit or self.school or self.area or self.force or "all forces"
        return f"{self.get_role_display()}: {scope}"
