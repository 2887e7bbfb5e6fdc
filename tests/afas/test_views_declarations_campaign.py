"""Campaign dates (DOMAIN decision 13): nothing entered before the opening date; after the date limite,
entered and transmitted still, marked « Hors délai » for the partner and for the Caf."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from afas.declarations import services
from afas.models import Declaration, State
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, CampaignFactory, DeclarationFactory, HabilitationFactory
from tests.clock import TODAY, on_today

from .declarations_data import activity

pytestmark = [pytest.mark.django_db, on_today]

DAY = datetime.timedelta(days=1)


def declaration_of_campaign(opening, deadline, **kwargs):
    activite = ActiviteFactory(nom="Péri Assoc")
    campaign = CampaignFactory(
        caf=activite.organisme.caf,
        activity_type=activite.type,
        date_ouverture=opening,
        date_limite=deadline,
    )
    return DeclarationFactory(activite=activite, campaign=campaign, **kwargs)


def post_part(client, declaration, **data):
    part = declaration.activity_data.get()
    values = {f"a{part.pk}-{code}": value for code, value in activity().items()}
    values.update({f"a{part.pk}-version": str(part.version), **data})
    return client.post(reverse("afas:declaration_activity", args=[declaration.pk, part.pk]), values)


@pytest.fixture
def not_open():
    return declaration_of_campaign(TODAY + 10 * DAY, TODAY + 90 * DAY)


@pytest.fixture
def late():
    return declaration_of_campaign(TODAY - 90 * DAY, TODAY - DAY)


def test_before_the_opening_date_the_page_says_when_it_opens(client, not_open):
    client.force_login(HabilitationFactory(activite=not_open.activite).user)
    page = client.get(reverse("afas:declaration", args=[not_open.pk])).content.decode()
    assert f"La campagne ouvre le {TODAY + 10 * DAY:%d/%m/%Y}" in page
    assert "Marquer comme complet" not in page and "Enregistrer le brouillon" not in page


def test_before_the_opening_date_a_post_is_refused(client, not_open):
    client.force_login(HabilitationFactory(activite=not_open.activite).user)
    response = post_part(client, not_open)
    # Refused saves redirect (a reload never posts again) to the declaration, which says why.
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert f"La campagne ouvre le {TODAY + 10 * DAY:%d/%m/%Y}" in page
    part = not_open.activity_data.get()
    assert part.values == {} and part.version == 0
    not_open.refresh_from_db()
    assert not_open.state == State.A_SAISIR


def test_before_the_opening_date_the_list_offers_no_entry(client, not_open):
    client.force_login(HabilitationFactory(activite=not_open.activite).user)
    page = client.get(reverse("afas:declarations"), {"rechercher": "1"}).content.decode()
    assert f"La campagne ouvre le {TODAY + 10 * DAY:%d/%m/%Y}" in page
    assert ">Saisir<" not in page and ">Consulter<" in page
    home = client.get(reverse("afas:home")).content.decode()
    assert "Péri Assoc" not in home  # nothing to do on it yet


def test_on_the_opening_date_entry_is_open(client):
    declaration = declaration_of_campaign(TODAY, TODAY + 90 * DAY)
    client.force_login(HabilitationFactory(activite=declaration.activite).user)
    assert post_part(client, declaration).status_code == 302
    assert declaration.activity_data.get().version == 1


def test_after_the_date_limite_entry_goes_on_and_is_marked_hors_delai(client, late):
    client.force_login(HabilitationFactory(activite=late.activite).user)
    assert post_part(client, late).status_code == 302
    page = client.get(reverse("afas:declaration", args=[late.pk])).content.decode()
    assert "Hors délai" in page and "Enregistrer le brouillon" in page
    listed = client.get(reverse("afas:declarations"), {"rechercher": "1"}).content.decode()
    assert "Hors délai" in listed


def test_transmitted_after_the_date_limite_stays_hors_delai_for_the_caf(
    client, late, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(caf_agent=True, caf=late.activite.organisme.caf, email="agent@caf.fr")
    late.state = State.A_APPROUVER
    Declaration.objects.filter(pk=late.pk).update(state=State.A_APPROUVER)
    approbateur = HabilitationFactory(activite=late.activite, validated=True).user
    client.force_login(approbateur)
    assert "hors délai" in client.get(reverse("afas:declaration_transmit", args=[late.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("afas:declaration_transmit", args=[late.pk]))
    late.refresh_from_db()
    assert late.state == State.TRANSMISE and late.transmitted_at is not None and late.is_late
    # The Caf's mail says it too.
    (sent,) = [m for m in mailoutbox if m.to == ["agent@caf.fr"]]
    assert f"Hors délai : elle a été transmise le {TODAY:%d/%m/%Y}, après la date limite du " in sent.body
    agent = UserFactory(caf_agent=True, caf=late.activite.organisme.caf)
    client.force_login(agent)
    assert "Hors délai" in client.get(reverse("admin:afas_declaration_changelist")).content.decode()
    detail = client.get(reverse("admin:afas_declaration_change", args=[late.pk])).content.decode()
    assert "Hors délai" in detail
    assert (
        "Hors délai"
        in client.get(reverse("admin:afas_declaration_validate", args=[late.pk])).content.decode()
    )


def test_hors_delai_reads_the_first_transmission():
    declaration = declaration_of_campaign(TODAY - 90 * DAY, TODAY - DAY, state=State.A_APPROUVER)
    services.transmit(declaration, UserFactory())
    declaration.refresh_from_db()
    assert declaration.is_late  # transmitted today, after yesterday's date limite
    Declaration.objects.filter(pk=declaration.pk).update(transmitted_at=timezone.now() - 2 * DAY)
    declaration.refresh_from_db()
    assert not declaration.is_late
    # a second transmission (after a return for correction) keeps the first date
    Declaration.objects.filter(pk=declaration.pk).update(state=State.A_APPROUVER)
    declaration.refresh_from_db()
    services.transmit(declaration, UserFactory())
    declaration.refresh_from_db()
    assert not declaration.is_late
