"""What accounts does when allauth reports something; connected when the app is ready."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver


@receiver(authenticator_added)
def count_activation_as_second_factor(sender, request, user, authenticator, **kwargs):
    """Setting up an authenticator app takes a code from it: for this session, that is the
    second factor of the sign-in, as if the code had been typed at the login.

    Without this, staff sent to set one up before entering the back office
    (regions.backoffice) were asked for a second code at once. It lets in no one it did
    not before: whoever set the app up in this session could type its next code as well.
    """
    if authenticator.type != Authenticator.Type.TOTP or request is None:
        return
    if request.user.is_authenticated and request.user.pk == user.pk:
        record_authentication(
            request, user, method="mfa", id=authenticator.pk, type=authenticator.type
        )
