from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.directory.choosers import ServiceChooserMixin
from retorno.lib import widgets
from retorno.plans.models import Dimension, Plan, PlanAction

STAFF = {"autocomplete": "off", "spellcheck": "true"}
CURRENCIES = [
    ("", _("Choose a currency")),
    ("EUR", "EUR"),
    ("USD", "USD"),
    ("PEN", "PEN"),
    ("BOB", "BOB"),
    ("BRL", "BRL"),
    ("CLP", "CLP"),
    ("COP", "COP"),
    ("PYG", "PYG"),
    ("UYU", "UYU"),
]


class DecimalText(forms.CharField):
    """Money typed as text: a decimal comma or point, never type=number (UX §2.5)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (super().to_python(value) or "").strip().replace(" ", "")
        if not value:
            return None
        if "," in value and "." in value:
            value = (
                value.replace(".", "").replace(",", ".")
                if value.rfind(",") > value.rfind(".")
                else value.replace(",", "")
            )
        else:
            value = value.replace(",", ".")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise ValidationError(_("Enter the cost as a number, like 250 or 250,50")) from None
        if amount < 0:
            raise ValidationError(_("The cost cannot be negative"))
        return amount.quantize(Decimal("0.01"))


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the plan"),
        required=False,
        help_text=_("In a few sentences: where the person wants to be in a year"),
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
    )


class GoalForm(forms.Form):
    dimension = forms.ChoiceField(
        label=_("Dimension"),
        choices=Dimension.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the dimension")},
    )
    description = forms.CharField(
        label=_("Goal"),
        help_text=_("What the person wants to reach, in their words if possible"),
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
        error_messages={"required": _("Describe the goal")},
    )


class ActionForm(ServiceChooserMixin, forms.Form):
    description = forms.CharField(
        label=_("What is to be done"),
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
        error_messages={"required": _("Say what is to be done")},
    )
    responsible = forms.ChoiceField(
        label=_("Who is responsible"),
        choices=PlanAction.Responsible.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is responsible")},
    )
    service = forms.ModelChoiceField(
        label=_("Service from the directory"),
        queryset=None,
        required=False,
        help_text=_("Only when a service is responsible"),
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=widgets.DateInput(),
        error_messages={"invalid": _("Enter a real date")},
    )
    estimated_cost = DecimalText(label=_("Estimated cost"), required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES, required=False)

    def __init__(self, *args, services, default_country="", **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_service_chooser(services, default_country=default_country)

    def clean(self):
        data = super().clean()
        if data.get("responsible") == PlanAction.Responsible.SERVICE and not data.get("service"):
            self.add_error("service", _("Choose the service from the directory"))
        if data.get("estimated_cost") is not None and not data.get("currency"):
            self.add_error("currency", _("Choose the currency of the cost"))
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanAction.Status.choices)


class AgreementForm(forms.Form):
    agreed_on = forms.DateField(
        label=_("Date the person agreed"),
        widget=widgets.DateInput(),
        error_messages={"required": _("Enter the date"), "invalid": _("Enter a real date")},
    )
    how = forms.ChoiceField(
        label=_("How the person agreed"),
        choices=Plan.AgreedHow.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the person agreed")},
    )
    witness = forms.CharField(
        label=_("Witness"),
        required=False,
        max_length=150,
        help_text=_("For a verbal agreement: the name of the witness"),
    )

    def clean(self):
        data = super().clean()
        if data.get("agreed_on") and data["agreed_on"] > timezone.localdate():
            self.add_error("agreed_on", _("The date cannot be in the future"))
        if data.get("how") == Plan.AgreedHow.VERBAL and not (data.get("witness") or "").strip():
            self.add_error("witness", _("Enter the name of the witness"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what should change")},
    )
