import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter

from core.mail import subject_prefix

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """Brands allauth's emails with the region the request came through.

    Links in those emails are built from the request, so a mail sent from
    pm.starkeregion.digital links back to pm.starkeregion.digital.
    """

    def _region(self):
        return getattr(self.request, "region", None)

    def format_email_subject(self, subject):
        return f"{subject_prefix(self._region())} {subject}"

    def send_mail(self, template_prefix, email, context):
        context = {**context, "region": self._region()}
        try:
            return super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError):
            # A broken mail server must not turn a sign-up into an error page: the account
            # exists, and "send the confirmation again" works once the server is back.
            logger.exception("Could not send %s mail", template_prefix)
