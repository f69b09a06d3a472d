from django.urls import path

from . import views

urlpatterns = [
    path("", views.saved_searches, name="alert_list"),
    path("new/", views.create, name="alert_create"),
    path("<int:pk>/edit/", views.edit, name="alert_edit"),
    path("<int:pk>/<slug:action>/", views.change, name="alert_change"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="alert_unsubscribe"),
    path("news/", views.digest, name="alert_digest"),
    path(
        "news/unsubscribe/<str:token>/", views.digest_unsubscribe, name="alert_digest_unsubscribe"
    ),
]
