import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from afas.models import AuditEvent, Habilitation
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.afas.factories import ActiviteFactory, HabilitationFactory
from tests.clock import on_today
from tests.conventions.factories import CafFactory, OrganismeFactory

PENDING = reverse("admin:afas_approbateuravalider_changelist")


@pytest.fixture
def pending(declarant, activite, manager):
    extra = ActiviteFactory(organisme=activite.organisme, nom="Extra Assoc")
    return [
        HabilitationFactory(user=declarant, activite=activite, approbateur=True, granted_by=manager),
        HabilitationFactory(user=declarant, activite=extra, approbateur=True, granted_by=manager),
    ]


def test_agent_sees_only_their_cafs_pending_approbateurs(client, agent, pending):
    foreign_organisme = OrganismeFactory(caf=CafFactory(nom="Caf des Bouches-du-Rhône", code="131"))
    HabilitationFactory(
        activite=ActiviteFactory(organisme=foreign_organisme, nom="ESC Commune"), approbateur=True
    )
    HabilitationFactory(activite=pending[0].activite, role="fr_df")  # not an approbateur
    client.force_login(agent)
    page = client.get(PENDING).content.decode()
    assert "Péri Assoc" in page and "Extra Assoc" in page and "BERNARD Claire" in page
    assert "ESC Commune" not in page
    assert len(client.get(PENDING).context["cl"].result_list) == 2


def test_bulk_validation_activates_mails_and_audits(client, agent, pending, manager):
    client.force_login(agent)
    response = client.post(
        PENDING, {"action": "validate", ACTION_CHECKBOX_NAME: [h.pk for h in pending]}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    assert Habilitation.objects.in_force().filter(pk__in=[h.pk for h in pending]).count() == 2
    assert len(mail.outbox) == 2 and mail.outbox[0].to == [manager.email]
    assert AuditEvent.objects.filter(action="validated", actor=agent, ip_address="10.1.2.3").count() == 2
    assert client.get(PENDING).context["cl"].result_count == 0


def test_refusal_asks_for_a_motif_first(client, agent, pending):
    client.force_login(agent)
    data = {"action": "refuse", ACTION_CHECKBOX_NAME: [pending[0].pk]}
    page = client.post(PENDING, data).content.decode()
    assert "Motif du refus" in page
    page = client.post(PENDING, {**data, "apply": "1", "motif": ""}).content.decode()
    assert "Le motif du refus est obligatoire." in page
    assert Habilitation.objects.get(pk=pending[0].pk).is_pending
    response = client.post(PENDING, {**data, "apply": "1", "motif": "Délégation de signature manquante"})
    assert response.status_code == 302
    refused = Habilitation.objects.get(pk=pending[0].pk)
    assert refused.caf_decision == "refused" and refused.refusal_motif == "Délégation de signature manquante"
    assert "Délégation de signature manquante" in mail.outbox[0].body
    assert AuditEvent.objects.filter(habilitation=refused, action="refused").exists()


def test_agent_suspends_a_habilitation(client, agent, declarant, activite):
    habilitation = HabilitationFactory(user=declarant, activite=activite)
    client.force_login(agent)
    url = reverse("admin:afas_habilitation_changelist")
    client.post(url, {"action": "suspend", ACTION_CHECKBOX_NAME: [habilitation.pk]})
    assert Habilitation.objects.ended().filter(pk=habilitation.pk).exists()


def test_audit_trail_is_read_only_and_per_habilitation(client, agent, pending):
    event = AuditEvent.objects.create(action="grant", habilitation=pending[0], subject=pending[0].user)
    client.force_login(agent)
    page = client.get(reverse("admin:afas_habilitation_change", args=[pending[0].pk])).content.decode()
    assert "grant" in page
    assert (
        client.get(
            reverse("admin:afas_auditevent_changelist"), {"subject__id__exact": pending[0].user_id}
        ).status_code
        == 200
    )
    assert client.get(reverse("admin:afas_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:afas_auditevent_delete", args=[event.pk])).status_code == 403
    change = client.post(reverse("admin:afas_auditevent_change", args=[event.pk]), {"action": "x"})
    assert change.status_code == 403
    event.refresh_from_db()
    assert event.action == "grant"


def test_agent_of_another_caf_gets_404_on_a_foreign_habilitation(client, pending):
    stranger = UserFactory(caf_agent=True, caf=CafFactory(nom="Caf des Bouches-du-Rhône", code="131"))
    client.force_login(stranger)
    response = client.get(reverse("admin:afas_habilitation_change", args=[pending[0].pk]))
    assert response.status_code == 404  # like an unknown id: never shown, never confirmed to exist
    assert "Péri Assoc" not in client.get(reverse("admin:afas_habilitation_changelist")).content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_habilitations_changelist_counts_once_and_stays_in_the_caf(
    client, agent, declarant, activite, count, django_assert_num_queries
):
    for _index in range(count):
        HabilitationFactory(user=declarant, activite=ActiviteFactory(organisme=activite.organisme))
    foreign = OrganismeFactory(caf=CafFactory(nom="Caf des Bouches-du-Rhône", code="131"))
    HabilitationFactory(activite=ActiviteFactory(organisme=foreign, nom="ESC Commune"))
    client.force_login(agent)
    # 12 whatever the count: session + user, 2 savepoints of ATOMIC_REQUESTS (x2), the filters' types and
    # natures, ONE count (the Caf's: show_full_result_count is off, 600,000 rows nationally), the page of
    # rows with activité and lieu joined, their users (by primary key: joined, PostgreSQL looked up the
    # user of each of the Caf's rows before sorting), the session's update. (No query of the agent's
    # Django permissions: the superuser-only screens of the side menu refuse an agent before asking them.)
    with django_assert_num_queries(12) as queries:
        response = client.get(reverse("admin:afas_habilitation_changelist"))
    assert response.context["cl"].result_count == count
    assert "ESC Commune" not in response.content.decode()
    # The scope follows foreign keys only: no DISTINCT, which sorted every row of the Caf.
    assert not any("DISTINCT" in query["sql"] for query in queries.captured_queries)


@on_today
def test_validation_asks_the_agent_to_confirm_their_identity(client, agent, pending, time_machine):
    client.force_login(agent)
    time_machine.shift(datetime.timedelta(minutes=6))
    data = {"action": "validate", ACTION_CHECKBOX_NAME: [h.pk for h in pending]}
    response = client.post(PENDING, data)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:reauth"))
    assert not Habilitation.objects.in_force().filter(pk__in=[h.pk for h in pending]).exists()
    client.post(reverse("accounts:reauth"), {"password": DEFAULT_PASSWORD})
    client.post(PENDING, data)
    assert Habilitation.objects.in_force().filter(pk__in=[h.pk for h in pending]).count() == 2
