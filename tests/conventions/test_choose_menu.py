from django.template import Context, Template
from pytest_django.asserts import assertHTMLEqual


def test_the_choose_menu_names_its_row_for_screen_readers_escaped_once():
    page = Template(
        "{% load conventions_tags %}"
        '{% choose %}une action pour {{ name }}{% actions %}<li><a href="/g/">Groupes</a></li>{% endchoose %}'
    ).render(Context({"name": "Lire & <Écrire>"}))
    assertHTMLEqual(
        page,
        '<details class="portal-choose">'
        '<summary>Choisir…<span class="visually-hidden"> une action pour Lire &amp; &lt;Écrire&gt;</span></summary>'
        '<ul class="list-unstyled"><li><a href="/g/">Groupes</a></li></ul>'
        "</details>",
    )
