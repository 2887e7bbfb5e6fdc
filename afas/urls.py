from .declarations.urls import urlpatterns as declarations_urls
from .habilitations.urls import urlpatterns as habilitations_urls

app_name = "afas"

urlpatterns = habilitations_urls + declarations_urls
