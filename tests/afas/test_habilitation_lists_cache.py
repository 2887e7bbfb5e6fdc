"""The long lists of « Habilitations » and « Habiliter un utilisateur » drawn once and kept in the shared
cache under the partner's data token (core/fragments.py, issue 12): each change of a user, group
membership, activité, lieu or habilitation of the partner reaches the very next page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from afas.models import Activite, ActivityType, Role
from conventions.models import ConventionAdministrator, HabilitationGroup
from conventions.services import close_membership, create_partner_users
from core.fragments import cached_fragment
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, HabilitationFactory, LieuFactory
from tests.clock import TODAY, on_today
from tests.conventions.factories import MembershipFactory, group

SEARCH = reverse("afas:habilitations")
GRANT = reverse("afas:habilitation_grant")
pytestmark = on_today


def option(pk, label, selected=False):
    return f'<option value="{pk}"{" selected" if selected else ""}>{label}</option>'


@pytest.fixture
def signed_in(client, manager, declarant, activite):
    client.force_login(manager)
    assertContains(client.get(SEARCH), option(declarant.pk, "DUBOIS Jean"))  # drawn and kept
    return client


def test_the_lists_are_kept_between_requests(signed_in, declarant, activite):
    # A change that sends no signal (raw UPDATE) is not seen: the kept HTML is served…
    User.objects.filter(pk=declarant.pk).update(nom="DURAND")
    Activite.objects.filter(pk=activite.pk).update(nom="Extra Assoc")
    page = signed_in.get(SEARCH)
    assertContains(page, option(declarant.pk, "DUBOIS Jean"))
    assertContains(page, option(activite.pk, "Péri Assoc"))
    # … and the selected option is marked on the kept HTML, as Django's Select marks it.
    chosen = signed_in.get(SEARCH, {"etat": "actif", "utilisateur": declarant.pk, "activite": activite.pk})
    assertContains(chosen, option(declarant.pk, "DUBOIS Jean", selected=True))
    assertContains(chosen, option(activite.pk, "Péri Assoc", selected=True))
    assertContains(chosen, option("", "Tous"))
    assertContains(signed_in.get(SEARCH), option("", "Tous", selected=True))


def test_a_renamed_user_reaches_the_next_page(signed_in, declarant):
    declarant.nom = "DURAND"
    declarant.save()
    page = signed_in.get(SEARCH)
    assertContains(page, option(declarant.pk, "DURAND Jean"))
    assertNotContains(page, "DUBOIS Jean")


def test_a_new_user_and_a_user_created_in_bulk_reach_the_next_page(signed_in, organisme, manager):
    newcomer = UserFactory(organisme=organisme, nom="MARTIN", prenom="Léa")
    assertContains(signed_in.get(SEARCH), option(newcomer.pk, "MARTIN Léa"))
    fields = {"nom": "PETIT", "prenom": "Hugo", "email": "hugo@example.org", "organisme": organisme}
    fields |= {"date_ouverture": TODAY}
    [imported] = create_partner_users([(fields, [group(HabilitationGroup.DECLARER)])], by=manager)
    assertContains(signed_in.get(SEARCH), option(imported.pk, "PETIT Hugo"))


def test_a_user_moved_to_another_partner_leaves_the_list(signed_in, declarant, other_organisme):
    declarant.organisme = other_organisme
    declarant.save()
    assertNotContains(signed_in.get(SEARCH), "DUBOIS Jean")


def test_a_deleted_user_leaves_the_list(signed_in, organisme):
    passing = UserFactory(organisme=organisme, nom="PASSANT", prenom="Paul")
    assertContains(signed_in.get(SEARCH), "PASSANT Paul")
    passing.delete()
    assertNotContains(signed_in.get(SEARCH), "PASSANT Paul")


def test_joining_or_leaving_afas_declarer_changes_who_can_be_habilitated(signed_in, organisme, declarant):
    outsider = UserFactory(organisme=organisme, nom="MARTIN", prenom="Léa")
    assertNotContains(signed_in.get(GRANT), "MARTIN Léa")
    membership = MembershipFactory(user=outsider)
    assertContains(signed_in.get(GRANT), option(outsider.pk, "MARTIN Léa"))
    close_membership(membership, by=None, on=TODAY)
    assertNotContains(signed_in.get(GRANT), "MARTIN Léa")
    # Reading the user back (no cached user on the membership) drops the token all the same.
    membership = type(membership).objects.get(pk=membership.pk)
    membership.date_cloture = None
    membership.save()
    assertContains(signed_in.get(GRANT), option(outsider.pk, "MARTIN Léa"))


def test_an_activite_created_or_renamed_reaches_both_pages(signed_in, organisme, activite):
    assertContains(signed_in.get(GRANT), option(activite.pk, "Péri Assoc"))
    extra = ActiviteFactory(organisme=organisme, nom="Extra Assoc")
    for url in (SEARCH, GRANT):
        assertContains(signed_in.get(url), option(extra.pk, "Extra Assoc"))
    activite.nom = "Péri Ville"
    activite.save()
    for url in (SEARCH, GRANT):
        page = signed_in.get(url)
        assertContains(page, option(activite.pk, "Péri Ville"))
        assertNotContains(page, "Péri Assoc")


def test_a_lieu_or_an_habilitation_drops_the_partners_token(signed_in, organisme, activite, declarant):
    kept = []

    def drawn():
        kept.append(1)
        return "drawn"

    def fragment():
        return cached_fragment("test", [f"partner:{organisme.pk}"], [], drawn)

    fragment(), fragment()
    assert len(kept) == 1
    lieu = LieuFactory(activite=activite, nom="Site")
    fragment()
    assert len(kept) == 2
    lieu.nom = "Site Ecoles"
    lieu.save()
    fragment()
    assert len(kept) == 3
    habilitation = HabilitationFactory(user=declarant, activite=activite, role=Role.FR_DF)
    fragment()
    assert len(kept) == 4
    # The pages show them at once.
    page = signed_in.get(SEARCH, {"etat": "actif"})
    assertContains(page, "Fournisseur de données financières")
    habilitation.delete()
    fragment()
    assert len(kept) == 5
    page = signed_in.get(f"{GRANT}?portee=lieux")
    assertContains(page, "Site Ecoles")


def test_the_lists_follow_the_administrators_rights(signed_in, manager, organisme, other_organisme):
    stranger = UserFactory(organisme=other_organisme, nom="LOINTAIN", prenom="Luc")
    assertNotContains(signed_in.get(SEARCH), "LOINTAIN Luc")
    seat = ConventionAdministrator.objects.get(user=manager)
    ConventionAdministrator.objects.create(
        user=manager,
        convention=other_organisme.conventions.create(
            libelle="Autre", caf=other_organisme.caf, date_ouverture=datetime.date(2016, 2, 24)
        ),
        date_debut=seat.date_debut,
    )
    assertContains(signed_in.get(SEARCH), option(stranger.pk, "LOINTAIN Luc"))


def test_another_partners_administrator_never_gets_these_lists(client, signed_in, other_organisme):
    other_admin = UserFactory(organisme=other_organisme, partner_admin=True, habiliter=True)
    client.force_login(other_admin)
    assertNotContains(client.get(SEARCH), "DUBOIS Jean")
    assertNotContains(client.get(GRANT), "DUBOIS Jean")


def test_without_a_shared_cache_the_lists_are_drawn_each_time(signed_in, settings, declarant):
    settings.FRAGMENT_CACHE = False
    User.objects.filter(pk=declarant.pk).update(nom="DURAND")
    assertContains(signed_in.get(SEARCH), option(declarant.pk, "DURAND Jean"))


def test_the_kept_lists_spare_their_queries(signed_in):
    with CaptureQueriesContext(connection) as kept:
        signed_in.get(SEARCH, {"etat": "actif"})
    listed = [q["sql"] for q in kept.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    assert listed == []  # the users' list is not read: its options come from the cache


def test_the_search_reads_none_of_its_lists_once_kept(signed_in):
    with CaptureQueriesContext(connection) as kept:
        signed_in.get(SEARCH, {"etat": "actif"})
    tables = ('FROM "conventions_organisme"', 'FROM "afas_activitytype"', 'FROM "afas_activitynature"')
    assert [q["sql"] for q in kept.captured_queries if any(t in q["sql"] for t in tables)] == []


def test_a_type_or_a_nature_changed_reaches_the_search(signed_in, activite):
    kind, nature = activite.type, activite.nature
    kind.code = "ALSH-MODIFIE"
    kind.save()
    nature.libelle = "Extrascolaire"
    nature.save()
    page = signed_in.get(SEARCH)
    assertContains(page, option(kind.pk, "ALSH-MODIFIE"))
    assertContains(page, option(nature.pk, "Extrascolaire"))
    ActivityType.objects.create(code="CLAS", libelle="Accompagnement à la scolarité")
    assertContains(signed_in.get(SEARCH), ">CLAS</option>")


def test_a_renamed_partner_reaches_the_search(signed_in, organisme):
    assertContains(signed_in.get(SEARCH), option(organisme.pk, "Centre Social le Clos des Potiers", True))
    organisme.raison_sociale = "Centre Social des Potiers"
    organisme.save()
    page = signed_in.get(SEARCH)
    assertContains(page, option(organisme.pk, "Centre Social des Potiers", True))
    assertNotContains(page, "Clos des Potiers")
