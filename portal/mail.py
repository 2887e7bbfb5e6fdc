"""Every mail of the portal goes through here: templates/email/<name>_subject.txt and <name>_body.txt."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def render_mail(name, context):
    subject = render_to_string(f"email/{name}_subject.txt", context).strip()
    body = render_to_string(f"email/{name}_body.txt", context)
    return subject, body


def send_portal_mail(name, recipients, context):
    """Renders and sends mail `name` to a list of addresses."""
    subject, body = render_mail(name, context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(recipients))
