"""One way to render every form: labels above fields, hints, errors at the field."""

from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
SELECT_OPTION = "django/forms/widgets/select_option.html"
# Radio buttons and checkboxes: both include templates/django/forms/widgets/multiple_input.html.
MULTIPLE_INPUTS = (
    "django/forms/widgets/radio.html",
    "django/forms/widgets/checkbox_select.html",
)
INPUT_OPTIONS = (
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_option.html",
)


class FormRenderer(TemplatesSetting):
    """Renders all forms (ours, allauth's, Django's) with templates/forms/.

    The form template puts an error summary above the fields that links to each
    field in error (GOV.UK pattern); Django adds aria-invalid and aria-describedby.

    Selects, radio buttons and checkboxes are written here in Python, in exactly the
    markup of their templates (templates/django/forms/widgets/; tests/test_forms.py holds
    the two alike): the template language took a few microseconds per option, and the
    search page's filters have a hundred options, half its form's time.
    """

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if template_name == SELECT and _options_are(widget, (SELECT_OPTION,)):
            return select_markup(widget)
        if template_name in MULTIPLE_INPUTS and _options_are(widget, INPUT_OPTIONS):
            return multiple_input_markup(widget)
        return super().render(template_name, context, request)


def _options_are(widget, template_names) -> bool:
    """Whether every option of the widget is drawn by one of the usual templates."""
    return widget is not None and all(
        option["template_name"] in template_names
        for _group, options, _index in widget["optgroups"]
        for option in options
    )


def _attributes(attrs) -> str:
    """templates/django/forms/widgets/attrs.html: True as a bare name, False left out."""
    return mark_safe(  # noqa: S308  (each part escaped by format_html)
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, f"{value}")
            for name, value in attrs.items()
            if value is not False
        )
    )


def select_markup(widget) -> str:
    """templates/django/forms/widgets/select.html."""
    html = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(format_html('\n  <optgroup label="{}">', group_name))
        html.extend(
            format_html(
                '\n  <option value="{}"{}>{}</option>',
                f"{option['value']}",
                _attributes(option["attrs"]),
                option["label"],
            )
            for option in options
        )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return mark_safe("".join(html))  # noqa: S308  (each part escaped by format_html)


def multiple_input_markup(widget) -> str:
    """templates/django/forms/widgets/multiple_input.html."""
    id_, class_ = widget["attrs"].get("id"), widget["attrs"].get("class")
    html = [
        "<div",
        format_html(' id="{}"', id_) if id_ else "",
        format_html(' class="{}"', class_) if class_ else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(format_html("\n  <div><label>{}</label>", group))
        for option in options:
            html.append("<div>\n    ")
            if option["wrap_label"]:
                label_id = option["attrs"].get("id")
                html.append(format_html('<label for="{}">', label_id) if label_id else "<label>")
            html.append(format_html('<input type="{}" name="{}"', option["type"], option["name"]))
            if option["value"] is not None:
                html.append(format_html(' value="{}"', f"{option['value']}"))
            html += [_attributes(option["attrs"]), ">"]
            if option["wrap_label"]:
                html.append(format_html(" {}</label>", option["label"]))
            html.append("</div>")
        if group:
            html.append("\n  </div>")
    html.append("\n</div>")
    return mark_safe("".join(html))  # noqa: S308  (each part escaped by format_html)


def https_by_default(db_field, **kwargs):
    """ModelForm formfield_callback: web addresses typed without a scheme are https
    (Django 6's default; saying so now also silences its deprecation warning)."""
    from django.db import models

    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)
