from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmbedsConfig(AppConfig):
    name = "embeds"
    verbose_name = _("Embeds")

    def ready(self):
        from . import contributions  # noqa: F401  (register its hook contributions)
