from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    # Its one table in the back office is the background jobs, which the operator watches.
    verbose_name = _("Operations")
