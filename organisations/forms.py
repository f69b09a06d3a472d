from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import https_by_default
from core.uploads import MaxFileSizeValidator, clean_document, clean_image
from regions.models import Place
from regions.places import place_in_region

from .models import Organisation, Role, Verification

LOGO_MAX_BYTES = 5 * 1024 * 1024
PROOF_MAX_BYTES = 10 * 1024 * 1024


class OrganisationForm(forms.ModelForm):
    """The profile an organisation shows; its address must lie in the region."""

    postal_code = forms.CharField(label=_("Postal code"), max_length=5)
    place_name = forms.CharField(
        label=_("Place"),
        max_length=100,
        required=False,
        help_text=_("Only needed where several places share the postal code."),
    )

    class Meta:
        model = Organisation
        formfield_callback = https_by_default
        fields = [
            "name",
            "type",
            "legal_form",
            "sector",
            "size",
            "street",
            "postal_code",
            "place_name",
            "website",
            "public_email",
            "public_phone",
            "description",
            "logo",
            "named_as_giver",
        ]
        # clean_logo checks the picture itself; Django's ImageField would refuse a
        # decompression bomb first, calling it "not an image or corrupted".
        field_classes = {"logo": forms.FileField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["logo"].help_text = _("JPEG, PNG or WebP, at most 5 MB.")
        if self.instance.pk is None:
            # A new organisation has given nothing yet; it decides once it has.
            del self.fields["named_as_giver"]
        if self.instance.pk and self.instance.place_id:
            self.initial.setdefault("postal_code", self.instance.place.postal_code)
            self.initial.setdefault("place_name", self.instance.place.name)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo == self.instance.logo:  # unchanged or cleared
            return logo
        MaxFileSizeValidator(LOGO_MAX_BYTES)(logo)
        return clean_image(logo, max_side=512)

    def clean(self):
        cleaned = super().clean()
        postal_code = (cleaned.get("postal_code") or "").strip()
        if not postal_code:
            return cleaned
        try:
            self.instance.place = place_in_region(
                self.region, postal_code, cleaned.get("place_name") or ""
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def save(self, commit=True):
        self.instance.region = self.region
        if self.instance.pk and "type" in self.changed_data:
            # Staff verified the organisation as what it was: a company turning into a
            # non-profit must not become eligible for donations unchecked.
            self.instance.verification = Verification.NEW
            self.instance.verified_at = None
            self.instance.verified_by = None
        return super().save(commit)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person you invite"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(Role.MEMBER, Role.MEMBER.label), (Role.ADMIN, Role.ADMIN.label)],
        initial=Role.MEMBER,
        help_text=_("Members act for the organisation; administrators also manage it."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ProofForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["proof", "proof_valid_until"]
        widgets = {"proof_valid_until": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proof"].required = True
        self.fields["proof"].help_text = _(
            "PDF or picture, at most 10 MB. Only your organisation's administrators and the "
            "region's staff can open it."
        )
        self.fields["proof_valid_until"].help_text = _("If the document states an end date.")

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if not proof or proof == self.instance.proof:
            return proof
        MaxFileSizeValidator(PROOF_MAX_BYTES)(proof)
        return clean_document(proof)


class OrganisationAdminForm(forms.ModelForm):
    """The profile as staff edit it: the same upload checks as on the site, and a place
    in the organisation's region."""

    class Meta:
        model = Organisation
        formfield_callback = https_by_default
        fields = [
            "name",
            "type",
            "legal_form",
            "sector",
            "size",
            "region",
            "street",
            "place",
            "website",
            "public_email",
            "public_phone",
            "description",
            "logo",
            "verification_note",
            "proof_valid_until",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "place" in self.fields and self.instance.region_id:
            self.fields["place"].queryset = Place.objects.in_region(self.instance.region)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo == self.instance.logo:  # unchanged or cleared
            return logo
        MaxFileSizeValidator(LOGO_MAX_BYTES)(logo)
        return clean_image(logo, max_side=512)

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region") or (
            self.instance.region if self.instance.region_id else None
        )
        place = cleaned.get("place")
        if region and place and place.district_key != region.district_key:
            self.add_error(
                "place",
                _("%(place)s is not %(in_region)s.")
                % {"place": place, "in_region": region.name_with_preposition},
            )
        return cleaned
