"""Demo data of « Revue des habilitations » (issue 14): an open campaign of the Caf de la Loire for the
Clos des Potiers, one line already confirmed by Claire BERNARD, the others to review."""

import datetime

from django.utils import timezone

from accounts.models import User
from afas.models import AccessReview, Habilitation, Outcome, ReviewDecision, Role
from conventions.models import Organisme

CLOS = "Centre Social le Clos des Potiers"


def load(stdout):
    clos = Organisme.objects.get(raison_sociale=CLOS)
    today = timezone.localdate()
    review = AccessReview.objects.open(today).filter(organisme=clos).first()
    if review is None:
        review = AccessReview.objects.create(
            caf=clos.caf,
            organisme=clos,
            opens_on=today - datetime.timedelta(days=10),
            date_limite=today + datetime.timedelta(days=30),
            unreviewed=AccessReview.Unreviewed.KEEP,
            opened_by=User.objects.get(identifiant="agent.loire"),
        )
    confirmed = Habilitation.objects.filter(
        user__identifiant="123456789", role=Role.FR_DA, activite__nom="Acc Ados Assoc", fin__isnull=True
    ).first()
    if confirmed is not None:
        ReviewDecision.objects.get_or_create(
            review=review,
            habilitation=confirmed,
            defaults={
                "organisme": clos,
                "outcome": Outcome.CONFIRMED,
                "decided_by": User.objects.get(identifiant="100000001"),
                "ip_address": "127.0.0.1",
            },
        )
    stdout.write("Revue des habilitations : une revue ouverte pour le Clos des Potiers.")
