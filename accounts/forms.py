from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import User


class UniqueEmailMixin:
    """Email addresses are logins: one account per address, whatever its case."""

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("There is an account with this email address already."), code="duplicate"
            )
        return email


class UserCreationForm(UniqueEmailMixin, auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserChangeForm(UniqueEmailMixin, auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """Django's, with the warning it writes in English only translated."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        auth_forms.SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


def name_field(label, autocomplete):
    """A part of the person's name: required, spaces tidied, as long as the model allows."""
    return forms.CharField(
        label=label,
        max_length=User._meta.get_field("first_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


class NameForm(forms.ModelForm):
    """The person's name, shown beside their organisation's in conversations. Required here
    although the model's fields are not: accounts made before sign-up asked have none."""

    first_name = name_field(_("First name"), "given-name")
    last_name = name_field(_("Last name"), "family-name")

    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class SignupForm(forms.Form):
    """What allauth's sign-up asks besides email and password (ACCOUNT_SIGNUP_FORM_CLASS):
    the name, which allauth's adapter stores (save_user copies first_name and last_name).
    allauth's sign-up form derives from this one, so this module must not import allauth's
    forms."""

    first_name = name_field(_("First name"), "given-name")
    last_name = name_field(_("Last name"), "family-name")
    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def signup(self, request, user):
        """Called by allauth after the user is saved; the names are already stored."""


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        help_text=_("To make sure it is really you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="wrong_password")
        return password


class LanguageForm(forms.ModelForm):
    """The language of the person's mails (and of the pages, from then on)."""

    class Meta:
        model = User
        fields = ["language"]
        widgets = {"language": forms.RadioSelect}
        labels = {"language": _("Language of your emails")}
