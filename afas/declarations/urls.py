from django.urls import include, path

from . import (
    views,
    views_approval,
    views_declaration,
    views_import,
    views_notifications,
    views_receipt,
    views_stats,
)

home_pages = [
    path("", views.home, name="home"),
    path("guide-utilisateur/", views.guide, name="guide"),
    path("tutoriel/", views.tutorial, name="tutorial"),
]

declaration_pages = [
    path("", views_declaration.declaration_detail, name="declaration"),
    path("activite/<int:part_pk>/", views_declaration.save_activity, name="declaration_activity"),
    path("financier/", views_declaration.save_financial, name="declaration_financial"),
    path("transmettre/", views_approval.transmit, name="declaration_transmit"),
    path("retourner/", views_approval.return_for_correction, name="declaration_return"),
    path("accuse-de-reception/<int:number>/", views_receipt.download_receipt, name="declaration_receipt"),
]

import_pages = [
    path("", views_import.import_upload, name="declaration_import_upload"),
    path("modele.<str:extension>", views_import.import_template, name="declaration_import_template"),
    path("<int:pk>/", views_import.import_detail, name="declaration_import"),
    path("<int:pk>/confirmer/", views_import.import_confirm, name="declaration_import_confirm"),
]

urlpatterns = [
    path("accueil/", include(home_pages)),
    path("statistiques/", views_stats.statistics, name="statistics"),
    path("mes-notifications/", views_notifications.notifications, name="notifications"),
    path("declarations/", views.declaration_list, name="declarations"),
    path("declarations/<int:pk>/", include(declaration_pages)),
    path("campagnes/<int:campaign_pk>/import/", include(import_pages)),
]
