"""« Revue des habilitations » in Chromium, checked with axe-core: the partner administrator's pages and the
Caf's back-office pages (issue 14)."""

import io

import pytest

from afas.models import AccessReview, ReviewDecision
from devtools.demo import accounts as accounts_demo
from devtools.demo import afas as afas_demo
from devtools.demo import conventions as conventions_demo

from .conftest import assert_accessible, give_second_factor_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    out = io.StringIO()
    for part in (conventions_demo, accounts_demo, afas_demo):
        part.load(out)
    return AccessReview.objects.get()


def test_administrator_confirms_lines_from_the_welcome_page(page, sign_in, demo):
    sign_in("100000001")
    assert page.get_by_role("heading", name="Revue des habilitations").is_visible()
    page.get_by_role("link", name="ouvrir la revue des habilitations").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.get_by_role("heading", level=1).inner_text().lower() == "revue des habilitations"
    before = ReviewDecision.objects.count()
    boxes = page.get_by_role("checkbox")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Confirmer la sélection").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert "2 ligne(s) confirmée(s)" in page.content()
    assert ReviewDecision.objects.count() == before + 2


def test_the_menu_leads_to_the_list_of_reviews(page, sign_in, visit, demo):
    sign_in("100000001")
    page.get_by_role("link", name="Revue des habilitations", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.get_by_role("link", name="Centre Social le Clos des Potiers").is_visible()


def test_back_office_pages_of_the_reviews(page, visit, demo):
    page.set_viewport_size({"width": 1280, "height": 800})
    visit("/back-office/login/")
    page.get_by_label("Identifiant").fill("agent.loire")
    page.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    if "/connexion/second-facteur/" in page.url:
        give_second_factor_code(page, "agent.loire")
    for path in (
        "/back-office/afas/accessreview/",
        f"/back-office/afas/accessreview/{demo.pk}/change/",
        "/back-office/afas/accessreview/add/",
        "/back-office/afas/reviewdecision/",
    ):
        assert visit(path).status == 200, path
    visit(f"/back-office/afas/accessreview/{demo.pk}/change/")
    assert "Avancement de la revue par partenaire" in page.content()
