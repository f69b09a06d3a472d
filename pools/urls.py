from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/join/", views.join, name="pool_join"),
    path("<int:pk>/thread/", views.thread, name="pool_thread"),
    path("<int:pk>/<slug:action>/", views.step, name="pool_step"),
]
