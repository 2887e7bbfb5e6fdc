"""The back-office changelists' rows drawn by core/admin_rows.py: the same HTML as Django's own
`results(cl)`, cell for cell, for every registered ModelAdmin, with and without filters."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import results
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.admin_rows import drawn_here, result_rows
from tests.accounts.factories import UserFactory
from tests.afas.factories import (
    AccessReviewFactory,
    ActiviteFactory,
    AuditEventFactory,
    DeclarationFactory,
    HabilitationFactory,
    LieuFactory,
    MailPreferenceFactory,
    ReceiptFactory,
    ReviewDecisionFactory,
    SentReminderFactory,
)
from tests.conventions.factories import ConventionFactory, MembershipFactory, OrganismeFactory


@pytest.fixture
def rows_of_every_kind(db):
    organisme = OrganismeFactory(raison_sociale='Centre « Les <Clos> » & fils "SA"')
    activite = ActiviteFactory(organisme=organisme, nom="Péri <Assoc> & Co")
    lieu = LieuFactory(activite=activite, nom="Site « École »")
    user = UserFactory(organisme=organisme, nom="DURAND & <FILS>", prenom="Léa", declarant=True)
    UserFactory(organisme=organisme, closed=True, nom="FERME", prenom="  ")
    UserFactory(caf_agent=True, caf=organisme.caf)
    AccessAttempt.objects.create(
        username=user.identifiant, failures_since_start=9, ip_address="10.1.2.3", user_agent="<b>x</b>"
    )
    first = HabilitationFactory(user=user, activite=activite)
    HabilitationFactory(user=user, activite=activite, lieu=lieu, on_lieu=True)
    HabilitationFactory(user=user, activite=activite, approbateur=True)
    HabilitationFactory(user=user, activite=activite, refused=True, fin=datetime.date(2020, 2, 3))
    declaration = DeclarationFactory(activite=activite)
    DeclarationFactory(activite=activite, exercice=2023, campaign=None)
    ReceiptFactory(declaration=DeclarationFactory(activite=activite, exercice=2022))
    SentReminderFactory(declaration=declaration, user=user)
    MailPreferenceFactory(user=user)
    AuditEventFactory(habilitation=first, actor=user, subject=user)
    ReviewDecisionFactory()
    AccessReviewFactory(organisme=organisme)
    ConventionFactory(organisme=organisme, with_admin=True, date_cloture=timezone.localdate())
    MembershipFactory(user=user, closed=True)
    return user


def changelist_urls():
    for model in admin.site._registry:
        try:
            yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        except NoReverseMatch:
            continue


def djangos_rows(cl):
    return ["".join(str(cell) for cell in row) for row in results(cl)]


def drawn_rows(cl):
    return ["".join(str(cell) for cell in row) for row in result_rows(cl)]


@pytest.mark.parametrize("query", ["", "?o=-2.3", "?q=%3Cb%3E+%26&o=1"])
def test_every_changelist_draws_djangos_rows(client, rows_of_every_kind, query):
    superuser = UserFactory(caf_agent=True, is_superuser=True)
    client.force_login(superuser)
    drawn = 0
    for url in changelist_urls():
        response = client.get(url + query)
        if response.status_code != 200:  # a sort or search that this screen does not offer
            continue
        cl = response.context["cl"]
        assert drawn_here(cl)
        assert drawn_rows(cl) == djangos_rows(cl), url
        drawn += bool(cl.result_list)
    assert drawn >= (2 if "q=" in query else 15)  # the search finds the names with « <b> & »


def test_preserved_filters_are_in_each_change_link(client, rows_of_every_kind):
    client.force_login(UserFactory(caf_agent=True, is_superuser=True))
    response = client.get(reverse("admin:afas_habilitation_changelist"), {"role": "fr_da", "q": "Péri & <"})
    cl = response.context["cl"]
    rows = drawn_rows(cl)
    assert rows == djangos_rows(cl) and rows
    assert "_changelist_filters=" in rows[0] and "&amp;" in rows[0]


def test_a_popup_is_drawn_by_django(client, rows_of_every_kind):
    client.force_login(UserFactory(caf_agent=True, is_superuser=True))
    response = client.get(
        reverse("admin:conventions_organisme_changelist"), {"_popup": "1", "_to_field": "id"}
    )
    cl = response.context["cl"]
    assert not drawn_here(cl)
    assert drawn_rows(cl) == djangos_rows(cl)
