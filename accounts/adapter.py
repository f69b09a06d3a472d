from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Brands allauth's emails with the region the request came through.

    Links in those emails are built from the request, so a mail sent from
    pm.starkeregion.digital links back to pm.starkeregion.digital.
    """

    def _region(self):
        return getattr(self.request, "region", None)

    def format_email_subject(self, subject):
        region = self._region()
        prefix = f"starkeRegion {region.name}" if region else "starkeRegion"
        return f"[{prefix}] {subject}"

    def send_mail(self, template_prefix, email, context):
        context = {**context, "region": self._region()}
        return super().send_mail(template_prefix, email, context)
