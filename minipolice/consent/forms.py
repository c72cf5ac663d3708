import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.consent.models import ConsentKind, ConsentStatus, MediaUse
from minipolice.lib.forms import GovukDateField, NameField
from minipolice.lib.validators import validate_phone

TRIP_HINT = gettext_lazy("In plain words, as the form names it, for example Bristol Zoo, 12 June")


class PaperConsentForm(forms.Form):
    """Staff copy a signed paper consent form into the hub.

    The trip and the uses of photos are revealed under their choice of consent (GOV.UK
    conditional reveal); without JavaScript they stay on the page, so what does not apply to
    the chosen consent is ignored rather than refused.
    """

    kind = forms.ChoiceField(
        label=gettext_lazy("What is the consent for?"),
        choices=ConsentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what the consent is for")},
    )
    # Stored as the consent's trip reference: the trip's name, as staff write it.
    trip = forms.CharField(
        label=gettext_lazy("Which trip or visit?"),
        required=False,
        max_length=40,
        help_text=TRIP_HINT,
        error_messages={
            "max_length": gettext_lazy("Name the trip or visit in 40 characters or fewer")
        },
    )
    status = forms.ChoiceField(
        label=gettext_lazy("What did the form say?"),
        choices=ConsentStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose what the form said: granted, refused or withdrawn")
        },
    )
    media_uses = forms.MultipleChoiceField(
        label=gettext_lazy("Where may photos be used?"),
        choices=MediaUse.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("If the form gives consent, tick every use it agrees to"),
        error_messages={"invalid_choice": gettext_lazy("Choose uses of photos from the list")},
    )
    given_by = forms.ModelChoiceField(
        label=gettext_lazy("Who signed the form?"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Someone not listed here"),
    )
    given_by_name = forms.CharField(
        label=gettext_lazy("Name of the person who signed, if not listed"),
        max_length=120,
        required=False,
    )
    given_on = GovukDateField(
        label=gettext_lazy("Date on the form"),
        error_messages={"required": gettext_lazy("Enter the date on the form")},
    )
    expires = GovukDateField(
        label=gettext_lazy("Expires (optional)"),
        required=False,
        help_text=gettext_lazy("Leave empty if the form gives no end date"),
    )
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=255, required=False)

    def __init__(self, *args, guardians, trips: list[str] = (), **kwargs):
        """`trips`: the trips this child already has answers for, so a trip written with other
        capitals or spacing is the same trip."""
        super().__init__(*args, **kwargs)
        self.fields["given_by"].queryset = guardians
        self.known_trips = {" ".join(trip.split()).casefold(): trip for trip in trips}

    def clean_trip(self):
        value = " ".join(self.cleaned_data["trip"].split())
        return self.known_trips.get(value.casefold(), value)

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date on the form cannot be in the future"))
        return value

    def clean(self):
        cleaned = super().clean()
        kind, status = cleaned.get("kind"), cleaned.get("status")
        # Fields that do not apply to the chosen consent are ignored (and their errors too).
        if kind != ConsentKind.TRIP:
            cleaned["trip"] = ""
            self.errors.pop("trip", None)
        elif "trip" in cleaned and not cleaned["trip"]:
            self.add_error("trip", _("Enter which trip or visit the form is for"))
        if kind != ConsentKind.MEDIA or status != ConsentStatus.GRANTED:
            cleaned["media_uses"] = []
            self.errors.pop("media_uses", None)
        elif not cleaned.get("media_uses") and "media_uses" not in self.errors:
            self.add_error("media_uses", _("Choose at least one use of photos the form agrees to"))
        if not cleaned.get("given_by") and not cleaned.get("given_by_name", "").strip():
            self.add_error("given_by_name", _("Enter the name of the person who signed the form"))
        given_on, expires = cleaned.get("given_on"), cleaned.get("expires")
        if given_on and expires and expires < given_on:
            self.add_error("expires", _("The expiry date must be after the date on the form"))
        return cleaned

    def given_at(self) -> datetime.datetime:
        """Today's forms count from now; older forms from the start of their day, so any answer
        given later that day (for example in the portal) still wins."""
        on = self.cleaned_data["given_on"]
        if on == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.datetime.combine(on, datetime.time.min))


YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


class PortalConsentForm(forms.Form):
    """A parent's answers for one child: taking part, photos (with uses), and any trips."""

    participation = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect)
    media = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect)
    media_uses = forms.MultipleChoiceField(
        choices=MediaUse.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, child, trips: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        name = child.first_name
        self.fields["participation"].label = _("May %(name)s take part in Mini Police?") % {
            "name": name
        }
        self.fields["participation"].error_messages["required"] = _(
            "Choose yes or no for %(name)s taking part"
        ) % {"name": name}
        self.fields["media"].label = _("May photos of %(name)s be used?") % {"name": name}
        self.fields["media"].error_messages["required"] = _(
            "Choose yes or no for photos of %(name)s"
        ) % {"name": name}
        self.fields["media_uses"].label = _("If yes, where may photos be used?")
        self.fields["media_uses"].help_text = _("Choose all that you agree to")
        self.trips = list(trips)
        for index, trip in enumerate(self.trips):
            self.fields[f"trip_{index}"] = forms.ChoiceField(
                label=_("May %(name)s go on the trip or outing “%(trip)s”?")
                % {"name": name, "trip": trip},
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("media") == "yes" and not cleaned.get("media_uses"):
            self.add_error("media_uses", _("Choose at least one place photos may be used"))
        if cleaned.get("media") == "no":
            cleaned["media_uses"] = []
        return cleaned

    def trip_fields(self):
        return [(self[f"trip_{index}"], trip) for index, trip in enumerate(self.trips)]


class ContactDetailsForm(forms.Form):
    name = NameField(
        label=gettext_lazy("Your name"),
        max_length=120,
        error_messages={"required": gettext_lazy("Enter your name")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone number"),
        max_length=30,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        help_text=gettext_lazy("The address the school has for you"),
        error_messages={
            "required": gettext_lazy("Enter your email address"),
            "invalid": gettext_lazy(
                "Enter an email address in the correct format, like name@example.com"
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class MediaExportForm(forms.Form):
    use = forms.ChoiceField(
        label=gettext_lazy("Where will the photos be used?"),
        choices=MediaUse.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose where the photos will be used")},
    )
