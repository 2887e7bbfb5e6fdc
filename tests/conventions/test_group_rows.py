"""The rows of « Groupes » drawn in Python (conventions/group_rows.py) are those the template's loops
drew, character for character."""

import datetime

import pytest
from django.template import Context, Template

from conventions.group_rows import group_rows
from conventions.models import HabilitationGroup
from conventions.services import members_by_group
from tests.accounts.factories import UserFactory
from tests.clock import TODAY, on_today
from tests.conventions.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, on_today]

# The groups' loop of templates/conventions/groups/list.html before the rows were drawn in Python.
TEMPLATE_LOOP = """{% for group, current, past in groups %}
<section class="mb-4" aria-labelledby="group-{{ group.pk }}">
  <h2 class="h4" id="group-{{ group.pk }}">{{ group.libelle }}</h2>
  <div class="portal-table-wrap" tabindex="0" role="region" aria-label="Membres actuels du groupe {{ group.libelle }}">
  <table class="table table-sm table-striped align-middle">
    <caption>Membres actuels</caption>
    <thead><tr><th scope="col">Identifiant</th><th scope="col">Nom</th><th scope="col">Prénom</th><th scope="col">Date d'ouverture</th><th scope="col">Date de clôture</th><th scope="col">Action</th></tr></thead>
    <tbody>
    {% for membership in current %}
      <tr>
        <td>{{ membership.user.identifiant }}</td><td>{{ membership.user.nom }}</td><td>{{ membership.user.prenom }}</td>
        <td>{{ membership.date_ouverture|date:"d/m/Y" }}</td><td>{{ membership.date_cloture|date:"d/m/Y"|default:"" }}</td>
        <td><a href="{% url 'conventions:membership_close' convention.pk membership.pk %}">Clôturer<span class="visually-hidden"> l'appartenance {{ membership.user|de }} au groupe {{ group.libelle }}</span></a></td>
      </tr>
    {% empty %}<tr><td colspan="6">Aucun membre actuel.</td></tr>{% endfor %}
    </tbody>
  </table>
  </div>
  {% if past %}
  <div class="portal-table-wrap" tabindex="0" role="region" aria-label="Anciens membres du groupe {{ group.libelle }}">
  <table class="table table-sm align-middle portal-history">
    <caption>Anciens membres</caption>
    <thead><tr><th scope="col">Identifiant</th><th scope="col">Nom</th><th scope="col">Prénom</th><th scope="col">Date d'ouverture</th><th scope="col">Date de clôture</th><th scope="col">Clôturé par</th></tr></thead>
    <tbody>
    {% for membership in past %}
      <tr>
        <td>{{ membership.user.identifiant }}</td><td>{{ membership.user.nom }}</td><td>{{ membership.user.prenom }}</td>
        <td>{{ membership.date_ouverture|date:"d/m/Y" }}</td><td>{{ membership.date_cloture|date:"d/m/Y" }}</td>
        <td>{{ membership.closed_by|default:"—" }}</td>
      </tr>
    {% endfor %}
    </tbody>
  </table>
  </div>
  {% endif %}
</section>
{% endfor %}
"""


def drawn_loop():
    """The same loop now: the rows drawn beforehand."""
    text = TEMPLATE_LOOP.replace(
        "{% for group, current, past in groups %}", "{% for group, current, past in drawn %}"
    )
    for name in ("current", "past"):
        start = text.index(f"    {{% for membership in {name} %}}")
        end = text.index("{% endfor %}", start) + len("{% endfor %}")
        text = text[:start] + f"    {{{{ {name} }}}}" + text[end:]
    return text


def test_the_rows_are_drawn_as_the_template_drew_them(convention, admin):
    closer = UserFactory(organisme=convention.organisme, nom="ANDRE", prenom="Élise")
    dubois = UserFactory(organisme=convention.organisme, nom="DUBOIS", prenom="Jean", identifiant="100000002")
    obrien = UserFactory(organisme=convention.organisme, nom="O'BRIEN <b>", prenom='Zoé "Zo" & co')
    MembershipFactory(user=dubois)  # current, no end
    MembershipFactory(user=obrien, date_cloture=TODAY + datetime.timedelta(days=30))  # current, ends later
    MembershipFactory(user=obrien, habiliter=True, closed=True, closed_by=closer)  # former, closed by someone
    MembershipFactory(user=dubois, habiliter=True, closed=True, date_ouverture=datetime.date(2019, 3, 4))
    groups = members_by_group(convention)
    assert [len(current) + len(past) for _group, current, past in groups] == [2, 2]
    before = Template(TEMPLATE_LOOP).render(Context({"groups": groups, "convention": convention}))
    after = Template(drawn_loop()).render(Context({"drawn": group_rows(convention, groups)}))
    assert after == before


def test_a_group_without_members_says_so(convention):
    groups = members_by_group(convention)
    before = Template(TEMPLATE_LOOP).render(Context({"groups": groups, "convention": convention}))
    after = Template(drawn_loop()).render(Context({"drawn": group_rows(convention, groups)}))
    assert after == before and "Aucun membre actuel." in after
    assert len(groups) == HabilitationGroup.objects.count()
