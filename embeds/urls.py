from django.urls import path

from . import views

urlpatterns = [
    path("", views.builder, name="embed_builder"),
    path("listings/", views.listings, name="embed_listings"),
]
