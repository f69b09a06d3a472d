"""URLs of a portal host (plain localhost, the apex domain): the list of regions."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import path

from regions import views as region_views

from .urls import common_patterns

urlpatterns = [
    path("", region_views.portal, name="home"),
    *common_patterns,
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
