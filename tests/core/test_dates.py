"""One range of plausible dates and one rule for a period, wherever a date is typed (issue 9, item 5)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.admin_forms import UserAdminForm
from afas.admin.declarations import CampaignForm
from afas.habilitations.forms import GrantForm
from conventions.admin import ChangeAdministratorForm, ConventionAdminForm, MembershipAdminForm
from conventions.forms import AddToGroupForm
from conventions.models import HabilitationGroup
from core.dates import latest_date, validate_plausible_date
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActivityTypeFactory
from tests.conventions.factories import ConventionFactory, MembershipFactory

RANGE = "Saisissez une date comprise entre le 01/01/2000 et le"
PERIOD = "La date de clôture doit être postérieure à la date d'ouverture"
TOO_FAR = (latest_date() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    "value",
    [datetime.date(2000, 1, 1), timezone.localdate(), latest_date()],
    ids=["2000", "today", "in 5 years"],
)
def test_dates_within_the_range_pass(value):
    validate_plausible_date(value)


@pytest.mark.parametrize(
    "value",
    [datetime.date(1999, 12, 31), latest_date() + datetime.timedelta(days=1), datetime.date(224, 1, 5)],
    ids=["1999", "5 years and a day", "typo 0224"],
)
def test_dates_outside_the_range_are_refused_naming_the_range(value):
    with pytest.raises(ValidationError) as error:
        validate_plausible_date(value)
    assert f"le 01/01/2000 et le {latest_date():%d/%m/%Y}" in error.value.messages[0]


def errors_of(form):
    assert not form.is_valid()
    return {name: " ".join(messages) for name, messages in form.errors.items()}


@pytest.fixture
def convention(db):
    return ConventionFactory()


def test_add_to_group_refuses_a_date_outside_the_range(convention):
    user = UserFactory(organisme=convention.organisme)
    data = {
        "organisme": convention.organisme_id,
        "user": user.pk,
        "group": HabilitationGroup.objects.get(code=HabilitationGroup.DECLARER).pk,
        "date_ouverture": "1999-06-01",
        "date_cloture": TOO_FAR,
    }
    errors = errors_of(AddToGroupForm(data, convention=convention))
    assert RANGE in errors["date_ouverture"] and RANGE in errors["date_cloture"]


def test_grant_refuses_an_a_partir_du_more_than_five_years_ahead(db):
    admin = UserFactory(partner_admin=True, habiliter=True)
    errors = errors_of(GrantForm(admin, {"debut": TOO_FAR}))
    assert RANGE in errors["debut"]


def _user_admin_data(user, **changes):
    return {
        "identifiant": user.identifiant,
        "nom": user.nom,
        "prenom": user.prenom,
        "email": user.email,
        "telephone": "",
        "poste": "sedentaire",
        "organisme": user.organisme_id,
        "date_ouverture": "2026-03-01",
        "date_cloture": "",
        "is_active": "on",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_cloture": "2026-03-01"}, "date_cloture", PERIOD),
        ({"date_cloture": "2026-02-01"}, "date_cloture", PERIOD),
        ({"date_ouverture": "1899-03-01"}, "date_ouverture", RANGE),
        ({"date_cloture": TOO_FAR}, "date_cloture", RANGE),
    ],
)
def test_back_office_user_form_refuses_bad_dates_at_the_field(db, changes, field, message):
    user = UserFactory()
    errors = errors_of(UserAdminForm(_user_admin_data(user, **changes), instance=user))
    assert message in errors[field]


def test_back_office_keeps_an_account_closed_on_its_opening_day_editable(db):
    """« Supprimer » on the day the account opens leaves both dates equal: another change still saves."""
    user = UserFactory(
        nom="LEGRAND",
        prenom="Alice",
        email="alice.legrand@example.fr",
        date_ouverture=datetime.date(2026, 3, 1),
        date_cloture=datetime.date(2026, 3, 1),
    )
    data = _user_admin_data(user, date_cloture="2026-03-01", telephone="01 23 45 67 89")
    assert UserAdminForm(data, instance=user).is_valid()


def test_back_office_convention_form_refuses_a_closing_on_the_opening_day(convention):
    data = {
        "libelle": convention.libelle,
        "caf": convention.caf_id,
        "organisme": convention.organisme_id,
        "date_ouverture": "2016-02-24",
        "date_cloture": "2016-02-24",
        "etat": "valable",
        "email_caf": "",
    }
    assert PERIOD in errors_of(ConventionAdminForm(data, instance=convention))["date_cloture"]
    data.update(date_ouverture="1990-01-01", date_cloture="")
    assert RANGE in errors_of(ConventionAdminForm(data, instance=convention))["date_ouverture"]


def test_back_office_membership_form_refuses_bad_dates(db):
    membership = MembershipFactory()
    data = {
        "user": membership.user_id,
        "group": membership.group_id,
        "date_ouverture": "2020-01-01",
        "date_cloture": "2020-01-01",
    }
    assert PERIOD in errors_of(MembershipAdminForm(data, instance=membership))["date_cloture"]
    data["date_cloture"] = TOO_FAR
    assert RANGE in errors_of(MembershipAdminForm(data, instance=membership))["date_cloture"]


def test_back_office_avenant_date_is_in_the_range(convention):
    data = {"new_user": "", "avenant_date": "1999-01-01", "avenant_reference": "AV-1"}
    assert RANGE in errors_of(ChangeAdministratorForm(data, convention=convention))["avenant_date"]


def test_back_office_campaign_dates_are_in_the_range(convention):
    data = {
        "caf": convention.caf_id,
        "activity_type": ActivityTypeFactory().pk,
        "type": "reel",
        "exercice": 2026,
        "date_ouverture": "2026-01-01",
        "date_limite": TOO_FAR,
    }
    assert RANGE in errors_of(CampaignForm(data))["date_limite"]
