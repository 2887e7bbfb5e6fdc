from django import forms
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.formats import time_format

from core.dates import fr

from .services import verify_code

WRONG_CODE = "Code incorrect. Vérifiez l'heure de votre téléphone et saisissez le code affiché maintenant."


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


class SecondStepForm(forms.Form):
    """The code after the password (or before a sensitive action), checked with the step's lockout."""

    code = CodeField()

    def __init__(self, request, user, *args, **kwargs):
        self.request, self.user, self.device = request, user, None
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["autofocus"] = True

    def clean_code(self):
        self.device, locked_until = verify_code(self.request, self.user, self.cleaned_data["code"])
        if locked_until is not None:
            self.locked_until = locked_until
            raise locked_error(locked_until)
        if self.device is None:
            raise forms.ValidationError(WRONG_CODE, code="wrong_code")
        return self.cleaned_data["code"]


class EnrolForm(forms.Form):
    code = forms.CharField(label="Code à 6 chiffres affiché par l'application", max_length=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code", inputmode="numeric")


class ReauthForm(forms.Form):
    """« Confirmez votre identité »: the password, and the code when the user has a second factor."""

    password = forms.CharField(label="Mot de passe", strip=False, widget=forms.PasswordInput)

    def __init__(self, request, with_code, *args, **kwargs):
        self.request, self.user = request, request.user
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs.update(autocomplete="current-password", autofocus=True)
        if with_code:
            self.fields["code"] = CodeField()

    def clean_password(self):
        # authenticate(): django-axes counts a wrong password here as on the sign-in page.
        password = self.cleaned_data["password"]
        if authenticate(self.request, username=self.user.identifiant, password=password) is None:
            raise forms.ValidationError("Mot de passe incorrect.", code="invalid_password")
        return password

    def clean_code(self):
        device, locked_until = verify_code(self.request, self.user, self.cleaned_data["code"])
        if locked_until is not None:
            raise locked_error(locked_until)
        if device is None:
            raise forms.ValidationError(WRONG_CODE, code="wrong_code")
        return self.cleaned_data["code"]
