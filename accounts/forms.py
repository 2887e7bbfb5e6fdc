from django import forms
from django.contrib.auth.forms import AuthenticationForm

LOGIN_FAILED = (
    "Identifiant ou mot de passe incorrect. Après 10 échecs consécutifs, le compte est bloqué ; "
    "contactez alors votre Caf."
)


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="Identifiant", max_length=150)
    password = forms.CharField(label="Mot de passe", strip=False, widget=forms.PasswordInput)

    error_messages = {"invalid_login": LOGIN_FAILED, "inactive": LOGIN_FAILED}

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")
