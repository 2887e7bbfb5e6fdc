"""Every mail of the portal goes through here: templates/email/<name>_subject.txt and <name>_body.txt.

The page renders the mail and enqueues it; a background worker (`manage.py db_worker`) sends it, so a slow
or unreachable mail server never slows a page nor loses a mail (the task row stays, with its error)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template import Context
from django.template.loader import get_template
from django_tasks import task


def render_text(template_name, context):
    """A plain-text template rendered without HTML escaping: « l'été & co » must not arrive as
    « l&#x27;été &amp; co » in a mail."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_mail(name, context):
    subject = render_text(f"email/{name}_subject.txt", context).strip()
    body = render_text(f"email/{name}_body.txt", context)
    return subject, body


@task()
def deliver_mail(subject, body, from_email, recipients):
    send_mail(subject, body, from_email, recipients)


def send_portal_mail(name, recipients, context):
    """Renders mail `name` now (the context may hold model objects) and queues its sending to a list of
    addresses. The queue row is written in the request's transaction: a rolled-back page sends nothing."""
    subject, body = render_mail(name, context)
    deliver_mail.enqueue(subject, body, settings.DEFAULT_FROM_EMAIL, list(recipients))
