from django.urls import include, path

from core.import_urls import import_pages

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

# declaration_import_upload, declaration_import_template, declaration_import_detail, declaration_import_confirm
declaration_import_pages = import_pages(
    "declaration_import",
    upload=views_import.import_upload,
    template=views_import.import_template,
    detail=views_import.import_detail,
    confirm=views_import.import_confirm,
)

urlpatterns = [
    path("accueil/", include(home_pages)),
    path("statistiques/", views_stats.statistics, name="statistics"),
    path("mes-notifications/", views_notifications.notifications, name="notifications"),
    path("declarations/", views.declaration_list, name="declarations"),
    path("declarations/<int:pk>/", include(declaration_pages)),
    path("campagnes/<int:campaign_pk>/import/", include(declaration_import_pages)),
]
