"""The Caf back-office in Chromium as agent.loire works in it, at 1280 px: every page visited is checked
with axe-core (sign-in, index, the lists and forms of the main models)."""

import io
import os

import pytest

from accounts.models import User
from afas.models import Declaration, Habilitation, State
from conventions.models import Convention, Membership, Organisme
from devtools.demo import accounts as accounts_demo
from devtools.demo import afas as afas_demo
from devtools.demo import conventions as conventions_demo

from .conftest import assert_accessible, give_second_factor_code

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("SHOTS_DIR")  # set it to keep a screenshot of each page (e.g. /tmp/shots-backoffice)


@pytest.fixture
def demo():
    out = io.StringIO()
    for part in (conventions_demo, accounts_demo, afas_demo):
        part.load(out)


@pytest.fixture
def back_office(page, visit, demo):
    """Signed in to the back-office through its own sign-in page, at 1280 px, in Paris."""

    page.set_viewport_size({"width": 1280, "height": 800})

    def sign_in(identifiant):
        visit("/back-office/login/")
        assert page.get_by_role("heading", level=1).inner_text() == "Connexion au back-office"
        page.get_by_label("Identifiant").fill(identifiant)
        page.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
        page.get_by_role("button", name="Connexion").click()
        page.wait_for_load_state()
        assert_accessible(page)
        if "/connexion/second-facteur/" in page.url:  # the demo agents have the demo second factor
            give_second_factor_code(page, identifiant)

    def go(path):
        response = visit(path)
        assert response.status == 200, path
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            name = path.strip("/").replace("/", "_").replace("?", "_") or "index"
            page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
        return response

    go.sign_in = sign_in
    return go


def loire(model, **lookups):
    return model.objects.filter(**lookups).order_by("pk").first().pk


def test_agent_pages_of_the_back_office_pass_axe(back_office, page):
    back_office.sign_in("agent.loire")
    pages = [
        "/back-office/",
        "/back-office/accounts/user/",
        "/back-office/accounts/user/add/",
        f"/back-office/accounts/user/{loire(User, organisme__caf__nom='Caf de la Loire')}/change/",
        "/back-office/conventions/organisme/",
        f"/back-office/conventions/organisme/{loire(Organisme, caf__nom='Caf de la Loire')}/change/",
        "/back-office/conventions/convention/",
        f"/back-office/conventions/convention/{loire(Convention, caf__nom='Caf de la Loire')}/change/",
        "/back-office/conventions/membership/",
        "/back-office/conventions/membership/add/",
        "/back-office/afas/habilitation/",
        f"/back-office/afas/habilitation/{loire(Habilitation, activite__organisme__caf__nom='Caf de la Loire')}/change/",
        "/back-office/afas/approbateuravalider/",
        "/back-office/afas/auditevent/",
        "/back-office/afas/campaign/",
        "/back-office/afas/campaign/add/",
        "/back-office/afas/declaration/",
        f"/back-office/afas/declaration/{loire(Declaration, activite__organisme__caf__nom='Caf de la Loire', state=State.TRANSMISE)}/change/",
        "/back-office/afas/activite/",
        "/back-office/axes/accessattempt/",
    ]
    for path in pages:
        back_office(path)
        assert page.get_by_role("heading", level=1).count() == 1, path


def test_superuser_pages_of_the_back_office_pass_axe(back_office):
    back_office.sign_in("admin")
    for path in [
        "/back-office/",
        "/back-office/django_tasks_database/dbtaskresult/",
        "/back-office/conventions/caf/",
        "/back-office/auth/group/",
    ]:
        back_office(path)


def test_etat_and_date_limite_are_visible_at_1280_px(back_office, page):
    back_office.sign_in("agent.loire")
    back_office("/back-office/afas/declaration/")
    results = page.locator("#changelist .results").bounding_box()
    for column in ("État", "Date limite"):
        header = page.locator("#result_list thead th").filter(has_text=column).bounding_box()
        assert header["x"] + header["width"] <= results["x"] + results["width"] <= 1280, column
    row = page.get_by_role("row").filter(has_text="Transmise à la Caf").first
    assert row.is_visible()


def test_agent_picks_a_user_by_searching_and_adds_them_to_a_group(back_office, page):
    back_office.sign_in("agent.loire")
    assert not Membership.objects.filter(user__nom="PETIT", group__code="AFAS-DECLARER").exists()
    back_office("/back-office/conventions/membership/add/")
    page.locator("#id_user + .select2 [role=combobox]").click()
    page.locator(".select2-search__field").fill("petit")
    page.locator(".select2-results__option").filter(has_text="PETIT Lucie").click()
    assert page.locator("#id_user").input_value()
    assert page.locator(".select2-results__option").filter(has_text="ROUX").count() == 0
    page.get_by_label("Groupe").select_option(label="AFAS-DEC - AFAS Déclarer")
    page.get_by_label("Date d'ouverture").fill("01/01/2026")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert "a été ajouté" in page.locator(".messagelist").inner_text()
    assert Membership.objects.filter(user__nom="PETIT", group__code="AFAS-DECLARER").count() == 1


def test_malformed_id_is_the_portals_404_page(back_office, page):
    back_office.sign_in("agent.loire")
    response = page.goto("/back-office/afas/declaration/abc/change/")
    assert response.status == 404


def test_convention_form_with_its_administrators_fits_1280_px(back_office, page):
    back_office.sign_in("agent.loire")
    back_office(
        f"/back-office/conventions/convention/{loire(Convention, caf__nom='Caf de la Loire')}/change/"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_a_tampered_export_address_shows_the_french_400_page(back_office, page, visit):
    back_office.sign_in("agent.loire")
    response = visit("/back-office/afas/declaration/export/csv/?exercice__exact=deux-mille")
    assert response.status == 400
    assert page.get_by_role("heading", level=1, name="Demande incorrecte").is_visible()
    assert_accessible(page)
