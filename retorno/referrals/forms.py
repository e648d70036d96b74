from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from retorno.directory.choosers import ServiceChooserMixin
from retorno.lib import widgets
from retorno.referrals import sharing
from retorno.referrals.models import Referral


def sharing_choices():
    """The sharing choices, labelled in the reader's language: built when the form is, never
    at import (an f-string there froze the labels in English)."""
    return [
        (f.code, format_lazy("{} {}", f.label, _("(sensitive)")) if f.sensitive else f.label)
        for f in sharing.FIELDS
    ]


class ReferralForm(ServiceChooserMixin, forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=None, error_messages={"required": _("Choose the service")}
    )
    need = forms.CharField(
        label=_("What the person needs from this service"),
        help_text=_("Shared with the organisation. Write only what they need to help."),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        error_messages={"required": _("Say what the person needs from this service")},
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("What to share with the organisation"),
        choices=sharing_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The minimum is ticked. Share more only if the service needs it. The vulnerability "
            "profile is sensitive: share it only if the person agreed and the service needs it."
        ),
    )

    def __init__(self, *args, services, default_country="", **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_service_chooser(services, default_country=default_country)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason")},
    )


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Update"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the update")},
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the service end?"),
        choices=Referral.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the service ended")},
    )
    outcome_on = forms.DateField(
        label=_("Date"),
        help_text=_("When the person finished, got the certificate or left"),
        widget=widgets.DateInput(),
        error_messages={"required": _("Enter the date"), "invalid": _("Enter a real date")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        help_text=_("The desk reads it. If the service was not delivered, say why."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome_on") and data["outcome_on"] > timezone.localdate():
            self.add_error("outcome_on", _("The date cannot be in the future"))
        if (
            data.get("outcome") == Referral.Outcome.NOT_DELIVERED
            and not data.get("note", "").strip()
        ):
            self.add_error("note", _("Say why the service was not delivered"))
        return data
