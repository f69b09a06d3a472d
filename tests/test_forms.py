"""The form renderer (core.forms.FormRenderer) writes selects, radio buttons and checkboxes
in Python for speed: their markup must stay exactly that of their templates."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from core.forms import FormRenderer

TRICKY = 'Büro & "Lager" <groß>'
CHOICES = [("", "Alle"), ("a", TRICKY), (3, "Drei")]
GROUPED = [("Gruppe <1>", [("x", "Eins"), ("y", "Zwei")]), ("z", "Ohne Gruppe")]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED)
    several = forms.MultipleChoiceField(
        choices=GROUPED, widget=forms.SelectMultiple(attrs={"data-x": '"q"', "disabled": True})
    )
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect(attrs={"class": "r"}))
    boxes = forms.MultipleChoiceField(choices=GROUPED, widget=forms.CheckboxSelectMultiple)


ANSWERED = {"plain": "a", "grouped": "y", "several": ["x", "z"], "radio": "3", "boxes": ["z"]}


def rendered(renderer, field_name, data, auto_id):
    form = Everything(data, auto_id=auto_id, renderer=renderer)
    return str(form[field_name])


@pytest.mark.parametrize("auto_id", ["id_%s", False])
@pytest.mark.parametrize("data", [None, ANSWERED])
@pytest.mark.parametrize("field_name", list(Everything.base_fields))
def test_the_python_markup_is_the_templates(field_name, data, auto_id):
    by_python = rendered(FormRenderer(), field_name, data, auto_id)
    by_templates = rendered(TemplatesSetting(), field_name, data, auto_id)
    assert by_python == by_templates
    assert "&lt;" in by_python or field_name in ("grouped", "several", "boxes")  # escaped


def test_a_widget_with_options_of_its_own_is_left_to_its_templates():
    class Starred(forms.RadioSelect):
        option_template_name = "django/forms/widgets/input_option.html"

    form = Everything(renderer=FormRenderer())
    form.fields["radio"].widget = Starred(choices=CHOICES)
    assert 'value="a"' in str(form["radio"])
