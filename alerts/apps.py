from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Saved searches")

    def ready(self):
        # Hook contributions, the receiver of listing_event, and the job handlers.
        from . import contributions, receivers, tasks  # noqa: F401
