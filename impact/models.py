"""Impact keeps no data of its own: its figures are counted from the outcomes of
inquiries (inquiries.models.Outcome). The proxy gives the back office its list of
exchanges handed over, the figures page and the exports beside it (impact.admin)."""

from django.utils.translation import gettext_lazy as _

from inquiries.models import Outcome


class HandedOver(Outcome):
    class Meta:
        proxy = True
        verbose_name = _("exchange handed over")
        verbose_name_plural = _("exchanges handed over")
