from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions")
    default = True

    def ready(self):
        # Connect their signal receivers and register the checks.
        from . import checks, contributions, pages, places, tenancy  # noqa: F401


class BackofficeConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the region-scoped back-office site as admin.site."""

    default = False  # named explicitly in INSTALLED_APPS; RegionsConfig is this module's default
    default_site = "regions.backoffice.BackofficeSite"
