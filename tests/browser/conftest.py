"""Browser tests: the real server (live_server) driven in Debian's headless Chromium through Playwright,
with axe-core run on every page visited (`visit`, and again on whatever page a test ends on)."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it
# are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _habilitation_groups(request):
    """A transactional test flushes the rows of data migrations: put the two MCP groups back."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from conventions.models import HabilitationGroup

    for code, libelle in HabilitationGroup.DEFAULT_LIBELLES.items():
        HabilitationGroup.objects.get_or_create(code=code, defaults={"libelle": libelle})


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium introuvable ({CHROMIUM}) : tests navigateur ignorés. Installez le paquet Debian « chromium »."
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class AccessibilityError(AssertionError):
    pass


def assert_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    if results.violations_count:
        raise AccessibilityError(f"axe-core sur {page.url} :\n{results.generate_report()}")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    try:
        if page.url.startswith(live_server.url):
            assert_accessible(page)
    finally:
        context.close()


@pytest.fixture
def visit(page):
    """Go to a path of the portal and check the page with axe-core."""

    def _visit(path):
        response = page.goto(path)
        assert_accessible(page)
        return response

    return _visit


@pytest.fixture
def sign_in(page, visit):
    """Sign in through the real form, as a person would."""

    def _sign_in(identifiant, password="Portail-Demo-2026!"):
        visit("/mon-compte-partenaire/connexion/")
        page.get_by_label("Identifiant").fill(identifiant)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Connexion").click()
        page.wait_for_load_state()
        assert_accessible(page)
        if "/connexion/second-facteur/" in page.url:  # a user with a second factor: the code of their app
            give_second_factor_code(page, identifiant)

    return _sign_in


def give_second_factor_code(page, identifiant):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.second_factor import unused_code

    device = TOTPDevice.objects.filter(user__identifiant=identifiant, confirmed=True).get()
    page.get_by_label("Code à 6 chiffres de l'application, ou code de secours").fill(unused_code(device))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_load_state()
    assert_accessible(page)
