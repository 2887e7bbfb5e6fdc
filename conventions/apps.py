from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = "Conventions et organismes partenaires"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from accounts.models import User
        from accounts.signals import account_closed, closing_refused, second_factor_required

        from . import partner_data, rights, services
        from .models import (
            Convention,
            ConventionAdministrator,
            HabilitationGroup,
            Membership,
            Organisme,
            PartnerType,
        )

        closing_refused.connect(services.refuse_closing_an_administrator, dispatch_uid="conventions_admin")
        account_closed.connect(services.end_memberships_of_closed_account, dispatch_uid="conventions_end")
        second_factor_required.connect(services.requires_second_factor, dispatch_uid="conventions_2fa")

        # The rights cached under a user's rights_version (conventions/rights.py) follow every change.
        for model, receiver in [
            (Membership, rights.membership_changed),
            (ConventionAdministrator, rights.administrator_changed),
            (Convention, rights.convention_changed),
            (HabilitationGroup, rights.group_changed),
            (Organisme, rights.organisme_changed),
        ]:
            post_save.connect(receiver, sender=model, dispatch_uid=f"rights_{model.__name__}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"rights_delete_{model.__name__}")

        # The partner's lists kept drawn in the shared cache (core/fragments.py) follow its users and groups.
        pre_save.connect(partner_data.user_saving, sender=User, dispatch_uid="partner_data_user")
        post_delete.connect(partner_data.user_deleted, sender=User, dispatch_uid="partner_data_user_delete")
        post_save.connect(
            partner_data.membership_changed, sender=Membership, dispatch_uid="partner_data_member"
        )
        post_delete.connect(
            partner_data.membership_changed, sender=Membership, dispatch_uid="partner_data_member_delete"
        )
        post_save.connect(partner_data.partner_type_changed, sender=PartnerType, dispatch_uid="partner_types")
        post_delete.connect(
            partner_data.partner_type_changed, sender=PartnerType, dispatch_uid="partner_types_delete"
        )
        post_save.connect(partner_data.group_changed, sender=HabilitationGroup, dispatch_uid="groups_drawn")
        post_delete.connect(
            partner_data.group_changed, sender=HabilitationGroup, dispatch_uid="groups_drawn_delete"
        )
        post_save.connect(
            partner_data.seat_changed, sender=ConventionAdministrator, dispatch_uid="partner_seats"
        )
        post_delete.connect(
            partner_data.seat_changed, sender=ConventionAdministrator, dispatch_uid="partner_seats_delete"
        )
