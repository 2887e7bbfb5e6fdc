from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

from core.dates import fr

from .backends import account_opens_on
from .services import email_taken
from .validators import INVALID_EMAIL

LOGIN_FAILED = (
    "Identifiant ou mot de passe incorrect. Après 10 échecs consécutifs, le compte est bloqué ; "
    "contactez alors votre Caf."
)
# Shown for any identifiant with 10 failures, existing or not: it reveals nothing about the accounts.
LOCKED_OUT = (
    "Cet identifiant est bloqué après 10 échecs de connexion consécutifs. "
    "Contactez votre Caf pour faire lever le blocage."
)
NEW_PASSWORDS_DIFFER = "Les deux nouveaux mots de passe ne sont pas identiques."
EMAILS_DIFFER = "Les deux adresses mail ne sont pas identiques."


def not_yet_open_error(opens_on):
    """Only ever shown after the right password: it tells nothing to someone guessing identifiants."""
    return forms.ValidationError(
        "Votre compte sera ouvert le %(date)s : vous pourrez vous connecter à partir de cette date.",
        code="not_yet_open",
        params={"date": fr(opens_on)},
    )


def failed_sign_in_error(request):
    opens_on = account_opens_on(request)
    if opens_on is not None:
        return not_yet_open_error(opens_on)
    return forms.ValidationError(LOGIN_FAILED, code="invalid_login")


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="Identifiant", max_length=150)
    password = forms.CharField(label="Mot de passe", strip=False, widget=forms.PasswordInput)

    error_messages = {"invalid_login": LOGIN_FAILED, "inactive": LOGIN_FAILED}

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")

    def get_invalid_login_error(self):
        return failed_sign_in_error(self.request)


class PortalSetPasswordForm(SetPasswordForm):
    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = ""  # the page shows the policy beside the form
        self.fields["new_password2"].label = "Confirmer le nouveau mot de passe"
        self.error_messages = {**self.error_messages, "password_mismatch": NEW_PASSWORDS_DIFFER}


class PasswordUpdateForm(forms.Form):
    """« Mettre à jour votre mot de passe », from the sign-in page: works without being signed in, so the
    identifiant and the current password are checked through authenticate() — django-axes counts failures."""

    identifiant = forms.CharField(label="Identifiant", max_length=150)
    old_password = forms.CharField(label="Mot de passe actuel", strip=False, widget=forms.PasswordInput)
    new_password1 = forms.CharField(label="Nouveau mot de passe", strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(
        label="Confirmer le nouveau mot de passe", strip=False, widget=forms.PasswordInput
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)
        self.fields["identifiant"].widget.attrs.update(autocomplete="username")
        self.fields["old_password"].widget.attrs.update(autocomplete="current-password")
        self.fields["new_password1"].widget.attrs.update(autocomplete="new-password")
        self.fields["new_password2"].widget.attrs.update(autocomplete="new-password")

    def clean(self):
        cleaned = super().clean()
        identifiant, old_password = cleaned.get("identifiant"), cleaned.get("old_password")
        if identifiant and old_password:
            self.user = authenticate(self.request, username=identifiant, password=old_password)
            if self.user is None:
                raise failed_sign_in_error(self.request)
        new1, new2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", NEW_PASSWORDS_DIFFER)
        elif new1 and self.user is not None:
            if new1 == old_password:
                self.add_error("new_password1", "Le nouveau mot de passe doit être différent de l'actuel.")
            else:
                try:
                    password_validation.validate_password(new1, self.user)
                except forms.ValidationError as error:
                    self.add_error("new_password1", error)
        return cleaned


class PasswordForgottenForm(forms.Form):
    identifiant = forms.CharField(label="Identifiant", max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identifiant"].widget.attrs.update(autocomplete="username")


class EmailChangeForm(forms.Form):
    """« Modifier mon adresse mail »: the new address twice and the current password."""

    email1 = forms.EmailField(
        label="Nouvelle adresse mail", max_length=254, error_messages={"invalid": INVALID_EMAIL}
    )
    email2 = forms.EmailField(
        label="Confirmer la nouvelle adresse mail", max_length=254, error_messages={"invalid": INVALID_EMAIL}
    )
    password = forms.CharField(label="Mot de passe actuel", strip=False, widget=forms.PasswordInput)

    def __init__(self, user, *args, request=None, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)
        self.fields["email1"].widget.attrs.update(autocomplete="email")
        self.fields["email2"].widget.attrs.update(autocomplete="email")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")

    def clean_password(self):
        """Checked through authenticate(), so that django-axes counts the failures here as on the sign-in
        page: a session left open must not become a way to guess the password without lockout."""
        password = self.cleaned_data["password"]
        if authenticate(self.request, username=self.user.identifiant, password=password) is None:
            raise forms.ValidationError("Mot de passe incorrect.", code="invalid_password")
        return password

    def clean(self):
        cleaned = super().clean()
        email1, email2 = cleaned.get("email1"), cleaned.get("email2")
        if email1 and email2:
            if email1.lower() != email2.lower():
                self.add_error("email2", EMAILS_DIFFER)
            elif email1.lower() == self.user.email.lower():
                self.add_error("email1", "C'est déjà votre adresse mail.")
            elif self.user.organisme_id and email_taken(self.user.organisme_id, email1, exclude=self.user):
                self.add_error(
                    "email1", "Cette adresse mail est déjà celle d'un utilisateur ouvert de votre organisme."
                )
        return cleaned

    @property
    def new_email(self):
        return self.cleaned_data["email1"]
