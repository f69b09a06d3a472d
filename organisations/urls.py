from django.urls import path

from . import views

urlpatterns = [
    path("", views.directory, name="organisation_directory"),
    path("new/", views.create, name="organisation_create"),
    path("act-for/", views.act_for, name="organisation_act_for"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<int:pk>/", views.profile, name="organisation_profile"),
    path("<int:pk>/manage/", views.manage, name="organisation_manage"),
    path("<int:pk>/proof/", views.proof, name="organisation_proof"),
    path("<int:pk>/proof/file/", views.proof_file, name="organisation_proof_file"),
    path("<int:pk>/members/", views.members, name="organisation_members"),
    path(
        "<int:pk>/members/<int:membership_pk>/role/",
        views.change_role,
        name="organisation_change_role",
    ),
    path(
        "<int:pk>/members/<int:membership_pk>/remove/",
        views.remove_member,
        name="organisation_remove_member",
    ),
    path(
        "<int:pk>/members/<int:membership_pk>/hand-over/",
        views.hand_over,
        name="organisation_hand_over",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        views.withdraw_invitation,
        name="organisation_withdraw_invitation",
    ),
    path("<int:pk>/leave/", views.leave, name="organisation_leave"),
]
