"""The audit trail cannot be written, edited or deleted from the back-office, even by a superuser."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from afas.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.afas.factories import AuditEventFactory


@pytest.mark.django_db
def test_audit_trail_is_read_only_in_the_back_office():
    model_admin = admin.site._registry.get(AuditEvent)
    if model_admin is None:
        pytest.skip("journal des habilitations pas encore dans le back-office : rien à y modifier")
    request = RequestFactory().get("/")
    request.user = UserFactory(caf_agent=True, is_superuser=True)
    event = AuditEventFactory()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
