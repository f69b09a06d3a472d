from django.urls import path

from . import key_views

urlpatterns = [
    path("", key_views.keys, name="api_keys"),
    path("<int:key_pk>/revoke/", key_views.revoke, name="api_key_revoke"),
]
