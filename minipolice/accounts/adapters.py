"""How django-allauth behaves here: closed sign-up, GOV.UK wording, the session clock, and
no password sign-in or password reset for parents' accounts (User.is_guardian_only): they sign
in only by an emailed link into the portal-only session, with no second factor.

Forms are the allauth forms with GOV.UK labels and error messages; their markup is in
templates/account/ and templates/mfa/.
"""

import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account import forms as account_forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from minipolice.accounts.middleware import (
    SIGNED_IN_AT,
    SIGNED_IN_THROUGH_FORM,
    start_session_clock,
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The same answer whether or not the account exists.
        "email_password_mismatch": _(
            "Enter a correct email address and password"
        ),  # an error message, not a password # nosec B105
        "incorrect_password": _("Enter your correct password"),  # an error message, not a password # nosec B105
        "too_many_login_attempts": _("You have tried to sign in too many times. Try again later"),
        "rate_limited": _("You have sent too many requests. Wait a minute and try again"),
    }

    def is_open_for_signup(self, request):
        # Accounts are created by coordinators, never by self-registration.
        return False

    def pre_login(self, request, user, **kwargs):
        # Every allauth sign-in passes here (the portal's link sign-in does not use allauth).
        if user.is_guardian_only():
            raise PermissionDenied("Parents sign in with a link from the parent portal.")
        return super().pre_login(request, user, **kwargs)

    def set_password(self, user, password: str, *args, **kwargs):
        # The last guard of every allauth path that sets a password (reset, set, change).
        if user.is_guardian_only():
            raise PermissionDenied("A parent's account has no password.")
        return super().set_password(user, password, *args, **kwargs)

    def login(self, request, user):
        super().login(request, user)
        start_session_clock(request)

    def is_reauthentication_required(self, *, app, **kwargs):
        """allauth asks for the password again before any change to the second factor. Staff
        are sent to set up their first authenticator app straight after signing in, so in
        those first minutes, while every factor they have was added since signing in, the
        sign-in itself counts."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        if app != "allauth.mfa":
            return True
        return not _setting_up_just_after_sign_in(context.request)


def _setting_up_just_after_sign_in(request) -> bool:
    from allauth.mfa.models import Authenticator

    if request is None or not request.user.is_authenticated:
        return False
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if signed_in_at is None or not request.session.get(SIGNED_IN_THROUGH_FORM):
        return False
    if time.time() - signed_in_at >= account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    signed_in = datetime.fromtimestamp(signed_in_at, tz=UTC)
    return not Authenticator.objects.filter(user=request.user, created_at__lt=signed_in).exists()


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _(
            "The code is not correct. Codes change every 30 seconds: enter the code your app shows now"
        ),
    }


class GovukFieldsMixin:
    """GOV.UK labels and error messages; no placeholders (the label and hint say it all)."""

    govuk_fields: dict[str, dict] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, spec in self.govuk_fields.items():
            field = self.fields[name]
            field.label = spec["label"]
            if "hint" in spec:
                field.help_text = spec["hint"]
            field.error_messages.update(spec.get("errors", {}))
            field.widget.attrs.pop("placeholder", None)
            field.widget.attrs.update(spec.get("attrs", {}))


EMAIL = {
    "label": _("Email address"),
    "errors": {
        "required": _("Enter your email address"),
        "invalid": _("Enter an email address in the correct format, like name@example.org"),
    },
    "attrs": {"spellcheck": "false", "autocomplete": "username"},
}
PASSWORD = {"label": _("Password"), "hint": "", "errors": {"required": _("Enter your password")}}
NEW_PASSWORD = {"label": _("New password"), "errors": {"required": _("Enter a new password")}}
NEW_PASSWORD_AGAIN = {
    "label": _("Confirm new password"),
    "errors": {"required": _("Enter the new password again")},
}
CODE_ATTRS = {
    "inputmode": "numeric",
    "autocomplete": "one-time-code",
    "spellcheck": "false",
    "class": "govuk-input--width-10",
}
SIGN_IN_CODE = {
    "label": _("Code"),
    "hint": _("The 6-digit code from your authenticator app, or one of your recovery codes"),
    "errors": {"required": _("Enter the code from your authenticator app")},
    "attrs": CODE_ATTRS,
}


class LoginForm(GovukFieldsMixin, account_forms.LoginForm):
    govuk_fields = {"login": EMAIL, "password": PASSWORD}

    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "user", None)
        if user is not None and user.is_guardian_only():
            # The same words as a wrong password: the form does not say the account exists.
            self.user = None
            raise self._adapter().validation_error("email_password_mismatch")
        return cleaned

    def _adapter(self):
        from allauth.account.adapter import get_adapter

        return get_adapter(self.request)


class ReauthenticateForm(GovukFieldsMixin, account_forms.ReauthenticateForm):
    govuk_fields = {"password": PASSWORD}


class ChangePasswordForm(GovukFieldsMixin, account_forms.ChangePasswordForm):
    govuk_fields = {
        "oldpassword": {
            "label": _("Current password"),
            "hint": "",
            "errors": {"required": _("Enter your current password")},
        },
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD_AGAIN,
    }


class SetPasswordForm(GovukFieldsMixin, account_forms.SetPasswordForm):
    govuk_fields = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN}

    def clean(self):
        cleaned = super().clean()
        if self.user.is_guardian_only():
            raise forms.ValidationError(
                _("Parents and carers sign in with a link from the parent portal, not a password.")
            )
        return cleaned


class ResetPasswordForm(GovukFieldsMixin, account_forms.ResetPasswordForm):
    govuk_fields = {"email": {**EMAIL, "attrs": {"spellcheck": "false"}}}

    def clean_email(self):
        email = super().clean_email()
        # A parent's account is treated as an unknown address: the same page, the same email.
        self.users = [user for user in self.users if not user.is_guardian_only()]
        return email


class ResetPasswordKeyForm(GovukFieldsMixin, account_forms.ResetPasswordKeyForm):
    govuk_fields = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN}

    def clean(self):
        cleaned = super().clean()
        if self.user is not None and self.user.is_guardian_only():
            raise forms.ValidationError(
                _(
                    "This link does not work. Parents and carers sign in with a link from the "
                    "parent portal."
                )
            )
        return cleaned


class AuthenticateForm(GovukFieldsMixin, mfa_forms.AuthenticateForm):
    govuk_fields = {"code": SIGN_IN_CODE}


class MFAReauthenticateForm(GovukFieldsMixin, mfa_forms.ReauthenticateForm):
    govuk_fields = {"code": SIGN_IN_CODE}


class ActivateTOTPForm(GovukFieldsMixin, totp_forms.ActivateTOTPForm):
    govuk_fields = {
        "code": {
            "label": _("Code from your authenticator app"),
            "hint": _("The code is 6 digits, like 123456"),
            "errors": {"required": _("Enter the 6-digit code your authenticator app shows now")},
            "attrs": CODE_ATTRS,
        }
    }
