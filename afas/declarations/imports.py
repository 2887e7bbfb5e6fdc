"""Import of données d'activité from a file into the declarations of a campaign (rules 23–25).

One line per activité (or lieu d'implantation) and measure: its ids, the measure's code and the value. Each
line is judged by the checks of the form (afas/declarations/checks.py): a value is read the French way and
stored normalised; what the form would refuse for the field on its own refuses the line, with the line number
and column. A line is also refused when it names an activité or lieu the user is not Fr DA of, a measure
the type d'activité does not have, or a declaration that can no longer be entered (services.py says why).
The checks that read several fields (heures réalisées ≤ capacité théorique) and the alerts against the
previous declaration are shown per part, as the form shows them: they do not refuse a draft.

The apply is all or nothing: in one transaction, every part is saved as a draft would be (the version
read at the check must still be the current one, every declaration must still be editable), or none is.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from afas.models import ActivityData, Campaign, Declaration, DeclarationImport, State
from core.errors import Refused
from core.file_import import Line, formula_cells

from . import checks, services
from .access import accesses_by_activite
from .fields import activity_fields
from .review import TYPE_RANK

ACTIVITE_ID = "Identifiant activité"
ACTIVITE = "Activité"
LIEU_ID = "Identifiant lieu"
LIEU = "Lieu d'implantation"
MESURE_CODE = "Code mesure"
MESURE = "Mesure"
VALEUR = "Valeur"
COLUMNS = (ACTIVITE_ID, ACTIVITE, LIEU_ID, LIEU, MESURE_CODE, MESURE, VALEUR)
# The names and labels help the reader of the file; the ids, the code and the value are what is imported.
REQUIRED_COLUMNS = (ACTIVITE_ID, LIEU_ID, MESURE_CODE, VALEUR)
PROGRESS_EVERY = 500  # lines between two writes of the progress

UNKNOWN_ACTIVITE = "Cette activité ne fait pas partie des déclarations de la campagne que vous pouvez saisir."
BAD_ID = "Indiquez l'identifiant en chiffres, tel qu'il figure dans le modèle."
LIEU_REQUIRED = (
    "Cette activité a plusieurs lieux d'implantation : indiquez l'identifiant du lieu, tel qu'il figure "
    "dans le modèle."
)
UNKNOWN_LIEU = "Ce lieu d'implantation n'est pas un lieu de cette activité."
NOT_YOUR_LIEU = "Vous n'êtes pas fournisseur de données d'activité de ce lieu d'implantation."
UNKNOWN_MEASURE = "Mesure inconnue pour ce type d'activité : les codes possibles sont {codes}."
DUPLICATE = "Cette mesure figure déjà ligne {line} pour le même lieu : gardez une seule ligne."
CHANGED_MEANWHILE = (
    "Les données d'activité « {part} » ont été modifiées depuis le contrôle du fichier : rien n'a été "
    "importé. Importez le fichier à nouveau pour contrôler ce qui changera."
)
NOTHING_TO_APPLY = "Le fichier ne change aucune donnée : il n'y a rien à importer."
HAS_REFUSED_LINES = (
    "Le fichier contient des lignes refusées : rien n'est importé tant qu'elles ne sont pas corrigées. "
    "Corrigez le fichier et importez-le à nouveau."
)


def campaigns_to_import(user):
    """The campaigns with at least one declaration whose données d'activité the user may enter (Fr DA)."""
    activites = [pk for pk, access in accesses_by_activite(user).items() if access.is_activity_provider]
    return Campaign.objects.filter(declarations__activite__in=activites).distinct()


def get_campaign_for_provider(user, pk):
    """The campaign, or 404 for a user who is Fr DA of none of its declarations (rule 23)."""
    campaign = campaigns_to_import(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def get_import_for_user(user, campaign, pk):
    found = DeclarationImport.objects.filter(created_by=user, campaign=campaign, pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass
class Target:
    """A part the user may enter, with what the import needs of it."""

    part: ActivityData
    declaration: Declaration
    fields: tuple
    lieu_name: str
    refusal: str | None  # why the declaration cannot be entered now; None when it can

    @property
    def title(self):
        return f"{self.declaration.activite.nom} — {self.lieu_name}"


def targets(user, campaign):
    """{activite id: {lieu id or None: Target}} for every part of the campaign the user may enter."""
    accesses = accesses_by_activite(user)
    activites = [pk for pk, access in accesses.items() if access.is_activity_provider]
    declarations = {
        d.pk: d
        for d in Declaration.objects.filter(campaign=campaign, activite__in=activites).select_related(
            "activite__type", "campaign"
        )
    }
    result = defaultdict(dict)
    parts = ActivityData.objects.filter(declaration__in=list(declarations)).select_related("lieu")
    for part in parts.order_by("declaration__activite__nom", "lieu__nom", "pk"):
        declaration = declarations[part.declaration_id]
        part.declaration = declaration
        if not accesses[declaration.activite_id].may_enter_activity(part):
            continue
        result[declaration.activite_id][part.lieu_id] = Target(
            part,
            declaration,
            activity_fields(declaration.activite.type.code),
            part.lieu.nom if part.lieu_id else "toute l'activité",
            entry_refusal(declaration),
        )
    return result


def entry_refusal(declaration):
    opens_on = declaration.opens_on
    if opens_on:
        return services.campaign_not_open(opens_on)
    return services.not_editable(declaration)


def template_rows(user, campaign):
    """The lines of the template: one per part the user may enter now and measure, with the value stored
    (as the form shows it), so that the file can be filled in and imported back."""
    rows = []
    for by_lieu in targets(user, campaign).values():
        for lieu_id, target in by_lieu.items():
            if target.refusal:  # transmitted, awaiting approval…: nothing of it may be imported
                continue
            for field in target.fields:
                rows.append(
                    [
                        target.declaration.activite_id,
                        target.declaration.activite.nom,
                        lieu_id or "",
                        target.part.lieu.nom if lieu_id else "",
                        field.code,
                        field.label,
                        checks.typed_text(target.part.values.get(field.code, ""))
                        or target.part.rejected.get(field.code, ""),
                    ]
                )
    return rows


def lieux_of_activites(activite_ids):
    """{lieu id: activite id} of the lieux of these activités (a single-lieu activité's part has no lieu)."""
    from afas.models import Lieu

    return dict(Lieu.objects.filter(activite__in=activite_ids).values_list("pk", "activite_id"))


def as_id(text):
    text = str(text or "").strip()
    if text.endswith(".0"):  # a spreadsheet may store an id as a number
        text = text[:-2]
    return int(text) if text.isdigit() else None


class Check:
    """The check of the lines of one import, line after line (`line`), then per part (`result`)."""

    def __init__(self, user, campaign):
        self.targets = targets(user, campaign)
        self.lieux = lieux_of_activites(list(self.targets))
        self.refused = []  # {line, column, message}
        self.changes = []  # {line, part, field, before, after}
        self.unchanged = 0
        self.empty = 0
        self.seen = {}  # (part pk, code) → line
        self.merged = {}  # part pk → (target, values, rejected)

    def refuse(self, number, column, message):
        self.refused.append({"line": number, "column": column, "message": message})

    def find_target(self, number, values):
        activite_id = as_id(values.get(ACTIVITE_ID))
        if activite_id is None:
            return self.refuse(number, ACTIVITE_ID, BAD_ID)
        by_lieu = self.targets.get(activite_id)
        if by_lieu is None:
            return self.refuse(number, ACTIVITE_ID, UNKNOWN_ACTIVITE)
        lieu_text = str(values.get(LIEU_ID) or "").strip()
        if not lieu_text:
            if None in by_lieu:
                return by_lieu[None]
            return self.refuse(number, LIEU_ID, LIEU_REQUIRED)
        lieu_id = as_id(lieu_text)
        if lieu_id is None:
            return self.refuse(number, LIEU_ID, BAD_ID)
        if self.lieux.get(lieu_id) != activite_id:
            return self.refuse(number, LIEU_ID, UNKNOWN_LIEU)
        if lieu_id in by_lieu:
            return by_lieu[lieu_id]
        if None in by_lieu and len([k for k, v in self.lieux.items() if v == activite_id]) == 1:
            return by_lieu[None]  # the activité's only lieu: its part covers the whole activité
        return self.refuse(number, LIEU_ID, NOT_YOUR_LIEU)

    def line(self, number, values):
        if not any(str(v or "").strip() for v in values.values()):
            self.empty += 1
            return
        formulas = formula_cells([Line(number, values)])
        if formulas:  # never stored, whatever the column: every import refuses them (core/file_import.py)
            return self.refuse(number, formulas[0].column, formulas[0].message)
        target = self.find_target(number, values)
        if target is None:
            return
        code = str(values.get(MESURE_CODE) or "").strip()
        field = next((f for f in target.fields if f.code == code), None)
        if field is None:
            known = ", ".join(f.code for f in target.fields)
            return self.refuse(number, MESURE_CODE, UNKNOWN_MEASURE.format(codes=known))
        key = (target.part.pk, code)
        if key in self.seen:
            return self.refuse(number, MESURE_CODE, DUPLICATE.format(line=self.seen[key]))
        self.seen[key] = number
        typed = str(values.get(VALEUR) or "").strip()
        if not typed:
            self.unchanged += 1  # an empty value leaves the figure as it is
            return
        part = target.part
        if part.rejected.get(code) == typed:
            self.unchanged += 1  # the draft's unreadable text sent back as it is: the form still flags it
            return
        figure, unreadable = checks.normalise([field], {code: typed})
        errors = checks.field_errors([field], figure, unreadable)
        if errors:
            return self.refuse(number, VALEUR, errors[code][0])
        if part.values.get(code) == figure[code] and code not in part.rejected:
            self.unchanged += 1  # the template's value sent back: nothing to save, whatever the state
            return
        if target.refusal:
            return self.refuse(number, ACTIVITE_ID, target.refusal)
        _, merged_values, merged_rejected = self.merged.setdefault(
            part.pk, (target, dict(part.values), dict(part.rejected))
        )
        before = part.rejected.get(code) or checks.format_value(part.values.get(code, ""), field)
        merged_values[code] = figure[code]
        merged_rejected.pop(code, None)
        self.changes.append(
            {
                "line": number,
                "part": target.title,
                "field": field.label,
                "before": before,
                "after": checks.format_value(figure[code], field),
            }
        )

    def result(self):
        """What the preview shows and the apply reads: the changes, the refusals, each changed part with
        the version it was read at and its new values, and what the form would say of the part."""
        previous = previous_activity_values([t.declaration for t, _, _ in self.merged.values()])
        parts, remarks = [], []
        for part_pk, (target, values, rejected) in self.merged.items():
            parts.append(
                {
                    "part": part_pk,
                    "declaration": target.declaration.pk,
                    "version": target.part.version,
                    "values": values,
                    "rejected": rejected,
                    "title": target.title,
                }
            )
            errors = checks.activity_errors(target.fields, values, rejected)
            messages = [m for ms in errors.values() for m in ms if m != checks.REQUIRED]
            before = previous.get(target.declaration.activite_id, {}).get(target.part.lieu_id)
            alerts = [a.message for a in checks.activity_alerts(values, before, target.fields)]
            if messages or alerts:
                remarks.append({"part": target.title, "errors": messages, "alerts": alerts})
        return {
            "changes": self.changes,
            "refused": sorted(self.refused, key=lambda r: r["line"]),
            "unchanged": self.unchanged,
            "empty": self.empty,
            "parts": parts,
            "remarks": remarks,
        }


def previous_activity_values(declarations):
    """{activite id: {lieu id: values}} of the previous declaration of each activité, as review.py picks
    it (latest earlier exercice, transmitted or validated, the later type first), in two queries."""
    if not declarations:
        return {}
    exercice = declarations[0].exercice
    candidates = Declaration.objects.filter(
        activite__in={d.activite_id for d in declarations},
        exercice__lt=exercice,
        state__in=[State.TRANSMISE, State.VALIDEE],
    ).prefetch_related("activity_data")
    best = {}
    for candidate in candidates:
        rank = (-candidate.exercice, TYPE_RANK[candidate.type])
        if candidate.activite_id not in best or rank < best[candidate.activite_id][0]:
            best[candidate.activite_id] = (rank, candidate)
    return {
        activite_id: {p.lieu_id: p.values for p in candidate.activity_data.all()}
        for activite_id, (_, candidate) in best.items()
    }


def workbook_figure(text):
    """A number cell of an XLSX comes from the reader as Python writes it (« 10.5 »): the decimal comma the
    declarant saw in their spreadsheet, so that the form's reading applies. A CSV keeps what was typed."""
    return text.replace(".", ",") if checks.DOTTED_NUMBER.fullmatch(text) else text


def start_import(user, campaign, file_name, lines, ip=None, workbook=False):
    """Keeps the lines read from the file, owned by the user and campaign, and queues their check."""
    from .import_tasks import check_import

    if workbook:
        lines = [
            (number, {**values, VALEUR: workbook_figure(values.get(VALEUR, ""))}) for number, values in lines
        ]
    declaration_import = DeclarationImport.objects.create(
        created_by=user,
        campaign=campaign,
        file_name=file_name[:255],
        lines=[[number, values] for number, values in lines],
        total=len(lines),
        created_ip=ip,
    )
    check_import.enqueue(declaration_import.pk)
    return declaration_import


def run_check(declaration_import):
    """Checks every line, writing the progress every PROGRESS_EVERY lines, then the preview."""
    check = Check(declaration_import.created_by, declaration_import.campaign)
    for index, (number, values) in enumerate(declaration_import.lines, start=1):
        check.line(number, values)
        if index % PROGRESS_EVERY == 0:
            DeclarationImport.objects.record_progress(declaration_import.pk, index)
    declaration_import.preview = check.result()
    declaration_import.done = declaration_import.total
    declaration_import.status = DeclarationImport.Status.CHECKED
    declaration_import.save(update_fields=["preview", "done", "status"])


def may_apply(declaration_import):
    """None when the checked import may be applied, else why not."""
    preview = declaration_import.preview
    if preview.get("refused"):
        return HAS_REFUSED_LINES
    if not preview.get("parts"):
        return NOTHING_TO_APPLY
    return None


def confirm_import(declaration_import):
    """Queues the apply of a checked import (the confirmation of the preview)."""
    from .import_tasks import apply_import

    refusal = may_apply(declaration_import)
    if refusal:
        raise Refused(refusal)
    updated = DeclarationImport.objects.filter(
        pk=declaration_import.pk, status=DeclarationImport.Status.CHECKED
    ).update(status=DeclarationImport.Status.APPLYING)
    if not updated:
        raise Refused("Cet import a déjà été confirmé.")
    apply_import.enqueue(declaration_import.pk)


def run_apply(declaration_import):
    """Applies the import, all or nothing; on a refusal nothing is saved and the import says why."""
    try:
        apply_parts(declaration_import.preview["parts"], declaration_import.created_by)
    except Refused as refused:
        declaration_import.status = DeclarationImport.Status.FAILED
        declaration_import.refusal = str(refused)
        declaration_import.save(update_fields=["status", "refusal"])
        return
    declaration_import.status = DeclarationImport.Status.APPLIED
    declaration_import.applied_at = timezone.now()
    declaration_import.save(update_fields=["status", "applied_at"])


@transaction.atomic
def apply_parts(planned, by):
    """Saves each part as a draft (services.save_part: not complete any more, version + 1, who and when)
    and moves its declaration « En cours de saisie » as the form does; refuses everything if one part was
    saved since the check or one declaration left the partner's hands."""
    declaration_ids = sorted({p["declaration"] for p in planned})
    declarations = {
        d.pk: d
        for d in Declaration.objects.select_for_update(of=("self",))
        .select_related("campaign", "activite")
        .filter(pk__in=declaration_ids)
        .order_by("pk")
    }
    for declaration in declarations.values():
        refusal = entry_refusal(declaration)
        if refusal:
            raise Refused(f"{declaration.activite.nom} : {refusal} Rien n'a été importé.")
    now = timezone.now()
    for plan in planned:
        # The version in the WHERE clause, as save_part does: a part saved since the check is not overwritten.
        saved = ActivityData.objects.filter(pk=plan["part"], version=plan["version"]).update(
            values=plan["values"],
            rejected=plan["rejected"],
            **services.NOT_COMPLETE,
            version=F("version") + 1,
            updated_by=by,
            updated_at=now,
        )
        if not saved:
            raise Refused(CHANGED_MEANWHILE.format(part=plan["title"]))
    for declaration in declarations.values():
        if declaration.state in (State.A_SAISIR, State.A_CORRIGER):
            services.transition(declaration, State.EN_COURS, by, services.PROVIDER)
    return len(planned)
