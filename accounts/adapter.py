from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site

from core.mail import queue_mail, subject_prefix


class AccountAdapter(DefaultAccountAdapter):
    """Brands allauth's emails with the region the request came through, and queues them.

    Links in those emails are built from the request, so a mail sent from
    pm.starkeregion.digital links back to pm.starkeregion.digital.
    """

    def _region(self):
        return getattr(self.request, "region", None)

    def format_email_subject(self, subject):
        return f"{subject_prefix(self._region())} {subject}"

    def send_mail(self, template_prefix, email, context):
        """Render the mail now, in the request's language, and leave the sending to the worker.

        allauth would send it inside the request: a mail server that is down would lose the
        confirmation or reset mail while the page says it was sent, and a hanging one would
        hold the page. Queued (core.mail), it goes out when the server takes it.
        """
        context = {
            "request": self.request,
            "email": email,
            "current_site": get_current_site(self.request),
            "region": self._region(),
            **context,
        }
        queue_mail(self.render_mail(template_prefix, email, context))
