import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept_language", ["en-US,en;q=0.9", "de", "fr-FR"])
def test_messages_are_in_french_whatever_the_browser_language(client, accept_language):
    response = client.post(
        reverse("accounts:password_forgotten"), {"identifiant": ""}, HTTP_ACCEPT_LANGUAGE=accept_language
    )
    page = response.content.decode()
    assert "Ce champ est obligatoire." in page and "This field is required." not in page
    assert response.headers.get("Content-Language", "fr") == "fr"
