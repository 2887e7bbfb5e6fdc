"""Back-office Caf: users and lockouts. An agent sees only their Caf's users; a superuser sees all."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Prefetch

from core.admin_scoping import CafScopedAdmin, ReadOnly, agent_caf_id

from .admin_forms import UserAdminForm
from .closing import change_closing_date, close_account, closing_refusal
from .models import User, generate_identifiant
from .second_factor.admin import reset_second_factors
from .services import lift_lockout, pending_email_message, request_email_change, send_activation_mail
from .sessions import sign_out_everywhere
from .signals import account_created


def locked_identifiants():
    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)


class StatutFilter(admin.SimpleListFilter):
    title = "statut"
    parameter_name = "statut"

    def lookups(self, request, model_admin):
        return [("ouvert", "Ouvert"), ("ferme", "Fermé")]

    def queryset(self, request, queryset):
        opened = User.objects.open().values("pk")
        if self.value() == "ouvert":
            return queryset.filter(pk__in=opened)
        if self.value() == "ferme":
            return queryset.exclude(pk__in=opened)
        return queryset


@admin.register(User)
class UserAdmin(CafScopedAdmin, admin.ModelAdmin):
    form = UserAdminForm
    # « blocage » before the organisme: the agent sees it at 1280px without scrolling the table sideways.
    list_display = ["identifiant", "nom", "prenom", "statut_display", "locked_display", "organisme"]
    # The organismes of the page's rows are read apart (by primary key, `page_rows`): joined, PostgreSQL
    # hashed all 30,000 organismes of the country before sorting the Caf's ~2,500 users (EXPLAIN ANALYZE
    # on the national set, median of 7: page 25 32 -> 10 ms, page 1 17 -> 11 ms).
    list_select_related = []
    # What the columns read (statut: the opening and closing dates) and the row checkbox's label.
    list_only = ["identifiant", "nom", "prenom", "date_ouverture", "date_cloture", "organisme"]
    list_filter = [StatutFilter, "is_staff"]
    search_fields = ["identifiant", "nom", "prenom", "email"]
    autocomplete_fields = ["organisme"]
    # 150,000 users nationally: one count (the Caf's) per page instead of two.
    show_full_result_count = False
    actions = ["close_accounts", "lift_lockouts", "end_sessions", reset_second_factors]
    readonly_fields = ["closed_by", "last_login", "previous_login", "date_joined"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(locked=Exists(locked_identifiants().filter(username=OuterRef("identifiant"))))
        )

    def page_rows(self, queryset):
        organismes = User._meta.get_field("organisme").related_model._default_manager
        names = organismes.only("raison_sociale")
        return super().page_rows(queryset).prefetch_related(Prefetch("organisme", queryset=names))

    def scope_to_caf(self, queryset, caf_id):
        # Users belong to a Caf through their organisme (partners) or directly (agents).
        return queryset.of_caf(caf_id)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # Every user picker of the back-office (memberships, MCP administrators) names a partner user.
            queryset = queryset.filter(organisme__isnull=False)
        return queryset, may_have_duplicates

    def get_fieldsets(self, request, obj=None):
        person = ["nom", "prenom", "email", "telephone", "poste", "organisme"]
        if obj is not None or request.user.is_superuser:
            person.insert(0, "identifiant")
        fieldsets = [
            (None, {"fields": person}),
            (
                "Compte",
                {
                    "fields": ["date_ouverture"]
                    if obj is None
                    else ["date_ouverture", "date_cloture", "closed_by"]
                },
            ),
        ]
        if request.user.is_superuser:
            fieldsets.append(("Back-office", {"fields": ["is_staff", "caf", "is_superuser", "is_active"]}))
        if obj is not None:
            fieldsets.append(("Connexions", {"fields": ["last_login", "previous_login", "date_joined"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is not None:
            readonly.append("identifiant")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.agent_caf_id = None if request.user.is_superuser else agent_caf_id(request)
        form.acting_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        if not obj.identifiant:
            obj.identifiant = generate_identifiant()
        closing = None
        if change and "date_cloture" in form.changed_data:
            # Saved as it was, then changed by accounts.closing (memberships, sessions, who).
            closing, obj.date_cloture = obj.date_cloture, form.initial["date_cloture"]
        new_email = None
        if change and "email" in form.changed_data:
            new_email, obj.email = obj.email, form.initial["email"]  # applied once confirmed (decision 15)
        super().save_model(request, obj, form, change)
        if new_email:
            request_email_change(request, obj, new_email, requested_by=request.user)
            self.message_user(request, pending_email_message(new_email), messages.INFO)
        if change and "date_cloture" in form.changed_data:
            change_closing_date(obj, closing, by=request.user)
        if not change:
            account_created.send(sender=User, user=obj, by=request.user)
            send_activation_mail(request, obj)
            self.message_user(
                request,
                f"Le compte {obj.identifiant} est créé ; un lien d'activation a été envoyé à {obj.email}.",
                messages.SUCCESS,
            )

    @admin.display(description="statut")
    def statut_display(self, obj):
        return obj.statut

    @admin.display(description="blocage")
    def locked_display(self, obj):
        return "Bloqué" if obj.locked else ""

    @admin.action(description="Fermer le compte")
    def close_accounts(self, request, queryset):
        closed = 0
        for user in queryset:
            if not user.is_open():
                continue
            if refusal := closing_refusal(user, by=request.user):
                self.message_user(request, f"{user} : {refusal}", messages.WARNING)
                continue
            close_account(user, by=request.user)
            closed += 1
        self.message_user(request, f"{closed} compte(s) fermé(s).", messages.SUCCESS)

    @admin.action(description="Déconnecter de toutes ses sessions")
    def end_sessions(self, request, queryset):
        """Every open session of the users selected ends (all the Caf's users when all are selected); their
        accounts stay open. Each is recorded in the audit trail."""
        ended = sum(sign_out_everywhere(user, by=request.user, request=request) for user in queryset)
        self.message_user(
            request,
            f"{ended} session(s) fermée(s) pour {len(queryset)} compte(s) ; les comptes restent ouverts.",
            messages.SUCCESS,
        )

    @admin.action(description="Lever le blocage")
    def lift_lockouts(self, request, queryset):
        lifted = sum(1 for user in queryset if lift_lockout(user.identifiant, by=request.user))
        self.message_user(request, f"Blocage levé pour {lifted} compte(s).", messages.SUCCESS)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReadOnly, CafScopedAdmin, admin.ModelAdmin):
    """Failed sign-ins per identifiant (django-axes). An agent sees those of their Caf's users."""

    list_display = ["identifiant", "failures_since_start", "attempt_time", "ip_address", "is_locked"]
    search_fields = ["username"]
    actions = ["lift_lockouts"]
    fields = ["identifiant", "failures_since_start", "attempt_time", "ip_address", "navigateur", "path_info"]
    readonly_fields = fields
    change_form_template = "admin/axes/accessattempt/change_form.html"

    def scope_to_caf(self, queryset, caf_id):
        # Attempts hold an identifiant, not a Caf: scoped through the users of the agent's Caf.
        return queryset.filter(username__in=User.objects.of_caf(caf_id).values("identifiant"))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # django-axes names an attempt « Attempted Access: <ISO date in UTC> »: named by its identifiant here.
        attempt = self.get_object(request, object_id)
        extra_context = {"subtitle": f"Identifiant {attempt.username}", **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description="identifiant", ordering="username")
    def identifiant(self, obj):
        return obj.username

    @admin.display(description="navigateur")
    def navigateur(self, obj):
        return obj.user_agent

    @admin.display(description="blocage")
    def is_locked(self, obj):
        return "Bloqué" if obj.failures_since_start >= settings.AXES_FAILURE_LIMIT else ""

    @admin.action(description="Lever le blocage")
    def lift_lockouts(self, request, queryset):
        identifiants = set(queryset.values_list("username", flat=True))
        for identifiant in identifiants:
            lift_lockout(identifiant, by=request.user)
        self.message_user(request, f"Blocage levé pour {len(identifiants)} identifiant(s).", messages.SUCCESS)
