"""Every mail of the portal goes through here: templates/email/<name>_subject.txt and <name>_body.txt.

The page renders the mail and enqueues it; a background worker (`manage.py db_worker`) sends it, so a slow
or unreachable mail server never slows a page nor loses a mail (the task row stays, with its error).

A single-use link (activation, forgotten password, mail change) is a secret: it is never written in the
queue, whose rows the back-office shows and keeps for days. The page queues a `SecretLink` instead — the
dotted path of a function of the app that builds the link's path, and that function's ids — and the worker
builds the link when it sends the mail."""

from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.template import Context
from django.template.loader import get_template
from django.utils.module_loading import import_string
from django_tasks import task

# Where the link goes in the rendered body until the worker builds it.
LINK_PLACEHOLDER = "[[lien-a-usage-unique]]"


@dataclass
class SecretLink:
    """`builder(**kwargs)` returns the link's path (with its token) at sending time; `base` is the public
    address (scheme and host) the page was reached at, without any secret."""

    builder: str
    kwargs: dict = field(default_factory=dict)
    base: str = ""

    def build(self):
        return self.base + import_string(self.builder)(**self.kwargs)


def render_text(template_name, context):
    """A plain-text template rendered without HTML escaping: « l'été & co » must not arrive as
    « l&#x27;été &amp; co » in a mail."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_mail(name, context):
    subject = render_text(f"email/{name}_subject.txt", context).strip()
    body = render_text(f"email/{name}_body.txt", context)
    return subject, body


@task()
def deliver_mail(subject, body, from_email, recipients, secret_link=None):
    if secret_link is not None:
        body = body.replace(LINK_PLACEHOLDER, SecretLink(**secret_link).build())
    send_mail(subject, body, from_email, recipients)


def send_portal_mail(name, recipients, context, secret_link=None):
    """Renders mail `name` now (the context may hold model objects) and queues its sending to a list of
    addresses. The queue row is written in the request's transaction: a rolled-back page sends nothing.
    A `SecretLink` is rendered as `{{ link }}` and built only when the mail is sent."""
    if secret_link is not None:
        context = {**context, "link": LINK_PLACEHOLDER}
        secret_link = asdict(secret_link)
    subject, body = render_mail(name, context)
    # A line break in a subject (a name typed on two lines) would make the mail fail and be lost.
    subject = " ".join(subject.split())
    deliver_mail.enqueue(subject, body, settings.DEFAULT_FROM_EMAIL, list(recipients), secret_link)
