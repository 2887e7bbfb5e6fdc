from django.urls import include, path

from . import views

review_pages = [
    path("", views.review_detail, name="review"),
    path("confirmer/", views.review_confirm, name="review_confirm"),
    path("terminer/", views.review_end, name="review_end"),
]

urlpatterns = [
    path("revue-des-habilitations/", views.review_list, name="reviews"),
    path("revue-des-habilitations/<int:pk>/", include(review_pages)),
]
