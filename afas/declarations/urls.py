from django.urls import path

from . import (
    views,
    views_approval,
    views_declaration,
    views_import,
    views_notifications,
    views_receipt,
    views_stats,
)

urlpatterns = [
    path("accueil/", views.home, name="home"),
    path("accueil/guide-utilisateur/", views.guide, name="guide"),
    path("accueil/tutoriel/", views.tutorial, name="tutorial"),
    path("statistiques/", views_stats.statistics, name="statistics"),
    path("mes-notifications/", views_notifications.notifications, name="notifications"),
    path("declarations/", views.declaration_list, name="declarations"),
    path("declarations/<int:pk>/", views_declaration.declaration_detail, name="declaration"),
    path(
        "declarations/<int:pk>/activite/<int:part_pk>/",
        views_declaration.save_activity,
        name="declaration_activity",
    ),
    path("declarations/<int:pk>/financier/", views_declaration.save_financial, name="declaration_financial"),
    path("declarations/<int:pk>/transmettre/", views_approval.transmit, name="declaration_transmit"),
    path("declarations/<int:pk>/retourner/", views_approval.return_for_correction, name="declaration_return"),
    path(
        "declarations/<int:pk>/accuse-de-reception/<int:number>/",
        views_receipt.download_receipt,
        name="declaration_receipt",
    ),
    path("campagnes/<int:campaign_pk>/import/", views_import.import_upload, name="declaration_import_upload"),
    path(
        "campagnes/<int:campaign_pk>/import/modele.<str:extension>",
        views_import.import_template,
        name="declaration_import_template",
    ),
    path(
        "campagnes/<int:campaign_pk>/import/<int:pk>/", views_import.import_detail, name="declaration_import"
    ),
    path(
        "campagnes/<int:campaign_pk>/import/<int:pk>/confirmer/",
        views_import.import_confirm,
        name="declaration_import_confirm",
    ),
]
