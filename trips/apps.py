from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TripsConfig(AppConfig):
    name = "trips"
    verbose_name = _("Trips")

    def ready(self):
        from . import contributions  # noqa: F401  (the hooks' contributions)
