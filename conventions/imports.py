"""« Importer des utilisateurs » (rules 26–27): a CSV or XLSX of partner users for a convention, checked line
by line with the validations of « Créer un utilisateur partenaire » (its form, PartnerUserForm, as PartnerUserLineForm), shown as a
preview, then created all together or not at all, each new user receiving their activation mail.

The lines read from the file are kept on a UserImport row between the preview and the confirmation (never
the file). Checking and creating 10,000 lines take a while: both run as tasks of the queue (django-tasks),
and write how far they are on the row (`done`, `updated_at`: core/imports.py), which the progress page
reads. « Contrôle » is the check, « Application » the creation.

What the creation form looks up in the database (the organisme, the addresses taken, the groups) is read
once per file (forms.ReadOnce), so that checking a file takes the same few queries whatever its length;
the users, their memberships and history rows are then inserted in batches (services.create_partner_users).
Measured figures: bench/README.md (« Import de 10 000 utilisateurs »)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from accounts.models import User
from accounts.services import send_activation_mails
from core.file_import import ImportFileError, Line, LineError, formula_cells, normalise_title, read_table
from core.imports import progress_outside_transaction

from .forms import PartnerUserLineForm, ReadOnce
from .models import HabilitationGroup, UserImport
from .services import create_partner_users

COLUMNS = ("Nom", "Prénom", "Mail", "Téléphone", "Groupe")
MAX_LINES = 20_000
# How long the lines read stay on the import row (personal data): after that, an unconfirmed import is
# imported again from the file (`manage.py forget_user_imports`, run daily by `manage.py cleanup`).
LINES_KEPT_DAYS = 7
PROGRESS_EVERY = 500
# Users created (inserted, their mails queued) per step of the progress counter.
CREATE_BATCH = 500

# The form's fields and the file's columns they come from.
FIELD_COLUMNS = {
    "nom": "Nom",
    "prenom": "Prénom",
    "email": "Mail",
    "email_confirmation": "Mail",
    "telephone": "Téléphone",
    "telephone_confirmation": "Téléphone",
    "groups": "Groupe",
}


class _Refusals(Exception):
    """Some line was refused while creating: everything created is rolled back."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def read_user_lines(uploaded_file):
    """The lines of an uploaded file of users; ImportFileError (its French message) refuses the file."""
    lines = read_table(uploaded_file, COLUMNS, required=COLUMNS)
    if not lines:
        raise ImportFileError("Le fichier ne contient aucun utilisateur sous la ligne des titres.")
    if len(lines) > MAX_LINES:
        raise ImportFileError(
            f"Le fichier compte {len(lines):,} utilisateurs : importez-en au plus {MAX_LINES:,} à la fois.".replace(
                ",", "\u202f"
            )
        )
    return lines


def start_user_import(convention, lines, *, filename, by, ip, site_base):
    """Keeps the lines read and queues their checking (rule 26)."""
    user_import = UserImport.objects.create(
        convention=convention,
        file_name=filename[:255],
        lines=[{"number": line.number, "values": line.values} for line in lines],
        total=len(lines),
        created_by=by,
        created_ip=ip,
        site_base=site_base,
    )
    check_user_import.enqueue(user_import.pk)
    return user_import


def confirm_user_import(user_import, *, by, ip):
    """« Confirmer l'import »: queues the creation once; a second click (or another administrator) finds
    the import already confirmed and queues nothing. Returns whether this call confirmed it."""
    if not user_import.can_be_confirmed or user_import.lines_forgotten_at:
        return False
    confirmed = UserImport.objects.filter(
        pk=user_import.pk, status=UserImport.Status.CHECKED, errors=[], lines_forgotten_at=None
    ).update(
        status=UserImport.Status.APPLYING,
        done=0,
        confirmed_by=by,
        confirmed_at=timezone.now(),
        confirmed_ip=ip,
        updated_at=timezone.now(),
    )
    if confirmed:
        create_imported_users.enqueue(user_import.pk)
    return bool(confirmed)


def set_progress(pk, done, total):
    """The running step is at `done` of `total` units (the creation counts each line twice: checked
    again, then created): written on the row as lines of the file (`done` of `total` lines)."""
    if total:
        UserImport.objects.record_progress(pk, F("total") * done / total)  # integer division


@task()
def check_user_import(import_id):
    """Rule 26: every line checked, the refusals (line, column, message) kept for the preview."""
    user_import = UserImport.objects.select_related("convention").get(pk=import_id)
    if user_import.status != UserImport.Status.CHECKING:
        return
    _, errors = _checked_forms(user_import)
    UserImport.objects.filter(pk=import_id, status=UserImport.Status.CHECKING).update(
        status=UserImport.Status.CHECKED,
        errors=[_as_dict(error) for error in errors],
        done=user_import.total,
        updated_at=timezone.now(),
    )


@task()
def create_imported_users(import_id):
    """Rule 27: all the users or none. The lines are checked again (an address may have been taken since
    the preview); one refusal and nothing is created, the preview shows why."""
    user_import = UserImport.objects.select_related("convention", "created_by", "confirmed_by").get(
        pk=import_id
    )
    if user_import.status != UserImport.Status.APPLYING:
        return  # already created: running the task twice creates and sends nothing twice
    try:
        with progress_outside_transaction(), transaction.atomic():
            _create_all(user_import)
    except _Refusals as refusals:
        UserImport.objects.filter(pk=import_id).update(
            status=UserImport.Status.CHECKED,
            errors=[_as_dict(error) for error in refusals.errors],
            done=user_import.total,
            updated_at=timezone.now(),
        )


def _create_all(user_import):
    forms, errors = _checked_forms(user_import, weight=2)
    if errors:
        raise _Refusals(errors)
    by = user_import.confirmed_by or user_import.created_by
    created = []
    total = 2 * len(forms)
    for start in range(0, len(forms), CREATE_BATCH):
        batch = forms[start : start + CREATE_BATCH]
        users = create_partner_users(
            [(form.user_fields(), [group] if group else []) for _, form, group in batch],
            by=by,
        )
        # queued with the rows: a rolled-back import sends nothing
        send_activation_mails(_PublicAddress(user_import.site_base), users)
        created += [
            {"line": line.number, "identifiant": user.identifiant, "nom": user.nom, "prenom": user.prenom}
            for (line, _, _), user in zip(batch, users, strict=True)
        ]
        set_progress(user_import.pk, len(forms) + len(created), total)
    UserImport.objects.filter(pk=user_import.pk).update(
        status=UserImport.Status.APPLIED,
        created_users=created,
        done=user_import.total,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def _checked_forms(user_import, weight=1):
    """The valid forms (line, PartnerUserForm, group or None) and the refusals of every line, duplicates in
    the file included. `weight` 2 when checking is the first half of the creation's progress. A constant
    number of queries whatever the number of lines: what the form looks up is read once (ReadOnce)."""
    convention = user_import.convention
    read_once = ReadOnce(convention)
    lines = [Line(number=line["number"], values=line["values"]) for line in user_import.lines]
    errors = formula_cells(lines)
    with_formula = {error.line for error in errors}
    groups = _groups_by_name()
    first_line_of = {}
    forms = []
    total = weight * len(lines)
    today = timezone.localdate().isoformat()
    for index, line in enumerate(lines, start=1):
        if index % PROGRESS_EVERY == 0:
            set_progress(user_import.pk, index, total)
        if line.number in with_formula:
            continue
        line_errors = []
        values = line.values
        group_name = values["Groupe"]
        group = groups.get(normalise_title(group_name)) if group_name else None
        if group_name and group is None:
            known = ", ".join(sorted({g.code for g in groups.values()}))
            line_errors.append(
                LineError(
                    line.number, "Groupe", f"Groupe inconnu : « {group_name} ». Groupes possibles : {known}."
                )
            )
        email = values["Mail"].casefold()
        if email and email in first_line_of:
            line_errors.append(
                LineError(
                    line.number,
                    "Mail",
                    f"Cette adresse mail figure déjà à la ligne {first_line_of[email]} du fichier.",
                )
            )
        elif email:
            first_line_of[email] = line.number
        form = PartnerUserLineForm(
            {
                "nom": values["Nom"],
                "prenom": values["Prénom"],
                "email": values["Mail"],
                "email_confirmation": values["Mail"],
                "telephone": values["Téléphone"],
                "telephone_confirmation": values["Téléphone"],
                "poste": User.Poste.SEDENTAIRE,
                "date_ouverture": today,
            },
            convention=convention,
            read_once=read_once,
        )
        if not form.is_valid():
            line_errors += _form_errors(line.number, form)
        if line_errors:
            errors += line_errors
        else:
            forms.append((line, form, group))
    errors.sort(key=lambda error: error.line)
    return forms, errors


def _form_errors(number, form):
    seen = []
    for field, field_errors in form.errors.as_data().items():
        column = FIELD_COLUMNS.get(field)
        for error in field_errors:
            for message in error.messages:
                if (column, message) not in seen:
                    seen.append((column, message))
    return [LineError(number, column, message) for column, message in seen]


def _groups_by_name():
    groups = {}
    for group in HabilitationGroup.objects.all():
        groups[normalise_title(group.code)] = group
        groups[normalise_title(group.libelle)] = group
    return groups


def _as_dict(error):
    return {"line": error.line, "column": error.column, "message": error.message}


class _PublicAddress:
    """What accounts.services.one_time_link reads of a request: the public address the import was made
    from (SITE_URL, when set, wins), so that the worker's mails carry a full link."""

    def __init__(self, base):
        self.base = base.rstrip("/")

    def build_absolute_uri(self, path):
        return self.base + path


def forget_old_lines(now=None):
    """Daily: the lines read from files older than LINES_KEPT_DAYS are erased from their import (personal
    data kept no longer than needed); the import itself, who made it and what it created, stay. Idempotent."""
    now = now or timezone.now()
    return UserImport.objects.filter(
        lines_forgotten_at=None, created_at__lt=now - timedelta(days=LINES_KEPT_DAYS)
    ).update(lines=[], lines_forgotten_at=now)
