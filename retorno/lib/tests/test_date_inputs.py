"""Every date and time input of Retorno, found by walking the code, rendered in each language
and loaded in Chromium: the browser must hold the value, which it does only for ISO values
(a type=date input given 04/12/2026 shows an empty field and submits nothing)."""

import datetime
import html
import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

import retorno

NATIVE_TYPES = {"date", "time", "datetime-local"}
VALUES = {
    "date": (datetime.date(2026, 12, 4), "2026-12-04"),
    "time": (datetime.time(15, 43), "15:43"),
    "datetime-local": (datetime.datetime(2026, 12, 4, 15, 43), "2026-12-04T15:43"),
}
# Forms known to carry a native date or time input; the walk must find at least these.
KNOWN = {
    "retorno.cases.forms.ConsentForm",
    "retorno.cases.forms.JournalEntryForm",
    "retorno.cases.forms.AssessmentForm",
    "retorno.plans.forms.AgreementForm",
    "retorno.directory.forms.ServiceForm",
}


def retorno_form_classes() -> set[type]:
    """Every Form and ModelForm class defined in Retorno, wherever it is defined."""
    for module in pkgutil.walk_packages(retorno.__path__, "retorno."):
        parts = set(module.name.split("."))
        if parts & {"tests", "testing", "migrations", "conftest", "wsgi", "asgi"}:
            continue
        importlib.import_module(module.name)
    found, stack = set(), [forms.BaseForm]
    while stack:
        for subclass in stack.pop().__subclasses__():
            stack.append(subclass)
            if subclass.__module__.startswith("retorno."):
                found.add(subclass)
    return found


def input_type(widget) -> str | None:
    kind = widget.attrs.get("type") or getattr(widget, "input_type", None)
    return kind if kind in NATIVE_TYPES else None


def native_inputs() -> list[tuple[str, str, forms.Field, str]]:
    """(form, field name, field, input type) for every native date and time input."""
    inputs = []
    for form_class in retorno_form_classes():
        for name, field in form_class.base_fields.items():
            widgets = getattr(field.widget, "widgets", [field.widget])
            for widget in widgets:
                if kind := input_type(widget):
                    label = f"{form_class.__module__}.{form_class.__name__}"
                    inputs.append((label, name, field, kind))
    return sorted(inputs, key=lambda i: (i[0], i[1]))


INPUTS = native_inputs()


def test_the_walk_finds_the_known_date_and_time_inputs():
    assert len(INPUTS) >= 10
    assert {form for form, _name, _field, _kind in INPUTS} >= KNOWN
    assert {kind for _f, _n, _field, kind in INPUTS} >= {"date", "time"}


def test_no_template_writes_a_date_or_time_input_by_hand():
    # Inputs written in templates would escape this check: they go through a form widget.
    templates = Path(settings.BASE_DIR, "retorno").rglob("*.html")
    by_hand = [
        str(path)
        for path in templates
        for kind in NATIVE_TYPES
        if f'type="{kind}"' in path.read_text() and "static" not in path.parts
    ]
    assert by_hand == []


@pytest.mark.parametrize("language", ["it", "es", "pt", "en"])
def test_every_date_and_time_input_reads_back_an_iso_value(language):
    for form, name, field, kind in INPUTS:
        value, iso = VALUES[kind]
        with translation.override(language):
            assert field.clean(iso) == value, f"{form}.{name} does not take {iso} in {language}"


@pytest.mark.browser
@pytest.mark.parametrize("language", ["it", "es", "pt", "en"])
def test_chromium_holds_the_value_of_every_date_and_time_input(page, language):
    rows = []
    with translation.override(language):
        for form, name, field, kind in INPUTS:
            value, iso = VALUES[kind]
            rendered = field.widget.render(name, field.prepare_value(value))
            label = html.escape(f"{form}.{name}")
            rows.append(f'<p data-field="{label}" data-expect="{iso}">{rendered}</p>')
    page.set_content(f'<!doctype html><html lang="{language}"><body>{"".join(rows)}</body></html>')

    seen = page.evaluate(
        """() => Array.from(document.querySelectorAll("p[data-field]")).map(
             p => [p.dataset.field, p.querySelector("input").value, p.dataset.expect])"""
    )

    assert len(seen) == len(INPUTS)
    assert [(field, value) for field, value, _ in seen] == [
        (field, expect) for field, _, expect in seen
    ]
