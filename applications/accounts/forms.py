"""The login form (an e-mail address and a password), the form of the second step (a code), and
the beheer site's forms to add and change a user, and "wachtwoord vergeten"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    UserChangeForm,
    UserCreationForm,
)
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from applications.accounts.emails import controleer_email, normaliseer_email
from applications.accounts.models import User
from applications.accounts.tweestaps import vereist_tweestaps
from applications.core import taken

WACHTWOORD_RESET_MAILEN = "applications.accounts.services.wachtwoord_reset_mailen"


class EmailAuthenticationForm(AuthenticationForm):
    """Login by e-mail address. One message for every failure, revealing no account."""

    # Text, not an EmailField: the address is normalised before anything else looks at it, so
    # that every spelling of one mailbox is one account, for the login and for its lockout.
    username = forms.CharField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar, of het account is niet actief. "
            "Controleer uw gegevens en probeer opnieuw."
        ),
        "inactive": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar, of het account is niet actief. "
            "Controleer uw gegevens en probeer opnieuw."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Wachtwoord")

    def clean_username(self) -> str:
        return normaliseer_email(str(self.cleaned_data["username"]))

    def confirm_login_allowed(self, user: User) -> None:
        """With REGIEROL_WACHTWOORD_VOOR_REGISSEURS off, only people who log in in two steps
        (WSE staff, beheerders) may use a password; the rest log in through ACM/IDM. Said only
        after a right password, so it reveals nothing to someone without one."""
        super().confirm_login_allowed(user)
        if not settings.REGIEROL_WACHTWOORD_VOOR_REGISSEURS and not vereist_tweestaps(user):
            raise forms.ValidationError(
                _(
                    "Regisseurs melden zich aan met ACM/IDM, niet met een wachtwoord. Gebruik de "
                    "knop “Aanmelden met ACM/IDM”."
                ),
                code="wachtwoord_uit",
            )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy(
            "De zes cijfers die uw authenticator-app nu toont, of een van uw reservecodes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())


class BeheerUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        return controleer_email(str(self.cleaned_data["email"]))


class BeheerUserChangeForm(UserChangeForm):
    """A user's page in /beheer/. The e-mail address may stay empty (people who log in through
    ACM/IDM may have none); a beheerder links an existing account to an ACM/IDM subject here."""

    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        adres = self.cleaned_data.get("email")
        return controleer_email(str(adres)) if adres else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("oidc_sub") and not cleaned.get("oidc_issuer"):
            cleaned["oidc_issuer"] = settings.OIDC_ISSUER
            if not settings.OIDC_ISSUER:
                self.add_error(
                    "oidc_issuer",
                    _("Geef de uitgever waarvan dit subject komt (OIDC_ISSUER is niet ingesteld)."),
                )
        return cleaned


class WachtwoordResetForm(PasswordResetForm):
    """ "Wachtwoord vergeten": the page only queues the address for the worker, whether or not an
    account has it. The request does the same work either way (one row in the queue), so neither
    its answer nor its timing tells an attacker which addresses have an account; the worker
    looks the address up and mails the link (`services.wachtwoord_reset_mailen`)."""

    def clean_email(self) -> str:
        return normaliseer_email(str(self.cleaned_data["email"]))

    def save(self, *args: Any, **kwargs: Any) -> None:
        taken.later(WACHTWOORD_RESET_MAILEN, self.cleaned_data["email"])
