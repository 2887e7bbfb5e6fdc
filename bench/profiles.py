"""Finds, in the generated data, the identifiant of each profile of bench/pages.py (run inside Django)."""

from accounts.models import User
from conventions.models import ConventionAdministrator, HabilitationGroup
from devtools.volume.conventions import LARGE_PARTNER


def find_profiles():
    admins = ConventionAdministrator.objects.filter(
        date_fin__isnull=True, convention__date_cloture__isnull=True
    )
    large = admins.filter(convention__organisme__raison_sociale=LARGE_PARTNER).select_related("user").first()
    typical = (
        admins.filter(convention__organisme__raison_sociale__endswith="n°00001")
        .select_related("user")
        .first()
    )
    if large is None or typical is None:
        return None

    def declarant_of(admin):
        return (
            User.objects.filter(
                organisme=admin.user.organisme,
                date_cloture__isnull=True,
                memberships__group__code=HabilitationGroup.DECLARER,
                memberships__date_cloture__isnull=True,
            )
            .exclude(pk=admin.user.pk)
            .order_by("identifiant")
            .values_list("identifiant", flat=True)
            .first()
        )

    # The large partner's declarant: one holding habilitations in force, hence declarations to open.
    from afas.models import Habilitation
    from afas.models.declarations import Declaration

    in_force = (
        Habilitation.objects.in_force().filter(user__organisme=large.user.organisme).exclude(user=large.user)
    )
    large_declarant = (
        in_force.order_by("user__identifiant").values_list("user__identifiant", flat=True).first()
    )
    declaration = (
        Declaration.objects.visible_to(User.objects.get(identifiant=large_declarant))
        .order_by("-exercice")
        .first()
    )
    return {
        "declaration": declaration.pk if declaration else 0,
        "draft_parts": draft_parts(User.objects.get(identifiant=large_declarant)),
        "typical_convention": typical.convention_id,
        "large_convention": large.convention_id,
        "typical_admin": typical.user.identifiant,
        "large_admin": large.user.identifiant,
        "typical_declarant": declarant_of(typical),
        "large_declarant": large_declarant,
        "agent": User.objects.get(identifiant="agent.d01").identifiant,
    }


def draft_parts(user, limit=40):
    """[declaration, part, version] of activity parts the declarant may save as a draft: one per simulated
    user, so that the draft-save page measures saves, not conflicts between users on one part."""
    from afas.declarations.access import accesses_by_activite
    from afas.models.declarations import ActivityData, Declaration

    accesses = accesses_by_activite(user)
    editable = Declaration.objects.visible_to(user).filter(state__in=["a_saisir", "en_cours", "a_corriger"])
    parts = []
    for part in ActivityData.objects.filter(declaration__in=editable).select_related("declaration")[:2000]:
        access = accesses.get(part.declaration.activite_id)
        if access is not None and access.may_enter_activity(part):
            parts.append([part.declaration_id, part.pk, part.version])
            if len(parts) == limit:
                break
    return parts


def data_set_counts():
    from afas.models import Activite, Habilitation, Lieu
    from afas.models.declarations import Declaration
    from conventions.models import Caf, Convention, Organisme

    return {
        "Caf": Caf.objects.count(),
        "organismes": Organisme.objects.count(),
        "conventions": Convention.objects.count(),
        "utilisateurs": User.objects.count(),
        "activités": Activite.objects.count(),
        "lieux": Lieu.objects.count(),
        "habilitations": Habilitation.objects.count(),
        "déclarations": Declaration.objects.count(),
    }
