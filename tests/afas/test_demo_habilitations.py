import io

import pytest

from afas.models import Activite, Habilitation, Role
from devtools.demo import accounts as accounts_demo
from devtools.demo import conventions as conventions_demo
from devtools.demo import habilitations as demo

pytestmark = pytest.mark.django_db


def load_all():
    out = io.StringIO()
    conventions_demo.load(out)
    accounts_demo.load(out)
    demo.load(out)


def test_demo_is_idempotent_and_covers_every_etat():
    load_all()
    count = Habilitation.objects.count()
    load_all()
    assert Habilitation.objects.count() == count
    clos = Habilitation.objects.filter(
        activite__organisme__raison_sociale="Centre Social le Clos des Potiers"
    )
    assert clos.in_force().exists() and clos.ended().exists() and clos.inactive().exists()
    assert clos.awaiting_caf().count() == 1
    jean = clos.in_force().filter(user__identifiant="123456789", lieu__isnull=True)
    for nom in ["Acc Ados Assoc", "Extra Assoc", "Péri Assoc"]:
        assert set(jean.filter(activite__nom=nom).values_list("role", flat=True)) == {Role.FR_DA, Role.FR_DF}
    assert clos.in_force().filter(user__identifiant="100000001", role=Role.APPROBATEUR).exists()
    droles = Habilitation.objects.filter(user__identifiant="300000002")
    assert droles.count() == droles.ended().count() == 4
    martigues = Activite.objects.get(nom="ESC Commune de Martigues")
    assert martigues.type.code == "ALSH" and martigues.nature.libelle == "Extrascolaire"
    assert not Habilitation.objects.filter(user__identifiant="300000001").exists()
    assert list(Activite.objects.get(nom="Extra Assoc").lieux.values_list("nom", flat=True)) == [
        "Site",
        "Site Ecoles",
    ]
