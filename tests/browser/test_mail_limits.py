import pytest

from accounts.services import mail_limited_message
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_limited_forgotten_password_says_so_next_to_the_field(page, visit, settings):
    settings.MAIL_RATE_LIMIT = 1
    for _ in range(2):
        visit("/mon-compte-partenaire/mot-de-passe-oublie/")
        page.get_by_label("Identifiant").fill("999999999")
        page.get_by_role("button", name="Recevoir le lien").click()
        page.wait_for_load_state()
    assert_accessible(page)
    assert mail_limited_message() in page.content().replace("&nbsp;", "\u00a0")
    assert page.get_by_label("Identifiant").input_value() == "999999999"
