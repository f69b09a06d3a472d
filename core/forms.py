"""One way to render every form: labels above fields, hints, errors at the field."""

import html

from django.forms.renderers import TemplatesSetting
from django.utils.safestring import SafeString, mark_safe

FIELD = "forms/field.html"
LABEL = "django/forms/label.html"
# The widgets whose template only includes django/forms/widgets/input.html.
INPUTS = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input", "text", "number", "search", "email", "url", "tel", "password", "hidden",
        "date", "datetime", "time", "color", "checkbox",
    )
)  # fmt: skip

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

    A field's group (forms/field.html), its label, its input and the options of selects,
    radio buttons and checkboxes are written here in Python, in exactly the markup of
    their templates (tests/test_forms.py holds the two alike): the template language
    took a few microseconds per option and half a millisecond per field, and the search
    page's filters have fifteen fields and a hundred options, rendered anew for every
    search.
    """

    form_template_name = "forms/form.html"
    field_template_name = FIELD

    def render(self, template_name, context, request=None):
        if not isinstance(context, dict):
            return super().render(template_name, context, request)
        widget = context.get("widget")
        if template_name == FIELD and "field" in context:
            return field_group_markup(context["field"])
        if template_name == LABEL and "label" in context:
            return label_markup(context)
        if template_name in INPUTS and widget is not None:
            return input_markup(widget)
        if template_name == SELECT and _options_are(widget, (SELECT_OPTION,)):
            return select_markup(widget)
        if template_name in MULTIPLE_INPUTS and _options_are(widget, INPUT_OPTIONS):
            return multiple_input_markup(widget)
        return super().render(template_name, context, request)


def _escape(value) -> str:
    """conditional_escape without Django's checks for lazy strings on every call, which
    cost more than the escaping: what is marked safe stays as it is."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _html(template: str, *args) -> SafeString:
    """format_html, as quick as _escape."""
    return SafeString(template.format(*map(_escape, args)))


def _options_are(widget, template_names) -> bool:
    """Whether every option of the widget is drawn by one of the usual templates."""
    return widget is not None and all(
        option["template_name"] in template_names
        for _group, options, _index in widget["optgroups"]
        for option in options
    )


def _attributes(attrs) -> str:
    """templates/django/forms/widgets/attrs.html: True as a bare name, False left out."""
    return mark_safe(  # noqa: S308  (each part escaped by _html)
        "".join(
            _html(" {}", name) if value is True else _html(' {}="{}"', name, f"{value}")
            for name, value in attrs.items()
            if value is not False
        )
    )


def field_group_markup(field) -> str:
    """templates/forms/field.html, without its last line break (Django strips it)."""
    is_checkbox = field.widget_type == "checkbox"
    classes = "field" + (" field--error" if field.errors else "")
    classes += " field--checkbox" if is_checkbox else ""
    if field.use_fieldset:
        described = field.aria_describedby
        described = _html(' aria-describedby="{}"', described) if described else ""
        legend = field.legend_tag() if field.label else ""
        heading = _html("<fieldset{}>{}\n  ", described, legend)
    else:
        heading = field.label_tag() if not is_checkbox and field.label else ""
    hint = ""
    if field.help_text:
        hint = _html(
            '<div class="field__hint" id="{}_helptext">{}</div>',
            field.auto_id,
            mark_safe(field.help_text),  # noqa: S308  (the template's |safe: our own texts)
        )
    errors = ""
    if field.errors:
        errors = _html(
            '<ul class="field__errors" id="{}_error">{}</ul>',
            field.auto_id,
            mark_safe("".join(_html("<li>{}</li>", error) for error in field.errors)),  # noqa: S308
        )
    after = ""
    if is_checkbox and field.label:
        after = _html('<label for="{}">{}</label>', field.id_for_label, field.label)
    parts = (
        heading,
        hint,
        errors,
        str(field),
        after,
        mark_safe("</fieldset>") if field.use_fieldset else "",
    )
    markup = _html('<div class="{}">\n  ', classes) + "\n  ".join(map(_escape, parts))
    return mark_safe(markup + "\n</div>")  # noqa: S308  (each part escaped)


def label_markup(context) -> str:
    """django/forms/label.html."""
    if not context["use_tag"]:
        return mark_safe(_escape(context["label"]))  # noqa: S308  (escaped)
    attributes = _attributes(context["attrs"] or {})
    return _html("<{}{}>{}</{}>", context["tag"], attributes, context["label"], context["tag"])


def input_markup(widget) -> str:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else _html(' value="{}"', f"{widget['value']}")
    return _html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        value,
        _attributes(widget["attrs"]),
    )


def select_markup(widget) -> str:
    """templates/django/forms/widgets/select.html."""
    markup = [_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            markup.append(_html('\n  <optgroup label="{}">', group_name))
        markup.extend(
            _html(
                '\n  <option value="{}"{}>{}</option>',
                f"{option['value']}",
                _attributes(option["attrs"]),
                option["label"],
            )
            for option in options
        )
        if group_name:
            markup.append("\n  </optgroup>")
    markup.append("\n</select>")
    return mark_safe("".join(markup))  # noqa: S308  (each part escaped by _html)


def multiple_input_markup(widget) -> str:
    """templates/django/forms/widgets/multiple_input.html."""
    id_, class_ = widget["attrs"].get("id"), widget["attrs"].get("class")
    markup = [
        "<div",
        _html(' id="{}"', id_) if id_ else "",
        _html(' class="{}"', class_) if class_ else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            markup.append(_html("\n  <div><label>{}</label>", group))
        for option in options:
            markup.append("<div>\n    ")
            if option["wrap_label"]:
                label_id = option["attrs"].get("id")
                markup.append(_html('<label for="{}">', label_id) if label_id else "<label>")
            markup.append(_html('<input type="{}" name="{}"', option["type"], option["name"]))
            if option["value"] is not None:
                markup.append(_html(' value="{}"', f"{option['value']}"))
            markup += [_attributes(option["attrs"]), ">"]
            if option["wrap_label"]:
                markup.append(_html(" {}</label>", option["label"]))
            markup.append("</div>")
        if group:
            markup.append("\n  </div>")
    markup.append("\n</div>")
    return mark_safe("".join(markup))  # noqa: S308  (each part escaped by _html)


def https_by_default(db_field, **kwargs):
    """ModelForm formfield_callback: web addresses typed without a scheme are https
    (Django 6's default; saying so now also silences its deprecation warning)."""
    from django.db import models

    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)
