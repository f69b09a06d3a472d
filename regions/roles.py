from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    """The roles of region staff (regions.models.StaffMembership, and the invitations)."""

    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Region administrator")
