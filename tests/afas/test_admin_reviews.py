"""The back-office of « Revue des habilitations » (issue 14, rules 20 and 22): scoped to the agent's Caf."""

import io
from html import unescape

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from openpyxl import load_workbook

from afas.models import AccessReview, Outcome
from tests.afas.factories import AccessReviewFactory, HabilitationFactory, ReviewDecisionFactory
from tests.clock import TODAY, on_today
from tests.conventions.factories import CafFactory, OrganismeFactory

pytestmark = on_today

CHANGELIST = reverse("admin:afas_accessreview_changelist")


@pytest.fixture
def review(organisme):
    return AccessReviewFactory(organisme=organisme)


@pytest.fixture
def foreign_review(db):
    return AccessReviewFactory(
        organisme=OrganismeFactory(raison_sociale="Commune de Bravo", caf=CafFactory(code="131"))
    )


def test_agent_sees_only_their_cafs_campaigns(client, agent, review, foreign_review):
    client.force_login(agent)
    page = client.get(CHANGELIST).content.decode()
    assert "Clos des Potiers" in page and "Bravo" not in page
    assert client.get(reverse("admin:afas_accessreview_change", args=[foreign_review.pk])).status_code == 404


def test_agent_opens_a_campaign_for_their_caf_only(client, agent, organisme, foreign_review):
    client.force_login(agent)
    add = reverse("admin:afas_accessreview_add")
    data = {
        "caf": organisme.caf_id,
        "organisme": organisme.pk,
        "opens_on": TODAY.strftime("%d/%m/%Y"),
        "date_limite": "31/12/2026",
        "unreviewed": AccessReview.Unreviewed.END,
    }
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    review = AccessReview.objects.get(organisme=organisme)
    assert review.opened_by == agent and review.unreviewed == AccessReview.Unreviewed.END
    foreign = {**data, "caf": foreign_review.caf_id, "organisme": foreign_review.organisme_id}
    response = client.post(add, foreign)
    assert response.status_code == 200 and AccessReview.objects.count() == 2


def test_date_limite_before_opening_is_refused_next_to_the_field(client, agent, organisme):
    client.force_login(agent)
    data = {
        "caf": organisme.caf_id,
        "organisme": organisme.pk,
        "opens_on": "10/12/2026",
        "date_limite": "01/12/2026",
        "unreviewed": "keep",
    }
    response = client.post(reverse("admin:afas_accessreview_add"), data)
    assert "La date limite ne peut pas précéder la date d'ouverture." in unescape(response.content.decode())


def test_the_campaign_shows_the_progress_per_partner(client, agent, review, activite, declarant):
    HabilitationFactory(activite=activite, user=declarant)
    ReviewDecisionFactory(review=review, habilitation__activite=activite, outcome=Outcome.ENDED)
    client.force_login(agent)
    page = client.get(reverse("admin:afas_accessreview_change", args=[review.pk])).content.decode()
    assert "Avancement de la revue par partenaire" in page
    # the columns of the export's « Avancement » sheet
    assert (
        '<th scope="col">Organisme partenaire</th><th scope="col">Revues</th><th scope="col">À revoir</th>'
        '<th scope="col">Terminées</th><th scope="col">Non revues, signalées</th>'
    ) in page
    # reviewed 0, to review: the habilitation and the two users' AFAS-DECLARER, ended 1, flagged 0
    assert "<td>Centre Social le Clos des Potiers</td><td>0</td><td>3</td><td>1</td><td>0</td>" in page


def test_reminder_action_mails_through_the_queue(client, agent, review, manager, mailoutbox):
    client.force_login(agent)
    response = client.post(
        CHANGELIST, {"action": "send_reminder", ACTION_CHECKBOX_NAME: [review.pk]}, follow=True
    )
    assert "relance envoyée par mail à 1 partenaire(s)" in response.content.decode()
    assert [mail.to for mail in mailoutbox] == [[manager.email]]
    review.refresh_from_db()
    assert review.last_reminder_at is not None


def test_export_of_another_cafs_campaign_is_a_404(client, agent, review, foreign_review):
    client.force_login(agent)
    response = client.get(reverse("admin:afas_accessreview_export", args=[review.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Avancement", "Décisions"]
    assert client.get(reverse("admin:afas_accessreview_export", args=[foreign_review.pk])).status_code == 404


def test_decisions_are_listed_for_the_agents_caf_only(client, agent, review, foreign_review):
    ReviewDecisionFactory(
        review=review, habilitation__activite__organisme=review.organisme, outcome=Outcome.KEPT_UNREVIEWED
    )
    ReviewDecisionFactory(review=foreign_review, habilitation__activite__organisme=foreign_review.organisme)
    client.force_login(agent)
    response = client.get(
        reverse("admin:afas_reviewdecision_changelist"), {"outcome": Outcome.KEPT_UNREVIEWED}
    )
    assert len(response.context["cl"].result_list) == 1
    assert "Bravo" not in response.content.decode()
