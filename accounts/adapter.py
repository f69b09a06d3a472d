import time

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from core.mail import languages_of, queue_mail, subject_prefix

from .hooks import account_mail

# Where a person who signed up from a page (e.g. "save this search") goes once they have
# confirmed their address, kept in the session across the confirmation mail.
NEXT_AFTER_CONFIRMATION = "accounts:next_after_confirmation"


class AccountAdapter(DefaultAccountAdapter):
    """Brands allauth's emails with the region the request came through, and queues them.

    Links in those emails are built from the request, so a mail sent from
    pm.starkeregion.digital links back to pm.starkeregion.digital.
    """

    def _region(self):
        return getattr(self.request, "region", None)

    def format_email_subject(self, subject):
        return f"{subject_prefix(self._region())} {subject}"

    def save_user(self, request, user, form, commit=True):
        """A new account's mails speak the language of the page it signed up on; the page it
        came from (`next`) is where it lands after confirming its address."""
        language = translation.get_language()
        if language in {code for code, _name in settings.LANGUAGES}:
            user.language = language
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        if next_url and url_has_allowed_host_and_scheme(
            next_url, {request.get_host()}, request.is_secure()
        ):
            request.session[NEXT_AFTER_CONFIRMATION] = next_url
        return super().save_user(request, user, form, commit=commit)

    def get_email_verification_redirect_url(self, email_address):
        """Back to the page the person signed up from: straight there when signed in, else
        through the login page."""
        next_url = self.request.session.pop(NEXT_AFTER_CONFIRMATION, None)
        if not next_url:
            return super().get_email_verification_redirect_url(email_address)
        if self.request.user.is_authenticated:
            return next_url
        return f"{reverse('account_login')}?{urlencode({'next': next_url})}"

    def is_reauthentication_required(self, *, app, **kwargs):
        """A sign-in a moment ago (within ACCOUNT_REAUTHENTICATION_TIMEOUT) counts as the
        re-authentication allauth asks for before sensitive changes.

        Staff who enter the back office without an authenticator are sent to set one up
        (regions.backoffice); allauth asked them for the password they had just typed
        again, as only a re-authentication counted. Later changes still ask for it.
        """
        if self._signed_in_recently():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def _signed_in_recently(self) -> bool:
        request = self.request
        if request is None or not request.user.is_authenticated:
            return False
        records = get_authentication_records(request, request.user)
        sign_ins = [
            record["at"]
            for record in records
            if record.get("method") in {"password", "mfa"} and not record.get("reauthenticated")
        ]
        return bool(sign_ins) and time.time() - max(sign_ins) < (
            allauth_settings.REAUTHENTICATION_TIMEOUT
        )

    def send_mail(self, template_prefix, email, context):
        """Render the mail now, in its recipient's language, and leave the sending to the worker.

        allauth would send it inside the request: a mail server that is down would lose the
        confirmation or reset mail while the page says it was sent, and a hanging one would
        hold the page. Queued (core.mail), it goes out when the server takes it. A person
        with an account reads it in the language they chose, anyone else in the request's.
        """
        context = {
            "request": self.request,
            "email": email,
            "current_site": get_current_site(self.request),
            "region": self._region(),
            **account_mail.merged(self._region()),
            **context,
        }
        (language,) = languages_of([email])
        with translation.override(language):
            queue_mail(self.render_mail(template_prefix, email, context))
