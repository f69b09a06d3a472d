from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchlistConfig(AppConfig):
    name = "watchlist"
    verbose_name = _("Watch list")

    def ready(self):
        # The receiver of listing_event, the jobs' handlers and the hooks' contributions.
        from . import contributions, receivers, tasks  # noqa: F401
