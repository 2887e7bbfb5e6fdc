"""The rows of a part's table drawn in Python (afas/declarations/part_rows.py) against the template that drew
them before, kept here: the same HTML (elements, attributes, text; the template's white space aside) for
every kind of block the page shows."""

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.urls import reverse

from afas.models import ActivityData, FinancialData, State
from tests.afas.factories import ActiviteFactory, DeclarationFactory, LieuFactory

from .declarations_data import activity, financial
from .test_views_declarations import profile

pytestmark = pytest.mark.django_db

# templates/afas/declarations/_part.html's rows before part_rows.py, word for word.
TEMPLATE = Template(
    """    <tbody>{% with editable=block.editable conflict=block.conflict unsaved=block.unsaved show_errors=block.show_errors %}{# read once, not per row #}
    {% for row in block.rows %}
      {% ifchanged row.group %}{% if row.group %}<tr class="afas-group"><th scope="rowgroup" colspan="{% if conflict or unsaved %}4{% else %}3{% endif %}">{{ row.group }}</th></tr>{% endif %}{% endifchanged %}
      <tr>
        <th scope="row" class="fw-normal">{% if editable %}<label for="{{ row.id }}">{{ row.label }}</label>{% else %}{{ row.label }}{% endif %}</th>
        <td>
          {% if editable %}
          <input type="text" name="{{ row.name }}" id="{{ row.id }}" value="{{ row.typed|default_if_none:'' }}" inputmode="decimal" autocomplete="off" class="form-control form-control-sm afas-number{% if row.errors and show_errors %} is-invalid{% endif %}"{% if row.errors and show_errors %} aria-invalid="true" aria-describedby="{{ row.id }}-erreur"{% endif %}>
          {% else %}{{ row.value|default:"—" }}{% endif %}
          {% if row.errors and show_errors %}<div class="invalid-feedback d-block" id="{{ row.id }}-erreur">{% for error in row.errors %}{{ error }}{% if not forloop.last %}<br>{% endif %}{% endfor %}</div>{% endif %}
        </td>
        {% if conflict %}<td>{{ row.saved|default:"—" }}</td>{% endif %}
        {% if unsaved %}<td>{{ row.typed|default:"—" }}</td>{% endif %}
        <td class="afas-previous">{{ row.previous|default:"—" }}</td>
      </tr>
    {% endfor %}
    {% for row in block.computed %}
      {% if forloop.first %}<tr class="afas-group"><th scope="rowgroup" colspan="{% if conflict or unsaved %}4{% else %}3{% endif %}">Calculé automatiquement</th></tr>{% endif %}
      <tr class="afas-computed"><th scope="row" class="fw-normal">{{ row.label }}</th><td><strong>{{ row.value }}</strong></td>{% if conflict or unsaved %}<td></td>{% endif %}<td class="afas-previous">{{ row.previous|default:"—" }}</td></tr>
    {% endfor %}
    {% endwith %}</tbody>"""
)
UNSAFE = "<b>\"x\"</b> & 'y'"


def blocks(response):
    assert response.status_code == 200
    return [*response.context["activity_blocks"], response.context["financial_block"]]


def assert_drawn_as_the_template(response):
    drawn = blocks(response)
    assert drawn
    for block in drawn:
        expected = TEMPLATE.render(Context({"block": block}))
        assert parse_html(f"<tbody>{block.rows_html}</tbody>") == parse_html(expected), block.title


@pytest.fixture
def declaration():
    activite = ActiviteFactory(nom="Péri Assoc")
    LieuFactory(activite=activite)  # two lieux: two activity parts
    declaration = DeclarationFactory(activite=activite)
    DeclarationFactory(
        activite=activite, exercice=2024, state=State.VALIDEE, values=activity(), financial=financial()
    )
    return declaration


def test_read_only_with_previous_figures_and_computed_rows(client, declaration):
    ActivityData.objects.filter(declaration=declaration).update(values=activity(), version=1)
    FinancialData.objects.filter(declaration=declaration).update(values=financial(c64="90000"), version=1)
    client.force_login(profile("approbateur", declaration))
    assert_drawn_as_the_template(client.get(reverse("afas:declaration", args=[declaration.pk])))


def test_editable_with_errors_shown_and_typed_text_to_escape(client, declaration):
    user = profile("fr_da", declaration)
    client.force_login(user)
    part = declaration.activity_data.order_by("pk").first()
    data = {f"a{part.pk}-{k}": v for k, v in activity(capacite="-2", jours_ouverture=UNSAFE).items()}
    data[f"a{part.pk}-version"] = "0"
    client.post(reverse("afas:declaration_activity", args=[declaration.pk, part.pk]), data)
    response = client.get(reverse("afas:declaration", args=[declaration.pk]), {"controle": f"a{part.pk}"})
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; &#x27;y&#x27;" in response.content.decode()
    assert_drawn_as_the_template(response)


def test_financial_part_editable_empty_and_completed(client, declaration):
    client.force_login(profile("fr_df", declaration))
    assert_drawn_as_the_template(client.get(reverse("afas:declaration", args=[declaration.pk])))
    part = declaration.financial_data
    data = {f"f{part.pk}-{k}": v for k, v in financial(c60="1,5", p70=UNSAFE).items()}
    data.update({f"f{part.pk}-version": "0", "complete": "1"})
    response = client.post(reverse("afas:declaration_financial", args=[declaration.pk]), data)
    assert_drawn_as_the_template(client.get(response.url))


def test_concurrent_edit_shows_the_saved_column(client, declaration):
    client.force_login(profile("fr_da", declaration))
    part = declaration.activity_data.order_by("pk").first()
    url = reverse("afas:declaration_activity", args=[declaration.pk, part.pk])
    client.post(url, {f"a{part.pk}-capacite": "41", f"a{part.pk}-version": "0"})
    response = client.post(url, {f"a{part.pk}-capacite": UNSAFE, f"a{part.pk}-version": "0"})
    page = client.get(response.url)
    assert "Enregistré entre-temps" in page.content.decode()
    assert_drawn_as_the_template(page)


def test_refused_save_shows_the_unsaved_column(client, declaration):
    client.force_login(profile("fr_da", declaration))
    part = declaration.activity_data.order_by("pk").first()
    declaration.state = State.A_APPROUVER
    declaration.save()
    url = reverse("afas:declaration_activity", args=[declaration.pk, part.pk])
    response = client.post(url, {f"a{part.pk}-capacite": UNSAFE, f"a{part.pk}-version": "0"})
    page = client.get(response.url)
    assert "Votre saisie (non enregistrée)" in page.content.decode()
    assert_drawn_as_the_template(page)
