from django.urls import path

from . import views

urlpatterns = [
    path(
        "inquiries/<int:pk>/documents/<slug:kind>.pdf",
        views.inquiry_document,
        name="agreement_document",
    ),
    path("ratgeber/personal-ueberlassen/", views.staff_lending_guide, name="staff_lending_guide"),
    path(
        "ratgeber/personal-ueberlassen/vereinbarung.pdf",
        views.staff_lending_template,
        name="staff_lending_template",
    ),
]
