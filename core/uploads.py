"""Checks and clean-up shared by every upload field.

Nothing a user uploads is stored as sent: images are opened by Pillow (which
refuses decompression bombs), re-encoded and so stripped of metadata such as
GPS positions; PDFs must start like a PDF. Every refusal is a ValidationError
with a German message for the form, never an exception that reaches the user.
"""

import io
import warnings
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

# Phones save photos as HEIC; Pillow reads them through pillow-heif (they become JPEG).
register_heif_opener()

# Pillow refuses images above twice this many pixels, and warns above it; we refuse both.
MAX_IMAGE_PIXELS = 40_000_000
# MPO is how Pillow names the multi-picture JPEGs many phones and cameras write.
ALLOWED_IMAGE_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "HEIF"}
PDF_MAGIC = b"%PDF-"


@deconstructible
class MaxFileSizeValidator:
    """Refuses files above `limit` bytes with a message that names both sizes."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, file):
        if file.size > self.limit:
            raise ValidationError(
                _("The file is %(size)s; at most %(limit)s are allowed."),
                code="file_too_large",
                params={"size": filesizeformat(file.size), "limit": filesizeformat(self.limit)},
            )

    def __eq__(self, other):
        return isinstance(other, MaxFileSizeValidator) and self.limit == other.limit


def _invalid_image():
    return ValidationError(
        _("This file is not an image we can use. Please upload a JPEG, PNG, WebP or HEIC picture."),
        code="invalid_image",
    )


def _too_many_pixels():
    return ValidationError(
        _("This picture has too many pixels. Please upload a smaller one."),
        code="too_many_pixels",
    )


def clean_image(upload, *, max_side: int) -> ContentFile:
    """The uploaded picture, re-encoded without metadata and at most `max_side` pixels wide
    and high. PNG stays PNG (logos keep transparency); everything else becomes JPEG."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            image = Image.open(upload)
            source_format = image.format
            if source_format not in ALLOWED_IMAGE_FORMATS:
                raise _invalid_image()
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise _too_many_pixels()
            image.load()
            image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise _invalid_image() from error

    image.thumbnail((max_side, max_side))
    output = io.BytesIO()
    if source_format == "PNG" or image.mode in ("RGBA", "LA", "P"):
        image.save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        # An empty comment, or Pillow would copy the source's JPEG comment (COM marker) over.
        image.convert("RGB").save(output, format="JPEG", quality=85, optimize=True, comment=b"")
        extension = "jpg"
    name = f"{Path(upload.name or 'image').stem[:40] or 'image'}.{extension}"
    return ContentFile(output.getvalue(), name=name)


def _not_a_pdf():
    return ValidationError(
        _("This file is not a PDF. Please upload a PDF document or a picture."),
        code="invalid_pdf",
    )


def clean_pdf(upload) -> ContentFile:
    """The uploaded PDF, if it starts like one; its name is reduced to a safe one."""
    upload.seek(0)
    if upload.read(len(PDF_MAGIC)) != PDF_MAGIC:
        raise _not_a_pdf()
    upload.seek(0)
    return ContentFile(upload.read(), name=f"{Path(upload.name or 'document').stem[:40]}.pdf")


def clean_document(upload) -> ContentFile:
    """A proof document: a PDF as it is, or a picture re-encoded like any other."""
    upload.seek(0)
    if upload.read(len(PDF_MAGIC)) == PDF_MAGIC:
        return clean_pdf(upload)
    try:
        return clean_image(upload, max_side=2400)
    except ValidationError as error:
        if error.code != "invalid_image":
            raise
        # Neither a PDF nor a picture: name both, not just the picture formats.
        raise _not_a_pdf() from error
