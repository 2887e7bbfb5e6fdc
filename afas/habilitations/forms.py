"""« Habiliter un utilisateur » (slides N°14-18). Works without JavaScript: the « Afficher… » and
« Sélectionner tous… » buttons re-render the same form with what was chosen."""

from django import forms
from django.db.models import Prefetch
from django.utils import timezone

from accounts.fields import UserChoiceField
from conventions.models import Organisme
from conventions.rights import administered_partners
from core.choices import OfferedChoiceField, OfferedModelChoiceField, OfferedModelMultipleChoiceField
from core.dates import validate_plausible_date
from core.fragments import REFERENCE_SCOPE, cached_fragment, partner_scope

from ..models import Activite, ActivityNature, ActivityType, Lieu, Role
from . import scope_list
from .services import debut_refusal, declarants, foreign_scopes_refusal, lieu_refusal
from .widgets import QuickSelect, optional_choice

ACTIVITES = "activites"
LIEUX = "lieux"
MULTIPLE = ("activites", "lieux")


class GrantForm(forms.Form):
    organisme = OfferedModelChoiceField(
        widget=QuickSelect, label="Pour le partenaire ...", queryset=None, empty_label="Choisir un partenaire"
    )
    utilisateur = UserChoiceField(
        widget=QuickSelect,
        label="Pour l'utilisateur ...",
        queryset=None,
        empty_label="Choisir un utilisateur",
        error_messages={
            "invalid_choice": "Seuls les utilisateurs du groupe AFAS-DECLARER de ce partenaire peuvent être "
            "habilités : rattachez d'abord l'utilisateur au groupe « AFAS-DEC - AFAS Déclarer »."
        },
    )
    role = OfferedChoiceField(label="Au rôle de ...", choices=[("", "Choisir un rôle"), *Role.choices])
    debut = forms.DateField(
        label="À partir du ...",
        initial=timezone.localdate,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        validators=[validate_plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    filtre_activite = optional_choice("Activité", None, "Toutes")
    filtre_type = optional_choice("Type d'activité", ActivityType.objects.all(), "Tous")
    filtre_nature = optional_choice("Nature d'activité", ActivityNature.objects.all(), "Toutes")
    portee = OfferedChoiceField(
        label="Je souhaite créer des habilitations sur ...",
        choices=[(ACTIVITES, "des activités"), (LIEUX, "des lieux d'implantation")],
        widget=forms.RadioSelect,
        initial=ACTIVITES,
    )
    activites = OfferedModelMultipleChoiceField(queryset=None, required=False)
    lieux = OfferedModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, admin, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The administered partners are the rights' (cached under rights_version and the day).
        partners = administered_partners(admin)
        organismes = Organisme.objects.filter(pk__in=partners)
        activites = Activite.objects.filter(organisme__in=partners)
        self.fields["organisme"].queryset = organismes
        self.fields["filtre_activite"].queryset = activites
        self.fields["activites"].queryset = activites
        self.fields["lieux"].queryset = Lieu.objects.filter(activite__in=activites).select_related("activite")
        users = declarants().filter(organisme__in=organismes)
        chosen = self.value("organisme")
        if chosen and str(chosen).isdigit():
            users = users.filter(organisme_id=chosen)
        self.fields["utilisateur"].queryset = users.order_by("nom", "prenom")
        # The long lists' options drawn once for the partners' users, groups and activités
        # (core/fragments.py); the users that can be habilitated change with the day (rule 3).
        scopes = [partner_scope(pk) for pk in partners]
        self.fields["utilisateur"].widget.fragment = (
            "habiliter-utilisateur",
            scopes,
            [partners, timezone.localdate(), chosen if chosen and str(chosen).isdigit() else ""],
        )
        self.fields["filtre_activite"].widget.fragment = ("habiliter-activite", scopes, [partners])
        self._partners, self._scopes = partners, scopes
        if len(partners) == 1 and not chosen:
            self.initial["organisme"] = partners[0]
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select) and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-select"
            elif isinstance(field.widget, forms.DateInput):
                field.widget.attrs["class"] = "form-control"

    def value(self, name):
        """What the page currently holds for a field: posted data, else initial."""
        if self.is_bound:
            return self.data.getlist(name) if name in MULTIPLE else self.data.get(name)
        value = self.initial.get(name, self.fields[name].initial)
        return value() if callable(value) else value

    def _ids(self, name):
        value = self.value(name) or []
        if not isinstance(value, list | tuple):
            value = [value]
        return {int(v) for v in value if str(v).isdigit()}

    @property
    def selected_activite_ids(self):
        return self._ids("activites")

    @property
    def selected_lieu_ids(self):
        return self._ids("lieux")

    @property
    def scope_mode(self):
        return self.value("portee") if self.value("portee") in (ACTIVITES, LIEUX) else ACTIVITES

    def listed_activites(self):
        """Activités matching the filters, plus any already ticked so that no choice is lost."""
        queryset = self.fields["activites"].queryset.select_related("type", "nature")
        filtered = queryset
        for name, lookup in [
            ("organisme", "organisme_id"),
            ("filtre_activite", "pk"),
            ("filtre_type", "type_id"),
            ("filtre_nature", "nature_id"),
        ]:
            value = self.value(name)
            if value and str(value).isdigit():
                filtered = filtered.filter(**{lookup: value})
        kept = self.selected_activite_ids | set(
            Lieu.objects.filter(pk__in=self.selected_lieu_ids).values_list("activite_id", flat=True)
        )
        listed = queryset.filter(pk__in=filtered.values("pk")) | queryset.filter(pk__in=kept)
        # Each activité's lieux by name: the model's ordering would join the activités again to sort.
        lieux = Prefetch("lieux", queryset=Lieu.objects.order_by("nom", "pk"))
        return listed.prefetch_related(lieux).order_by("nom", "pk").distinct()

    def listing_html(self):
        """The activités or lieux listed, their boxes ticked (scope_list.py), kept in the shared cache under
        the partners' data tokens, the reference lists' (types, natures) and all that chooses the list."""
        mode = self.scope_mode
        selected_activites, selected_lieux = self.selected_activite_ids, self.selected_lieu_ids

        def draw():
            listed = self.listed_activites()
            if mode == ACTIVITES:
                return scope_list.activites_html(listed, selected_activites)
            return scope_list.lieux_html(listed, selected_lieux)

        criteria = [
            self.value(name) for name in ("organisme", "filtre_activite", "filtre_type", "filtre_nature")
        ]
        parts = [self._partners, mode, criteria, sorted(selected_activites), sorted(selected_lieux)]
        return cached_fragment("habiliter-portee", [*self._scopes, REFERENCE_SCOPE], parts, draw)

    def clean(self):
        cleaned = super().clean()
        organisme = cleaned.get("organisme")
        user = cleaned.get("utilisateur")
        role = cleaned.get("role")
        debut = cleaned.get("debut")
        if organisme and user and user.organisme_id != organisme.pk:
            self.add_error("utilisateur", f"{user} n'est pas un utilisateur du partenaire {organisme}.")
        if debut and (refusal := debut_refusal(debut)):
            self.add_error("debut", refusal)
        if cleaned.get("portee") == LIEUX:
            cleaned["activites"] = []
            if role and (refusal := lieu_refusal(role)):
                self.add_error("portee", refusal)
            elif not cleaned.get("lieux"):
                self.add_error("lieux", "La sélection d'au moins un lieu d'implantation est obligatoire.")
        elif cleaned.get("portee") == ACTIVITES:
            cleaned["lieux"] = []
            if not cleaned.get("activites"):
                self.add_error("activites", "La sélection d'au moins une activité est obligatoire.")
        if organisme and (
            refusal := foreign_scopes_refusal(
                organisme, cleaned.get("activites") or [], cleaned.get("lieux") or []
            )
        ):
            self.add_error(None, refusal)
        return cleaned
