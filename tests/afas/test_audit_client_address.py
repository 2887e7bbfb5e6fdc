import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from afas.models import AuditEvent
from tests.afas.factories import HabilitationFactory

pytestmark = pytest.mark.django_db


def test_audit_trail_records_the_client_behind_nginx_not_nginx_nor_a_forged_header(
    client, settings, agent, declarant, activite, manager
):
    settings.TRUSTED_PROXY_COUNT = 1
    pending = HabilitationFactory(user=declarant, activite=activite, approbateur=True, granted_by=manager)
    client.force_login(agent)
    client.post(
        reverse("admin:afas_approbateuravalider_changelist"),
        {"action": "validate", ACTION_CHECKBOX_NAME: [pending.pk]},
        REMOTE_ADDR="10.0.0.2",  # nginx
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5",  # forged by the client, then appended by nginx
    )
    assert AuditEvent.objects.get(action="validated").ip_address == "203.0.113.5"
