from django.urls import path

from .views import conventions, groups, imports, users

app_name = "conventions"

urlpatterns = [
    path("types-organismes/", conventions.partner_types, name="partner_types"),
    path("organismes/", conventions.organismes, name="organismes"),
    path("", conventions.convention_list, name="list"),
    path("<int:pk>/", conventions.convention_detail, name="detail"),
    path("<int:pk>/edp.pdf", conventions.convention_edp, name="edp"),
    path("<int:pk>/utilisateurs/", users.user_list, name="users"),
    path("<int:pk>/utilisateurs/nouveau/", users.user_create, name="user_create"),
    path("<int:pk>/utilisateurs/importer/", imports.user_import, name="user_import"),
    path(
        "<int:pk>/utilisateurs/importer/modele.<str:fmt>",
        imports.user_import_template,
        name="user_import_template",
    ),
    path(
        "<int:pk>/utilisateurs/importer/<int:import_pk>/",
        imports.user_import_detail,
        name="user_import_detail",
    ),
    path(
        "<int:pk>/utilisateurs/importer/<int:import_pk>/confirmer/",
        imports.user_import_confirm,
        name="user_import_confirm",
    ),
    path("<int:pk>/utilisateurs/<int:user_pk>/modifier/", users.user_update, name="user_update"),
    path("<int:pk>/utilisateurs/<int:user_pk>/supprimer/", users.user_close, name="user_close"),
    path("<int:pk>/utilisateurs/<int:user_pk>/historique/", users.user_history, name="user_history"),
    path("<int:pk>/groupes/", groups.group_list, name="groups"),
    path("<int:pk>/groupes/ajouter/", groups.group_add_user, name="group_add_user"),
    path(
        "<int:pk>/groupes/appartenances/<int:membership_pk>/cloturer/",
        groups.membership_close,
        name="membership_close",
    ),
]
