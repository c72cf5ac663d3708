import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.events.models import REWARD_VISITS, EventKind, GuestRole
from minipolice.lib.forms import TIME_PATTERN, GovukDateField, GovukTimeField

with translation.override(None):  # the English words, accepted in every language
    ROLE_BY_WORDS = {str(label).lower(): value for value, label in GuestRole.choices} | {
        "pcc": GuestRole.PCC,
        "chief constable": GuestRole.CHIEF_CONSTABLE,
    }


def _role_for(words: str):
    """The guest role named by `words`: in English, or as the page's language says it."""
    words = words.strip().lower()
    shown = {str(label).lower(): value for value, label in GuestRole.choices}
    return shown.get(words) or ROLE_BY_WORDS.get(words)


def _parse_time(text: str) -> datetime.time | None:
    match = TIME_PATTERN.match(text.strip().lower())
    if not match or match[3]:
        return None
    hours, minutes = int(match[1]), int(match[2] or 0)
    if hours > 23 or minutes > 59:
        return None
    return datetime.time(hours, minutes)


class EventForm(forms.Form):
    """An event's details. The programme is one line per item ("10:00 Dog display"), the
    guests one line each ("Chief Constable: name"), so the form works without JavaScript."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select the kind of event")},
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=160,
        error_messages={"required": gettext_lazy("Enter the title of the event")},
    )
    date = GovukDateField(
        label=gettext_lazy("Date"),
        error_messages={"required": gettext_lazy("Enter the date of the event")},
    )
    start_time = GovukTimeField(
        label=gettext_lazy("Start time"),
        error_messages={"required": gettext_lazy("Enter the start time")},
    )
    end_time = GovukTimeField(
        label=gettext_lazy("End time"),
        error_messages={"required": gettext_lazy("Enter the end time")},
    )
    venue = forms.CharField(
        label=gettext_lazy("Venue"),
        max_length=160,
        help_text=gettext_lazy("For example, Police headquarters."),
        error_messages={"required": gettext_lazy("Enter the venue")},
    )
    address = forms.CharField(label=gettext_lazy("Address"), max_length=255, required=False)
    capacity = forms.IntegerField(
        label=gettext_lazy("Places for children"),
        min_value=1,
        max_value=5000,
        error_messages={
            "required": gettext_lazy("Enter how many children can have a place"),
            "invalid": gettext_lazy("Enter the number of places as a whole number, like 150"),
            "min_value": gettext_lazy("There must be at least 1 place"),
        },
    )
    programme = forms.CharField(
        label=gettext_lazy("Programme of the day"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One item a line, starting with its time: 10:00 Dog display"),
    )
    guests = forms.CharField(
        label=gettext_lazy("Guests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One a line, role then name: Chief Constable: A. Example. Roles: Chief Constable, "
            "Police and Crime Commissioner, Lord Lieutenant, Press, Other guest."
        ),
    )
    leaders = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Leaders attending"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Select only leaders from the list")},
    )
    transport_notes = forms.CharField(
        label=gettext_lazy("Transport"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    what_to_bring = forms.CharField(
        label=gettext_lazy("What to bring"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Parents and carers see this in the portal."),
    )

    def __init__(self, *args, reward_visit: bool, leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        kinds = REWARD_VISITS if reward_visit else [EventKind.CELEBRATION]
        self.fields["kind"].choices = [(k, EventKind(k).label) for k in kinds]
        if not reward_visit:
            self.fields["kind"].initial = EventKind.CELEBRATION
        self.fields["leaders"].choices = [(u.pk, u.full_name or u.email) for u in leaders]
        self.leader_users = {u.pk: u for u in leaders}

    def clean_programme(self):
        items = []
        for number, line in enumerate(self.cleaned_data["programme"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            time_text, _space, title = line.partition(" ")
            time = _parse_time(time_text)
            if time is None or not title.strip():
                raise ValidationError(
                    _(
                        "Line %(number)s of the programme must start with a time, like 10:00 Dog "
                        "display"
                    )
                    % {"number": number}
                )
            items.append((time, title.strip()[:160]))
        return items

    def clean_guests(self):
        guests = []
        for number, line in enumerate(self.cleaned_data["guests"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            role_words, colon, name = line.partition(":")
            role = _role_for(role_words)
            if not colon or role is None or not name.strip():
                raise ValidationError(
                    _(
                        "Line %(number)s of the guests must be a role, a colon and a name, like "
                        "Lord Lieutenant: A. Example"
                    )
                    % {"number": number}
                )
            guests.append((name.strip()[:120], role))
        return guests

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time"))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["leaders"] = [self.leader_users[pk] for pk in data["leaders"]]
        return data


def programme_text(event) -> str:
    return "\n".join(f"{item.time:%H:%M} {item.title}" for item in event.programme.all())


def guests_text(event) -> str:
    return "\n".join(f"{guest.get_role_display()}: {guest.name}" for guest in event.guests.all())


class RiskAssessmentForm(forms.Form):
    hazards = forms.CharField(
        label=gettext_lazy("Hazards"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "For example: traffic on site, dogs, horses, getting lost, weather."
        ),
        error_messages={"required": gettext_lazy("Enter the hazards")},
    )
    controls = forms.CharField(
        label=gettext_lazy("Controls"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What is done about each hazard."),
        error_messages={"required": gettext_lazy("Enter the controls")},
    )
    first_aider = forms.CharField(
        label=gettext_lazy("Named first-aider"),
        max_length=120,
        error_messages={"required": gettext_lazy("Enter the name of the first-aider")},
    )
    adults = forms.IntegerField(
        label=gettext_lazy("Adults attending"),
        min_value=0,
        max_value=5000,
        help_text=gettext_lazy("Leaders, teachers and helpers who will be with the children."),
        error_messages={
            "required": gettext_lazy("Enter how many adults will attend"),
            "invalid": gettext_lazy("Enter the number of adults as a whole number"),
        },
    )


class InviteForm(forms.Form):
    """Tick units, or invite all active units of the force or of one area in one click."""

    units = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Units to invite"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Select only units from the list")},
    )
    everyone = forms.ChoiceField(required=False)

    def __init__(self, *args, units=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(u.pk, f"{u.name} ({u.school.name})") for u in units]
        self.fields["everyone"].choices = [("", ""), ("force", "force")] + [
            (f"area-{a.pk}", a.name) for a in areas
        ]

    def clean(self):
        data = super().clean()
        if not data.get("units") and not data.get("everyone") and not self.errors:
            raise ValidationError(_("Select at least one unit to invite"))
        return data


class ChooseChildrenForm(forms.Form):
    children = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Children to take"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Select only children of the unit with trip consent for this event"
            )
        },
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        # A child without consent stays a valid choice here so the service says why not.
        self.fields["children"].choices = [(c.child.pk, str(c.child)) for c in self.candidates]

    def chosen_ids(self):
        if self.is_bound:
            return {int(v) for v in self.data.getlist("children") if str(v).isdigit()}
        return {c.child.pk for c in self.candidates if c.place is not None}


class TripConsentForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("May your child go?"),
        choices=[("yes", gettext_lazy("Yes, they may go")), ("no", gettext_lazy("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select yes or no")},
    )


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the event cancelled?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Parents of the children with a place are told this by email. Do not name any child."
        ),
        error_messages={
            "required": gettext_lazy("Enter why the event is cancelled"),
            "max_length": gettext_lazy("The reason must be 300 characters or fewer"),
        },
    )
