import io

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from minipolice.awards.models import AwardSettings

SPECIAL_TITLES = [
    _("Community Champion"),
    _("Star Mini Police Officer"),
    _("Road Safety Hero"),
    _("Kindness Award"),
    _("Outstanding Effort"),
]
SIGNATURE_MAX_BYTES = 2 * 1024 * 1024
SIGNATURE_BOX = (1200, 400)  # pixels kept: plenty for 60 mm × 22 mm at print resolution


class SpecialAwardForm(forms.Form):
    child = forms.TypedChoiceField(
        label=_("Child"),
        coerce=int,
        error_messages={
            "required": _("Select the child who gets the award"),
            "invalid_choice": _("Select a child in this cohort"),
        },
    )
    title = forms.CharField(
        label=_("Award"),
        max_length=80,
        help_text=_(
            "For example “Community Champion”, “Star Mini Police Officer”, “Road Safety Hero”."
        ),
        error_messages={"required": _("Enter the name of the award")},
    )
    citation = forms.CharField(
        label=_("Citation (optional)"),
        max_length=200,
        required=False,
        help_text=_(
            "A short sentence printed on the certificate, for example “For organising the "
            "school's litter pick”. Do not name other children."
        ),
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", _("Select a child"))] + [
            (child.pk, child.full_name) for child in children
        ]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you revoking this certificate?"),
        max_length=200,
        help_text=_("Kept in the audit log. Do not name the child."),
        error_messages={"required": _("Enter why the certificate is being revoked")},
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The 8 characters printed beside the QR code, for example 7KQ2-M9XD."),
        error_messages={"required": _("Enter the verification code")},
    )


class CertificateSettingsForm(forms.Form):
    chief_constable_name = forms.CharField(
        label=_("Chief Constable's name, as printed"),
        max_length=120,
        required=False,
    )
    brand_colour = forms.RegexField(
        label=_("Brand colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        help_text=_("As a hex code, for example #1d3f73."),
        error_messages={
            "invalid": _("Enter a colour like #1d3f73"),
            "required": _("Enter a colour"),
        },
    )
    completion_threshold = forms.IntegerField(
        label=_("Attendance needed for a completion certificate (%)"),
        min_value=1,
        max_value=100,
        help_text=format_lazy(
            _("Of the cohort's sessions held. Usually {threshold}."),
            threshold=AwardSettings.DEFAULT_THRESHOLD,
        ),
        error_messages={
            "required": _("Enter the attendance needed, as a percentage"),
            "invalid": _("Enter the attendance needed as a whole number, like 75"),
            "min_value": _("Enter a percentage from 1 to 100"),
            "max_value": _("Enter a percentage from 1 to 100"),
        },
    )
    event_children_per_adult = forms.IntegerField(
        label=_("Children per adult at events"),
        min_value=1,
        max_value=30,
        help_text=_(
            "Celebration days and reward visits need 1 adult for this many children. Usually 6."
        ),
        error_messages={
            "required": _("Enter how many children one adult can look after at an event"),
            "invalid": _("Enter the number of children as a whole number, like 6"),
            "min_value": _("Enter a number from 1 to 30"),
            "max_value": _("Enter a number from 1 to 30"),
        },
    )
    signature = forms.FileField(
        label=_("Chief Constable's signature (optional)"),
        required=False,
        help_text=_(
            "A PNG or JPEG image of the signature, smaller than 2 MB. A transparent PNG looks best."
        ),
    )
    remove_signature = forms.BooleanField(label=_("Remove the signature"), required=False)

    def clean_signature(self):
        upload = self.cleaned_data.get("signature")
        if not upload:
            return None
        if upload.size > SIGNATURE_MAX_BYTES:
            raise forms.ValidationError("The signature must be smaller than 2 MB")
        try:
            image = Image.open(upload)
            image.verify()
            upload.seek(0)
            image = Image.open(upload)
            if image.format not in ("PNG", "JPEG"):
                raise forms.ValidationError("The signature must be a PNG or JPEG image")
            image.load()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise forms.ValidationError("The signature must be a PNG or JPEG image") from None
        # Re-drawn as a small PNG: no metadata kept, and quick to embed in every PDF.
        image = image.convert("RGBA")
        image.thumbnail(SIGNATURE_BOX)
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        return SimpleUploadedFile("signature.png", out.getvalue(), content_type="image/png")
