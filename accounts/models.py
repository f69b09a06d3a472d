from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with one login for every region; the email address is the user name.

    Acting for an organisation and working in a region's back office are
    separate memberships (organisations.Membership, regions.StaffMembership).
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    # The language of every mail the person receives; set on sign-up from the page's
    # language, changed under "My account".
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the emails you receive."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.email

    @property
    def display_name(self) -> str:
        """How pages name the person: their name, or their address for accounts made before
        sign-up asked for a name (ACCOUNT_USER_DISPLAY)."""
        return self.get_full_name() or self.email


def display_name(user) -> str:
    """allauth's ACCOUNT_USER_DISPLAY ("You are logged in as …")."""
    return user.display_name
