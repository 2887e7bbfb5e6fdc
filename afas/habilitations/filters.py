"""« Habilitations d'action sociale »: the search form and its results grouped by activité and lieu."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch
from django.urls import reverse
from django.utils.functional import cached_property

from accounts.fields import LABEL_FIELDS, UserChoiceField
from accounts.models import User, user_label
from conventions.models import HabilitationGroup, Membership, Organisme
from conventions.rights import administered_partners
from core.fragments import REFERENCE_SCOPE, cached_fragment, partner_scope

from ..models import ROLES_ON_A_LIEU, Activite, ActivityNature, ActivityType, Etat, Habilitation, Lieu, Role
from .results import draw_rows
from .widgets import optional_choice, radios_html

# The deck's order of the rôles in the table of an activité.
ACTIVITE_ROLES = [Role.APPROBATEUR, Role.FR_DA, Role.FR_DF]
ROLE_LABELS = dict(Role.choices)
# The search's select lists.
LISTS = ("partenaire", "utilisateur", "activite", "type", "nature")
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
        # Every list's options drawn once and kept together (core/fragments.py: one look-up for the five):
        # under the partners' data tokens (users, activités), the reference lists' token (types, natures)
        # and the administrator's rights_version (bumped when one of their partners is saved: its name).
        lists = [self.fields[name].widget for name in LISTS]
        drawn = cached_fragment(
            "habilitations-search-lists",
            [*(partner_scope(pk) for pk in partners), REFERENCE_SCOPE],
            [partners, admin.pk, admin.rights_version],
            lambda: [widget.unselected_options() for widget in lists],
        )
        for widget, options in zip(lists, drawn, strict=True):
            widget.options = options
        for name, field in self.fields.items():
            if not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-select"
            field.widget.attrs.setdefault("id", f"id_recherche_{name}")

    @cached_property
    def radios(self):
        """The radio groups (état, lieux) as crispy draws them, drawn in Python (widgets.radios_html)."""
        return {name: radios_html(self[name]) for name in ("etat", "lieux")}


@dataclass
class Row:
    role_label: str
    habilitation: object = None  # a Habilitation (Inactif) or a Held (Actif, Historique)
    grant_url: str = ""


@dataclass
class Group:
    kind: str  # "activite" or "lieu"
    title: str
    rows: list
    rows_html: str = ""  # the rows drawn (results.py)


@dataclass(slots=True)
class Held:
    """What a row of Actif or Historique shows of its habilitation, read as a tuple (no model instances:
    the large partner's page holds some 230 rows and their users)."""

    pk: int
    role: str
    activite_id: int
    lieu_id: int | None
    debut: object
    fin: object
    caf_decision: str
    user: str  # the user's label, as str(user)
    lieu_nom: str | None

    @property
    def is_pending(self):
        return self.caf_decision == Habilitation.CafDecision.PENDING

    @property
    def is_refused(self):
        return self.caf_decision == Habilitation.CafDecision.REFUSED

    def get_role_display(self):
        return ROLE_LABELS[self.role]


HELD_COLUMNS = (
    "pk",
    "role",
    "activite_id",
    "lieu_id",
    "debut",
    "fin",
    "caf_decision",
    "user__nom",
    "user__prenom",
)


def _grant_url(grant_page, role, activite=None, lieu=None):
    params = {"role": role, "organisme": activite.organisme_id}
    if lieu is not None:
        params.update(portee="lieux", lieux=lieu.pk)
    else:
        params.update(portee="activites", activites=activite.pk)
    return f"{grant_page}?{urlencode(params)}"


def _habilitations(etat, data):
    queryset = Habilitation.objects.order_by("role", "user__nom", "user__prenom", "debut")
    # « Non attribué » looks for the rôles nobody holds: among the habilitations in force.
    queryset = queryset.in_etat(Etat.ACTIF if etat == Etat.NON_ATTRIBUE else etat)
    if etat == Etat.HISTORIQUE:
        queryset = queryset.order_by("role", "-fin", "user__nom")
    elif etat == Etat.INACTIF:
        # What inactivity_reasons() reads, in one more query whatever the number of rows.
        declarer = Membership.objects.filter(group__code=HabilitationGroup.DECLARER)
        queryset = queryset.select_related("user").prefetch_related(
            Prefetch("user__memberships", queryset=declarer, to_attr="declarer_memberships")
        )
    if data.get("role"):
        queryset = queryset.filter(role=data["role"])
    if data.get("utilisateur") and etat != Etat.NON_ATTRIBUE:
        queryset = queryset.filter(user=data["utilisateur"])
    return queryset


def _wanted(roles, data):
    return [r for r in roles if not data.get("role") or r == data["role"]]


def _listed_activites(admin, data):
    """The activités searched: the administered partners', narrowed by the criteria."""
    activites = Activite.objects.filter(organisme__in=administered_partners(admin))
    for field, lookup in [
        ("partenaire", "organisme"),
        ("activite", "pk"),
        ("type", "type"),
        ("nature", "nature"),
    ]:
        if data.get(field):
            activites = activites.filter(**{lookup: data[field].pk})
    return activites


def _named(activites, limit=None):
    """What a group needs of its activités (identifier, name, partner), in the order of the results."""
    return list(activites.order_by("nom", "pk").values_list("pk", "nom", "organisme_id", named=True)[:limit])


def _lieux_by_activite(lieux):
    """Each activité's lieux (identifier, name) by name; without the model's ordering, which joins the
    activités to sort."""
    by_activite = {}
    for lieu in lieux.order_by("nom", "pk").values_list("activite_id", "pk", "nom", named=True):
        by_activite.setdefault(lieu.activite_id, []).append(lieu)
    return by_activite


def _held(etat, data, activites, with_activites, with_lieux, page_number):
    """Actif, Historique, Inactif: a page of the activités that yield at least one group (no page of results
    comes out empty) and those groups. The état's filter (in force: the user's row and an EXISTS on the
    memberships) is built once. Activités that fit in one page (most partners): all their habilitations
    in one query, those without any group left out. More (the large partner's 200): an EXISTS on the
    habilitations finds the activités with results, then the page's habilitations are read."""
    habilitations = _habilitations(etat, data)
    listed = _named(activites, limit=ACTIVITES_PER_PAGE + 1)
    if len(listed) <= ACTIVITES_PER_PAGE:
        groups = _held_groups(etat, habilitations, listed, with_activites, with_lieux)
        page = Paginator([a for a in listed if a.pk in groups], ACTIVITES_PER_PAGE).get_page(page_number)
    else:
        found = habilitations.order_by().filter(activite=OuterRef("pk"))
        if not with_lieux:
            found = found.filter(lieu__isnull=True)
        if not with_activites:
            found = found.filter(lieu__isnull=False)
        found = _named(activites.filter(Exists(found)))
        page = Paginator(found, ACTIVITES_PER_PAGE).get_page(page_number)
        groups = _held_groups(etat, habilitations, page.object_list, with_activites, with_lieux)
    return page, [group for activite in page.object_list for group in groups.get(activite.pk, ())]


def _held_groups(etat, habilitations, activites, with_activites, with_lieux):
    """The groups of each of these activités that has any, by activité id, from their habilitations (one
    query, ordered by lieu name first: the lieux' groups come in the order of their names). Actif and
    Historique's rows read as tuples of the columns they show, Inactif's as model instances (the reasons
    read the user's row and memberships)."""
    found = habilitations.filter(activite__in=[activite.pk for activite in activites])
    found = found.annotate(lieu_nom=F("lieu__nom")).order_by("lieu__nom", "lieu_id", *found.query.order_by)
    if etat != Etat.INACTIF:
        found = (
            Held(*row[:7], user_label(*row[7:9]), row[9])
            for row in found.values_list(*HELD_COLUMNS, "lieu_nom")
        )
    by_place, lieux = {}, {}
    for habilitation in found:
        place = (habilitation.activite_id, habilitation.lieu_id)
        if place not in by_place:
            by_place[place] = []
            if habilitation.lieu_id is not None:
                lieux.setdefault(habilitation.activite_id, []).append(
                    (habilitation.lieu_id, habilitation.lieu_nom)
                )
        by_place[place].append(habilitation)
    groups = {}
    for activite in activites:
        of_activite = []
        if with_activites and (held := by_place.get((activite.pk, None))):
            of_activite.append(Group("activite", activite.nom, _held_rows(held)))
        for lieu_id, lieu_nom in lieux.get(activite.pk, ()) if with_lieux else ():
            held = by_place[(activite.pk, lieu_id)]
            of_activite.append(Group("lieu", f"{lieu_nom} ({activite.nom})", _held_rows(held)))
        if of_activite:
            groups[activite.pk] = of_activite
    return groups


def _held_rows(found):
    return [Row(h.get_role_display(), habilitation=h) for h in found]


def _unassigned(data, activites, with_activites, with_lieux):
    """« Non attribué »: each activité with the rôles nobody holds on it and on each of its lieux, for the
    activités that lack at least one: their names, their lieux and the rôles held in force read in three
    queries, the rest decided here (the same as an EXISTS per rôle, which PostgreSQL ran and Django built
    and compiled for every activité of the partner: the large partner has 200 activités and 600 lieux)."""
    held = set(
        _habilitations(Etat.NON_ATTRIBUE, data)
        .filter(activite__in=activites)
        .order_by()
        .values_list("activite_id", "lieu_id", "role")
        .distinct()
    )
    lieux = _lieux_by_activite(Lieu.objects.filter(activite__in=activites)) if with_lieux else {}
    activite_roles = _wanted(ACTIVITE_ROLES, data) if with_activites else []
    lieu_roles = _wanted(ROLES_ON_A_LIEU, data) if with_lieux else []
    found = []
    for activite in _named(activites):
        missing = [(None, roles)] if (roles := _missing(held, activite.pk, None, activite_roles)) else []
        # Decision 12: a Fr DA « global du service » (on the activité) covers all its lieux.
        on_lieux = [r for r in lieu_roles if (activite.pk, None, r) not in held]
        for lieu in lieux.get(activite.pk, ()) if on_lieux else ():
            if roles := _missing(held, activite.pk, lieu.pk, on_lieux):
                missing.append((lieu, roles))
        if missing:
            found.append((activite, missing))
    return found


def _missing(held, activite_id, lieu_id, roles):
    return [role for role in roles if (activite_id, lieu_id, role) not in held]


def _unassigned_groups(page_found):
    grant_page = reverse("afas:habilitation_grant")  # once, not once per « Habiliter » button
    groups = []
    for activite, missing in page_found:
        for lieu, roles in missing:
            rows = [Row(r.label, grant_url=_grant_url(grant_page, r, activite, lieu)) for r in roles]
            if lieu is None:
                groups.append(Group("activite", activite.nom, rows))
            else:
                groups.append(Group("lieu", f"{lieu.nom} ({activite.nom})", rows))
    return groups


def search_results(admin, data, page_number=None):
    """A page of activités and the groups « ● Activité : … » and « ● Lieu d'implantation : … » they yield,
    in a constant number of queries."""
    etat = data["etat"]
    activites = _listed_activites(admin, data)
    with_activites = data.get("lieux") != "oui"
    with_lieux = data.get("lieux") != "non"
    if etat == Etat.NON_ATTRIBUE:
        page = Paginator(_unassigned(data, activites, with_activites, with_lieux), ACTIVITES_PER_PAGE)
        page = page.get_page(page_number)
        groups = _unassigned_groups(page.object_list)
    else:
        page, groups = _held(etat, data, activites, with_activites, with_lieux, page_number)
    return page, draw_rows(groups, etat)
