import pytest

from afas.declarations.notifications import mail_preferences
from afas.models import MailKind
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_mes_notifications_turns_off_a_reminder_from_the_menu(page, sign_in):
    user = UserFactory(identifiant="100000001", prenom="Claire", nom="BERNARD", declarant=True)
    sign_in("100000001")
    page.get_by_role("link", name="Mes notifications").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.get_by_role("heading", name="Mes notifications", level=1).is_visible()
    reminder = page.get_by_label(MailKind.REMINDER_15.label)
    assert reminder.is_checked()
    reminder.uncheck()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert "Vos préférences de notification sont enregistrées." in page.content()
    assert not page.get_by_label(MailKind.REMINDER_15.label).is_checked()
    assert page.get_by_label(MailKind.VALIDATED.label).is_checked()
    assert mail_preferences(user) == {kind: kind != MailKind.REMINDER_15 for kind in MailKind}
