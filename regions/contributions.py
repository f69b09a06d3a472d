"""What regions adds to the pages and mails of the apps below it (core.hooks)."""

from accounts.hooks import account_mail

from .operators import InstallationOperator


@account_mail.register
def installation_operator(region):
    """Mails sent from a portal host are signed by the installation's operator."""
    return {} if region is not None else {"installation_operator": InstallationOperator.load()}
