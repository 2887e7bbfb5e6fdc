import datetime
import logging

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from afas.models import AuditEvent, Habilitation, Role
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.afas.factories import ActiviteFactory, HabilitationFactory, LieuFactory
from tests.afas.test_views_habilitations import profile
from tests.clock import TODAY, on_today

GRANT = reverse("afas:habilitation_grant")
pytestmark = on_today


def form_data(organisme, user, role, portee="activites", action="enregistrer", **extra):
    return {
        "organisme": organisme.pk,
        "utilisateur": user.pk,
        "role": role,
        "debut": TODAY.isoformat(),
        "portee": portee,
        "action": action,
        **extra,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("declarant", 403),
        ("admin_without_habiliter", 403),
        ("admin_of_another_partner", 200),
        ("agent_of_another_caf", 403),
    ],
)
def test_grant_permission_matrix(client, organisme, other_organisme, declarant, activite, who, status):
    user = profile(who, organisme, other_organisme)
    if user:
        client.force_login(user)
    response = client.get(GRANT, {"portee": "activites", "activites": activite.pk})
    assert response.status_code == status
    assert "Péri Assoc" not in response.content.decode() and "DUBOIS" not in response.content.decode()
    response = client.post(GRANT, form_data(organisme, declarant, Role.FR_DA, activites=[activite.pk]))
    assert response.status_code == status
    assert not Habilitation.objects.exists()


def test_only_declarants_of_the_partner_are_offered(client, manager, declarant, organisme):
    UserFactory(organisme=organisme, nom="SANSGROUPE")
    client.force_login(manager)
    page = client.get(GRANT).content.decode()
    assert "DUBOIS Jean" in page and "SANSGROUPE" not in page


def test_user_outside_afas_declarer_is_refused_server_side(client, manager, organisme, activite):
    outsider = UserFactory(organisme=organisme)
    client.force_login(manager)
    response = client.post(GRANT, form_data(organisme, outsider, Role.FR_DA, activites=[activite.pk]))
    assert "Seuls les utilisateurs du groupe AFAS-DECLARER de ce partenaire" in response.content.decode()
    assert not Habilitation.objects.exists()


def test_save_and_stay_ready_for_the_next_role(client, manager, declarant, organisme, lieux):
    client.force_login(manager)
    response = client.post(
        GRANT,
        form_data(organisme, declarant, Role.FR_DA, portee="lieux", lieux=[lieux[0].pk, lieux[1].pk]),
        REMOTE_ADDR="198.51.100.4",
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(GRANT)
    page = response.content.decode()
    assert "Habilitation(s) créée(s) pour DUBOIS Jean au rôle de Fournisseur de données d" in page
    assert "Site (Péri Assoc), Site Ecoles (Péri Assoc)" in page
    assert response.context["form"]["utilisateur"].value() == str(declarant.pk)
    assert Habilitation.objects.in_force().filter(user=declarant, lieu__in=lieux).count() == 2
    assert set(AuditEvent.objects.values_list("ip_address", flat=True)) == {"198.51.100.4"}


def test_save_and_quit_shows_what_was_created(client, manager, declarant, organisme, activite):
    extra = ActiviteFactory(organisme=organisme, nom="Extra Assoc")
    client.force_login(manager)
    data = form_data(organisme, declarant, Role.APPROBATEUR, action="enregistrer_quitter")
    response = client.post(GRANT, {**data, "activites": [activite.pk, extra.pk]}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("afas:habilitations"))
    page = response.content.decode()
    assert response.context["form"].cleaned_data["etat"] == "inactif"
    assert page.count("(*) En attente de validation par votre CAF.") >= 2
    (created,) = [
        str(m) for m in response.context["messages"] if str(m).startswith("Habilitation(s) créée(s)")
    ]
    assert "au rôle d'Approbateur" in created
    assertContains(response, created, html=True)
    assertNotContains(response, "au rôle de Approbateur")
    assert "● Activité : Extra Assoc" in page and "● Activité : Péri Assoc" in page


@pytest.mark.parametrize(
    ("portee", "message"),
    [
        ("activites", "La sélection d'au moins une activité est obligatoire."),
        ("lieux", "La sélection d'au moins un lieu d'implantation est obligatoire."),
    ],
)
def test_a_scope_is_required_and_nothing_typed_is_lost(
    client, manager, declarant, organisme, lieux, portee, message
):
    client.force_login(manager)
    response = client.post(GRANT, form_data(organisme, declarant, Role.FR_DA, portee=portee))
    form = response.context["form"]
    assertContains(response, message, html=True)
    assert form["utilisateur"].value() == str(declarant.pk) and form["role"].value() == Role.FR_DA


@pytest.mark.parametrize("role", [Role.FR_DF, Role.APPROBATEUR])
def test_fr_df_and_approbateur_on_lieux_are_refused_with_the_rule(
    client, manager, declarant, organisme, lieux, role
):
    client.force_login(manager)
    response = client.post(GRANT, form_data(organisme, declarant, role, portee="lieux", lieux=[lieux[0].pk]))
    rule = (
        f"Le rôle « {Role(role).label} » s'attribue uniquement sur des activités, jamais sur un lieu "
        "d'implantation : choisissez « des activités »."
    )
    assertContains(response, f'<p id="error_1_id_portee"><strong>{rule}</strong></p>', html=True)
    assert not Habilitation.objects.exists()


def test_overlap_is_refused_naming_it(client, manager, declarant, organisme, activite):
    HabilitationFactory(user=declarant, activite=activite, debut=datetime.date(2021, 9, 1))
    client.force_login(manager)
    response = client.post(GRANT, form_data(organisme, declarant, Role.FR_DA, activites=[activite.pk]))
    page = response.content.decode()
    assert "sur Péri Assoc à partir du 01/09/2021" in page and "chevauche" in page
    assert Habilitation.objects.count() == 1


def test_start_date_in_the_past_is_refused(client, manager, declarant, organisme, activite):
    client.force_login(manager)
    data = form_data(organisme, declarant, Role.FR_DA, activites=[activite.pk])
    data["debut"] = (TODAY - datetime.timedelta(days=1)).isoformat()
    response = client.post(GRANT, data)
    assert "ne peut pas être dans le passé" in response.content.decode()
    assert not Habilitation.objects.exists()


def test_afficher_keeps_every_choice_without_javascript(
    client, manager, declarant, organisme, activite, lieux
):
    client.force_login(manager)
    data = form_data(organisme, declarant, Role.FR_DA, action="afficher_lieux", activites=[activite.pk])
    response = client.post(GRANT, data)
    form = response.context["form"]
    assert form.scope_mode == "lieux" and form.selected_activite_ids == {activite.pk}
    assert form["utilisateur"].value() == str(declarant.pk)
    page = response.content.decode()
    assert (
        f'id="lieu-{lieux[0].pk}"' in page
        and f'<label class="form-check-label" for="lieu-{lieux[0].pk}">' in page
    )
    assert "Sélectionner tous les lieux d'implantation de l'activité Péri Assoc" in page
    assert not Habilitation.objects.exists()


def test_bulk_selection_buttons_tick_boxes_server_side(
    client, manager, declarant, organisme, activite, lieux
):
    extra = ActiviteFactory(organisme=organisme, nom="Extra Assoc")
    extra_site = LieuFactory(activite=extra, nom="Site")
    client.force_login(manager)
    base = form_data(organisme, declarant, Role.FR_DA)
    form = client.post(GRANT, {**base, "action": "tout_activites"}).context["form"]
    assert form.selected_activite_ids == {activite.pk, extra.pk}
    form = client.post(GRANT, {**base, "portee": "lieux", "action": "tout_lieux"}).context["form"]
    assert form.selected_lieu_ids == {lieux[0].pk, lieux[1].pk, extra_site.pk}
    data = {**base, "portee": "lieux", "action": f"tout_lieux_{extra.pk}", "lieux": [lieux[0].pk]}
    form = client.post(GRANT, data).context["form"]
    assert form.selected_lieu_ids == {lieux[0].pk, extra_site.pk}


def test_foreign_scope_ids_are_refused(client, manager, declarant, organisme, other_organisme):
    foreign = ActiviteFactory(organisme=other_organisme, nom="ESC Commune de Martigues")
    client.force_login(manager)
    response = client.post(GRANT, form_data(organisme, declarant, Role.FR_DA, activites=[foreign.pk]))
    assert response.status_code == 200
    assert not Habilitation.objects.exists()
    assert "ESC Commune de Martigues" not in response.content.decode()


def test_granting_an_approbateur_asks_to_confirm_the_identity(
    client, manager, declarant, organisme, activite, time_machine
):
    client.force_login(manager)
    time_machine.shift(datetime.timedelta(minutes=6))
    data = {**form_data(organisme, declarant, Role.APPROBATEUR), "activites": [activite.pk]}
    response = client.post(GRANT, data)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:reauth"))
    assert not Habilitation.objects.filter(user=declarant, role=Role.APPROBATEUR).exists()
    client.post(reverse("accounts:reauth"), {"password": DEFAULT_PASSWORD})
    client.post(GRANT, data)
    assert Habilitation.objects.filter(user=declarant, role=Role.APPROBATEUR).count() == 1


def test_granting_another_role_asks_nothing_more(
    client, manager, declarant, organisme, activite, time_machine
):
    client.force_login(manager)
    time_machine.shift(datetime.timedelta(minutes=6))
    client.post(GRANT, {**form_data(organisme, declarant, Role.FR_DA), "activites": [activite.pk]})
    assert Habilitation.objects.filter(user=declarant, role=Role.FR_DA).count() == 1


def test_a_foreign_scope_id_is_logged_as_a_choice_refused(
    client, manager, declarant, organisme, other_organisme, caplog
):
    """ASVS 16.3.3: an id the page did not offer cannot come from it; the attempt is in the logs."""
    foreign = ActiviteFactory(organisme=other_organisme)
    client.force_login(manager)
    caplog.set_level(logging.WARNING, logger="security")
    client.post(GRANT, form_data(organisme, declarant, Role.FR_DA, activites=[foreign.pk]))
    refused = [record for record in caplog.records if getattr(record, "event", None) == "choice_refused"]
    assert [record.field for record in refused] == ["activités"]
    assert str(foreign.pk) not in refused[0].getMessage()
    assert not Habilitation.objects.exists()


def test_an_ordinary_mistake_is_no_security_event(client, manager, declarant, organisme, caplog):
    client.force_login(manager)
    caplog.set_level(logging.INFO, logger="security")
    client.post(GRANT, form_data(organisme, declarant, Role.FR_DA, debut="pas une date"))
    assert not [record for record in caplog.records if getattr(record, "event", None) == "choice_refused"]
