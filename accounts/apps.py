from allauth.account import apps as allauth_account_apps
from allauth.mfa import apps as allauth_mfa_apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("User accounts")

    def ready(self):
        from . import (
            contributions,  # noqa: F401  (registers its hook contributions)
            signals,  # noqa: F401  (connects its receivers)
        )


class SignInConfig(allauth_account_apps.AccountConfig):
    """allauth's accounts (the email addresses people sign in with), named in the back office
    apart from ours: both would be "Konten"."""

    default = False  # named in INSTALLED_APPS; AccountsConfig is this module's default
    verbose_name = _("Sign-in")


class TwoFactorConfig(allauth_mfa_apps.MFAConfig):
    """allauth's MFA with German names in the back office."""

    default = False
    verbose_name = _("Two-factor authentication")

    def ready(self):
        super().ready()
        # allauth's model names itself in English only. Meta's declared options (which the
        # migrations read) stay as they are, so this changes no migration.
        options = self.get_model("Authenticator")._meta
        options.verbose_name = _("second factor")
        options.verbose_name_plural = _("second factors")
