from django import forms
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.formats import time_format

from core.dates import fr

from .passkeys import NAME_MAX_LENGTH, verify_passkey
from .services import verify_code

WRONG_CODE = "Code incorrect. Vérifiez l'heure de votre téléphone et saisissez le code affiché maintenant."
PASSKEY_REFUSED = "Votre clé d'accès n'a pas été reconnue : réessayez, ou saisissez un code."
NO_CODE = "Saisissez le code de l'application ou un code de secours, ou utilisez votre clé d'accès."


def locked_error(until):
    return forms.ValidationError(
        "Trop de codes erronés : le second facteur est bloqué jusqu'au %(date)s à %(time)s. Réessayez "
        "ensuite, ou contactez votre Caf.",
        code="locked",
        params={
            "date": fr(timezone.localdate(until)),
            "time": time_format(timezone.localtime(until), "H\\hi"),
        },
    )


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Code à 6 chiffres de l'application, ou code de secours")
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "autocomplete": "one-time-code",
            "inputmode": "text",
            "spellcheck": "false",
        }


def credential_field():
    """The browser's answer to a passkey's challenge, put here by static/js/passkeys.js."""
    return forms.CharField(required=False, widget=forms.HiddenInput, max_length=20_000)


class SecondFactorCheck:
    """The second factor of a form: the typed code, or the passkey's answer when the browser gave one;
    either is checked under the step's lockout (self.device: what accepted it)."""

    device = None
    locked_until = None

    def check_second_factor(self):
        code, credential = self.cleaned_data.get("code"), self.cleaned_data.get("credential")
        if not code and not credential:
            if "code" not in self.errors:
                self.add_error("code", forms.ValidationError(NO_CODE, code="required"))
            return
        if credential:
            self.device, self.locked_until = verify_passkey(self.request, self.user, credential)
            refused = PASSKEY_REFUSED
        else:
            self.device, self.locked_until = verify_code(self.request, self.user, code)
            refused = WRONG_CODE
        if self.locked_until is not None:
            self.add_error("code", locked_error(self.locked_until))
        elif self.device is None:
            self.add_error("code", forms.ValidationError(refused, code="wrong_code"))


class SecondStepForm(SecondFactorCheck, forms.Form):
    """The code after the password, or the passkey's answer, checked with the step's lockout."""

    code = CodeField(required=False)
    credential = credential_field()

    def __init__(self, request, user, *args, **kwargs):
        self.request, self.user = request, user
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["autofocus"] = True

    def clean(self):
        cleaned_data = super().clean()
        self.check_second_factor()
        return cleaned_data


class EnrolForm(forms.Form):
    code = forms.CharField(label="Code à 6 chiffres affiché par l'application", max_length=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code", inputmode="numeric")


class PasskeyNameForm(forms.Form):
    name = forms.CharField(label="Nom de la clé (facultatif)", max_length=NAME_MAX_LENGTH, required=False)
    credential = credential_field()


class PasskeyRenameForm(forms.Form):
    name = forms.CharField(label="Nouveau nom", max_length=NAME_MAX_LENGTH)


class ReauthForm(SecondFactorCheck, forms.Form):
    """« Confirmez votre identité »: the password, and the code or a passkey when the user has a second
    factor."""

    password = forms.CharField(label="Mot de passe", strip=False, widget=forms.PasswordInput)

    def __init__(self, request, with_code, *args, **kwargs):
        self.request, self.user = request, request.user
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs.update(autocomplete="current-password", autofocus=True)
        if with_code:
            self.fields["code"] = CodeField(required=False)
            self.fields["credential"] = credential_field()

    def clean_password(self):
        # authenticate(): django-axes counts a wrong password here as on the sign-in page.
        password = self.cleaned_data["password"]
        if authenticate(self.request, username=self.user.identifiant, password=password) is None:
            raise forms.ValidationError("Mot de passe incorrect.", code="invalid_password")
        return password

    def clean(self):
        cleaned_data = super().clean()
        # The code is tried only after the right password (a wrong one must not spend a recovery code).
        if "code" in self.fields and "password" not in self.errors:
            self.check_second_factor()
        return cleaned_data
