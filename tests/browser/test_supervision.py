import io

import pytest

from devtools.demo import accounts as accounts_demo
from devtools.demo import afas as afas_demo
from devtools.demo import conventions as conventions_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_administrator_supervises_the_habilitations_of_their_users(page, sign_in):
    out = io.StringIO()
    for part in (conventions_demo, accounts_demo, afas_demo):
        part.load(out)
    sign_in("100000001")
    page.get_by_role("link", name="Habilitations de mes utilisateurs").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().lower() == "supervision habilitations"
    row = page.get_by_role("row").filter(has_text="123456789")
    assert "Fournisseur de données financières — Péri Assoc" in row.inner_text()


def test_supervision_table_scrolls_with_the_keyboard_on_a_narrow_screen(page, sign_in, visit):
    out = io.StringIO()
    for part in (conventions_demo, accounts_demo, afas_demo):
        part.load(out)
    page.set_viewport_size({"width": 560, "height": 800})
    sign_in("100000001")
    visit(
        "/afas/supervision-habilitations/"
    )  # axe-core: a scrolling region must be reachable with the keyboard
    region = page.get_by_role("region", name="Tableau : habilitations de mes utilisateurs")
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")  # it does scroll here
    region.focus()
    page.keyboard.press("ArrowRight")
    # Bootstrap scrolls smoothly: wait for the scroll rather than read it at once.
    page.wait_for_function("element => element.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
