"""Issue 13 §1 in the browser: a passkey added from « Sécuriser mon compte » with Chromium's virtual
authenticator (CDP WebAuthn domain), then used at the second step; without WebAuthn the page says what a
passkey needs and the app's enrolment stays. Every page checked by axe-core."""

import pytest

from accounts.second_factor.models import Passkey
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

SECURITY = "/mon-compte-partenaire/securite/"
LOGIN = "/mon-compte-partenaire/connexion/"
REAUTH = "/mon-compte-partenaire/confirmer-mon-identite/"


def virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp


def click_and_wait(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_an_administrator_adds_a_passkey_then_signs_in_with_it(page, visit, sign_in):
    UserFactory(partner_admin=True, identifiant="100000001", prenom="Claire", nom="BERNARD")
    virtual_authenticator(page)
    sign_in("100000001")  # within the grace period: the password alone
    visit(SECURITY)
    assert not page.get_by_text("Une clé d'accès demande un navigateur").is_visible()
    page.get_by_label("Nom de la clé (facultatif)").fill("Ordinateur de Claire")
    click_and_wait(page, "Ajouter une clé d'accès (passkey)")
    assert "Votre clé d'accès « Ordinateur de Claire » est ajoutée" in page.content()
    assert page.locator("[data-recovery-codes] li").count() == 10
    passkey = Passkey.objects.get(user__identifiant="100000001", confirmed=True)
    click_and_wait(page, "Déconnexion")

    visit(LOGIN)
    page.get_by_label("Identifiant").fill("100000001")
    page.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
    click_and_wait(page, "Connexion")
    assert "/connexion/second-facteur/" in page.url
    click_and_wait(page, "Utiliser ma clé d'accès")
    assert "Bienvenue Claire BERNARD" in page.content()
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None and passkey.sign_count >= 1


def test_a_browser_without_passkeys_is_told_and_keeps_the_app(page, visit, sign_in):
    UserFactory(declarant=True, identifiant="100000002")
    page.add_init_script("delete window.PublicKeyCredential")  # a browser without WebAuthn
    sign_in("100000002")
    visit(SECURITY)
    assert page.get_by_text("Une clé d'accès demande un navigateur qui la prend en charge").is_visible()
    assert not page.get_by_role("button", name="Ajouter une clé d'accès (passkey)").is_visible()
    assert page.get_by_role("button", name="Activer le second facteur").is_visible()


def test_a_passkey_confirms_the_identity_before_a_sensitive_action(page, visit, sign_in):
    """« Confirmer mon identité »: the password, then « Utiliser ma clé d'accès » instead of a code."""
    UserFactory(partner_admin=True, identifiant="100000001", prenom="Claire", nom="BERNARD")
    virtual_authenticator(page)
    sign_in("100000001")
    visit(SECURITY)
    click_and_wait(page, "Ajouter une clé d'accès (passkey)")
    passkey = Passkey.objects.get(user__identifiant="100000001", confirmed=True)
    signed_before = passkey.sign_count

    visit(REAUTH + "?next=" + SECURITY)
    assert "ou utilisez votre clé d'accès" in page.content()
    page.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
    click_and_wait(page, "Utiliser ma clé d'accès")
    assert page.url.endswith(SECURITY)
    passkey.refresh_from_db()
    assert passkey.sign_count > signed_before and passkey.last_used_at is not None
