"""Issue 13: the demo administrators and agents sign in with the demo TOTP key; `demo_totp` gives the code."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.second_factor.services import has_second_factor
from devtools.builders import DEMO_PASSWORD
from devtools.demo import accounts as accounts_demo
from devtools.demo import conventions as conventions_demo

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    conventions_demo.load(out)
    accounts_demo.load(out)
    accounts_demo.load(out)  # idempotent


def test_demo_administrators_and_agents_have_the_demo_second_factor_declarants_none():
    load()
    with_factor = {u.identifiant for u in User.objects.all() if has_second_factor(u)}
    assert with_factor == {"100000001", "100000002", "100000003", "agent.loire", "agent.bdr", "admin"}


def test_demo_totp_prints_the_code_that_signs_in(client):
    load()
    client.post(reverse("accounts:login"), {"username": "100000001", "password": DEMO_PASSWORD})
    out = io.StringIO()
    call_command("demo_totp", stdout=out, stderr=io.StringIO())
    response = client.post(reverse("accounts:second_factor"), {"code": out.getvalue().strip()})
    assert response.url == reverse("accounts:welcome")
