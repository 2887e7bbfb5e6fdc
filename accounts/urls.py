from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.PortalLoginView.as_view(), name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("bienvenue/", views.welcome, name="welcome"),
    path("activation/<uidb64>/<token>/", views.ActivationView.as_view(), name="activate"),
]
