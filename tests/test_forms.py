"""The form renderer (core.forms.FormRenderer) writes field groups, labels, inputs, selects,
radio buttons and checkboxes in Python for speed: their markup must stay exactly that of
their templates."""

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


class ByTemplates(TemplatesSetting):
    """Django's renderer with our field group template: the markup the Python must match."""

    field_template_name = "forms/field.html"


class Fields(forms.Form):
    text = forms.CharField(label=TRICKY, help_text="Mit <strong>Hinweis</strong>", max_length=5)
    number = forms.IntegerField(label="Anzahl?", min_value=1, required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    agree = forms.BooleanField(label="Einverstanden <ja>")
    unlabelled = forms.CharField(label="", required=False, widget=forms.TextInput({"x": True}))
    choice = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, help_text="Eine <b>")
    several = forms.MultipleChoiceField(choices=GROUPED, widget=forms.CheckboxSelectMultiple)
    described = forms.CharField(widget=forms.TextInput({"aria-describedby": "elsewhere"}))
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    search = forms.CharField(widget=forms.TextInput({"type": "search"}), required=False)
    mail = forms.EmailField(required=False)


FAULTY = {"text": 'zu lang <"x">', "number": "0", "when": "gestern", "choice": "nope"}


@pytest.mark.parametrize("auto_id", ["id_%s", False])
@pytest.mark.parametrize("data", [None, FAULTY, {**ANSWERED, "agree": "on", "text": "ok"}])
@pytest.mark.parametrize("field_name", list(Fields.base_fields))
def test_the_python_field_group_is_the_template(field_name, data, auto_id):
    def group(renderer):
        form = Fields(data, auto_id=auto_id, renderer=renderer)
        return form[field_name].as_field_group(), form[field_name].label_tag()

    assert group(FormRenderer()) == group(ByTemplates())


def test_a_field_group_escapes_what_people_typed():
    form = Fields({"text": "<script>", "agree": "on"}, renderer=FormRenderer())
    html = form["text"].as_field_group()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&quot;Lager&quot; &lt;groß&gt;" in html  # the label
    assert "<strong>Hinweis</strong>" in html  # help texts are ours, and may hold markup


def test_a_widget_with_options_of_its_own_is_left_to_its_templates():
    class Starred(forms.RadioSelect):
        option_template_name = "django/forms/widgets/input_option.html"

    form = Everything(renderer=FormRenderer())
    form.fields["radio"].widget = Starred(choices=CHOICES)
    assert 'value="a"' in str(form["radio"])
