from django.urls import path

from . import views

urlpatterns = [
    path("revue-des-habilitations/", views.review_list, name="reviews"),
    path("revue-des-habilitations/<int:pk>/", views.review_detail, name="review"),
    path("revue-des-habilitations/<int:pk>/confirmer/", views.review_confirm, name="review_confirm"),
    path("revue-des-habilitations/<int:pk>/terminer/", views.review_end, name="review_end"),
]
