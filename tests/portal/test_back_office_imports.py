"""Back-office « imports de données d'activité » and « imports d'utilisateurs »: the agent follows their
Caf's file imports (file, who, when, état, lines), filtered by état, and changes nothing there."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from afas.models import DeclarationImport
from conventions.models import UserImport
from tests.afas.factories import DeclarationImportFactory
from tests.conventions.factories import CafFactory, UserImportFactory

pytestmark = pytest.mark.django_db

SCREENS = ["afas_declarationimport", "conventions_userimport"]


@pytest.fixture
def imports(loire):
    """One import of each kind in the Loire, one in another Caf."""
    elsewhere = CafFactory(nom="Caf des Bouches-du-Rhône")
    return {
        "afas_declarationimport": (
            DeclarationImportFactory(campaign__caf=loire, file_name="loire-activite.csv", total=12),
            DeclarationImportFactory(campaign__caf=elsewhere, file_name="bdr-activite.csv"),
        ),
        "conventions_userimport": (
            UserImportFactory(convention__organisme__caf=loire, file_name="loire-utilisateurs.csv"),
            UserImportFactory(convention__organisme__caf=elsewhere, file_name="bdr-utilisateurs.csv"),
        ),
    }


@pytest.mark.parametrize("screen", SCREENS)
def test_the_agent_lists_their_cafs_imports_only(client, agent, imports, screen):
    ours, theirs = imports[screen]
    response = client.get(reverse(f"admin:{screen}_changelist"))
    assertContains(response, ours.file_name)
    assertContains(response, str(ours.created_by))
    assertNotContains(response, theirs.file_name)
    assertContains(response, "Par état")  # the filter by état


@pytest.mark.parametrize("screen", SCREENS)
def test_another_cafs_import_is_a_404_for_the_agent(client, agent, imports, screen):
    ours, theirs = imports[screen]
    assert client.get(reverse(f"admin:{screen}_change", args=[ours.pk])).status_code == 200
    assert client.get(reverse(f"admin:{screen}_change", args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize("screen", SCREENS)
def test_nobody_adds_changes_or_deletes_an_import_here(client, agent, imports, screen):
    ours, _ = imports[screen]
    assert client.get(reverse(f"admin:{screen}_add")).status_code == 403
    change = client.get(reverse(f"admin:{screen}_change", args=[ours.pk]))
    assertNotContains(change, 'name="_save"')  # viewed, not changed
    assert client.post(reverse(f"admin:{screen}_delete", args=[ours.pk]), {"post": "yes"}).status_code == 403
    assert type(ours).objects.filter(pk=ours.pk).exists()


def test_the_list_filters_by_etat_and_shows_a_stalled_import_interrupted(client, agent, loire):
    long_ago = timezone.now() - timedelta(hours=1)
    UserImportFactory(
        convention__organisme__caf=loire,
        file_name="arrete.csv",
        status=UserImport.Status.CHECKING,
        updated_at=long_ago,
    )
    UserImportFactory(
        convention__organisme__caf=loire, file_name="fini.csv", status=UserImport.Status.APPLIED
    )
    url = reverse("admin:conventions_userimport_changelist")
    response = client.get(url, {"status__exact": UserImport.Status.CHECKING})
    assertContains(response, "arrete.csv")
    assertContains(response, '<td class="field-shown_status">Interrompu</td>', html=True)
    assertNotContains(response, "fini.csv")
    declarations = client.get(
        reverse("admin:afas_declarationimport_changelist"),
        {"status__exact": DeclarationImport.Status.APPLIED},
    )
    assert declarations.status_code == 200
