"""The leads pages' forms: the inbox's filters, the triage of a lead (one small form per
outcome, each with the lead's version), and the desk's settings. They parse, never save."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retorno.outreach import regions
from retorno.outreach.models import Lead

STAFF = {"autocomplete": "off", "spellcheck": "true"}


def region_choices(blank):
    return [("", blank), *regions.grouped_choices(_country_label)]


def _country_label(code):
    return {"IT": _("Italy"), "ES": _("Spain"), "PT": _("Portugal")}[code]


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Open (new and contacted)")),
            *Lead.Status.choices,
            ("all", pgettext_lazy("leads", "All")),
        ],
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", pgettext_lazy("sources", "All")), *Lead.Source.choices],
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=())
    overdue = forms.BooleanField(label=_("Only new leads past their answer-by day"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(pgettext_lazy("regions", "All"))

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status") or "open",
            "source": data.get("source") or "",
            "region": data.get("region") or "",
            "overdue": bool(data.get("overdue")),
        }


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ContactedForm(VersionForm):
    note = forms.CharField(
        label=_("What you agreed with the person"),
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
        error_messages={"required": _("Write what you agreed with the person.")},
    )


class NotInterestedForm(VersionForm):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **STAFF}),
    )


class DuplicateForm(VersionForm):
    case_reference = forms.CharField(
        label=_("Reference of the case this person has, if any"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Which lead this one repeats"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **STAFF}),
    )


class ConvertForm(VersionForm):
    not_a_duplicate = forms.BooleanField(
        label=_("I checked: this is someone else, open an inquiry case for them"),
        required=False,
    )


class ReopenForm(VersionForm):
    note = forms.CharField(
        label=_("Why it is reopened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **STAFF}),
    )


TRIAGE_FORMS = {
    "contacted": ContactedForm,
    "not_interested": NotInterestedForm,
    "duplicate": DuplicateForm,
    "convert": ConvertForm,
    "reopen": ReopenForm,
}


class DeskSettingsForm(forms.Form):
    desk = forms.ChoiceField(label=_("Desk"), error_messages={"required": _("Choose the desk.")})
    response_days = forms.IntegerField(
        label=_("Days to answer a new lead"),
        min_value=1,
        max_value=60,
        help_text=_("A new lead not answered within these days is flagged on My work."),
        error_messages={"required": _("Write the days to answer a new lead.")},
    )
    retention_days = forms.IntegerField(
        label=_("Days a lead closed without a case is kept"),
        min_value=30,
        max_value=730,
        help_text=_("Then it is erased. A lead that became a case stays with the case."),
        error_messages={"required": _("Write how many days a closed lead is kept.")},
    )

    def __init__(self, *args, desks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].choices = [(d.code, d.local_name) for d in desks]
        if len(desks) == 1:
            self.fields["desk"].widget = forms.HiddenInput()


class RegionRuleForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Region"), error_messages={"required": _("Choose a region.")}
    )
    rule_desk = forms.ChoiceField(
        label=_("Desk that answers its leads"),
        error_messages={"required": _("Choose a European desk.")},
    )

    def __init__(self, *args, desks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices("")
        self.fields["rule_desk"].choices = [("", ""), *((d.code, d.local_name) for d in desks)]
