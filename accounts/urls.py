from django.urls import include, path

from . import views
from .second_factor import views as second_factor

app_name = "accounts"

sign_in_pages = [
    path("", views.PortalLoginView.as_view(), name="login"),
    path("second-facteur/", second_factor.second_factor, name="second_factor"),
]

session_pages = [
    path("", views.session_list, name="sessions"),
    path("deconnecter-les-autres/", views.end_other_sessions, name="end_other_sessions"),
]

email_pages = [
    path("", views.email_change, name="email_change"),
    path("confirmation/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
]

passkey_pages = [
    path("ajouter/", second_factor.security_passkey_add, name="security_passkey_add"),
    path("<int:pk>/renommer/", second_factor.security_passkey_rename, name="security_passkey_rename"),
    path("<int:pk>/supprimer/", second_factor.security_passkey_remove, name="security_passkey_remove"),
]

security_pages = [
    path("", second_factor.security, name="security"),
    path("activer/", second_factor.security_enrol, name="security_enrol"),
    path("codes-de-secours/", second_factor.security_recovery_codes, name="security_recovery_codes"),
    path("supprimer/", second_factor.security_remove, name="security_remove"),
    path("cles-d-acces/", include(passkey_pages)),
]

urlpatterns = [
    path("connexion/", include(sign_in_pages)),
    path("deconnexion/", views.logout_view, name="logout"),
    path("session/prolonger/", views.keep_alive, name="keep_alive"),
    path("confirmer-mon-identite/", second_factor.reauth, name="reauth"),
    path("bienvenue/", views.welcome, name="welcome"),
    path("mot-de-passe/", views.password_update, name="password_update"),
    path("mot-de-passe-oublie/", views.password_forgotten, name="password_forgotten"),
    path("activation/<uidb64>/<token>/", views.ActivationView.as_view(), name="activate"),
    path("connexions/", include(session_pages)),
    path("adresse-mail/", include(email_pages)),
    path("securite/", include(security_pages)),
]
