from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from retorno.referrals import sharing


def sharing_choices():
    """The sharing choices, labelled in the reader's language: built when the form is, never
    at import (an f-string there froze the labels in English)."""
    return [
        (f.code, format_lazy("{} {}", f.label, _("(sensitive)")) if f.sensitive else f.label)
        for f in sharing.FIELDS
    ]


class ReferralForm(forms.Form):
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

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda s: f"{s.name} · {s.organization.name}"


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
