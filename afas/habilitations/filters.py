"""« Habilitations d'action sociale »: the search form and its results grouped by activité and lieu."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse

from accounts.fields import LABEL_FIELDS, UserChoiceField
from accounts.models import User
from conventions.models import HabilitationGroup, Membership, Organisme
from conventions.rights import administered_partners
from core.fragments import partner_scope

from ..models import ROLES_ON_A_LIEU, Activite, ActivityNature, ActivityType, Etat, Habilitation, Lieu, Role
from .results import draw_rows
from .widgets import optional_choice

# The deck's order of the rôles in the table of an activité.
ACTIVITE_ROLES = [Role.APPROBATEUR, Role.FR_DA, Role.FR_DF]
# Results are paged by activité (each with its lieux): the very large partner has 200 activités.
ACTIVITES_PER_PAGE = 20


class HabilitationSearchForm(forms.Form):
    partenaire = optional_choice("Partenaire", Organisme.objects.none(), "Tous")
    utilisateur = optional_choice("Utilisateur", User.objects.none(), "Tous", field_class=UserChoiceField)
    role = forms.ChoiceField(label="Rôle", choices=[("", "Tous"), *Role.choices], required=False)
    activite = optional_choice("Activité", Activite.objects.none(), "Toutes")
    type = optional_choice("Type d'activité", ActivityType.objects.all(), "Tous")
    nature = optional_choice("Nature d'activité", ActivityNature.objects.all(), "Toutes")
    etat = forms.ChoiceField(
        label="État de l'habilitation",
        choices=Etat.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez l'état de l'habilitation : Actif, Historique, Inactif ou Non attribué."
        },
    )
    lieux = forms.ChoiceField(
        label="Lieux d'implantation",
        choices=[("oui", "Oui"), ("non", "Non")],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, admin, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The administered partners are the rights' (cached under rights_version and the day).
        partners = administered_partners(admin)
        self.fields["partenaire"].queryset = Organisme.objects.filter(pk__in=partners)
        # Only what the lists show: the large partner has 1,000 users and 200 activités.
        self.fields["utilisateur"].queryset = User.objects.filter(organisme__in=partners).only(*LABEL_FIELDS)
        self.fields["activite"].queryset = Activite.objects.filter(organisme__in=partners).only("nom")
        # Their options drawn once for the partners' users and activités (core/fragments.py).
        scopes = [partner_scope(pk) for pk in partners]
        for name in ("utilisateur", "activite"):
            self.fields[name].widget.fragment = (f"habilitations-search-{name}", scopes, partners)
        for name, field in self.fields.items():
            if not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-select"
            field.widget.attrs.setdefault("id", f"id_recherche_{name}")


@dataclass
class Row:
    role_label: str
    habilitation: Habilitation | None = None
    grant_url: str = ""


@dataclass
class Group:
    kind: str  # "activite" or "lieu"
    title: str
    rows: list
    rows_html: str = ""  # the rows drawn (results.py)


def _grant_url(grant_page, role, activite=None, lieu=None):
    params = {"role": role, "organisme": activite.organisme_id}
    if lieu is not None:
        params.update(portee="lieux", lieux=lieu.pk)
    else:
        params.update(portee="activites", activites=activite.pk)
    return f"{grant_page}?{urlencode(params)}"


def _habilitations(etat, data):
    queryset = Habilitation.objects.select_related("user").order_by(
        "role", "user__nom", "user__prenom", "debut"
    )
    # « Non attribué » looks for the rôles nobody holds: among the habilitations in force.
    queryset = queryset.in_etat(Etat.ACTIF if etat == Etat.NON_ATTRIBUE else etat)
    if etat == Etat.HISTORIQUE:
        queryset = queryset.order_by("role", "-fin", "user__nom")
    elif etat == Etat.INACTIF:
        # What inactivity_reasons() reads, in one more query whatever the number of rows.
        declarer = Membership.objects.filter(group__code=HabilitationGroup.DECLARER)
        queryset = queryset.prefetch_related(
            Prefetch("user__memberships", queryset=declarer, to_attr="declarer_memberships")
        )
    if data.get("role"):
        queryset = queryset.filter(role=data["role"])
    if data.get("utilisateur") and etat != Etat.NON_ATTRIBUE:
        queryset = queryset.filter(user=data["utilisateur"])
    return queryset


def _wanted(roles, data):
    return [r for r in roles if not data.get("role") or r == data["role"]]


def _with_results(activites, etat, data, with_activites, with_lieux):
    """Only the activités that yield at least one group, so that no page of results comes out empty."""
    found = _habilitations(etat, data).order_by()
    if etat != Etat.NON_ATTRIBUE:
        found = found.filter(activite=OuterRef("pk"))
        if not with_lieux:
            found = found.filter(lieu__isnull=True)
        if not with_activites:
            found = found.filter(lieu__isnull=False)
        return activites.filter(Exists(found))
    # « Non attribué »: a rôle of the activité, or the FR-DA of one of its lieux, is held by nobody.
    missing = Q(pk__in=[])
    if with_activites:
        for role in _wanted(ACTIVITE_ROLES, data):
            missing |= ~Exists(found.filter(activite=OuterRef("pk"), lieu__isnull=True, role=role))
    if with_lieux:
        for role in _wanted(ROLES_ON_A_LIEU, data):
            held = found.filter(lieu=OuterRef("pk"), role=role)
            # Decision 12: a Fr DA « global du service » (on the activité) covers all its lieux.
            global_held = found.filter(activite=OuterRef("pk"), lieu__isnull=True, role=role)
            lacking = Lieu.objects.filter(activite=OuterRef("pk")).filter(~Exists(held))
            missing |= Exists(lacking) & ~Exists(global_held)
    return activites.filter(missing)


# What a row of Actif or Historique shows of its habilitation: a tenth of the columns of the habilitation
# and its user (issue 12). Inactif reads more (inactivity_reasons): whole rows.
SHOWN = ("role", "activite", "lieu", "debut", "fin", "caf_decision", "user", "user__nom", "user__prenom")


def _page_habilitations(etat, data, activite_ids):
    """The habilitations of a page of activités, by activité id, in the order of the results (one query).
    « Non attribué » only needs which rôles are held where: no model instances."""
    found = _habilitations(etat, data).filter(activite__in=activite_ids)
    if etat == Etat.NON_ATTRIBUE:
        found = found.order_by().values_list("activite_id", "lieu_id", "role", named=True)
    elif etat != Etat.INACTIF:
        found = found.only(*SHOWN)
    by_activite = {}
    for habilitation in found:
        by_activite.setdefault(habilitation.activite_id, []).append(habilitation)
    return by_activite


def search_results(admin, data, page_number=None):
    """A page of activités and the groups « ● Activité : … » and « ● Lieu d'implantation : … » they yield,
    in a constant number of queries."""
    etat = data["etat"]
    activites = (
        Activite.objects.filter(organisme__in=administered_partners(admin))
        .select_related("type", "nature")
        .order_by("nom", "pk")
    )
    for field, lookup in [
        ("partenaire", "organisme"),
        ("activite", "pk"),
        ("type", "type"),
        ("nature", "nature"),
    ]:
        if data.get(field):
            activites = activites.filter(**{lookup: data[field].pk})
    with_activites = data.get("lieux") != "oui"
    with_lieux = data.get("lieux") != "non"
    # The ids in order first: the long filter (« Non attribué »: an EXISTS per rôle) is compiled and run
    # once, not once for the paginator's count and again for the page.
    found = list(
        _with_results(activites, etat, data, with_activites, with_lieux).values_list("pk", flat=True)
    )
    page = Paginator(found, ACTIVITES_PER_PAGE).get_page(page_number)
    page_activites = (
        Activite.objects.filter(pk__in=page.object_list)
        .select_related("type", "nature")
        .order_by("nom", "pk")
        .prefetch_related(Prefetch("lieux", queryset=Lieu.objects.order_by("nom", "pk")))
    )
    found = _page_habilitations(etat, data, page.object_list)
    groups = []
    grant_page = reverse("afas:habilitation_grant")  # once, not once per « Habiliter » button
    for activite in page_activites:
        activite.found = found.get(activite.pk, [])
        if with_activites:
            rows = _rows(etat, data, activite, None, ACTIVITE_ROLES, grant_page)
            if rows:
                groups.append(Group("activite", activite.nom, rows))
        if with_lieux:
            for lieu in activite.lieux.all():
                rows = _rows(etat, data, activite, lieu, ROLES_ON_A_LIEU, grant_page)
                if rows:
                    groups.append(Group("lieu", f"{lieu.nom} ({activite.nom})", rows))
    return page, draw_rows(groups, etat)


def _rows(etat, data, activite, lieu, roles, grant_page):
    lieu_id = lieu.pk if lieu else None
    found = [h for h in activite.found if h.lieu_id == lieu_id]
    if etat != Etat.NON_ATTRIBUE:
        for habilitation in found:
            habilitation.activite = activite
            habilitation.lieu = lieu
        return [Row(h.get_role_display(), habilitation=h) for h in found]
    held = {h.role for h in found}
    if lieu is not None:  # decision 12: the activité's own Fr DA covers its lieux
        held |= {h.role for h in activite.found if h.lieu_id is None and h.role in ROLES_ON_A_LIEU}
    return [
        Row(r.label, grant_url=_grant_url(grant_page, r, activite, lieu))
        for r in _wanted(roles, data)
        if r not in held
    ]
