from django.urls import path

from . import views

urlpatterns = [
    path("", views.inbox, name="inquiry_inbox"),
    path("new/<int:listing_pk>/", views.create, name="inquiry_create"),
    path("blocked/", views.blocked, name="inquiry_blocked"),
    path("notifications/", views.notification_settings, name="inquiry_notifications"),
    path("<int:pk>/", views.detail, name="inquiry_detail"),
    path("<int:pk>/outcome/", views.outcome, name="inquiry_outcome"),
    path("<int:pk>/thank-you/", views.thank_you_consent, name="inquiry_thank_you_consent"),
    path("<int:pk>/block/", views.block, name="inquiry_block"),
    path("<int:pk>/messages/<int:message_pk>/report/", views.report, name="inquiry_report_message"),
    path("<int:pk>/<slug:action>/", views.step, name="inquiry_step"),
]
