"""Template helpers shared by every page: accessible form fields, dates, query strings."""

from django import forms, template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.inclusion_tag("includes/field.html")
def field(bound_field, hint_html="", wide=False, optional_label=True):
    """A field the GOV.UK way: label, hint, error, then the input, tied by aria-describedby."""
    widget = bound_field.field.widget
    describedby = []
    if bound_field.help_text or hint_html:
        describedby.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        describedby.append(f"{bound_field.auto_id}-error")
    kind = "input"
    if isinstance(widget, CHOICE_WIDGETS):
        kind = "choices"
    elif isinstance(widget, forms.CheckboxInput):
        kind = "checkbox"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        kind = "select"
    attrs = {}
    if describedby:
        attrs["aria-describedby"] = " ".join(describedby)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    css = {
        "input": "form-control",
        "select": "form-select",
        "checkbox": "form-check-input",
        "choices": "",
    }[kind]
    existing = widget.attrs.get("class", "")
    if bound_field.errors and kind != "choices":
        css += " is-invalid"
    if css:
        attrs["class"] = f"{existing} {css}".strip()
    # Choices render option by option with Bootstrap's form-check markup in includes/field.html,
    # from plain values: a BoundField's subwidgets are costly, and list filters have dozens.
    rendered = None if kind == "choices" else bound_field.as_widget(attrs=attrs)
    options = _options(bound_field, widget) if kind == "choices" else None
    return {
        "f": bound_field,
        "kind": kind,
        "rendered": rendered,
        "hint_html": hint_html,
        "describedby": attrs.get("aria-describedby", ""),
        "wide": wide,
        "optional_label": optional_label,
        "options": options,
    }


# One choice, with Bootstrap's form-check markup. A list filter has dozens of choices: written
# here from plain values they cost a tenth of a template loop or a BoundField's subwidgets.
OPTION_HTML = (
    '<div class="form-check">\n'
    '      <input class="form-check-input" type="{}" name="{}" value="{}" id="{}"{}>\n'
    '      <label class="form-check-label" for="{}">{}</label>\n'
    "    </div>"
)
CHECKED = mark_safe(" checked")


def _options(bound_field, widget) -> str:
    # As Django's choice widgets read a value: for a single choice, nothing means "".
    value = bound_field.value()
    multiple = isinstance(widget, forms.CheckboxSelectMultiple)
    if value is None:
        value = [] if multiple else [""]
    values = value if isinstance(value, list | tuple) else [value]
    selected = {"" if v is None else str(v) for v in values}
    input_type = "checkbox" if multiple else "radio"
    rows = []
    for index, (choice_value, label) in enumerate(bound_field.field.choices):
        if hasattr(choice_value, "value"):  # a ModelChoiceIteratorValue
            choice_value = choice_value.value
        choice_value = "" if choice_value is None else choice_value
        option_id = f"{bound_field.auto_id}_{index}"
        checked = CHECKED if str(choice_value) in selected else ""
        rows.append(
            (input_type, bound_field.html_name, choice_value, option_id, checked, option_id, label)
        )
    return format_html_join("", OPTION_HTML, rows)


@register.inclusion_tag("includes/error_summary.html")
def errors_for(*forms_):
    items = []
    for form in forms_:
        if form is None or not getattr(form, "errors", None):
            continue
        for error in form.non_field_errors():
            items.append({"message": error, "target": ""})
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            target = bound.auto_id
            if isinstance(bound.field.widget, CHOICE_WIDGETS):
                target = f"{bound.auto_id}_0"
            for error in errors:
                items.append({"message": error, "target": target})
    return {"items": items}


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (None or "" removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def tag(label, colour="secondary"):
    """A tag (an adjective, never a button) in Bootstrap's accessible subtle colours."""
    return format_html(
        '<strong class="badge rounded-1 bg-{0}-subtle text-{0}-emphasis border '
        'border-{0}-subtle">{1}</strong>',
        colour,
        label,
    )


DATE_PART_SUFFIXES = ("_day", "_month", "_year")


@register.inclusion_tag("includes/form_fields.html")
def form_fields(form, *names):
    """Every visible field of a form (or the named ones) in order; day, month and year fields
    sharing a prefix render as one date, in a fieldset, as GOV.UK's date input does."""
    groups = getattr(form, "date_groups", {})
    items, seen = [], set()
    for bound in form:
        if (
            names
            and bound.name not in names
            and not any(bound.name == f"{n}{s}" for n in names for s in DATE_PART_SUFFIXES)
        ):
            continue
        if bound.is_hidden:
            items.append({"hidden": bound})
            continue
        prefix = next(
            (bound.name[: -len(s)] for s in DATE_PART_SUFFIXES if bound.name.endswith(s)), None
        )
        if prefix and prefix in groups:
            if prefix in seen:
                continue
            seen.add(prefix)
            parts = [form[f"{prefix}{s}"] for s in DATE_PART_SUFFIXES]
            errors = [e for p in parts for e in p.errors]
            items.append(
                {
                    "date": {
                        "prefix": prefix,
                        "legend": groups[prefix]["legend"],
                        "hint": groups[prefix].get("hint", ""),
                        "parts": parts,
                        "errors": errors,
                        "optional": groups[prefix].get("optional", True),
                        "id": f"{form[f'{prefix}_day'].auto_id}",
                    }
                }
            )
            continue
        items.append({"field": bound})
    return {"items": items}


@register.filter
def changed_fields(changes, model_label):
    """The translated names of the fields in an audit event's changes ("Phone at home")."""

    model = apps.get_model(model_label)
    names = []
    for name in changes or {}:
        try:
            names.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            names.append(name)
    return ", ".join(names)


@register.simple_tag
def page_numbers(page):
    """The page numbers to link, with None for a gap: 1 … 7 8 [9] 10 11 … 495."""
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return [n if isinstance(n, int) else None for n in numbers]
