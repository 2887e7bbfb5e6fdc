from django.urls import path

from . import views

urlpatterns = [
    path("administration-des-profils/", views.habilitations, name="habilitations"),
    path("administration-des-profils/habiliter/", views.habilitation_grant, name="habilitation_grant"),
    path(
        "administration-des-profils/<int:pk>/supprimer/",
        views.habilitation_end,
        name="habilitation_end",
    ),
]
