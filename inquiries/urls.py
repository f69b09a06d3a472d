from django.urls import path

from . import safety_views, views

urlpatterns = [
    path("", views.inbox, name="inquiry_inbox"),
    path("new/<int:listing_pk>/", views.create, name="inquiry_create"),
    path("blocked/", safety_views.blocked, name="inquiry_blocked"),
    path("notifications/", safety_views.notification_settings, name="inquiry_notifications"),
    path("<int:pk>/", views.detail, name="inquiry_detail"),
    path("<int:pk>/outcome/", views.outcome, name="inquiry_outcome"),
    path("<int:pk>/thank-you/", views.thank_you_consent, name="inquiry_thank_you_consent"),
    path("<int:pk>/block/", safety_views.block, name="inquiry_block"),
    path(
        "<int:pk>/messages/<int:message_pk>/report/",
        safety_views.report,
        name="inquiry_report_message",
    ),
    path("<int:pk>/<slug:action>/", views.step, name="inquiry_step"),
]
