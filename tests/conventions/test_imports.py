"""Rules 26–27: the users of a file are checked as « Créer un utilisateur partenaire » checks them, then
created all together or not at all, each with their activation mail."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from conventions.imports import (
    check_user_import,
    confirm_user_import,
    create_imported_users,
    forget_old_lines,
    read_user_lines,
    set_progress,
    start_user_import,
)
from conventions.models import HabilitationGroup, UserImport
from core.file_import import ImportFileError
from core.imports import progress_outside_transaction
from tests.accounts.factories import UserFactory
from tests.clock import TODAY, on_today
from tests.conventions.factories import UserImportFactory

pytestmark = [pytest.mark.django_db, on_today]

HEADER = "Nom;Prénom;Mail;Téléphone;Groupe\n"


def imported(convention, admin, body, encoding="utf-8"):
    lines = read_user_lines(SimpleUploadedFile("u.csv", (HEADER + body).encode(encoding)))
    user_import = start_user_import(
        convention, lines, filename="u.csv", by=admin, ip="192.0.2.7", site_base="https://portail.test/"
    )
    user_import.refresh_from_db()
    return user_import


def refusals(user_import):
    return [(error["line"], error["column"], error["message"]) for error in user_import.errors]


def test_a_valid_file_is_checked_then_created_with_groups_and_activation_mails(convention, admin):
    user_import = imported(
        convention,
        admin,
        "Durand;Léa;lea.durand@csdp.fr;04 77 12 34 56;AFAS-DECLARER\n"
        "Petit;Marc;marc.petit@csdp.fr;;afas-hab - afas habiliter\n",
    )
    assert user_import.status == UserImport.Status.CHECKED and user_import.errors == []
    assert user_import.created_ip == "192.0.2.7" and user_import.created_by == admin
    assert not User.objects.filter(email="lea.durand@csdp.fr").exists()  # nothing before confirmation

    assert confirm_user_import(user_import, by=admin, ip="192.0.2.8")
    user_import.refresh_from_db()
    assert user_import.status == UserImport.Status.APPLIED and user_import.confirmed_ip == "192.0.2.8"
    durand = User.objects.get(email="lea.durand@csdp.fr")
    petit = User.objects.get(email="marc.petit@csdp.fr")
    assert (durand.nom, durand.organisme, durand.date_ouverture) == ("DURAND", convention.organisme, TODAY)
    assert list(durand.memberships.values_list("group__code", flat=True)) == [HabilitationGroup.DECLARER]
    assert list(petit.memberships.values_list("group__code", flat=True)) == [HabilitationGroup.HABILITER]
    assert [created["identifiant"] for created in user_import.created_users] == [
        durand.identifiant,
        petit.identifiant,
    ]
    assert sorted(message.to[0] for message in mail.outbox) == ["lea.durand@csdp.fr", "marc.petit@csdp.fr"]
    body = next(message.body for message in mail.outbox if message.to == ["lea.durand@csdp.fr"])
    assert durand.identifiant in body and "https://portail.test/" in body
    assert (user_import.done, user_import.total) == (2, 2)


def test_each_refusal_names_its_line_column_and_reason(convention, admin):
    UserFactory(organisme=convention.organisme, email="deja.la@csdp.fr")
    user_import = imported(
        convention,
        admin,
        "Durand;Léa;lea.durand@csdp.fr;;AFAS-DECLARER\n"
        ";Sans;sans.nom@csdp.fr;;\n"
        "Faux;Mail;pas-une-adresse;;\n"
        "Autre;Groupe;autre@csdp.fr;;AFAS-INCONNU\n"
        "Double;Léa;LEA.DURAND@csdp.fr;;\n"
        "Deja;La;deja.la@csdp.fr;;\n"
        "Tel;Faux;tel@csdp.fr;12;\n"
        '=HYPERLINK("http://x");Jo;jo@csdp.fr;;\n',
    )
    found = refusals(user_import)
    assert (3, "Nom", "Ce champ est obligatoire.") in found
    assert any(line == 4 and column == "Mail" for line, column, _ in found)
    assert (
        5,
        "Groupe",
        "Groupe inconnu : « AFAS-INCONNU ». Groupes possibles : AFAS-DECLARER, AFAS-HABILITER.",
    ) in found
    assert (6, "Mail", "Cette adresse mail figure déjà à la ligne 2 du fichier.") in found
    assert (7, "Mail", "Cette adresse mail est déjà celle d'un utilisateur ouvert de l'organisme.") in found
    assert any(line == 8 and column == "Téléphone" for line, column, _ in found)
    assert any(line == 9 and column == "Nom" and "formule" in message for line, column, message in found)
    assert 2 not in {line for line, _, _ in found}
    assert not user_import.can_be_confirmed
    assert not confirm_user_import(user_import, by=admin, ip=None)
    assert not User.objects.filter(email="lea.durand@csdp.fr").exists() and mail.outbox == []


def test_an_address_taken_after_the_preview_refuses_the_whole_import(convention, admin):
    user_import = imported(convention, admin, "Durand;Léa;lea@csdp.fr;;\nPetit;Marc;marc@csdp.fr;;\n")
    UserFactory(organisme=convention.organisme, email="marc@csdp.fr")  # created meanwhile by hand
    confirm_user_import(user_import, by=admin, ip=None)
    user_import.refresh_from_db()
    assert user_import.status == UserImport.Status.CHECKED
    assert refusals(user_import) == [
        (3, "Mail", "Cette adresse mail est déjà celle d'un utilisateur ouvert de l'organisme.")
    ]
    assert not User.objects.filter(email="lea@csdp.fr").exists() and mail.outbox == []


def test_confirming_or_running_the_creation_twice_creates_and_sends_nothing_twice(convention, admin):
    user_import = imported(convention, admin, "Durand;Léa;lea@csdp.fr;;\n")
    assert confirm_user_import(user_import, by=admin, ip=None)
    assert not confirm_user_import(user_import, by=admin, ip=None)
    create_imported_users.call(user_import.pk)
    check_user_import.call(user_import.pk)
    assert User.objects.filter(email="lea@csdp.fr").count() == 1 and len(mail.outbox) == 1


def test_a_latin1_file_is_created_with_its_accents(convention, admin):
    user_import = imported(convention, admin, "Lefèvre;Hélène;helene@csdp.fr;;\n", encoding="latin-1")
    confirm_user_import(user_import, by=admin, ip=None)
    assert User.objects.get(email="helene@csdp.fr").prenom == "Hélène"


def test_a_file_without_users_or_with_too_many_is_refused(convention):
    with pytest.raises(ImportFileError, match="aucun utilisateur"):
        read_user_lines(SimpleUploadedFile("u.csv", HEADER.encode()))
    many = HEADER + "a;b;c@d.fr;;\n" * 20_001
    with pytest.raises(ImportFileError, match="au plus 20"):
        read_user_lines(SimpleUploadedFile("u.csv", many.encode()))


def test_the_lines_read_are_forgotten_after_7_days_once_only(convention, admin):
    old = UserImportFactory(convention=convention, created_by=admin)
    UserImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    recent = UserImportFactory(convention=convention, created_by=admin)
    call_command("cleanup", verbosity=0)
    assert forget_old_lines() == 0  # the second run finds nothing more to erase
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.lines == [] and old.lines_forgotten_at is not None and old.total == 1
    assert recent.lines and recent.lines_forgotten_at is None
    assert not confirm_user_import(old, by=admin, ip=None)


def test_the_tasks_write_their_progress_in_lines_and_show_they_are_alive(convention, admin):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    user_import = UserImportFactory(
        convention=convention, created_by=admin, status=UserImport.Status.APPLYING, total=300
    )
    UserImport.objects.filter(pk=user_import.pk).update(updated_at=long_ago)
    user_import.refresh_from_db()
    assert user_import.is_stalled and not user_import.is_running
    set_progress(user_import.pk, 200, 600)  # the creation counts each line twice: checked, then created
    user_import.refresh_from_db()
    assert (user_import.done, user_import.total, user_import.progress_percent) == (100, 300, 33)
    assert user_import.is_running and user_import.updated_at > long_ago


@pytest.mark.django_db(transaction=True)
def test_the_progress_of_a_step_in_one_transaction_is_seen_as_it_goes(convention, admin):
    """The creation is all or nothing, its progress is not: the page sees it before the step ends."""
    user_import = UserImportFactory(
        convention=convention, created_by=admin, status=UserImport.Status.APPLYING, total=300
    )
    with pytest.raises(RuntimeError), progress_outside_transaction(), transaction.atomic():
        set_progress(user_import.pk, 300, 600)
        raise RuntimeError("the creation fails: everything it did is rolled back")
    user_import.refresh_from_db()
    assert user_import.done == 150


@pytest.mark.django_db(transaction=True)
def test_a_creation_run_inside_the_request_that_confirmed_it_does_not_wait_for_itself(convention, admin):
    """The immediate backend (DEBUG, `make run`) runs the creation inside the confirming request's
    transaction, which holds the import's row: its progress is written there, not by a second connection
    that would wait for that row forever."""
    user_import = imported(convention, admin, "Durand;Léa;lea.durand@csdp.fr;04 77 12 34 56;\n")
    with transaction.atomic():  # the request (ATOMIC_REQUESTS)
        assert confirm_user_import(user_import, by=admin, ip="192.0.2.7")
    user_import.refresh_from_db()
    assert user_import.status == UserImport.Status.APPLIED
    assert User.objects.filter(email="lea.durand@csdp.fr").exists()
