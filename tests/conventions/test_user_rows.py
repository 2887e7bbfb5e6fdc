"""The rows of « Liste des utilisateurs » drawn in Python (conventions/user_rows.py) are those the
template's loop drew, character for character."""

import datetime

import pytest
from django.template import Context, Template

from conventions.user_rows import user_rows
from tests.accounts.factories import UserFactory
from tests.clock import TODAY, on_today

pytestmark = [pytest.mark.django_db, on_today]

# The loop of templates/conventions/users/list.html before the rows were drawn in Python.
TEMPLATE_ROWS = Template(
    """{% load conventions_tags %}{% for partner_user in page %}
    <tr>
      <td>{{ partner_user.identifiant }}</td>
      <td class="portal-text">{{ partner_user.nom }}</td>
      <td class="portal-text">{{ partner_user.prenom }}</td>
      <td class="portal-text">{{ partner_user.email|email_wbr }}</td>
      <td class="text-nowrap">{{ partner_user.telephone }}</td>
      <td>{{ partner_user.date_ouverture|date:"d/m/Y" }}</td>
      <td>{{ partner_user.date_cloture|date:"d/m/Y"|default:"" }}</td>
      <td>{{ partner_user.statut }}</td>
      <td>
        <a href="{% url 'conventions:user_update' convention.pk partner_user.pk %}">Modifier<span class="visually-hidden"> {{ partner_user }}</span></a>
        {% if partner_user.statut == "Ouvert" %} / <a href="{% url 'conventions:user_close' convention.pk partner_user.pk %}">Supprimer<span class="visually-hidden"> {{ partner_user }}</span></a>{% endif %}
      </td>
      <td>
        {% choose %}une action pour {{ partner_user }}{% actions %}
            {% if partner_user.statut == "Ouvert" %}<li><a href="{% url 'conventions:group_add_user' convention.pk %}?utilisateur={{ partner_user.pk }}">Ajouter à un groupe<span class="visually-hidden"> : {{ partner_user }}</span></a></li>{% endif %}
            <li><a href="{% url 'conventions:user_history' convention.pk partner_user.pk %}">Historique<span class="visually-hidden"> : {{ partner_user }}</span></a></li>
        {% endchoose %}
      </td>
    </tr>
  {% endfor %}"""
)


def test_the_rows_are_drawn_as_the_template_drew_them(convention):
    users = [
        UserFactory(organisme=convention.organisme, nom="DUBOIS", prenom="Jean", telephone="04 77 00 00 00"),
        UserFactory(
            organisme=convention.organisme,
            nom="O'BRIEN <b>",
            prenom='Zoé "Zo" & co',
            email="zoe.o'brien+x@exemple.fr",
        ),
        # closed yesterday: no « Supprimer », no « Ajouter à un groupe »
        UserFactory(
            organisme=convention.organisme,
            nom="MARTIN",
            date_ouverture=datetime.date(2019, 1, 5),
            date_cloture=TODAY - datetime.timedelta(days=1),
        ),
        # opens tomorrow: « Fermé » today
        UserFactory(
            organisme=convention.organisme, nom="PETIT", date_ouverture=TODAY + datetime.timedelta(days=1)
        ),
    ]
    expected = TEMPLATE_ROWS.render(Context({"page": users, "convention": convention}))
    assert "".join(user_rows(convention, users)) == expected
    assert expected.count("Supprimer<") == 2 and expected.count("Fermé") == 2


def test_no_user_no_row(convention):
    assert user_rows(convention, []) == []
