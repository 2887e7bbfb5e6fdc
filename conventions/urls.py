from django.urls import include, path

from core.import_urls import import_pages

from .views import conventions, groups, imports, users

app_name = "conventions"

# user_import_upload, user_import_template, user_import_detail, user_import_confirm
user_import_pages = import_pages(
    "user_import",
    upload=imports.user_import,
    template=imports.user_import_template,
    detail=imports.user_import_detail,
    confirm=imports.user_import_confirm,
)

user_pages = [
    path("", users.user_list, name="users"),
    path("nouveau/", users.user_create, name="user_create"),
    path("importer/", include(user_import_pages)),
    path("<int:user_pk>/modifier/", users.user_update, name="user_update"),
    path("<int:user_pk>/supprimer/", users.user_close, name="user_close"),
    path("<int:user_pk>/historique/", users.user_history, name="user_history"),
]

group_pages = [
    path("", groups.group_list, name="groups"),
    path("ajouter/", groups.group_add_user, name="group_add_user"),
    path("appartenances/<int:membership_pk>/cloturer/", groups.membership_close, name="membership_close"),
]

convention_pages = [
    path("", conventions.convention_detail, name="detail"),
    path("edp.pdf", conventions.convention_edp, name="edp"),
    path("utilisateurs/", include(user_pages)),
    path("groupes/", include(group_pages)),
]

urlpatterns = [
    path("types-organismes/", conventions.partner_types, name="partner_types"),
    path("organismes/", conventions.organismes, name="organismes"),
    path("", conventions.convention_list, name="list"),
    path("<int:pk>/", include(convention_pages)),
]
