"""Checks shared by every upload field."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


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
