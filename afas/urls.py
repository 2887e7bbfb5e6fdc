from .declarations.urls import urlpatterns as declarations_urls
from .habilitations.urls import urlpatterns as habilitations_urls
from .reviews.urls import urlpatterns as reviews_urls

app_name = "afas"

urlpatterns = habilitations_urls + declarations_urls + reviews_urls
