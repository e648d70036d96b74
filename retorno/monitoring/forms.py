"""The monitoring pages' forms: they parse what was typed, never save (monitoring.actions do).
A form sent back with an error shows what was typed."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.lib import widgets
from retorno.monitoring import instrument
from retorno.monitoring.models import ContactAttempt, Method
from retorno.plans.models import PlanAction

STAFF = {"autocomplete": "off", "spellcheck": "true"}


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FollowUpForm(VersionForm):
    """The person was reached: when, how, how the plan is going; a select per action of the
    approved plan, prefilled with its status."""

    done_on = forms.DateField(
        label=_("Date of the contact"),
        widget=widgets.DateInput,
        error_messages={
            "required": _("Enter the date of the contact."),
            "invalid": _("Enter a real date."),
        },
    )
    method = forms.ChoiceField(
        label=_("How the person was reached"),
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the person was reached.")},
    )
    note = forms.CharField(
        label=_("How the plan is going"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
    )
    new_needs = forms.CharField(
        label=_("New needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **STAFF}),
    )
    open_revision = forms.BooleanField(
        label=_("Open a new version of the plan for these needs"), required=False
    )

    def __init__(self, *args, plan_actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_actions = {}
        for action in plan_actions:
            name = f"action_{action.public_id}"
            self.fields[name] = forms.ChoiceField(
                label=action.description,
                choices=PlanAction.Status.choices,
                initial=action.status,
                required=False,
            )
            self.plan_actions[name] = action

    def action_statuses(self) -> dict:
        return {
            action: self.cleaned_data[name]
            for name, action in self.plan_actions.items()
            if self.cleaned_data.get(name)
        }


class AttemptForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How you tried to reach the person"),
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you tried to reach the person.")},
    )
    reason = forms.ChoiceField(
        label=_("Why it failed"),
        choices=ContactAttempt.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why it failed.")},
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, **STAFF})
    )
    attempted_on = forms.DateField(
        label=_("Date of the attempt"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=widgets.DateInput,
        error_messages={"invalid": _("Enter a real date.")},
    )
    attempted_time = forms.TimeField(
        label=_("Time of the attempt"),
        required=False,
        widget=widgets.TimeInput,
        error_messages={"invalid": _("Enter a real time.")},
    )

    def clean(self):
        data = super().clean()
        day, time = data.get("attempted_on"), data.get("attempted_time")
        data["attempted_at"] = None
        if day is not None:
            moment = datetime.datetime.combine(day, time or datetime.time(12, 0))
            data["attempted_at"] = timezone.make_aware(moment)
        elif time is not None and "attempted_on" not in self.errors:
            self.add_error("attempted_on", _("Enter the date of the attempt."))
        return data


class DecideLostContactForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            ("close", _("Close the case as lost contact")),
            ("keep", _("Keep following the case")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to close the case or keep following it.")},
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3, **STAFF})
    )


class SurveyForm(VersionForm):
    """A radio group per question of the survey's own version, in the active language; each
    question may be answered "Does not want to answer". Required questions are required only to
    submit: saving part-way keeps whatever was given."""

    def __init__(self, *args, definition, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        for q in definition["questions"]:
            question = instrument.text(q["text"])
            choices = [(o["code"], instrument.text(o["label"])) for o in q["options"]]
            choices.append((instrument.DECLINED, instrument.declined_label()))
            self.fields[q["code"]] = forms.ChoiceField(
                label=question,
                choices=choices,
                widget=forms.RadioSelect,
                required=q["required"],
                error_messages={
                    "required": _("Answer “%(question)s”, or choose “Does not want to answer”.")
                    % {"question": question}
                },
            )

    def answers(self) -> dict:
        """What was chosen, question by question, valid or not (the action checks)."""
        return {
            code: self.data.get(code, "")
            for code in self.fields
            if code != "version" and self.data.get(code)
        }

    def by_dimension(self) -> list[dict]:
        groups = []
        for d in self.definition["dimensions"]:
            groups.append(
                {
                    "code": d["code"],
                    "label": instrument.text(d["label"]),
                    "fields": [
                        self[q["code"]]
                        for q in self.definition["questions"]
                        if q["dimension"] == d["code"]
                    ],
                }
            )
        return groups


class MonthsField(forms.CharField):
    """Months typed as "1, 3, 6, 12, 18"."""

    default_error_messages = {"invalid": _("Write whole months separated by commas: 1, 3, 6.")}

    def to_python(self, value):
        text = super().to_python(value)
        if not text.strip():
            return []
        try:
            return [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(m) for m in value)
        return value


class ScheduleForm(VersionForm):
    months = MonthsField(
        label=_("Follow-ups, months after arrival"),
        help_text=_("For example: 1, 3, 6, 12, 18"),
        error_messages={"required": _("Plan at least one follow-up.")},
    )
    survey_months = MonthsField(
        label=_("Survey taken at the follow-ups of months"),
        required=False,
        help_text=_("For example: 6, 12, 18"),
    )
    attempts_before_lost = forms.IntegerField(
        label=_("Failed attempts in a row before proposing to close as lost contact"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Write a number between 1 and 10."),
            "invalid": _("Write a number between 1 and 10."),
        },
    )
    drop_margin = forms.CharField(
        label=_("A drop of more than this since the previous survey puts a case at risk"),
        help_text=_("Between 0 and 1, such as 0.15."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _("Write a margin between 0 and 1, such as 0.15.")},
    )
    instrument_version = forms.ChoiceField(
        label=_("Survey version"),
        error_messages={"required": _("Choose the survey version.")},
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {str(v.public_id): v for v in versions}
        self.fields["instrument_version"].choices = [
            (key, str(v)) for key, v in self.versions.items()
        ]

    def clean_drop_margin(self):
        text = self.cleaned_data["drop_margin"].strip().replace(",", ".")
        problem = _("Write a margin between 0 and 1, such as 0.15.")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(problem) from None
        if not value.is_finite():
            raise forms.ValidationError(problem)
        return value

    def clean_instrument_version(self):
        return self.versions[self.cleaned_data["instrument_version"]]
