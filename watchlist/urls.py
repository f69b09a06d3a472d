from django.urls import path

from . import views

urlpatterns = [
    path("", views.watchlist, name="watchlist"),
    path("listings/<int:pk>/", views.listing, name="watchlist_listing"),
    path("organisations/<int:pk>/", views.organisation, name="watchlist_organisation"),
]
