"""The declaration page: both parts, each editable only by who may, with checks and the previous figures."""

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from afas.models import State
from core.errors import Refused

from . import checks, services
from .access import get_activity_part_for_user, get_declaration_for_user
from .checks import format_number, format_value
from .fields import FINANCIAL_FIELDS, KEY_FIGURES, activity_fields
from .forms import part_form
from .part_rows import draw_rows
from .receipts import receipts_shown
from .refused import keep_refused, refused_save
from .review import load_data, review_activity, review_financial, with_names


@dataclass
class PartBlock:
    kind: str
    title: str
    part: object
    review: object
    editable: bool
    form: object  # None for a part the user only reads
    rows: list
    alerts: list
    action: str
    conflict: object = None
    computed: list = None
    checked: bool = False

    @property
    def anchor(self):
        return f"partie-{self.kind}-{self.part.pk}"

    @property
    def unsaved(self):
        """A save refused because the declaration left the partner's hands: the typed values stay shown."""
        return not self.editable and self.form is not None and self.form.is_bound

    @property
    def show_errors(self):
        # Not on a refused save: the errors would be those of the other person's values.
        return self.part.version > 0 and self.conflict is None

    @property
    def rows_html(self):
        return draw_rows(self)


def build_block(
    kind,
    title,
    part,
    review,
    editable,
    fields,
    previous_values,
    action,
    form=None,
    conflict=None,
    checked=False,
):
    """`checked`: the part was just submitted for completion, so empty required fields are flagged too (in a
    mere draft they would only be noise)."""
    if form is None and editable:
        form = part_form(fields, review.alerts, part, f"{kind}{part.pk}")
    # A part the user only reads is drawn without a form (a Django form of some thirty fields per part was a
    # tenth of the page). The input's name, id and value, read once per row rather than by each of the
    # template's lookups, and only where the part is drawn as a form or with the refused input.
    inputs = form is not None
    rows = [
        {
            "group": field.group,
            "label": field.label,
            **(bound_input(form[field.code]) if inputs else {}),
            "value": shown(part, field),
            "previous": format_value((previous_values or {}).get(field.code, ""), field),
            "saved": shown(conflict, field) if conflict else "",
            "errors": [
                error for error in review.errors.get(field.code, []) if checked or error != checks.REQUIRED
            ],
        }
        for field in fields
    ]
    alerts = [
        {
            "alert": alert,
            "field": form[f"justification_{alert.code}"] if inputs else None,
            "text": part.justifications.get(alert.code, ""),
            "too_long": review.justification_errors.get(alert.code, ""),
        }
        for alert in review.alerts
    ]
    return PartBlock(
        kind, title, part, review, editable, form, rows, alerts, action, conflict, checked=checked
    )


def bound_input(bound_field):
    return {"name": bound_field.html_name, "id": bound_field.id_for_label, "typed": bound_field.value()}


def shown(part, field):
    """A stored figure formatted, or what was typed when it did not read as one."""
    if field.code in part.rejected:
        return part.rejected[field.code]
    return format_value(part.values.get(field.code, ""), field)


def computed_rows(figures, previous_figures):
    return [
        {
            "label": label,
            "value": format_number(figures.get(key), places) + unit if figures.get(key) is not None else "—",
            "previous": format_number(previous_figures.get(key), places) + unit
            if previous_figures and previous_figures.get(key) is not None
            else "",
        }
        for key, label, places, unit in KEY_FIGURES
    ]


@dataclass
class PostedBack:
    """A refused save shown again with the input kept: which part (kind « a » or « f », pk), its form, and
    the part as saved by someone else when it was a concurrent edit."""

    kind: str
    part_pk: int
    form: object
    conflict: object = None

    def of(self, kind, part):
        return (self.form, self.conflict) if self.kind == kind and self.part_pk == part.pk else (None, None)


def render_declaration(request, declaration, access, posted=None, status=200):
    """`posted`: a PostedBack, to show a refused save with the input kept."""
    data = load_data(declaration)
    fields = activity_fields(declaration.activite.type.code)
    checked = request.GET.get("controle", "")
    # Before the campaign opens, nothing may be entered (the POST is refused by services.save_part too).
    editable = declaration.is_editable and not declaration.opens_on
    activity_blocks = []
    for part in data.activity_parts:
        form, conflict = posted.of("a", part) if posted else (None, None)
        activity_blocks.append(
            build_block(
                "a",
                f"Données d'activité — {part.lieu or declaration.activite}",
                part,
                review_activity(part, data),
                editable and access.may_enter_activity(part),
                fields,
                data.previous_activity.get(part.lieu_id),
                reverse("afas:declaration_activity", args=[declaration.pk, part.pk]),
                form,
                conflict,
                checked == f"a{part.pk}",
            )
        )
    financial = data.financial_part
    form, conflict = posted.of("f", financial) if posted else (None, None)
    financial_review = review_financial(financial, data)
    financial_block = build_block(
        "f",
        "Données financières",
        financial,
        financial_review,
        editable and access.may_enter_financial(),
        FINANCIAL_FIELDS,
        data.previous_financial,
        reverse("afas:declaration_financial", args=[declaration.pk]),
        form,
        conflict,
        checked == f"f{financial.pk}",
    )
    financial_block.computed = computed_rows(financial_review.figures, data.previous_figures)
    history = list(with_names(declaration.state_changes.all(), "by"))
    context = {
        "declaration": declaration,
        "access": access,
        "previous": data.previous,
        "activity_blocks": activity_blocks,
        "financial_block": financial_block,
        "history": history,
        "receipts": receipts_shown(declaration, history),
        "may_transmit": access.approbateur and declaration.state == State.A_APPROUVER,
    }
    return render(request, "afas/declarations/detail.html", context, status=status)


@transaction.non_atomic_requests  # it only reads
def declaration_detail(request, pk):
    declaration, access = get_declaration_for_user(request.user, pk, with_financial=True)
    return render_declaration(request, declaration, access, posted_back(request, declaration))


def posted_back(request, declaration):
    """The refused save this URL shows again (refused.py), as render_declaration's `posted`."""
    refused = refused_save(request, declaration)
    if refused is None:
        return None
    kind, part_pk, data, conflict = refused
    parts = [declaration.financial_data] if kind == "f" else list(declaration.activity_data.all())
    part = next((p for p in parts if p.pk == part_pk), None)
    if part is None:
        return None
    part.declaration = declaration
    fields = FINANCIAL_FIELDS if kind == "f" else activity_fields(declaration.activite.type.code)
    review = review_financial(part) if kind == "f" else review_activity(part)
    form = part_form(fields, review.alerts, part, f"{kind}{part.pk}", data=data)
    return PostedBack(kind, part.pk, form, part if conflict else None)


def save(request, declaration, access, kind, part, fields, review):
    form = part_form(fields, review.alerts, part, f"{kind}{part.pk}", data=request.POST)
    values, justifications, version = form.posted(part.justifications)
    completing = "complete" in request.POST
    try:
        if completing:
            result = services.complete_part(part, values, justifications, version, request.user, request)
        else:
            services.save_part(part, values, justifications, version, request.user)
    except services.ConcurrentEdit as conflict:
        # Nothing typed is lost, and a reload does not post again: redirect to a page showing the input.
        data = request.POST.copy()
        data[form.add_prefix("version")] = conflict.current.version
        return redirect(keep_refused(request, declaration, kind, part, data, conflict=True))
    except Refused as refused:
        # The page comes back with the values in a column of their own.
        messages.error(
            request, f"{refused} Votre saisie n'a pas été enregistrée ; elle reste affichée ci-dessous."
        )
        return redirect(keep_refused(request, declaration, kind, part, request.POST, conflict=False))
    # declaration.state is the state the save left it in (services.save_part and transition set it).
    if not completing:
        messages.success(request, "Votre saisie est enregistrée. Vous pourrez la compléter plus tard.")
    elif result.may_complete:
        messages.success(request, "La partie est marquée comme complète.")
        if declaration.state == State.A_APPROUVER:
            messages.success(request, "Les deux parties sont complètes : la déclaration est « À approuver ».")
    else:
        messages.error(
            request,
            f"Votre saisie est enregistrée mais la partie n'est pas complète : {len(result.errors)} champ(s) "
            f"en erreur, {len(result.unjustified)} alerte(s) à justifier. Voir les messages à côté des champs.",
        )
        url = reverse("afas:declaration", args=[declaration.pk])
        return redirect(f"{url}?controle={kind}{part.pk}#partie-{kind}-{part.pk}")
    return redirect(reverse("afas:declaration", args=[declaration.pk]) + f"#partie-{kind}-{part.pk}")


# The saves are atomic in the services (services.save_part, complete_part), where the declaration is locked:
# the request's transaction around them would only add a savepoint and its release.
@transaction.non_atomic_requests
@require_POST
def save_activity(request, pk, part_pk):
    part, access = get_activity_part_for_user(request.user, pk, part_pk)
    if not access.may_enter_activity(part):
        raise Http404
    declaration = part.declaration
    fields = activity_fields(declaration.activite.type.code)
    return save(request, declaration, access, "a", part, fields, review_activity(part))


@transaction.non_atomic_requests
@require_POST
def save_financial(request, pk):
    declaration, access = get_declaration_for_user(request.user, pk, with_financial=True)
    if not access.may_enter_financial():
        raise Http404
    part = declaration.financial_data
    part.declaration = declaration
    return save(request, declaration, access, "f", part, FINANCIAL_FIELDS, review_financial(part))
