"""API keys: an organisation's way in for its portal, app or scripts.

A key is shown once, when it is made, and stored only as a SHA-256 hash of its secret;
its prefix, stored as it is, finds the row. A key acts for its organisation alone:
scope "read" sees the organisation's own listings in every state as well as the public
ones; "write" also creates and changes them through listings.services.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import ListingEvent
from organisations.models import Organisation
from regions.models import RegionOwnedQuerySet

KEY_START = "sr"
PREFIX_LENGTH = 12  # hex digits
SECRET_BYTES = 32


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Scope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiKeyQuerySet(RegionOwnedQuerySet):
    region_lookup = "organisation__region"

    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("organisation"),
    )
    name = models.CharField(
        _("name"), max_length=80, help_text=_("What the key is for, e.g. “Website of the firm”.")
    )
    scope = models.CharField(_("scope"), max_length=5, choices=Scope, default=Scope.READ)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({KEY_START}_{self.prefix}_…)"

    @property
    def region(self):
        return self.organisation.region

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def shown_prefix(self) -> str:
        return f"{KEY_START}_{self.prefix}_…"

    def matches(self, secret: str) -> bool:
        """Whether `secret` is this key's, compared in constant time."""
        return hmac.compare_digest(self.secret_hash, _hash(secret))

    @classmethod
    def issue(cls, organisation, name, scope, *, created_by=None, expires_at=None):
        """A new key and, once, its full text ("sr_<prefix>_<secret>")."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        secret = secrets.token_urlsafe(SECRET_BYTES)
        key = cls.objects.create(
            organisation=organisation,
            name=name,
            scope=scope,
            prefix=prefix,
            secret_hash=_hash(secret),
            created_by=created_by,
            expires_at=expires_at,
        )
        return key, f"{KEY_START}_{prefix}_{secret}"

    @staticmethod
    def split(text: str) -> tuple[str, str] | None:
        """(prefix, secret) of a key's text, or None for anything shaped otherwise."""
        start, _sep, rest = text.partition("_")
        prefix, _sep, secret = rest.partition("_")
        if start != KEY_START or len(prefix) != PREFIX_LENGTH or not secret:
            return None
        return prefix, secret


class ApiListingEvent(models.Model):
    """Marks a step in a listing's life (listings.ListingEvent) as taken through the API,
    and with which key; written by api.events while a key's request runs a service."""

    event = models.OneToOneField(
        ListingEvent, on_delete=models.CASCADE, primary_key=True, related_name="api_origin"
    )
    key = models.ForeignKey(
        ApiKey, on_delete=models.CASCADE, related_name="events", verbose_name=_("API key")
    )

    class Meta:
        verbose_name = _("listing event through the API")
        verbose_name_plural = _("listing events through the API")

    def __str__(self):
        return f"{self.event} ({self.key})"
