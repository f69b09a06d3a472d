from django.urls import path

from . import views

urlpatterns = [
    path("listings/<int:pk>/", views.report_listing, name="report_listing"),
    path("organisations/<int:pk>/", views.report_organisation, name="report_organisation"),
    path("decisions/<int:pk>/", views.case, name="moderation_case"),
]
