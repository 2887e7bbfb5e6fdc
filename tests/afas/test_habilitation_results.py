"""The rows of the « Habilitations » results drawn in Python (afas/habilitations/results.py) are the HTML
the template drew (below, as it was: same elements, attributes and text, white space aside), in every état: pending, refused, inactive, ended,
« Non attribué », and names that need escaping."""

import datetime

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from afas.habilitations.filters import Group, Row, _grant_url
from afas.habilitations.results import draw_rows
from afas.models import Etat, Role
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, HabilitationFactory, LieuFactory
from tests.clock import on_today

pytestmark = on_today

TEMPLATE_ROWS = """{% for group in groups %}{% for row in group.rows %}
      {% if row.habilitation %}{% with h=row.habilitation %}
      <tr>
        <td>{{ row.role_label }}</td>
        <td class="portal-text">{{ h.user }}{% if etat == Etat.INACTIF %}<div class="small fst-italic portal-reason">Inactive : {{ h.inactivity_reasons|join:" ; " }}</div>{% endif %}</td>
        <td>{{ h.debut|date:"d/m/Y" }}{% if h.is_pending %}<span aria-hidden="true">*</span><span class="visually-hidden"> (en attente de validation par votre CAF)</span>{% endif %}{% if h.is_refused and etat != Etat.INACTIF %} <span class="badge text-bg-danger">Refusée par la CAF</span>{% endif %}</td>
        <td>{{ h.fin|date:"d/m/Y"|default:"" }}</td>
        <td>{% if etat != Etat.HISTORIQUE %}<a class="btn btn-sm btn-outline-danger" href="{% url 'afas:habilitation_end' h.pk %}">Supprimer<span class="visually-hidden"> l'habilitation {{ row.role_label }} {{ h.user|de }} sur {{ group.title }}</span></a>{% endif %}</td>
      </tr>
      {% if h.is_pending %}<tr><td colspan="5" class="small fst-italic">(*) En attente de validation par votre CAF.</td></tr>{% endif %}
      {% endwith %}{% else %}
      <tr>
        <td>{{ row.role_label }}</td>
        <td class="text-muted">Non attribué</td>
        <td></td>
        <td></td>
        <td><a class="btn btn-sm btn-outline-primary" href="{{ row.grant_url }}">Habiliter<span class="visually-hidden"> un utilisateur au rôle {{ row.role_label|de }} sur {{ group.title }}</span></a></td>
      </tr>
      {% endif %}
    {% endfor %}{% endfor %}"""


def drawn_by_the_template(groups, etat):
    return Template(TEMPLATE_ROWS).render(Context({"groups": groups, "etat": etat, "Etat": Etat}))


@pytest.fixture
def rows(organisme):
    activite = ActiviteFactory(organisme=organisme, nom="Péri & <Assoc>")
    lieu = LieuFactory(activite=activite, nom="L'Îlot")
    user = UserFactory(organisme=organisme, declarant=True, nom="O'HARA & fils", prenom="Émile <b>")
    found = [
        HabilitationFactory(user=user, activite=activite),
        HabilitationFactory(user=user, activite=activite, approbateur=True),
        HabilitationFactory(user=user, activite=activite, refused=True),
        HabilitationFactory(user=user, activite=activite, lieu=lieu, fin=datetime.date(2026, 11, 30)),
    ]
    held = [Row(h.get_role_display(), habilitation=h) for h in found]
    missing = [Row(r.label, grant_url=_grant_url("/habiliter/", r, activite, lieu)) for r in Role]
    return [Group("activite", activite.nom, held), Group("lieu", f"{lieu.nom} ({activite.nom})", missing)]


@pytest.mark.parametrize("etat", [Etat.ACTIF, Etat.INACTIF, Etat.HISTORIQUE, Etat.NON_ATTRIBUE])
def test_rows_drawn_in_python_are_the_templates(rows, etat):
    expected = drawn_by_the_template(rows, etat)
    drawn = "".join(str(group.rows_html) for group in draw_rows(rows, etat))
    assert parse_html(drawn) == parse_html(expected)
