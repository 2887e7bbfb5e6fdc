"""Who may do what on a declaration, from the habilitations in force only (rule 11).

- Fr DA: the activity data of the lieux they hold; on the activité itself (« Fr DA global du service »),
  all its lieux.
- Fr DF: the financial data of the activité.
- Approbateur (validated by the Caf): reads everything, returns for correction, transmits to the Caf.
Anyone without an habilitation in force on the activité gets a 404.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404

from afas.models import ActivityData, Declaration, Role, State

from .in_force import habilitations_in_force
from .review import with_financial_part


@dataclass
class DeclarationAccess:
    activity_everywhere: bool = False
    activity_lieux: set = field(default_factory=set)
    financial: bool = False
    approbateur: bool = False

    def add(self, role, lieu_id):
        if role == Role.FR_DA:
            if lieu_id:
                self.activity_lieux.add(lieu_id)
            else:
                self.activity_everywhere = True
        elif role == Role.FR_DF:
            self.financial = True
        elif role == Role.APPROBATEUR:
            self.approbateur = True

    @property
    def is_activity_provider(self):
        """Fr DA of the activité or of one of its lieux: may import données d'activité (rule 23)."""
        return self.activity_everywhere or bool(self.activity_lieux)

    @property
    def is_provider(self):
        return self.activity_everywhere or bool(self.activity_lieux) or self.financial

    def may_enter_activity(self, part):
        """A part without lieu covers the whole activité (single lieu): any Fr DA of the activité."""
        if self.activity_everywhere:
            return True
        if part.lieu_id is None:
            return bool(self.activity_lieux)
        return part.lieu_id in self.activity_lieux

    def may_enter_financial(self):
        return self.financial

    def actions(self, declaration):
        """The actions offered in the lists, as (label, url name)."""
        actions = []
        if declaration.is_editable and self.is_provider and not declaration.opens_on:
            actions.append(("Saisir", "afas:declaration"))
        if declaration.state == State.A_APPROUVER and self.approbateur:
            actions.append(("Transmettre à la Caf", "afas:declaration_transmit"))
        if not actions:
            actions.append(("Consulter", "afas:declaration"))
        return actions


def accesses_by_activite(user):
    """{activite id: DeclarationAccess} for the signed-in user, from their habilitations in force (one query,
    or none when they are kept in the shared cache)."""
    accesses = defaultdict(DeclarationAccess)
    for role, activite_id, lieu_id in habilitations_in_force(user):
        accesses[activite_id].add(role, lieu_id)
    return accesses


def access_to(user, activite):
    return accesses_by_activite(user).get(activite.pk, DeclarationAccess())


# What the pages of one declaration read with it.
DECLARATION_JOINS = ("activite__type", "activite__nature", "activite__organisme", "campaign")


def get_declaration_for_user(user, pk, with_financial=False):
    """The declaration and what the user may do on it; 404 without an habilitation in force on its activité.
    `with_financial`: its financial part read with it (review.with_financial_part)."""
    accesses = accesses_by_activite(user)
    declarations = Declaration.objects.visible_to(user, accesses).select_related(*DECLARATION_JOINS)
    if with_financial:
        declarations = with_financial_part(declarations)
    declaration = get_object_or_404(declarations, pk=pk)
    return declaration, accesses.get(declaration.activite_id, DeclarationAccess())


def get_activity_part_for_user(user, pk, part_pk):
    """An activity part of the declaration `pk`, read with its declaration in one query as
    get_declaration_for_user reads it, and what the user may do on it; 404 as there (the declarations
    `visible_to` the user: those of the activités of their habilitations in force), or if the part is not
    the declaration's."""
    accesses = accesses_by_activite(user)
    part = get_object_or_404(
        ActivityData.objects.select_related(*(f"declaration__{join}" for join in DECLARATION_JOINS)),
        pk=part_pk,
        declaration_id=pk,
        declaration__activite__in=list(accesses),
    )
    return part, accesses.get(part.declaration.activite_id, DeclarationAccess())
