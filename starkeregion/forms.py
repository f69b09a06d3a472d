"""One way to render every form: labels above fields, hints, errors at the field."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders all forms (ours, allauth's, Django's) with templates/forms/.

    The form template puts an error summary above the fields that links to each
    field in error (GOV.UK pattern); Django adds aria-invalid and aria-describedby.
    """

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
