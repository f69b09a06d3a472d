"""The page a staff invitation's link opens (regions.staffing), on the host it was sent
from: a region's (once live) or a portal host.

Someone without an account chooses a password here and is signed in; someone with one signs
in first and accepts. Either way they become staff of the invitation's region only, and the
back office then asks them to set up two-factor authentication (regions.backoffice).
"""

from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import EmailAddress, Login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import staffing


def _welcome(request, membership):
    messages.success(
        request,
        _("You now work in the back office of %(region)s as %(role)s.")
        % {"region": membership.region.name, "role": membership.get_role_display()},
    )


def _create_account(invitation, form):
    """The invitee's account: the address is confirmed, the link came to it."""
    user = form.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@require_http_methods(["GET", "POST"])
def staff_invitation(request, token):
    try:
        invitation = staffing.invitation_from_token(token)
    except staffing.StaffInvitationError as error:
        return render(request, "regions/staff_invitation.html", {"error": str(error)}, status=410)
    host_region = getattr(request, "region", None)
    if host_region is not None and invitation.region_id != host_region.pk:
        raise Http404
    User = get_user_model()
    account_exists = User.objects.filter(email__iexact=invitation.email).exists()
    context = {"invitation": invitation, "account_exists": account_exists}
    user = request.user
    if user.is_authenticated:
        context["email_matches"] = user.email.lower() == invitation.email.lower()
        if request.method == "POST":
            try:
                membership = staffing.accept(token, user)
            except staffing.StaffInvitationError as error:
                context["error"] = str(error)
            else:
                _welcome(request, membership)
                return redirect("admin:index")
    elif not account_exists:
        language = translation.get_language()
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        new_user = User(email=invitation.email, language=language)
        form = SetPasswordForm(new_user, request.POST or None)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    new_user = _create_account(invitation, form)
                    membership = staffing.accept(token, new_user)
            except staffing.StaffInvitationError as error:
                context["error"] = str(error)
            else:
                _welcome(request, membership)
                # Signed in as after a password, which they typed this very moment (so allauth
                # need not ask for it again before they add their authenticator); the back
                # office then asks for the second factor.
                record_authentication(
                    request, new_user, method="password", email=new_user.email, reauthenticated=True
                )
                return perform_login(
                    request, Login(user=new_user, redirect_url=reverse("admin:index"))
                )
    return render(request, "regions/staff_invitation.html", context)
