from django import forms
from django.utils.translation import gettext_lazy as _

from retorno.audit import verbs
from retorno.lib import widgets


class EventFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Person or record"),
        required=False,
        help_text=_("A case reference, a username, an organisation code or a record id"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    user = forms.CharField(
        label=_("Who"),
        required=False,
        help_text=_("The username of the person who acted"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    organisation = forms.CharField(
        label=_("Organisation code"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    verb = forms.ChoiceField(label=_("What"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=widgets.DateInput(),
        error_messages={"invalid": _("Enter a real date")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=widgets.DateInput(),
        error_messages={"invalid": _("Enter a real date")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = [("", _("Anything")), *verbs.choices()]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must be on or after the start date"))
        return data
