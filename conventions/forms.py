from django import forms
from django.utils import timezone
from django.utils.html import escape

from accounts.closing import closing_refusal
from accounts.fields import UserChoiceField
from accounts.models import PARTNER_USER_FIELDS, User
from accounts.services import TakenEmails, email_taken
from accounts.validators import INVALID_EMAIL
from core.choices import OfferedModelChoiceField, OfferedModelMultipleChoiceField
from core.dates import PeriodFormMixin, validate_plausible_date

from .models import HabilitationGroup, Organisme
from .validators import normalize_phone


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as YYYY-MM-DD (accepted by DATE_INPUT_FORMATS)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class GroupChoiceField(OfferedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.libelle


class ReadOnce:
    """What « Créer un utilisateur partenaire » looks up in the database, read once for a whole file of
    users (conventions/imports.py, rule 26): the convention's organisme and the addresses already taken
    there. A PartnerUserForm given it checks a line without a query; the line's group is found by the
    import itself (« Groupe inconnu »)."""

    def __init__(self, convention):
        self.organisme = convention.organisme
        self.taken_emails = TakenEmails(self.organisme)


class PartnerUserForm(PeriodFormMixin, forms.ModelForm):
    """« Créer un utilisateur partenaire » (slide N°7) and « Modifier »: mail and phone typed twice."""

    email_confirmation = forms.EmailField(
        label="Confirmer l'adresse mail", error_messages={"invalid": INVALID_EMAIL}
    )
    telephone_confirmation = forms.CharField(label="Confirmer le téléphone", required=False)
    groups = OfferedModelMultipleChoiceField(
        label="Groupe d'habilitation",
        queryset=HabilitationGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    organisme = OfferedModelChoiceField(label="Organisme partenaire", queryset=Organisme.objects.none())

    class Meta:
        model = User
        fields = PARTNER_USER_FIELDS
        labels = {
            "nom": "Nom",
            "prenom": "Prénom",
            "email": "Adresse mail",
            "telephone": "Téléphone",
            "poste": "Poste de travail",
            "date_ouverture": "Date d'ouverture",
            "date_cloture": "Date de clôture",
        }
        error_messages = {"email": {"invalid": INVALID_EMAIL}}
        widgets = {
            "poste": forms.RadioSelect,
            "date_ouverture": DateInput,
            "date_cloture": DateInput,
        }

    field_order = [
        "nom",
        "prenom",
        "email",
        "email_confirmation",
        "telephone",
        "telephone_confirmation",
        "poste",
        "groups",
        "organisme",
        "date_ouverture",
        "date_cloture",
    ]

    read_once = None  # PartnerUserLineForm: what the checks look up, read once for a file

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        self.fields["date_ouverture"].required = True
        if self.read_once is not None:  # a line of a file of users: its organisme is the convention's
            self.instance.organisme = self.read_once.organisme
            return
        self.fields["organisme"].queryset = Organisme.objects.filter(pk=convention.organisme_id)
        self.fields["organisme"].initial = convention.organisme_id
        self.fields["organisme"].empty_label = None
        self.fields["groups"].label_from_instance = lambda group: group.code
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.current_email = self.instance.email
        if self.instance.pk:
            del self.fields["groups"]
            self.fields["email"].help_text = (
                "Une nouvelle adresse n'est enregistrée qu'une fois confirmée par le lien envoyé à cette "
                "adresse ; l'adresse actuelle en est avertie."
            )
            if pending := self.instance.email_awaiting_confirmation():
                # crispy renders help texts unescaped: the address is escaped here
                self.fields["email"].help_text += f" En attente de confirmation : {escape(pending)}."
            self.initial.setdefault("email_confirmation", self.instance.email)
            self.initial.setdefault("telephone_confirmation", self.instance.telephone)
        else:
            self.initial.setdefault("date_ouverture", timezone.localdate())
            self.initial.setdefault(
                "groups", HabilitationGroup.objects.filter(code=HabilitationGroup.DECLARER)
            )

    def clean_nom(self):
        """Noms in capitals, as in the deck's lists (DUBOIS, LEFEBVRE…)."""
        return self.cleaned_data["nom"].strip().upper()

    def clean_telephone(self):
        phone = self.cleaned_data["telephone"].strip()
        return normalize_phone(phone) if phone else ""

    def clean_telephone_confirmation(self):
        phone = self.cleaned_data["telephone_confirmation"].strip()
        return normalize_phone(phone) if phone else ""

    def clean(self):
        cleaned = super().clean()
        email, confirmation = cleaned.get("email"), cleaned.get("email_confirmation")
        if email and confirmation and email.lower() != confirmation.lower():
            self.add_error("email_confirmation", "Les deux adresses mail saisies ne correspondent pas.")
        if (
            "telephone" in cleaned
            and "telephone_confirmation" in cleaned
            and cleaned["telephone"] != cleaned["telephone_confirmation"]
        ):
            self.add_error(
                "telephone_confirmation", "Les deux numéros de téléphone saisis ne correspondent pas."
            )
        closing = cleaned.get("date_cloture")
        if self.instance.pk and closing and (refusal := closing_refusal(self.instance, by=None, on=closing)):
            self.add_error("date_cloture", refusal)
        if email and self._email_taken(email):
            self.add_error(
                "email", "Cette adresse mail est déjà celle d'un utilisateur ouvert de l'organisme."
            )
        return cleaned

    def _email_taken(self, email):
        if self.read_once is not None:
            return email in self.read_once.taken_emails
        organisme = self.cleaned_data.get("organisme")
        return organisme and email_taken(
            organisme, email, exclude=self.instance if self.instance.pk else None
        )

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk:
            self.instance.email = self.current_email  # applied only once confirmed (decision 15)

    @property
    def email_to_confirm(self):
        """The new address typed in « Modifier », which waits for its confirmation."""
        email = self.cleaned_data["email"]
        if self.instance.pk and email.lower() != self.current_email.lower():
            return email
        return None

    def user_fields(self):
        """The cleaned values that belong to the User model (not a changed address: it waits)."""
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        if self.read_once is not None:
            fields["organisme"] = self.read_once.organisme
        if self.instance.pk:
            del fields["email"]
        return fields


class PartnerUserLineForm(PartnerUserForm):
    """A line of a file of users (rule 26), checked by PartnerUserForm's own fields and rules, without the
    two fields a file does not fill (the organisme is the convention's; the import finds the group) and
    without a query: what the form would look up is given, read once for the whole file."""

    groups = organisme = None

    class Meta(PartnerUserForm.Meta):
        fields = [name for name in PARTNER_USER_FIELDS if name != "organisme"]

    def __init__(self, data, *, convention, read_once):
        self.read_once = read_once
        super().__init__(data, convention=convention)


class AddToGroupForm(PeriodFormMixin, forms.Form):
    """« Ajouter un utilisateur au groupe » (slides N°8-10)."""

    organisme = OfferedModelChoiceField(label="Organisme partenaire", queryset=Organisme.objects.none())
    user = UserChoiceField(label="Utilisateur", queryset=User.objects.none())
    group = GroupChoiceField(
        label="Groupe", queryset=HabilitationGroup.objects.all(), empty_label="(Choisir un groupe existant)"
    )
    date_ouverture = forms.DateField(
        label="Date d'ouverture", widget=DateInput, validators=[validate_plausible_date]
    )
    date_cloture = forms.DateField(
        label="Date de clôture", widget=DateInput, required=False, validators=[validate_plausible_date]
    )

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisme"].queryset = Organisme.objects.filter(pk=convention.organisme_id)
        self.fields["organisme"].initial = convention.organisme_id
        self.fields["organisme"].empty_label = None
        self.fields["user"].queryset = User.objects.open().filter(organisme=convention.organisme_id)
        self.fields["user"].empty_label = "(Choisir un utilisateur)"
        self.initial.setdefault("date_ouverture", timezone.localdate())


class UserImportForm(forms.Form):
    """« Importer des utilisateurs »: the file; its lines are read by conventions.imports."""

    file = forms.FileField(
        label="Fichier des utilisateurs (CSV ou XLSX)",
        help_text=(
            "Colonnes : Nom, Prénom, Mail, Téléphone, Groupe. CSV séparé par « ; » ou « , », en UTF-8 ou "
            "Latin-1 ; 50 Mo au plus."
        ),
        error_messages={"required": "Choisissez le fichier à importer.", "empty": "Le fichier est vide."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
