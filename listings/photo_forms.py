"""Forms for a listing's photos: uploading a few at once, each with its description (alt
text), and changing a description. Every picture is re-encoded without its metadata."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.uploads import MaxFileSizeValidator, clean_image

from . import photos
from .models import MAX_PHOTOS, ListingPhoto

PHOTO_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_SLOTS = 3  # photos per upload form; more make the page long without JavaScript
PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif"


def clean_photo(upload):
    """The upload as a re-encoded picture without metadata, or a ValidationError."""
    MaxFileSizeValidator(PHOTO_MAX_BYTES)(upload)
    return clean_image(upload, max_side=photos.ORIGINAL_SIDE)


ALT_TEXT_HELP = _(
    "What the photo shows, for people who cannot see it, e.g. “Yellow forklift in the "
    "warehouse, forks lowered”."
)
ALT_TEXT_REQUIRED = _("Please describe what the photo shows.")


class PhotoUploadForm(forms.Form):
    """A few photos at once, each with its description (alt text).

    Its template shows each photo beside its description; static/js/photo-upload.js adds a
    drop area with previews on top, filling the same fields, so the form posts the same
    with or without JavaScript."""

    template_name = "listings/_photo_upload_form.html"

    def __init__(self, *args, slots=UPLOAD_SLOTS, room=MAX_PHOTOS, **kwargs):
        super().__init__(*args, **kwargs)
        self.room = room
        self.slots = range(1, slots + 1)
        for number in self.slots:
            self.fields[f"photo_{number}"] = forms.FileField(
                label=_("Photo %(number)s") % {"number": number},
                required=False,
                help_text=_("JPEG, PNG, WebP or HEIC, at most 10 MB.") if number == 1 else "",
                widget=forms.FileInput(attrs={"accept": PHOTO_TYPES}),
            )
            self.fields[f"alt_text_{number}"] = forms.CharField(
                label=_("What does photo %(number)s show?") % {"number": number},
                required=False,
                max_length=200,
                help_text=ALT_TEXT_HELP if number == 1 else "",
            )

    @property
    def accept(self):
        return PHOTO_TYPES

    def slot_fields(self):
        """(number, photo field, description field) of each slot, for the template."""
        return [(n, self[f"photo_{n}"], self[f"alt_text_{n}"]) for n in self.slots]

    def clean(self):
        cleaned = super().clean()
        chosen = []
        for number in self.slots:
            upload = cleaned.get(f"photo_{number}")
            alt_text = (cleaned.get(f"alt_text_{number}") or "").strip()
            if f"photo_{number}" in self.errors:
                continue
            if upload and not alt_text:
                self.add_error(
                    f"alt_text_{number}", ValidationError(ALT_TEXT_REQUIRED, code="alt_required")
                )
            elif alt_text and not upload:
                self.add_error(
                    f"photo_{number}",
                    ValidationError(
                        _("Please choose the photo this description belongs to."),
                        code="photo_missing",
                    ),
                )
            elif upload:
                try:
                    chosen.append((clean_photo(upload), alt_text))
                except ValidationError as error:
                    self.add_error(f"photo_{number}", error)
        if not chosen and not self.errors:
            self.add_error("photo_1", ValidationError(_("Please choose a photo."), code="no_photo"))
        elif len(chosen) > self.room:
            raise ValidationError(
                _("A listing has at most %(max)s photos; you can add %(room)s more."),
                code="too_many_photos",
                params={"max": MAX_PHOTOS, "room": self.room},
            )
        self.photos = chosen
        return cleaned


class PhotoForm(forms.ModelForm):
    """The description of a photo that is there already."""

    class Meta:
        model = ListingPhoto
        fields = ["alt_text"]
        error_messages = {"alt_text": {"required": ALT_TEXT_REQUIRED}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alt_text"].help_text = ""
