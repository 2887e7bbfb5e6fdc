from django.urls import path

from . import views
from .second_factor import views as second_factor

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.PortalLoginView.as_view(), name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("session/prolonger/", views.keep_alive, name="keep_alive"),
    path("bienvenue/", views.welcome, name="welcome"),
    path("mot-de-passe/", views.password_update, name="password_update"),
    path("mot-de-passe-oublie/", views.password_forgotten, name="password_forgotten"),
    path("activation/<uidb64>/<token>/", views.ActivationView.as_view(), name="activate"),
    path("connexions/", views.session_list, name="sessions"),
    path("connexions/deconnecter-les-autres/", views.end_other_sessions, name="end_other_sessions"),
    path("adresse-mail/", views.email_change, name="email_change"),
    path("adresse-mail/confirmation/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("connexion/second-facteur/", second_factor.second_factor, name="second_factor"),
    path("confirmer-mon-identite/", second_factor.reauth, name="reauth"),
    path("securite/", second_factor.security, name="security"),
    path("securite/activer/", second_factor.security_enrol, name="security_enrol"),
    path("securite/codes-de-secours/", second_factor.security_recovery_codes, name="security_recovery_codes"),
    path("securite/supprimer/", second_factor.security_remove, name="security_remove"),
    path("securite/cles-d-acces/ajouter/", second_factor.security_passkey_add, name="security_passkey_add"),
    path(
        "securite/cles-d-acces/<int:pk>/renommer/",
        second_factor.security_passkey_rename,
        name="security_passkey_rename",
    ),
    path(
        "securite/cles-d-acces/<int:pk>/supprimer/",
        second_factor.security_passkey_remove,
        name="security_passkey_remove",
    ),
]
