"""The grant pages' forms: they parse what was typed, never save (grants.actions do).

Amounts are typed as text in the reader's own notation ("1.720,50" in Spanish) and read with
retorno.lib.money in the page's language; a form sent back with an error shows what was typed.
"""

from babel.numbers import format_decimal
from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from retorno.grants.models import Grant, GrantType, Instalment
from retorno.lib import widgets
from retorno.lib.money import EUR, babel_locale, format_number, parse_amount, parse_rate

STAFF = {"autocomplete": "off", "spellcheck": "true"}


def amount_input(**attrs):
    """Money is typed as text with a decimal keypad, never type=number (UX §2.5)."""
    return forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "class": "input-amount", **attrs}
    )


def read_amount(form, name, currency, *, required=False):
    """Parse the text of one amount field in the grant's currency; an error goes beside it."""
    text = (form.cleaned_data.get(name) or "").strip()
    if not text:
        if required:
            form.add_error(name, _("Enter an amount."))
        return None
    try:
        return parse_amount(text, currency, language=get_language())
    except ValidationError as error:
        form.add_error(name, error)
        return None


def read_rate(form, name, currency, *, required=False):
    if currency == EUR:
        return None
    text = (form.cleaned_data.get(name) or "").strip()
    if not text:
        if required:
            form.add_error(name, _("Enter the exchange rate."))
        return None
    try:
        return parse_rate(text, currency, language=get_language())
    except ValidationError as error:
        form.add_error(name, error)
        return None


def shown(amount, currency) -> str:
    """An amount as its field shows it back, in the reader's notation."""
    return format_number(amount, currency) if amount is not None else ""


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class GrantForm(VersionForm):
    """A grant request: saved as a draft even when incomplete (submitting checks it is whole)."""

    MONEY = ("amount", "business_monthly_income", "business_monthly_costs")

    grant_type = forms.ChoiceField(
        label=_("Type of grant"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of grant.")},
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        error_messages={"required": _("Choose the currency.")},
    )
    amount = forms.CharField(
        label=_("Amount"),
        required=False,
        help_text=_("In the currency chosen above, for example 1500 or 1.500,50."),
        widget=amount_input(),
    )
    rate = forms.CharField(
        label=_("Exchange rate"),
        required=False,
        help_text=_(
            "How many units of the currency one euro buys today, for example 4,3 for soles. "
            "Leave it empty for a grant in euros."
        ),
        widget=amount_input(),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        help_text=_("What the grant pays for and how it helps the person's plan."),
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
    )
    business_activity = forms.CharField(
        label=_("Activity"),
        required=False,
        help_text=_("For a micro-enterprise: what the business will do, where and for whom."),
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
    )
    business_startup_costs = forms.CharField(
        label=_("Start-up costs"),
        required=False,
        help_text=_("What must be bought to start, with the prices."),
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
    )
    business_monthly_income = forms.CharField(
        label=_("Expected monthly income"), required=False, widget=amount_input()
    )
    business_monthly_costs = forms.CharField(
        label=_("Expected monthly costs"), required=False, widget=amount_input()
    )
    business_assets = forms.CharField(
        label=_("What the person already has"),
        required=False,
        help_text=_("Tools, a place, savings, experience, support from the family."),
        widget=forms.Textarea(attrs={"rows": 2, **STAFF}),
    )

    def __init__(self, *args, types, currencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant_type"].choices = types
        self.fields["currency"].choices = [(c, c) for c in currencies]
        if len(currencies) == 1:
            self.fields["currency"].initial = currencies[0]

    @classmethod
    def initial_for(cls, grant: Grant) -> dict:
        """What a saved grant shows in the form, amounts in the reader's notation."""
        initial = {
            name: getattr(grant, name)
            for name in (
                "grant_type",
                "currency",
                "purpose",
                "business_activity",
                "business_startup_costs",
                "business_assets",
            )
        }
        for name in cls.MONEY:
            initial[name] = shown(getattr(grant, name), grant.currency)
        initial["rate"] = _rate_text(grant.rate) if grant.currency != EUR else ""
        initial["version"] = grant.version
        return initial

    def clean(self):
        data = super().clean()
        currency = data.get("currency")
        if not currency:
            return data
        values = {name: read_amount(self, name, currency) for name in self.MONEY}
        values["rate"] = read_rate(self, "rate", currency)
        self.values = values
        return data

    def action_fields(self) -> dict:
        """The draft's fields, as grants.actions.draft_grant and update_grant take them."""
        data = self.cleaned_data
        fields = {
            name: data.get(name, "")
            for name in ("purpose", "business_activity", "business_startup_costs")
        }
        fields["business_assets"] = data.get("business_assets", "")
        fields.update(self.values)
        if data["grant_type"] != GrantType.SELF_EMPLOYMENT:
            # Only a micro-enterprise has a business plan.
            for name in (
                "business_activity",
                "business_startup_costs",
                "business_assets",
            ):
                fields[name] = ""
            fields["business_monthly_income"] = None
            fields["business_monthly_costs"] = None
        return fields


def _rate_text(rate) -> str:
    """A rate as its field shows it back: as many decimals as it has, in the reader's notation."""
    if rate is None:
        return ""
    return format_decimal(
        rate.normalize(), locale=babel_locale(), decimal_quantization=False, group_separator=False
    )


class QuoteForm(forms.Form):
    file = forms.FileField(
        label=_("The quote"),
        help_text=_("A PDF, a photo or an office document, smaller than 10 MB."),
        error_messages={"required": _("Choose the file of the quote.")},
    )
    supplier = forms.CharField(
        label=_("Supplier"), max_length=200, required=False, widget=forms.TextInput(attrs=STAFF)
    )
    amount = forms.CharField(label=_("Amount quoted"), required=False, widget=amount_input())

    def __init__(self, *args, currency, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].help_text = _("In %(currency)s.") % {"currency": currency}

    def clean(self):
        data = super().clean()
        data["amount"] = read_amount(self, "amount", self.currency)
        return data


class InstalmentRowForm(forms.Form):
    planned_on = forms.DateField(
        label=_("Planned for"),
        required=False,
        widget=widgets.DateInput(attrs={"class": "form-control"}),
    )
    amount = forms.CharField(label=_("Amount"), required=False, widget=amount_input())

    def __init__(self, *args, currency, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self):
        data = super().clean()
        text = (data.get("amount") or "").strip()
        data["amount"] = read_amount(self, "amount", self.currency) if text else None
        if data.get("planned_on") and data["amount"] is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount of this instalment."))
        if (
            data["amount"] is not None
            and not data.get("planned_on")
            and "planned_on" not in self.errors
        ):
            self.add_error("planned_on", _("Enter the date of this instalment."))
        return data


InstalmentFormSet = formset_factory(InstalmentRowForm, extra=0, max_num=12, absolute_max=12)


class DecideForm(VersionForm):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you approve or reject the request.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Needed to reject: the person's caseworker reads it."),
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the request is rejected."))
        return data


class PaymentForm(VersionForm):
    paid_on = forms.DateField(
        label=_("Paid on"),
        widget=widgets.DateInput,
        error_messages={
            "required": _("Enter the date of the payment."),
            "invalid": _("Enter a real date."),
        },
    )
    amount = forms.CharField(label=_("Amount paid"), widget=amount_input(), required=False)
    rate = forms.CharField(
        label=_("Exchange rate"),
        required=False,
        help_text=_("How many units of the currency one euro bought on the day of the payment."),
        widget=amount_input(),
    )
    method = forms.ChoiceField(
        label=_("How it was paid"),
        choices=Instalment.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it was paid.")},
    )
    receipt = forms.FileField(
        label=_("Receipt"),
        required=False,
        help_text=_("A PDF or a photo of the receipt. You can also add it later."),
    )

    def __init__(self, *args, currency, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].help_text = _("In %(currency)s.") % {"currency": currency}
        if currency == EUR:
            del self.fields["rate"]

    def clean(self):
        data = super().clean()
        data["amount"] = read_amount(self, "amount", self.currency, required=True)
        data["rate"] = read_rate(self, "rate", self.currency, required=True)
        return data


class ReceiptForm(forms.Form):
    file = forms.FileField(
        label=_("Receipt"),
        help_text=_("A PDF, a photo or an office document, smaller than 10 MB."),
        error_messages={"required": _("Choose the file of the receipt.")},
    )


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
        error_messages={"required": _("Give the reason.")},
    )


class GrantFilterForm(forms.Form):
    """The grants list's filters. Programme coordination filters by desk too."""

    waiting = forms.BooleanField(label=_("Only those waiting for my approval"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    grant_type = forms.ChoiceField(label=_("Type of grant"), required=False)
    cycle = forms.ChoiceField(label=_("Cycle"), required=False)
    desk = forms.ChoiceField(label=_("Desk"), required=False)

    def __init__(self, *args, cycles, desks=None, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["status"].choices = every + list(Grant.Status.choices)
        self.fields["grant_type"].choices = every + list(GrantType.choices)
        self.fields["cycle"].choices = every + [(str(c.public_id), str(c)) for c in cycles]
        if desks is None:
            del self.fields["desk"]
        else:
            self.fields["desk"].choices = every + [(str(d.public_id), d.local_name) for d in desks]


class PolicyForm(VersionForm):
    household_cap_eur = forms.CharField(
        label=_("Cap per household (EUR)"),
        help_text=_("The most a household may receive in grants in the cycle, all types together."),
        widget=amount_input(),
        required=False,
    )
    coordination_threshold_eur = forms.CharField(
        label=_("Programme coordination approves grants above (EUR)"),
        widget=amount_input(),
        required=False,
    )
    receipts_before_next = forms.BooleanField(
        label=_("The receipts of an instalment are needed before the next is paid"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in GrantType.choices:
            self.fields[f"cap_{value}"] = forms.CharField(
                label=_("Cap per grant: %(type)s (EUR)") % {"type": label},
                help_text=_("Leave it empty not to offer this type."),
                required=False,
                widget=amount_input(),
            )

    @staticmethod
    def initial_for(policy) -> dict:
        if policy is None:
            return {"receipts_before_next": True}
        initial = {
            "household_cap_eur": shown(policy.household_cap_eur, EUR),
            "coordination_threshold_eur": shown(policy.coordination_threshold_eur, EUR),
            "receipts_before_next": policy.receipts_before_next,
            "version": policy.version,
        }
        for cap in policy.caps.all():
            initial[f"cap_{cap.grant_type}"] = shown(cap.cap_eur, EUR)
        return initial

    def clean(self):
        data = super().clean()
        for name in ("household_cap_eur", "coordination_threshold_eur"):
            data[name] = read_amount(self, name, EUR, required=True)
        self.caps = {
            value: read_amount(self, f"cap_{value}", EUR) for value, _label in GrantType.choices
        }
        return data


class EnvelopeForm(forms.Form):
    amount_eur = forms.CharField(
        label=_("The desk's envelope (EUR)"),
        help_text=_("What the desk may commit in grants in the cycle, all types together."),
        widget=amount_input(),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in GrantType.choices:
            self.fields[f"part_{value}"] = forms.CharField(
                label=_("Set aside for: %(type)s (EUR)") % {"type": label},
                help_text=_("Optional: part of the envelope kept for this type only."),
                required=False,
                widget=amount_input(),
            )

    @staticmethod
    def initial_for(envelopes) -> dict:
        initial = {}
        for envelope in envelopes:
            name = f"part_{envelope.grant_type}" if envelope.grant_type else "amount_eur"
            initial[name] = shown(envelope.amount_eur, EUR)
        return initial

    def clean(self):
        data = super().clean()
        text = (data.get("amount_eur") or "").strip()
        if not text:
            self.add_error("amount_eur", _("Enter the envelope in euros."))
            data["amount_eur"] = None
        else:
            try:
                data["amount_eur"] = parse_amount(
                    text, EUR, language=get_language(), positive=False
                )
            except ValidationError as error:
                self.add_error("amount_eur", error)
        self.parts = {}
        for value, _label in GrantType.choices:
            text = (data.get(f"part_{value}") or "").strip()
            if not text:
                self.parts[value] = None
                continue
            try:
                self.parts[value] = parse_amount(text, EUR, language=get_language(), positive=False)
            except ValidationError as error:
                self.add_error(f"part_{value}", error)
        return data


class CycleForm(forms.Form):
    cycle = forms.ChoiceField(label=_("Cycle"), required=False)

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [(str(c.public_id), str(c)) for c in cycles]
