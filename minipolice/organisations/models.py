from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minipolice.lib.models import UniqueErrorsOnFieldMixin
from minipolice.lib.validators import validate_date_in_range

URN_VALIDATOR = RegexValidator(
    r"^\d{6}$", _("A URN is the school's 6-digit Unique Reference Number.")
)
# A full postcode, or only its district (outward code) when that is all that is known.
POSTCODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z]{1,2}\d[A-Za-z\d]?( ?\d[A-Za-z]{2})?$",
    _("Enter a real postcode, like BS4 2RX, or its district, like BS4."),
)
COLOUR_VALIDATOR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #1d3f73."))


class Force(models.Model):
    name = models.CharField(max_length=120, unique=True)
    short_name = models.SlugField(max_length=40, unique=True)
    welsh_language = models.BooleanField(default=False)
    chief_constable_name = models.CharField(max_length=120, blank=True)
    chief_constable_signature = models.ImageField(upload_to="signatures/", blank=True)
    pcc_name = models.CharField(_("Police and Crime Commissioner"), max_length=120, blank=True)
    brand_colour = models.CharField(max_length=7, default="#1d3f73", validators=[COLOUR_VALIDATOR])
    retention_months = models.PositiveSmallIntegerField(default=settings.RETENTION_MONTHS_DEFAULT)
    event_children_per_adult = models.PositiveSmallIntegerField(
        _("Children per adult at events"),
        default=6,
        help_text=_("The adult-to-child ratio events must meet: 1 adult to this many children."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Area(UniqueErrorsOnFieldMixin, models.Model):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "name"],
                name="area_name_unique_in_force",
                violation_error_code="unique",
                violation_error_message=_("Your force already has an area with this name."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:area_detail", args=[self.pk])


class School(UniqueErrorsOnFieldMixin, models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=160)
    urn = models.CharField(
        _("URN"), max_length=6, blank=True, validators=[URN_VALIDATOR], help_text=_("6 digits")
    )
    address = models.CharField(max_length=255, blank=True)
    town = models.CharField(max_length=120, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[POSTCODE_VALIDATOR])
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn"],
                condition=~models.Q(urn=""),
                name="school_urn_unique",
                violation_error_code="unique",
                violation_error_message=_("Another school already has this URN."),
            ),
            models.UniqueConstraint(
                fields=["area", "name"],
                name="school_name_unique_in_area",
                violation_error_code="unique",
                violation_error_message=_("This area already has a school with this name."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:school_detail", args=[self.pk])

    @property
    def force(self):
        return self.area.force


class UnitStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    TRIAL = "trial", _("Trial")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


# proposed → trial → active ⇄ paused → closed; any open unit may close.
UNIT_TRANSITIONS = {
    UnitStatus.PROPOSED: {UnitStatus.TRIAL, UnitStatus.ACTIVE, UnitStatus.CLOSED},
    UnitStatus.TRIAL: {UnitStatus.ACTIVE, UnitStatus.PAUSED, UnitStatus.CLOSED},
    UnitStatus.ACTIVE: {UnitStatus.PAUSED, UnitStatus.CLOSED},
    UnitStatus.PAUSED: {UnitStatus.ACTIVE, UnitStatus.CLOSED},
    UnitStatus.CLOSED: set(),
}


class Unit(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=160)
    status = models.CharField(max_length=10, choices=UnitStatus.choices, default="proposed")
    status_since = models.DateField(validators=[validate_date_in_range])
    funding_source = models.CharField(max_length=160, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:unit_detail", args=[self.pk])

    def allowed_next_statuses(self) -> list[UnitStatus]:
        return sorted(UNIT_TRANSITIONS[UnitStatus(self.status)], key=list(UnitStatus).index)


class UnitStatusChange(models.Model):
    """The dated history of a unit's status: growth charts are built from it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=UnitStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=UnitStatus.choices)
    changed_on = models.DateField(validators=[validate_date_in_range])
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self):
        return f"{self.unit}: {self.from_status or 'new'} → {self.to_status} on {self.changed_on}"


class Cohort(UniqueErrorsOnFieldMixin, models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=120, help_text=_('For example "2018/19 Year 5"'))
    start_date = models.DateField(validators=[validate_date_in_range])
    end_date = models.DateField(validators=[validate_date_in_range])
    # The programme format the cohort follows (set when its sessions are planned from a
    # template): survey results compare formats, an 8-week course against a year-long unit.
    programme_template = models.ForeignKey(
        "programme.ProgrammeTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cohorts",
    )

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="cohort_ends_after_start",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="cohort_name_unique_in_unit",
                violation_error_code="unique",
                violation_error_message=_("This unit already has a cohort with this name."),
            ),
        ]

    def __str__(self):
        return f"{self.unit.name}: {self.name}"

    def get_absolute_url(self):
        return reverse("organisations:cohort_detail", args=[self.pk])
