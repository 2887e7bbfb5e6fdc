"""Back-office of « Revue des habilitations » (issue 14, rules 20 to 22): the agent opens a campaign for
their Caf's partners (or one), follows the progress per partner, sends a reminder and exports it."""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.admin_scoping import CafScopedAdmin, ReadOnly, agent_caf_id
from core.client_ip import client_ip
from core.errors import Refused

from ..models import AccessReview, ReviewDecision
from ..reviews import services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@admin.action(description="Envoyer une relance")
def send_reminder(modeladmin, request, queryset):
    for review in queryset.select_related("caf", "organisme"):
        try:
            reminded = services.send_reminders(
                review, by=request.user, request=request, ip_address=client_ip(request)
            )
        except Refused as refused:
            modeladmin.message_user(request, f"{review} : {refused}", messages.WARNING)
            continue
        modeladmin.message_user(
            request,
            f"{review} : relance envoyée par mail à {reminded} partenaire(s) ayant des lignes à revoir.",
        )


@admin.register(AccessReview)
class AccessReviewAdmin(CafScopedAdmin, admin.ModelAdmin):
    caf_lookup = "caf"
    caf_choices = {"caf": "pk", "organisme": "caf"}
    list_display = ["__str__", "opens_on", "date_limite", "unreviewed", "closed_at", "last_reminder_at"]
    list_select_related = ["caf", "organisme"]
    list_filter = ["unreviewed"]
    search_fields = ["organisme__raison_sociale"]
    autocomplete_fields = ["organisme"]
    actions = [send_reminder]
    fields = ["caf", "organisme", "opens_on", "date_limite", "unreviewed"]
    opened_fields = [
        "opened_by",
        "opened_at",
        "closed_at",
        "last_reminder_at",
        "progress_table",
        "export_link",
    ]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else self.fields + self.opened_fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Who and what a campaign reviews does not change once opened; its date limite may move.
        return ["caf", "organisme", "unreviewed", *self.opened_fields]

    def get_changeform_initial_data(self, request):
        return {"caf": agent_caf_id(request), **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.opened_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="avancement par partenaire")
    def progress_table(self, review):
        headers = format_html_join(
            "", '<th scope="col">{}</th>', ((header,) for header in services.PROGRESS_HEADERS)
        )
        rows = format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),)
                for row in services.progress_rows(review)
            ),
        )
        return format_html(
            "<table><caption>Avancement de la revue par partenaire</caption><thead><tr>{}</tr></thead>"
            "<tbody>{}</tbody></table>",
            headers,
            rows,
        )

    @admin.display(description="export")
    def export_link(self, review):
        url = reverse("admin:afas_accessreview_export", args=[review.pk])
        return format_html('<a href="{}">Exporter l\'avancement et les décisions (XLSX)</a>', url)

    def get_urls(self):
        own = [
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="afas_accessreview_export",
            )
        ]
        return own + super().get_urls()

    def export_view(self, request, pk):
        review = get_object_or_404(self.get_queryset(request), pk=pk)  # another Caf's: 404
        response = HttpResponse(services.to_xlsx(review), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="revue-habilitations-{review.pk}.xlsx"'
        return response


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnly, CafScopedAdmin, admin.ModelAdmin):
    """Every decision of the campaigns (who, when, IP); « Non revue … signalée à la Caf » is a filter."""

    caf_lookup = "review__caf"
    list_display = ["decided_at", "organisme", "line", "outcome", "decided_by", "ip_address"]
    list_filter = ["outcome"]
    search_fields = ["organisme__raison_sociale"]
    list_select_related = [
        "organisme",
        "decided_by",
        "habilitation__activite",
        "habilitation__lieu",
        "habilitation__user",
        "membership__group",
        "membership__user",
    ]
    fields = [
        "review",
        "organisme",
        "habilitation",
        "membership",
        "outcome",
        "decided_by",
        "decided_at",
        "ip_address",
    ]
    readonly_fields = fields

    @admin.display(description="ligne")
    def line(self, decision):
        user = (decision.habilitation or decision.membership).user
        return f"{user} — {services.line_label(decision)}"
