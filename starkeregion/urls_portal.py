"""URLs of a portal host (plain localhost, the apex domain): the list of regions."""

from django.urls import path

from regions import views as region_views

from .urls import common_patterns

urlpatterns = [
    path("", region_views.portal, name="home"),
    *common_patterns,
]

# 503 while the database is unreachable, 500 otherwise; rendered without the database.
handler500 = "core.errors.server_error"
