from django.apps import AppConfig


class AfasConfig(AppConfig):
    name = "afas"
    verbose_name = "Aides financières d'action sociale"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import journal, partner_data
        from .declarations.in_force import habilitation_changed
        from .models import AccessReview, Habilitation
        from .reviews.services import review_changed

        journal.connect()
        partner_data.connect()
        post_save.connect(review_changed, sender=AccessReview, dispatch_uid="open_reviews")
        post_delete.connect(review_changed, sender=AccessReview, dispatch_uid="open_reviews_delete")
        post_save.connect(habilitation_changed, sender=Habilitation, dispatch_uid="habilitations_in_force")
        post_delete.connect(
            habilitation_changed, sender=Habilitation, dispatch_uid="habilitations_in_force_delete"
        )
