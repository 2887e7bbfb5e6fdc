"""« Télécharger l'accusé de réception » on the declaration page (rule 31)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from afas.declarations import services
from afas.models import State
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, DeclarationFactory, HabilitationFactory, ReceiptFactory

from .test_views_declarations import profile

pytestmark = pytest.mark.django_db

LINK = "Télécharger l'accusé de réception"


@pytest.fixture
def receipt():
    return ReceiptFactory(declaration__activite=ActiviteFactory(nom="Péri Assoc"))


def receipt_url(declaration, number=1):
    return reverse("afas:declaration_receipt", args=[declaration.pk, number])


@pytest.mark.parametrize("name", ["fr_da", "fr_df", "approbateur"])
def test_who_may_see_the_declaration_downloads_its_receipt(client, receipt, name):
    declaration = receipt.declaration
    client.force_login(profile(name, declaration))
    page = client.get(reverse("afas:declaration", args=[declaration.pk]))
    assertContains(page, f'href="{receipt_url(declaration)}"')
    assertContains(page, f"{LINK} {receipt.reference}")
    response = client.get(receipt_url(declaration))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="accuse-de-reception-{receipt.reference}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "name", ["other_partner", "other_activite", "ended_fr_da", "pending_approbateur", "caf_agent"]
)
def test_who_may_not_see_the_declaration_gets_a_404(client, receipt, name):
    client.force_login(profile(name, receipt.declaration))
    assert client.get(receipt_url(receipt.declaration)).status_code == 404


def test_a_declaration_never_transmitted_has_no_receipt(client):
    declaration = DeclarationFactory(state=State.A_APPROUVER)
    client.force_login(profile("approbateur", declaration))
    assertNotContains(client.get(reverse("afas:declaration", args=[declaration.pk])), LINK)
    assert client.get(receipt_url(declaration)).status_code == 404


def test_each_transmission_has_its_receipt_on_the_page(client, receipt):
    declaration = receipt.declaration
    agent = UserFactory(caf_agent=True, caf=declaration.activite.organisme.caf)
    services.return_for_correction(declaration, agent, "À revoir", services.CAF)
    declaration.state = State.A_APPROUVER
    declaration.save(update_fields=["state"])
    services.transmit(declaration, HabilitationFactory(activite=declaration.activite, validated=True).user)
    client.force_login(profile("fr_da", declaration))
    page = client.get(reverse("afas:declaration", args=[declaration.pk]))
    second = declaration.receipts.last()
    assertContains(page, f"{LINK} {receipt.reference}")
    assertContains(page, f"{LINK} {second.reference}")
    assert client.get(receipt_url(declaration, 1)).status_code == 200
    assert client.get(receipt_url(declaration, 2)).status_code == 200
    assert client.get(receipt_url(declaration, 3)).status_code == 404


def test_the_transmission_page_leads_to_the_receipt(client):
    declaration = DeclarationFactory(state=State.A_APPROUVER)
    client.force_login(profile("approbateur", declaration))
    response = client.post(reverse("afas:declaration_transmit", args=[declaration.pk]), follow=True)
    assertContains(response, f"{LINK} {declaration.receipts.get().reference}")


def test_a_declaration_returned_after_its_transmission_keeps_its_receipt_on_the_page(
    client, django_assert_num_queries
):
    """The receipts are read for a declaration ever transmitted (receipts_shown): in the partner's hands
    again, it still lists the receipt of its transmission."""
    declaration = DeclarationFactory(state=State.A_APPROUVER)
    services.transmit(declaration, HabilitationFactory(activite=declaration.activite, validated=True).user)
    agent = UserFactory(caf_agent=True, caf=declaration.activite.organisme.caf)
    services.return_for_correction(declaration, agent, "À revoir", services.CAF)
    client.force_login(profile("fr_da", declaration))
    url = reverse("afas:declaration", args=[declaration.pk])
    client.get(url)
    # as test_the_declaration_page_runs_a_constant_number_of_queries, and the receipts = 6
    with django_assert_num_queries(6):
        page = client.get(url)
    assertContains(page, f"{LINK} {declaration.receipts.get().reference}")
