import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory
from django_tasks_db.models import DBTaskResult

from accounts.services import send_activation_mail, send_password_reset_mail
from core.mail import send_portal_mail
from tests.accounts.factories import UserFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def activation_context():
    return {
        "user": UserFactory(identifiant="123123123"),
        "link": "https://portail.example.fr/activation/x/y/",
    }


@pytest.mark.django_db
def test_mail_is_sent_at_once_with_the_immediate_backend():
    send_portal_mail("activation", ["claire@example.fr"], activation_context())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["claire@example.fr"]
    assert "123123123" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_mail_waits_in_the_queue_until_the_worker_sends_it(settings):
    settings.TASKS = DATABASE_QUEUE
    send_portal_mail("activation", ["claire@example.fr"], activation_context())
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "core.mail.deliver_mail" and queued.status == "READY"

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    assert len(mail.outbox) == 1 and "123123123" in mail.outbox[0].body
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_leaves_the_mail_in_the_queue_with_its_error(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nobody listens
    send_portal_mail("activation", ["claire@example.fr"], activation_context())
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    failed = DBTaskResult.objects.get()
    assert failed.status == "FAILED" and "123123123" in str(failed.args_kwargs)


@pytest.mark.django_db
def test_plain_text_mails_are_not_html_escaped(django_capture_on_commit_callbacks):
    """« l'effectif d'été & co » arrives as typed, in a return comment and in the names, never as
    « l&#x27;effectif » or « &amp; »."""
    from afas.declarations import services
    from afas.models import State
    from tests.afas.factories import ActiviteFactory, DeclarationFactory, HabilitationFactory

    activite = ActiviteFactory(nom="Crèche l'Été & co")
    HabilitationFactory(activite=activite, user__email="da@example.fr", user__prenom="Zoé", user__nom="D'ARC")
    declaration = DeclarationFactory(activite=activite, state=State.A_APPROUVER)
    by = UserFactory(prenom="Anne-Lise", nom="L'HERMITE & FILS")
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_correction(
            declaration, by, "Revoir l'effectif d'été & co <svp>", services.APPROBATEUR
        )
    body = mail.outbox[0].body
    assert "Revoir l'effectif d'été & co <svp>" in body
    assert "« Crèche l'Été & co »" in body
    assert "Zoé D'ARC" in body and "L'HERMITE & FILS" in body
    assert "&#x27;" not in body and "&amp;" not in body and "&lt;" not in body


@pytest.mark.django_db(transaction=True)
def test_a_mail_queued_under_the_old_task_path_is_still_sent(settings):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    settings.TASKS = DATABASE_QUEUE
    send_portal_mail("activation", ["claire@example.fr"], activation_context())
    DBTaskResult.objects.update(task_path="portal.mail.deliver_mail")  # queued before the upgrade
    executor = MigrationExecutor(connection)
    executor.migrate([("portal", None)])
    executor.loader.build_graph()
    executor.migrate([("portal", "0001_mail_task_moved_to_core")])

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    assert len(mail.outbox) == 1 and DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_no_single_use_link_is_written_in_the_queue(settings, client):
    """The queue's rows are kept for days and shown in the back-office: the link is built when the mail
    is sent, from the user's id (audit, issue 13)."""
    settings.TASKS = DATABASE_QUEUE
    user = UserFactory(identifiant="123123123", email="claire@example.fr")
    request = RequestFactory().get("/")
    send_activation_mail(request, user)
    send_password_reset_mail(request, "123123123")
    stored = "".join(str(row.args_kwargs) for row in DBTaskResult.objects.all())
    assert "/activation/" not in stored and "testserver/" not in stored
    assert DBTaskResult.objects.count() == 2

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    links = [re.search(r"http://testserver(\S+)", message.body).group(1) for message in mail.outbox]
    assert len(links) == 2 and all("/activation/" in link for link in links)
    assert client.get(links[1]).status_code == 302  # a live link: Django swaps the token for the session


@pytest.mark.django_db
def test_a_subject_never_holds_a_line_break():
    send_portal_mail("activation", ["claire@example.fr"], activation_context())
    assert "\n" not in mail.outbox[0].subject
