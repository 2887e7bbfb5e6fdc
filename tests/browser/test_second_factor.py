"""Issue 13 §1 in the browser: enrolment from « Sécuriser mon compte » without JavaScript needed, the
recovery codes, then the second step at the next sign-in; every page checked by axe-core."""

import re
from base64 import b32decode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import UserFactory
from tests.accounts.second_factor import code, code_of, give_totp
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def submit(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_an_administrator_enrols_then_signs_in_with_a_code(page, visit, sign_in):
    UserFactory(partner_admin=True, identifiant="100000001", prenom="Claire", nom="BERNARD")
    sign_in("100000001")
    assert "Second facteur demandé à la connexion à partir du" in page.content()
    page.get_by_role("link", name="Sécuriser mon compte").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8)).hex()
    page.get_by_label(re.compile("Code à 6 chiffres affiché")).fill("000000")
    submit(page, "Activer le second facteur")
    assert "Ce code ne correspond pas" in page.content()
    page.get_by_label(re.compile("Code à 6 chiffres affiché")).fill(code_of(key))
    submit(page, "Activer le second facteur")
    assert "Votre second facteur est activé" in page.content()
    assert page.locator("[data-recovery-codes] li").count() == 10
    assert TOTPDevice.objects.filter(user__identifiant="100000001", confirmed=True).exists()
    submit(page, "Déconnexion")

    sign_in("100000001")  # the fixture gives the code of the app on the second step
    assert "Bienvenue Claire BERNARD" in page.content()


def test_a_wrong_code_on_the_second_step_is_said_next_to_the_field(page, visit):
    user = UserFactory(partner_admin=True, identifiant="100000002")
    device = give_totp(user)
    visit("/mon-compte-partenaire/connexion/")
    page.get_by_label("Identifiant").fill("100000002")
    page.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
    submit(page, "Connexion")
    assert "/connexion/second-facteur/" in page.url
    field = page.get_by_label("Code à 6 chiffres de l'application, ou code de secours")
    field.fill("000000")
    submit(page, "Valider")
    assert "Code incorrect" in page.content()
    field.fill(code(device))
    submit(page, "Valider")
    assert "/bienvenue/" in page.url
