from django import forms

from core.dates import PeriodFormMixin

from .closing import closing_refusal
from .models import PARTNER_USER_FIELDS, User
from .validators import INVALID_EMAIL


class UserAdminForm(PeriodFormMixin, forms.ModelForm):
    """A user in the back-office. `agent_caf_id` (set by the admin) limits an agent to their Caf's
    organismes; a superuser may also type an identifiant (blank: a 9-digit one is generated)."""

    agent_caf_id = None
    acting_user = None  # who saves the form, set by the admin: closing one's own account is refused

    class Meta:
        model = User
        fields = [
            "identifiant",
            *PARTNER_USER_FIELDS,
            "is_staff",
            "caf",
            "is_superuser",
            "is_active",
        ]
        error_messages = {"email": {"invalid": INVALID_EMAIL}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "identifiant" in self.fields:
            self.fields["identifiant"].required = False
            self.fields["identifiant"].help_text = "Laisser vide : un identifiant à 9 chiffres est généré."
        if "organisme" in self.fields and self.agent_caf_id is not None:
            self.fields["organisme"].queryset = self.fields["organisme"].queryset.filter(
                caf_id=self.agent_caf_id
            )

    def clean(self):
        cleaned = super().clean()
        is_staff = cleaned.get("is_staff", self.instance.is_staff)
        if "organisme" in self.fields and not is_staff and not cleaned.get("organisme"):
            self.add_error("organisme", "Un utilisateur partenaire est rattaché à un organisme partenaire.")
        if "caf" in self.fields and is_staff and not cleaned.get("is_superuser") and not cleaned.get("caf"):
            self.add_error("caf", "Un agent de la Caf est rattaché à sa Caf.")
        closing = cleaned.get("date_cloture")
        typed = self.instance.pk and closing and closing != self.initial.get("date_cloture")
        if typed and (refusal := closing_refusal(self.instance, by=self.acting_user, on=closing)):
            self.add_error("date_cloture", refusal)
        return cleaned
