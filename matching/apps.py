from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # The receiver of listing_event, the job's handler and the hooks' contributions.
        from . import contributions, receivers, tasks  # noqa: F401
