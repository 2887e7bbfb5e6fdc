import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from afas.habilitations.filters import ACTIVITES_PER_PAGE
from afas.models import Habilitation, Role
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, HabilitationFactory, LieuFactory
from tests.clock import TODAY, on_today

SEARCH = reverse("afas:habilitations")
pytestmark = on_today


def profile(name, organisme, other_organisme):
    return {
        "anonymous": lambda: None,
        "declarant": lambda: UserFactory(organisme=organisme, declarant=True),
        "admin_without_habiliter": lambda: UserFactory(
            organisme=organisme, partner_admin=True, declarant=True
        ),
        "admin_of_another_partner": lambda: UserFactory(
            organisme=other_organisme, partner_admin=True, habiliter=True
        ),
        "agent_of_another_caf": lambda: UserFactory(caf_agent=True),
    }[name]()


# Who may open the search and « Supprimer » is tried for every profile by tests/security/url_matrix.py;
# here, what the matrix does not try: a search that finds rows, and the people of the habilitation's own
# partner.


def test_a_search_by_another_partners_manager_shows_none_of_our_habilitations(
    client, organisme, other_organisme, declarant, activite
):
    HabilitationFactory(user=declarant, activite=activite)
    client.force_login(profile("admin_of_another_partner", organisme, other_organisme))
    response = client.get(SEARCH, {"etat": "actif"})
    assert response.status_code == 200
    assert "DUBOIS" not in response.content.decode() and "Péri Assoc" not in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("declarant", 403), ("admin_without_habiliter", 403)])
def test_end_permission_matrix(client, organisme, other_organisme, declarant, activite, who, status):
    habilitation = HabilitationFactory(user=declarant, activite=activite)
    user = profile(who, organisme, other_organisme)
    if user:
        client.force_login(user)
    url = reverse("afas:habilitation_end", args=[habilitation.pk])
    assert client.get(url).status_code == status
    assert client.post(url).status_code in (status, 302)
    habilitation.refresh_from_db()
    assert habilitation.fin is None


def test_menu_shows_administration_des_profils_only_to_managers(client, manager, declarant):
    client.force_login(manager)
    assert "Administration des profils" in client.get(reverse("accounts:welcome")).content.decode()
    client.force_login(declarant)
    assert "Administration des profils" not in client.get(reverse("accounts:welcome")).content.decode()


def test_etat_is_required(client, manager):
    client.force_login(manager)
    response = client.get(SEARCH, {"role": "fr_da"})
    page = response.content.decode()
    required = "Choisissez l'état de l'habilitation : Actif, Historique, Inactif ou Non attribué."
    assertContains(response, f'<p id="error_1_id_etat"><strong>{required}</strong></p>', html=True)
    assert "Tous les champs marqués d'un astérisque (*) sont obligatoires" in page


def test_nothing_found_says_so(client, manager, activite):
    client.force_login(manager)
    page = client.get(SEARCH, {"etat": "historique"}).content.decode()
    assert "Aucun résultat correspondant au(x) critère(s) de recherche." in page


def test_results_grouped_by_activite_and_lieu(client, manager, declarant, activite, lieux):
    HabilitationFactory(user=declarant, activite=activite, role=Role.FR_DF)
    HabilitationFactory(user=declarant, activite=activite, lieu=lieux[0])
    client.force_login(manager)
    page = client.get(SEARCH, {"etat": "actif"}).content.decode()
    assert "● Activité : Péri Assoc" in page
    assert "● Lieu d'implantation : Site (Péri Assoc)" in page
    assert "Site Ecoles" not in page
    only_activites = client.get(SEARCH, {"etat": "actif", "lieux": "non"}).content.decode()
    assert "● Lieu d" not in only_activites and "● Activité : Péri Assoc" in only_activites


def test_each_etat_lists_its_own_rows(client, manager, declarant, activite):
    HabilitationFactory(user=declarant, activite=activite, role=Role.FR_DA, debut=datetime.date(2020, 3, 4))
    HabilitationFactory(user=declarant, activite=activite, role=Role.FR_DF, fin=datetime.date(2021, 5, 6))
    HabilitationFactory(user=declarant, activite=activite, approbateur=True, debut=datetime.date(2022, 7, 8))
    client.force_login(manager)
    actif = client.get(SEARCH, {"etat": "actif"}).content.decode()
    assert "04/03/2020" in actif and "06/05/2021" not in actif and "08/07/2022" not in actif
    historique = client.get(SEARCH, {"etat": "historique"}).content.decode()
    assert "06/05/2021" in historique and "04/03/2020" not in historique
    inactif = client.get(SEARCH, {"etat": "inactif"}).content.decode()
    assert "08/07/2022" in inactif and "(*) En attente de validation par votre CAF." in inactif


def users_listed(response):
    return [str(row.habilitation.user) for group in response.context["groups"] for row in group.rows]


def test_closed_user_moves_from_actif_to_inactif(client, manager, declarant, activite):
    HabilitationFactory(user=declarant, activite=activite)
    declarant.date_cloture = TODAY
    declarant.save()
    client.force_login(manager)
    assert users_listed(client.get(SEARCH, {"etat": "actif"})) == []
    assert users_listed(client.get(SEARCH, {"etat": "inactif"})) == ["DUBOIS Jean"]


def test_non_attribue_lists_missing_roles_with_a_prefilled_link(client, manager, declarant, activite, lieux):
    HabilitationFactory(user=declarant, activite=activite, role=Role.FR_DF)
    HabilitationFactory(user=declarant, activite=activite, lieu=lieux[0])
    HabilitationFactory(user=declarant, activite=activite, approbateur=True)  # pending: not held yet
    client.force_login(manager)
    response = client.get(SEARCH, {"etat": "non_attribue"})
    groups = response.context["groups"]
    assert [(g.title, [r.role_label for r in g.rows]) for g in groups] == [
        ("Péri Assoc", ["Approbateur", "Fournisseur de données d'activité"]),
        ("Site Ecoles (Péri Assoc)", ["Fournisseur de données d'activité"]),
    ]
    link = groups[1].rows[0].grant_url
    assert f"lieux={lieux[1].pk}" in link and "role=fr_da" in link and "portee=lieux" in link
    form = client.get(link).context["form"]
    assert form.selected_lieu_ids == {lieux[1].pk} and form.scope_mode == "lieux"


def test_non_attribue_a_global_fr_da_covers_the_lieux_of_its_activite(
    client, manager, declarant, organisme, activite, lieux
):
    """Decision 12: the Fr DA « global du service » held on the activité covers all its lieux."""
    for role in (Role.FR_DA, Role.FR_DF):
        HabilitationFactory(user=declarant, activite=activite, role=role)
    HabilitationFactory(user=declarant, activite=activite, validated=True)
    other = ActiviteFactory(organisme=organisme, nom="Extra Assoc")
    LieuFactory(activite=other, nom="Site Plage")
    HabilitationFactory(user=declarant, activite=other, role=Role.FR_DA, fin=TODAY)
    client.force_login(manager)
    response = client.get(SEARCH, {"etat": "non_attribue", "lieux": "oui"})
    # Péri Assoc's two lieux are covered; an ended global Fr DA covers nothing.
    assert group_titles(response) == [("lieu", "Site Plage (Extra Assoc)")]
    assert response.context["page"].paginator.count == 1
    everything = client.get(SEARCH, {"etat": "non_attribue"})
    assert ("lieu", "Site (Péri Assoc)") not in group_titles(everything)


def test_filters_by_user_role_and_activite(client, manager, declarant, activite, organisme):
    other = UserFactory(organisme=organisme, declarant=True, nom="MARTIN")
    extra = ActiviteFactory(organisme=organisme, nom="Extra Assoc")
    HabilitationFactory(user=declarant, activite=activite)
    HabilitationFactory(user=other, activite=extra, role=Role.FR_DF)
    client.force_login(manager)
    assert users_listed(client.get(SEARCH, {"etat": "actif", "utilisateur": other.pk})) == [str(other)]
    assert users_listed(client.get(SEARCH, {"etat": "actif", "role": Role.FR_DA})) == ["DUBOIS Jean"]
    page = client.get(SEARCH, {"etat": "actif", "activite": extra.pk}).content.decode()
    assert "Extra Assoc" in page and "● Activité : Péri Assoc" not in page


# Activités listed that fit in one page (20): their habilitations read in one query; more: those with results
# found first (one EXISTS), then the page's habilitations. With the activité without any habilitation below,
# 1, 20, 21 and 51 activités are listed.
@pytest.mark.parametrize(
    ("count", "queries"), [(1, 16), (ACTIVITES_PER_PAGE - 1, 16), (ACTIVITES_PER_PAGE, 17), (50, 17)]
)
def test_search_runs_a_constant_number_of_queries(
    client, manager, declarant, organisme, count, queries, django_assert_num_queries
):
    for index in range(count):
        activite = ActiviteFactory(organisme=organisme, nom=f"Activité {index:02d}")
        HabilitationFactory(user=declarant, activite=activite, lieu=LieuFactory(activite=activite))
        HabilitationFactory(user=declarant, activite=activite, role=Role.FR_DF)
    ActiviteFactory(organisme=organisme, nom="Activité sans habilitation")  # listed, but no group
    client.force_login(manager)
    # session + user, 2 savepoints of ATOMIC_REQUESTS (x2), rights (groups, conventions, cached for the next
    # requests: the admin's partenaires too), the activités listed with their names (and, beyond one page,
    # those with results: one run of the filter), the habilitations of the page with their lieux' names, the 5 select
    # lists (partenaire, utilisateur, activité, type, nature), and the session's idle-timeout stamp.
    with django_assert_num_queries(queries):
        response = client.get(SEARCH, {"etat": "actif"})
    assert len(response.context["groups"]) == 2 * min(count, ACTIVITES_PER_PAGE)
    assert response.context["page"].paginator.count == count


def group_titles(response):
    return [(group.kind, group.title) for group in response.context["groups"]]


def test_results_are_paged_by_activite_keeping_the_criteria(client, manager, declarant, organisme):
    for index in range(ACTIVITES_PER_PAGE + 3):
        activite = ActiviteFactory(organisme=organisme, nom=f"Activité {index:02d}")
        HabilitationFactory(
            user=declarant, activite=activite, lieu=LieuFactory(activite=activite, nom="Site")
        )
        HabilitationFactory(user=declarant, activite=activite, role=Role.FR_DF)
    ActiviteFactory(organisme=organisme, nom="Activité sans habilitation")  # yields no group: not paged
    client.force_login(manager)
    criteria = {"etat": "actif", "role": Role.FR_DA}
    first = client.get(SEARCH, criteria)
    page = first.content.decode()
    assert "(1 of 2)" in page
    # The lieu stays on the page of its activité; activités without a result take no room.
    assert group_titles(first)[:2] == [("lieu", "Site (Activité 00)"), ("lieu", "Site (Activité 01)")]
    assert len(group_titles(first)) == ACTIVITES_PER_PAGE
    assertContains(
        first, '<a class="page-link" href="?etat=actif&role=fr_da&page=2">Page suivante</a>', html=True
    )
    second = client.get(SEARCH, {**criteria, "page": 2})
    assert "(2 of 2)" in second.content.decode()
    assert group_titles(second) == [("lieu", f"Site (Activité {index})") for index in (20, 21, 22)]


def test_non_attribue_pages_only_activites_with_a_missing_role(client, manager, declarant, organisme):
    complete = ActiviteFactory(organisme=organisme, nom="Activité complète")
    for role in (Role.FR_DA, Role.FR_DF):
        HabilitationFactory(user=declarant, activite=complete, role=role)
    HabilitationFactory(user=declarant, activite=complete, validated=True)
    lieu = LieuFactory(activite=complete, nom="Site couvert")
    HabilitationFactory(user=declarant, activite=complete, lieu=lieu)
    ActiviteFactory(organisme=organisme, nom="Activité incomplète")
    client.force_login(manager)
    response = client.get(SEARCH, {"etat": "non_attribue"})
    assert group_titles(response) == [("activite", "Activité incomplète")]
    assert response.context["page"].paginator.count == 1
    lieu_only = client.get(SEARCH, {"etat": "non_attribue", "lieux": "oui"})
    assert group_titles(lieu_only) == [] and lieu_only.context["page"].paginator.count == 0
    # A new lieu without its own Fr DA is covered by the activité's (decision 12).
    LieuFactory(activite=complete, nom="Site sans FR-DA")
    assert group_titles(client.get(SEARCH, {"etat": "non_attribue", "lieux": "oui"})) == []


def test_end_confirmation_then_historique(client, manager, declarant, activite):
    habilitation = HabilitationFactory(user=declarant, activite=activite)
    client.force_login(manager)
    url = reverse("afas:habilitation_end", args=[habilitation.pk])
    page = client.get(url).content.decode()
    assert "Confirmer la suppression" in page
    habilitation.refresh_from_db()
    assert habilitation.fin is None  # GET changes nothing
    response = client.post(url, REMOTE_ADDR="203.0.113.5", follow=True)
    habilitation.refresh_from_db()
    assert habilitation.fin == TODAY and habilitation.ended_by == manager
    assert habilitation.audit_events.get(action="end").ip_address == "203.0.113.5"
    page = response.content.decode()
    assert "Historique" in page and TODAY.strftime("%d/%m/%Y") in page
    assert response.context["form"].cleaned_data["etat"] == "historique"
    assert Habilitation.objects.filter(pk=habilitation.pk).exists()


def test_ending_a_habilitation_not_started_yet_lists_it_under_historique(
    client, manager, declarant, activite
):
    habilitation = HabilitationFactory(user=declarant, activite=activite, debut=TODAY + datetime.timedelta(9))
    client.force_login(manager)
    url = reverse("afas:habilitation_end", args=[habilitation.pk])
    response = client.get(url)
    confirmation = response.content.decode()
    assertContains(
        response,
        "<p class=\"mb-0\">L'habilitation n'a pas encore commencé : elle sera annulée et n'entrera pas en vigueur. "
        "Elle reste consultable dans l'état « Historique » ; rien n'est effacé.</p>",
        html=True,
    )
    assert "etat=inactif" in confirmation  # « Annuler » goes back to where it is listed
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert "annulée avant son début" in page
    assert [row.habilitation.pk for group in response.context["groups"] for row in group.rows] == [
        habilitation.pk
    ]
    inactif = client.get(SEARCH, {"etat": "inactif"})
    assert inactif.context["groups"] == []
