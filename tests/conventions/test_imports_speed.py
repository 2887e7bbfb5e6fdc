"""Issue 14: a file of 10,000 users is checked in a bounded time — what the creation form looks up is read
once per file, not once per line — with the very rules and French messages of « Créer un utilisateur
partenaire », each refusal still naming its line and column; its users are created with their history,
audit trail and activation mail as one by one."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from afas.models import AuditAction, AuditEvent
from conventions.forms import PartnerUserForm
from conventions.imports import confirm_user_import, read_user_lines, start_user_import
from conventions.models import HabilitationGroup, Membership, UserImport
from tests.accounts.factories import UserFactory
from tests.clock import TODAY, on_today

pytestmark = [pytest.mark.django_db, on_today]

HEADER = "Nom;Prénom;Mail;Téléphone;Groupe\n"


def imported(convention, admin, body):
    lines = read_user_lines(SimpleUploadedFile("u.csv", (HEADER + body).encode()))
    user_import = start_user_import(
        convention, lines, filename="u.csv", by=admin, ip="192.0.2.7", site_base="https://portail.test/"
    )
    user_import.refresh_from_db()
    return user_import


def valid_lines(count, start=0):
    return "".join(
        f"Durand{n};Léa;lea.durand{n}@csdp.fr;04 77 12 34 56;AFAS-DECLARER\n"
        for n in range(start, start + count)
    )


def check_queries(convention, admin, count, start):
    with CaptureQueriesContext(connection) as queries:
        user_import = imported(convention, admin, valid_lines(count, start))
    assert user_import.status == UserImport.Status.CHECKED and user_import.errors == []
    return len(queries)


def test_checking_50_lines_takes_as_many_queries_as_checking_5(convention, admin):
    UserFactory(organisme=convention.organisme, email="deja.la@csdp.fr")  # addresses taken are read too
    assert check_queries(convention, admin, 50, start=0) == check_queries(convention, admin, 5, start=100)


def form_refusals(convention, nom, prenom, email, telephone):
    """What « Créer un utilisateur partenaire » itself says of these values, by column of the file."""
    columns = {"nom": "Nom", "prenom": "Prénom", "email": "Mail", "email_confirmation": "Mail"}
    columns |= {"telephone": "Téléphone", "telephone_confirmation": "Téléphone"}
    form = PartnerUserForm(
        {
            "nom": nom,
            "prenom": prenom,
            "email": email,
            "email_confirmation": email,
            "telephone": telephone,
            "telephone_confirmation": telephone,
            "poste": User.Poste.SEDENTAIRE,
            "groups": [],
            "organisme": convention.organisme_id,
            "date_ouverture": TODAY.isoformat(),
        },
        convention=convention,
    )
    assert not form.is_valid()
    return {(columns[field], message) for field, messages in form.errors.items() for message in messages}


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (";Léa;lea@csdp.fr;;", "Nom", "Ce champ est obligatoire."),
        ("Durand;;lea@csdp.fr;;", "Prénom", "Ce champ est obligatoire."),
        ("D" * 101 + ";Léa;lea@csdp.fr;;", "Nom", "au plus 100 caractères"),
        ("Durand;<b>Léa;lea@csdp.fr;;", "Prénom", "Les caractères < et > ne sont pas acceptés"),
        ("Durand;Léa;pas-une-adresse;;", "Mail", "Saisissez une adresse mail valide"),
        ("Durand;Léa;;;", "Mail", "Ce champ est obligatoire."),
        ("Durand;Léa;lea@csdp.fr;12;", "Téléphone", "numéro de téléphone français à 10 chiffres"),
        ("Durand;Léa;DEJA.LA@csdp.fr;;", "Mail", "déjà celle d'un utilisateur ouvert de l'organisme"),
    ],
)
def test_a_line_refused_by_the_creation_form_names_its_line_column_and_the_forms_message(
    convention, admin, row, column, message
):
    UserFactory(organisme=convention.organisme, email="deja.la@csdp.fr")
    user_import = imported(convention, admin, valid_lines(2) + row + "\n")
    refused = [(error["line"], error["column"], error["message"]) for error in user_import.errors]
    assert {line for line, _, _ in refused} == {4}  # title line 1, two valid lines, then this one
    assert any(col == column and message in text for _, col, text in refused), refused
    nom, prenom, email, telephone, _ = row.split(";")
    assert {(col, text) for _, col, text in refused} == form_refusals(
        convention, nom, prenom, email, telephone
    )


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "Petit;Marc;marc@csdp.fr;;AFAS-INCONNU",
            "Groupe",
            "Groupe inconnu : « AFAS-INCONNU ». Groupes possibles : AFAS-DECLARER, AFAS-HABILITER.",
        ),
        (
            "Petit;Marc;LEA.DURAND1@csdp.fr;;",
            "Mail",
            "Cette adresse mail figure déjà à la ligne 3 du fichier.",
        ),
        (
            "Petit;=1+1;marc@csdp.fr;;",
            "Prénom",
            "Une formule n’est pas acceptée : saisissez la valeur elle-même.",
        ),
    ],
)
def test_a_line_refused_by_the_import_names_its_line_and_column(convention, admin, row, column, message):
    user_import = imported(convention, admin, valid_lines(2) + row + "\n")
    assert [(error["line"], error["column"], error["message"]) for error in user_import.errors] == [
        (4, column, message)
    ]


def test_imported_users_get_their_history_audit_trail_and_mail_as_if_created_one_by_one(convention, admin):
    user_import = imported(convention, admin, valid_lines(3) + "Petit;Marc;marc@csdp.fr;;\n")
    assert confirm_user_import(user_import, by=admin, ip="192.0.2.8")
    users = User.objects.filter(organisme=convention.organisme).exclude(pk=admin.pk).order_by("email")
    assert [user.email for user in users] == [
        "lea.durand0@csdp.fr",
        "lea.durand1@csdp.fr",
        "lea.durand2@csdp.fr",
        "marc@csdp.fr",
    ]
    identifiants = {user.identifiant for user in users}
    assert len(identifiants) == 4 and all(len(i) == 9 and i.isdigit() for i in identifiants)
    for user in users:
        assert not user.has_usable_password() and user.link_sent_at is not None
        assert user.nom_search == user.nom.lower()  # found by the users list's « Nom » filter
        assert [record.history_type for record in user.history.all()] == ["+"]
        created = AuditEvent.objects.get(action=AuditAction.ACCOUNT_CREATED, subject=user)
        assert created.actor == admin
    durand = users[0]
    membership = Membership.objects.get(user=durand)
    assert (membership.group.code, membership.date_ouverture, membership.created_by) == (
        HabilitationGroup.DECLARER,
        TODAY,
        admin,
    )
    assert [record.history_type for record in membership.history.all()] == ["+"]
    added = AuditEvent.objects.get(action=AuditAction.MEMBERSHIP_ADDED, subject=durand)
    assert added.actor == admin and added.details == {"groupe": membership.group.libelle}
    assert not Membership.objects.filter(user__email="marc@csdp.fr").exists()  # no group given
    assert sorted(message.to[0] for message in mail.outbox) == [user.email for user in users]
