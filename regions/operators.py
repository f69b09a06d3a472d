"""Who operates what: each region's operator (the district's economic development agency)
and the installation's operator (who runs the servers and the portal).

Their details live here once and are filled into the legal pages whenever a page is shown
(regions.legal), so a change reaches every page at once.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .states import STATE_CHOICES


class OperatorDetails(models.Model):
    """What an imprint (§ 5 DDG, § 18 MStV) and a privacy policy (Art. 13 GDPR) say about
    whoever is responsible. The optional ones leave their line out of a page when empty;
    the others show a placeholder there until they are filled in."""

    operator_name = models.CharField(
        _("operator"),
        max_length=200,
        help_text=_("Full name with legal form, e.g. Wirtschaftsförderung Musterkreis GmbH"),
    )
    operator_address = models.TextField(_("operator's postal address"))
    operator_email = models.EmailField(_("operator's email address"))
    operator_phone = models.CharField(_("operator's phone number"), max_length=40, blank=True)
    operator_website = models.URLField(_("operator's website"), blank=True)
    operator_representative = models.CharField(
        _("legal representative"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text=_("Who represents the operator, e.g. Max Muster (Geschäftsführer)."),
    )
    operator_register = models.CharField(
        _("register entry"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "Register court and number, e.g. Amtsgericht Potsdam, HRB 12345; empty if the "
            "operator is not registered (e.g. a public body)."
        ),
    )
    operator_vat_id = models.CharField(
        _("VAT identification number"),
        max_length=40,
        blank=True,
        default="",
        db_default="",
        help_text=_("Empty if the operator has none."),
    )
    operator_supervisory_authority = models.CharField(
        _("supervisory authority"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "The authority supervising the operator, e.g. the district's municipal "
            "supervision; empty if there is none."
        ),
    )
    operator_responsible_person = models.TextField(
        _("person responsible for the content"),
        blank=True,
        default="",
        db_default="",
        help_text=_("Name and address of a person, as § 18 (2) MStV asks."),
    )
    operator_privacy_officer = models.TextField(
        _("data protection officer"),
        blank=True,
        default="",
        db_default="",
        help_text=_("Name or office and how to reach them (email or postal address)."),
    )

    class Meta:
        abstract = True


class InstallationOperator(OperatorDetails):
    """The one operator of the whole installation: the portal's imprint, the signature of
    mails sent from the portal, and the technical operator in every region's privacy policy.
    There is at most one (`load()` answers an empty one until the operator fills it in)."""

    state = models.CharField(
        _("federal state"),
        max_length=2,
        choices=STATE_CHOICES,
        blank=True,
        help_text=_("Where the operator has its seat: names the supervisory authorities."),
    )
    hosting_provider = models.TextField(
        _("hosting provider"),
        blank=True,
        help_text=_("Name, address and where the servers stand (e.g. Germany)."),
    )
    email_provider = models.TextField(
        _("email delivery"),
        blank=True,
        help_text=_("The service that delivers the platform's mails: name, address, location."),
    )
    log_retention = models.CharField(
        _("retention of server logs"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 7 days"),
    )

    class Meta:
        verbose_name = _("installation operator")
        verbose_name_plural = _("installation operator")

    def __str__(self):
        return self.operator_name or str(self._meta.verbose_name)

    def clean(self):
        if InstallationOperator.objects.exclude(pk=self.pk).exists():
            raise ValidationError(_("The installation has one operator; change the existing one."))

    @classmethod
    def load(cls):
        """The installation's operator, or an empty one (not saved) while there is none."""
        return cls.objects.order_by("pk").first() or cls()


class PortalPage(models.Model):
    """A legal page of the portal host (the installation's own), as its operator worded it.
    Until one is saved the portal shows the starter text."""

    class Kind(models.TextChoices):
        IMPRINT = "imprint", _("Imprint")
        PRIVACY = "privacy", _("Privacy policy")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")

    kind = models.CharField(_("page"), max_length=20, choices=Kind, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("portal page")
        verbose_name_plural = _("portal pages")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()
