from django.urls import path

from . import browse, detail, feeds, views

urlpatterns = [
    path("", browse.search, name="listing_search"),
    path("feed/", feeds.SearchFeed(), name="listing_feed"),
    path("mine/", views.mine, name="listing_mine"),
    path("new/", views.create, name="listing_create"),
    path("renew/<str:token>/", views.renew_by_link, name="listing_renew_by_link"),
    path("<int:pk>/", detail.detail, name="listing_detail"),
    path("<int:pk>/edit/", views.edit, name="listing_edit"),
    path("<int:pk>/photos/", views.photos, name="listing_photos"),
    path("<int:pk>/<slug:action>/", views.change_status, name="listing_change_status"),
]
