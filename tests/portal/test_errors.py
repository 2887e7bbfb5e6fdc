import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.template import loader

from tests.accounts.factories import UserFactory
from tests.portal.urls_errors import SECRET_DETAIL

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.urls_errors")]

LEAKS = ["Traceback", "RuntimeError", "OperationalError", "SECRET_KEY", "DATABASES", "settings.py"]


@pytest.fixture
def client(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


def assert_branded_and_silent(response, title):
    html = response.content.decode()
    assert '<html lang="fr">' in html and "Mon Compte Partenaire" in html
    assert html.count("<h1") == 1 and title in html
    for leak in LEAKS:
        assert leak not in html
    return html


def test_unknown_page_gets_french_404(client):
    response = client.get("/cette-page/nexiste-pas/")
    assert response.status_code == 404
    html = assert_branded_and_silent(response, "Page introuvable")
    assert "nexiste-pas" not in html


def test_missing_right_gets_french_403_with_the_menu_layout(client):
    client.force_login(UserFactory(declarant=True))
    response = client.get("/test/admins-only/")
    assert response.status_code == 403
    html = assert_branded_and_silent(response, "Accès refusé")
    assert "Déconnexion" in html


def test_crash_gets_french_500_without_any_detail(client):
    response = client.get("/test/boom/")
    assert response.status_code == 500
    html = assert_branded_and_silent(response, "Le service a rencontré une erreur")
    assert SECRET_DETAIL not in html and "boom" not in html


def test_500_page_renders_without_context_nor_database(django_assert_num_queries):
    with django_assert_num_queries(0):  # no context processor, no session: the database may be the cause
        html = loader.get_template("500.html").render()
    assert "Le service a rencontré une erreur" in html


def test_unreachable_database_gets_503_even_from_the_session_middleware(client, monkeypatch):
    client.force_login(UserFactory())
    detail = 'could not connect to server: Connection refused. Is the server running on host "db-interne.caf"'

    def refuse(*args, **kwargs):
        raise OperationalError(detail)

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/mon-compte-partenaire/bienvenue/")
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    html = assert_branded_and_silent(response, "Service momentanément indisponible")
    assert "db-interne" not in html


def test_floor_view_answers_without_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):  # the load balancer's probe and the benchmark's reference
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_bad_request_gets_french_400(client):
    response = client.get("/test/bad-request/")
    assert response.status_code == 400
    html = assert_branded_and_silent(response, "Demande incorrecte")
    assert "Bad Request" not in html and SECRET_DETAIL not in html
