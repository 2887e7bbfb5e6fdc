"""The list of « Habiliter un utilisateur » drawn in Python (afas/habilitations/scope_list.py) is the very
text the template drew (below, as it was): activités or lieux, ticked or not, names to escape, an activité
without lieux, nothing listed."""

import pytest
from django.db.models import Prefetch
from django.template import Context, Template
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from afas.habilitations import scope_list
from afas.models import Activite, ActivityType, Lieu
from tests.afas.factories import ActiviteFactory, LieuFactory
from tests.clock import on_today

pytestmark = on_today

ACTIVITES = """{% for activite in listed %}
        <div class="form-check">
          <input class="form-check-input" type="checkbox" name="activites" value="{{ activite.pk }}" id="activite-{{ activite.pk }}"{% if activite.pk in selected %} checked{% endif %}>
          <label class="form-check-label" for="activite-{{ activite.pk }}">{{ activite.nom }} <span class="text-muted small">({{ activite.type }} · {{ activite.nature }})</span></label>
        </div>
        {% empty %}<p class="text-muted">Aucune activité ne correspond aux filtres.</p>
        {% endfor %}"""
LIEUX = """{% for activite in listed %}
        <fieldset class="ms-2 mt-2" id="lieux-activite-{{ activite.pk }}">
          <legend class="h6 mb-1">{{ activite.nom }}</legend>
          <button type="submit" name="action" value="tout_lieux_{{ activite.pk }}" class="btn btn-sm btn-link px-0 js-select-all" data-target="lieux-activite-{{ activite.pk }}">Sélectionner tous les lieux d'implantation de l'activité {{ activite.nom }}</button>
          {% for lieu in activite.lieux.all %}
          <div class="form-check">
            <input class="form-check-input" type="checkbox" name="lieux" value="{{ lieu.pk }}" id="lieu-{{ lieu.pk }}"{% if lieu.pk in selected %} checked{% endif %}>
            <label class="form-check-label" for="lieu-{{ lieu.pk }}">{{ lieu.nom }}<span class="visually-hidden"> ({{ activite.nom }})</span></label>
          </div>
          {% empty %}<p class="text-muted small mb-0">Aucun lieu d'implantation pour cette activité.</p>
          {% endfor %}
        </fieldset>
        {% empty %}<p class="text-muted">Aucune activité ne correspond aux filtres.</p>
        {% endfor %}"""


def drawn_by_the_template(template, listed, selected):
    return Template(template).render(Context({"listed": listed, "selected": selected}))


@pytest.fixture
def listed(organisme):
    first = ActiviteFactory(organisme=organisme, nom="Péri & <Assoc>")
    LieuFactory(activite=first, nom="L'Îlot"), LieuFactory(activite=first, nom="Écoles <b>")
    ActiviteFactory(organisme=organisme, nom="Sans lieu")
    lieux = Prefetch("lieux", queryset=Lieu.objects.order_by("nom", "pk"))
    return list(Activite.objects.filter(organisme=organisme).prefetch_related(lieux).order_by("nom", "pk"))


@pytest.mark.parametrize("ticked", [0, 1, 2])
def test_the_lists_drawn_in_python_are_the_templates(listed, ticked):
    activites = {a.pk for a in listed[:ticked]}
    lieux = {lieu.pk for lieu in listed[0].lieux.all()[:ticked]}
    assert str(scope_list.activites_html(listed, activites)) == drawn_by_the_template(
        ACTIVITES, listed, activites
    )
    assert str(scope_list.lieux_html(listed, lieux)) == drawn_by_the_template(LIEUX, listed, lieux)


def test_nothing_listed_is_drawn_as_the_template():
    assert str(scope_list.activites_html([], set())) == drawn_by_the_template(ACTIVITES, [], set())
    assert str(scope_list.lieux_html([], set())) == drawn_by_the_template(LIEUX, [], set())


def test_the_kept_list_follows_lieux_types_and_ticks(client, manager, activite):
    lieu = LieuFactory(activite=activite, nom="Site")
    client.force_login(manager)
    url = reverse("afas:habilitation_grant")
    assertContains(client.get(url, {"portee": "lieux"}), "Site<span")
    lieu.nom = "Site Ecoles"
    lieu.save()
    page = client.get(url, {"portee": "lieux"})
    assertContains(page, "Site Ecoles<span")
    assertNotContains(page, f'id="lieu-{lieu.pk}" checked')
    assertContains(client.get(url, {"portee": "lieux", "lieux": lieu.pk}), f'id="lieu-{lieu.pk}" checked>')
    LieuFactory(activite=activite, nom="Annexe")
    assertContains(client.get(url, {"portee": "lieux"}), "Annexe<span")
    assertContains(client.get(url, {"portee": "activites"}), f"({activite.type} · {activite.nature})")
    ActivityType.objects.filter(pk=activite.type_id).update(code="ZZZ")  # no signal: the kept list
    assertNotContains(client.get(url, {"portee": "activites"}), "(ZZZ ·")
    kind = ActivityType.objects.get(pk=activite.type_id)
    kind.save()
    assertContains(client.get(url, {"portee": "activites"}), "(ZZZ ·")
