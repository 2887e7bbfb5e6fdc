from django.urls import include, path

from . import supervision, views

habilitation_pages = [
    path("", views.habilitations, name="habilitations"),
    path("habiliter/", views.habilitation_grant, name="habilitation_grant"),
    path("<int:pk>/supprimer/", views.habilitation_end, name="habilitation_end"),
]

urlpatterns = [
    path("administration-des-profils/", include(habilitation_pages)),
    path("supervision-habilitations/", supervision.supervision, name="supervision"),
]
