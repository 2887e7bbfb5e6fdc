"""« Mes notifications » (rule 28): each user sees and changes which declaration mails they get."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from afas.declarations.notifications import mail_preferences
from afas.models import MailKind, MailPreference
from tests.accounts.factories import UserFactory
from tests.accounts.second_factor import force_login_verified
from tests.afas.factories import HabilitationFactory, MailPreferenceFactory
from tests.clock import on_today

pytestmark = [pytest.mark.django_db, on_today]

URL = reverse("afas:notifications")
EVERY_MAIL = {kind.value: "on" for kind in MailKind}


def test_every_mail_is_wanted_until_turned_off(client, declarant):
    client.force_login(declarant)
    response = client.get(URL)
    for kind in MailKind:
        assertContains(
            response,
            f'<input type="checkbox" name="{kind.value}" class="form-check-input" id="id_{kind.value}" '
            "checked>",
            html=True,
        )
        assertContains(
            response, f'<label class="form-check-label" for="id_{kind.value}">{kind.label}</label>', html=True
        )


def test_unticking_a_mail_turns_it_off_and_keeps_the_others(client, declarant):
    client.force_login(declarant)
    response = client.post(URL, {**EVERY_MAIL, MailKind.REMINDER_15: ""})
    assert response.status_code == 302 and response.url == URL
    assert mail_preferences(declarant) == {kind: kind != MailKind.REMINDER_15 for kind in MailKind}
    page = client.get(URL)
    assert "Vos préférences de notification sont enregistrées." in page.content.decode()
    assert not page.context["form"][MailKind.REMINDER_15].initial


def test_ticking_it_again_keeps_the_row_and_its_history(client, declarant):
    MailPreferenceFactory(user=declarant, kind=MailKind.VALIDATED)
    client.force_login(declarant)
    client.post(URL, EVERY_MAIL)
    preference = MailPreference.objects.get(user=declarant, kind=MailKind.VALIDATED)
    assert preference.enabled
    assert [h.enabled for h in preference.history.order_by("history_date")] == [False, True]
    assert preference.history.latest().history_user == declarant


def test_saving_without_change_writes_nothing(client, declarant):
    client.force_login(declarant)
    client.post(URL, EVERY_MAIL)
    assert not MailPreference.objects.exists()


def test_a_user_changes_only_their_own_preferences(client, declarant):
    other = UserFactory(declarant=True)
    client.force_login(declarant)
    response = client.post(URL, {})  # every box unticked
    assert response.status_code == 302
    assert all(mail_preferences(other).values())
    assert not any(mail_preferences(declarant).values())


def test_the_administrator_of_a_partner_has_the_page_too(client):
    admin = UserFactory(partner_admin=True, habiliter=True)
    force_login_verified(client, admin)
    response = client.get(reverse("accounts:welcome"))
    assertContains(response, f'href="{URL}"')
    assert client.get(URL).status_code == 200


def test_signed_out_the_page_asks_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def checkbox(kind, checked=True):
    return (
        f'<input type="checkbox" name="{kind.value}" class="form-check-input" id="id_{kind.value}"'
        f"{' checked' if checked else ''}>"
    )


@pytest.mark.parametrize("trait", ["validated", "approbateur"], ids=["validated", "awaiting the Caf"])
def test_an_approbateur_may_turn_off_the_mail_of_a_declaration_to_approve(client, declarant, activite, trait):
    HabilitationFactory(user=declarant, activite=activite, **{trait: True})
    client.force_login(declarant)
    response = client.get(URL)
    for kind in MailKind:  # every mail of rules 28 and 29 concerns an approbateur
        assertContains(response, checkbox(kind), html=True)
        assertContains(
            response, f'<label class="form-check-label" for="id_{kind.value}">{kind.label}</label>', html=True
        )
    client.post(URL, {**EVERY_MAIL, MailKind.TO_APPROVE: ""})
    assert MailPreference.objects.get(user=declarant).kind == MailKind.TO_APPROVE


@pytest.mark.parametrize("trait", ["financial", "on_lieu"], ids=["Fr DF", "Fr DA on a lieu"])
def test_a_provider_sees_every_mail_but_the_approbateurs(client, declarant, activite, trait):
    HabilitationFactory(user=declarant, activite=activite, **{trait: True})
    HabilitationFactory(user=declarant, activite=activite, refused=True)  # refused: grants nothing
    HabilitationFactory(user=declarant, activite=activite, validated=True, ended=True)
    client.force_login(declarant)
    response = client.get(URL)
    assertNotContains(response, MailKind.TO_APPROVE.label)
    for kind in set(MailKind) - {MailKind.TO_APPROVE}:
        assertContains(response, checkbox(kind), html=True)
    client.post(URL, {})  # every box shown unticked
    assert mail_preferences(declarant) == {kind: kind == MailKind.TO_APPROVE for kind in MailKind}


def test_the_page_is_a_plain_form_that_needs_no_script(client, declarant):
    client.force_login(declarant)
    response = client.get(URL)
    form = response.content.decode().split('<form method="post"')[1].split("</form>")[0]
    assert "<script" not in form and "onclick" not in form and "disabled" not in form
    assertContains(response, '<button type="submit" class="btn btn-primary">Enregistrer</button>', html=True)
    assertContains(response, "<legend", count=1)
