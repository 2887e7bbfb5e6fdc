"""Item 11 of issue 9: the idle warning, typing as activity, the draft kept across the sign-out, and
signing in again back on the same page. The timeout is shortened through the settings."""

import time

import pytest
from django.contrib.sessions.models import Session

from accounts.middleware import IDLE_MESSAGE
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, DeclarationFactory, HabilitationFactory
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

CAPACITE = "Capacité (places)"


@pytest.fixture
def declaration():
    activite = ActiviteFactory(nom="Acc Ados Assoc")
    jean = UserFactory(identifiant="123456789", organisme=activite.organisme, declarant=True)
    HabilitationFactory(user=jean, activite=activite)
    return DeclarationFactory(activite=activite, exercice=2025)


@pytest.fixture
def short_session(settings):
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_IDLE_WARNING = 5


def open_declaration(page, sign_in, declaration):
    sign_in("123456789")
    page.goto(f"/afas/declarations/{declaration.pk}/")
    assert_accessible(page)


def test_warning_appears_and_rester_connecte_extends_the_session(page, sign_in, settings, declaration):
    settings.SESSION_IDLE_TIMEOUT, settings.SESSION_IDLE_WARNING = 20, 17  # time for axe and screenshots
    open_declaration(page, sign_in, declaration)
    warning = page.get_by_role("alertdialog", name="Vous allez être déconnecté…")
    warning.wait_for(state="visible", timeout=6_000)
    assert "Sans activité de consultation ou de saisie, vous serez déconnecté dans" in warning.inner_text()
    stay = page.get_by_role("button", name="Rester connecté")
    assert page.evaluate("document.activeElement.textContent") == "Rester connecté"  # focus moved to it
    assert_accessible(page)
    from tests.browser.test_layout import shoot

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        shoot(page, f"idle-warning-{width}")
    before = Session.objects.get().get_decoded()["last_activity"]
    stay.click()
    warning.wait_for(state="hidden", timeout=3_000)
    assert Session.objects.get().get_decoded()["last_activity"] > before
    assert page.url.endswith(f"/afas/declarations/{declaration.pk}/")


def test_typing_counts_as_activity(page, sign_in, short_session, declaration):
    open_declaration(page, sign_in, declaration)
    field = page.get_by_label(CAPACITE, exact=True).first
    started = time.monotonic()
    while time.monotonic() - started < 12:  # longer than the 8 s limit
        field.press_sequentially("1")
        page.wait_for_timeout(1_000)
    assert page.url.endswith(f"/afas/declarations/{declaration.pk}/")
    assert page.get_by_role("button", name="Déconnexion").is_visible()


def test_draft_is_kept_at_the_sign_out_and_restored_on_the_same_page(
    page, sign_in, short_session, declaration
):
    open_declaration(page, sign_in, declaration)
    page.get_by_label(CAPACITE, exact=True).first.fill("42")
    page.wait_for_url(lambda url: "/connexion/" in url, timeout=15_000)
    page.wait_for_load_state()
    assert IDLE_MESSAGE in page.content()
    assert "next=/afas/declarations/" in page.url
    assert_accessible(page)
    assert all("_auth_user_id" not in s.get_decoded() for s in Session.objects.all())
    page.get_by_label("Identifiant").fill("123456789")
    page.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(lambda url: url.endswith(f"/afas/declarations/{declaration.pk}/"))
    assert page.get_by_label(CAPACITE, exact=True).first.input_value() == "42"
    assert "Votre saisie non enregistrée au moment de la déconnexion a été rétablie" in page.content()
    assert_accessible(page)


def test_without_javascript_the_server_signs_out(browser, live_server, settings, declaration):
    settings.SESSION_IDLE_TIMEOUT = 1  # plus the middleware's 30 s resolution: simulated below
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/mon-compte-partenaire/connexion/")
    page.get_by_label("Identifiant").fill("123456789")
    page.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    session = Session.objects.get()
    data = session.get_decoded()
    data["last_activity"] -= 60
    Session.objects.filter(pk=session.pk).update(session_data=Session.objects.encode(data))
    page.goto(f"/afas/declarations/{declaration.pk}/")
    assert "/connexion/?next=/afas/declarations/" in page.url and IDLE_MESSAGE in page.content()
    context.close()  # no axe here: it runs as a script, and scripts are off
