"""One way to render every form: labels above fields, hints, errors at the field."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders all forms (ours, allauth's, Django's) with templates/forms/.

    The form template puts an error summary above the fields that links to each
    field in error (GOV.UK pattern); Django adds aria-invalid and aria-describedby.
    """

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def https_by_default(db_field, **kwargs):
    """ModelForm formfield_callback: web addresses typed without a scheme are https
    (Django 6's default; saying so now also silences its deprecation warning)."""
    from django.db import models

    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)
