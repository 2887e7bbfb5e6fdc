"""The rows of the table of declarations drawn in Python (afas/declarations/declaration_rows.py) against the
template that drew them before, kept here: the same HTML, character for character, on « Mes déclarations »
(`search`) and « Accueil AFAS »."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from afas.declarations.access import accesses_by_activite
from afas.declarations.declaration_rows import declaration_rows
from afas.declarations.views import with_actions
from afas.models import Declaration, DeclarationType, State
from tests.afas.factories import ActiviteFactory, DeclarationFactory, HabilitationFactory

pytestmark = pytest.mark.django_db

# templates/afas/declarations/_table.html's loop and _actions.html before declaration_rows.py, word for word.
TEMPLATE = Template(
    """{% for row in rows %}{% with d=row.declaration %}
  <tr>
    {% if search %}<td>{{ d.get_type_display }}</td>
    <td>{{ d.exercice }}</td>
    <td>{{ d.activite.nom }}</td>
    <td>{{ d.activite.type.code }}</td>{% else %}<td>{{ d.get_type_display }} {{ d.exercice }}</td>
    <td>{{ d.activite.nom }}</td>{% endif %}
    <td>{{ d.get_state_display }}</td>
    <td>{% include "afas/declarations/_date_limite.html" with declaration=d %}{% if search and d.opens_on %}<br><span class="small">La campagne ouvre le {{ d.opens_on|date:"d/m/Y" }}</span>{% endif %}</td>
    <td>{% with declaration=d %}{% for label, url_name in row.actions %}<a class="btn btn-sm {{ button }} me-1" href="{% url url_name declaration.pk %}">{% if label == "Saisir" %}{{ saisir }}{% else %}{{ label }}{% endif %}<span class="visually-hidden"> : {{ declaration.get_type_display }} {{ declaration.exercice }} {{ declaration.activite.nom }}</span></a>{% endfor %}{% endwith %}</td>
  </tr>
  {% endwith %}{% endfor %}"""
)
UNSAFE = "<b>\"Péri\"</b> & 'Assoc'"


@pytest.fixture
def rows():
    """Declarations to enter, to transmit, only to read, late, of a campaign not yet open, without campaign."""
    today = timezone.localdate()
    provider = HabilitationFactory(activite=ActiviteFactory(nom=UNSAFE))
    user, activite = provider.user, provider.activite
    HabilitationFactory(user=user, activite=activite, validated=True)
    DeclarationFactory(activite=activite)
    DeclarationFactory(activite=activite, exercice=2024, state=State.A_APPROUVER)
    DeclarationFactory(activite=activite, exercice=2023, state=State.VALIDEE)
    late = DeclarationFactory(activite=activite, exercice=2022, state=State.EN_COURS)
    late.campaign.date_limite = today - datetime.timedelta(days=1)
    late.campaign.date_ouverture = today - datetime.timedelta(days=60)
    late.campaign.save()
    ahead = DeclarationFactory(activite=activite, type=DeclarationType.PREVISIONNEL, exercice=2027)
    ahead.campaign.date_ouverture = today + datetime.timedelta(days=10)
    ahead.campaign.save()
    DeclarationFactory(activite=activite, exercice=2021, campaign=None, state=State.A_CORRIGER)
    accesses = accesses_by_activite(user)
    declarations = (
        Declaration.objects.visible_to(user, accesses)
        .select_related("activite__type", "campaign")
        .order_by("-exercice")
    )
    return with_actions(declarations, accesses)


@pytest.mark.parametrize(
    "search, button, saisir", [(True, "btn-outline-primary", "Saisir"), (False, "btn-primary", "Déclarer")]
)
def test_rows_are_drawn_as_the_template_drew_them(rows, search, button, saisir):
    context = {"rows": rows, "search": search, "button": button, "saisir": saisir}
    expected = TEMPLATE.render(Context(context))
    drawn = declaration_rows(rows, search, button, saisir)
    assert drawn == expected
    assert "Hors délai" in drawn and "Transmettre à la Caf" in drawn and "Consulter" in drawn
    assert "&lt;b&gt;&quot;Péri&quot;&lt;/b&gt; &amp; &#x27;Assoc&#x27;" in drawn
    assert ("La campagne ouvre le" in drawn) is search


def test_no_rows_draw_nothing():
    assert declaration_rows([], True, "btn-primary", "Saisir") == ""
