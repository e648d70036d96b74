"""The campaign pages' forms: they parse what was typed, never save (outreach.actions.sessions
does). A form sent back with an error shows what was typed."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from retorno.lib import widgets
from retorno.outreach import regions
from retorno.outreach.models import AttendanceCount, Audience, InfoSession, LocalOrganisation

STAFF = {"autocomplete": "off", "spellcheck": "true"}


def region_choices(blank=None) -> list:
    grouped = regions.grouped_choices(lambda code: countries.name(code))
    return ([("", blank)] if blank else []) + grouped


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CampaignForm(VersionForm):
    cycle = forms.ModelChoiceField(
        label=_("Programme cycle"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose the programme cycle.")},
    )
    name = forms.CharField(
        label=_("Name of the campaign"),
        max_length=150,
        widget=forms.TextInput(attrs=STAFF),
        error_messages={"required": _("Write the campaign's name.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
    )

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles


class SessionForm(VersionForm):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose the campaign.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        widget=forms.TextInput(attrs=STAFF),
        error_messages={"required": _("Write the session's title.")},
    )
    audience = forms.ChoiceField(
        label=_("Who the session is for"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the session is for.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the session"),
        choices=settings.LANGUAGES,
        error_messages={"required": _("Choose the language of the session.")},
    )
    day = forms.DateField(
        label=_("Day"),
        widget=widgets.DateInput,
        error_messages={
            "required": _("Write the day of the session."),
            "invalid": _("Write a real date."),
        },
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=widgets.TimeInput,
        error_messages={
            "required": _("Write when the session starts."),
            "invalid": _("Write a real time, such as 18:30."),
        },
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        widget=widgets.TimeInput,
        error_messages={
            "required": _("Write when the session ends."),
            "invalid": _("Write a real time, such as 20:00."),
        },
    )
    region = forms.ChoiceField(
        label=_("Region"),
        error_messages={"required": _("Choose the region of the session.")},
    )
    province = forms.CharField(
        label=_("Province"),
        max_length=60,
        widget=forms.TextInput(attrs=STAFF),
        error_messages={"required": _("Write the province.")},
    )
    venue = forms.CharField(
        label=_("Venue"),
        max_length=150,
        widget=forms.TextInput(attrs=STAFF),
        error_messages={"required": _("Write the name of the venue.")},
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=250,
        widget=forms.TextInput(attrs=STAFF),
        error_messages={"required": _("Write the venue's address.")},
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=10000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Write how many places there are."),
            "invalid": _("Write the places as a whole number."),
            "min_value": _("A session has at least one place."),
        },
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        help_text=_("What the session is about, as the public calendar shows it."),
        widget=forms.Textarea(attrs={"rows": 4, **STAFF}),
    )

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(blank=_("Choose a region"))
        if campaigns is None:
            del self.fields["campaign"]
        else:
            self.fields["campaign"].queryset = campaigns

    # The action's names for the times, and the fields that show them.
    ACTION_FIELDS = {"starts_at": "start_time", "ends_at": "end_time"}

    @staticmethod
    def initial_for(session: InfoSession) -> dict:
        starts = timezone.localtime(session.starts_at)
        return {
            "day": starts.date(),
            "start_time": starts.time().replace(second=0, microsecond=0),
            "end_time": timezone.localtime(session.ends_at).time().replace(second=0, microsecond=0),
        } | {
            name: getattr(session, name)
            for name in (
                "title",
                "audience",
                "language",
                "region",
                "province",
                "venue",
                "address",
                "capacity",
                "description",
                "version",
            )
        }

    def action_fields(self) -> dict:
        """The session's fields as the action takes them: the day and times as moments in the
        desk's time zone (the site's)."""
        data = self.cleaned_data
        day = data["day"]
        fields = {
            k: v
            for k, v in data.items()
            if k not in ("campaign", "version", "day", "start_time", "end_time")
        }
        fields["starts_at"] = timezone.make_aware(
            datetime.datetime.combine(day, data["start_time"])
        )
        fields["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, data["end_time"]))
        return fields

    def action_error(self, error) -> None:
        """Show an ActionError beside the field it names (the times by their own fields)."""
        field = self.ACTION_FIELDS.get(error.field, error.field)
        self.add_error(field if field in self.fields else None, error.message)


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to use the file's name."),
        widget=forms.TextInput(attrs=STAFF),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, image (JPG, PNG, WEBP), presentation (PPTX, ODP) or text (DOCX, ODT)."),
        error_messages={"required": _("Choose the file to upload.")},
    )


AGE_BANDS = AttendanceCount.AgeBand.choices


class CountRowForm(forms.Form):
    """One row of the counts grid: a nationality and a sex, and how many people of each age
    band."""

    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=AttendanceCount.Sex.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", _("Not known")), *list(countries)]
        for code, label in AGE_BANDS:
            self.fields[f"age_{code}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=10000,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": _("Write a whole number."),
                    "min_value": _("Write 0 or more."),
                },
            )

    def age_fields(self):
        return [self[f"age_{code}"] for code, _label in AGE_BANDS]

    def rows(self) -> list[dict]:
        data = self.cleaned_data
        if not data:
            return []
        return [
            {
                "sex": data["sex"],
                "age_band": code,
                "nationality": data.get("nationality", ""),
                "count": data.get(f"age_{code}") or 0,
            }
            for code, _label in AGE_BANDS
            if data.get(f"age_{code}")
        ]


CountFormSet = forms.formset_factory(CountRowForm, extra=0)


def count_initial(counts) -> list[dict]:
    """The saved counts as grid rows, one per nationality and sex."""
    rows: dict[tuple, dict] = {}
    for count in counts:
        key = (str(count.nationality or ""), count.sex)
        row = rows.setdefault(key, {"nationality": key[0], "sex": key[1]})
        row[f"age_{count.age_band}"] = count.count
    return list(rows.values())


class OrganisationsForm(forms.Form):
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organisations that ran the session with the desk."),
    )
    reached = forms.ModelMultipleChoiceField(
        label=_("Organisations reached"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organisations that took part to learn about the programme."),
    )

    def __init__(self, *args, organisations, with_reached=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = organisations
        self.fields["partners"].to_field_name = "public_id"
        if with_reached:
            self.fields["reached"].queryset = organisations
            self.fields["reached"].to_field_name = "public_id"
        else:  # a session for migrants only reaches no organisation
            del self.fields["reached"]


class LocalOrganisationForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=200,
        widget=forms.TextInput(attrs=STAFF),
        error_messages={"required": _("Write the organisation's name.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Choose a kind")), *list(LocalOrganisation.Kind.choices)],
        error_messages={"required": _("Choose the kind of organisation.")},
    )
    region = forms.ChoiceField(
        label=_("Region"), error_messages={"required": _("Choose the organisation's region.")}
    )
    province = forms.CharField(
        label=_("Province"), max_length=60, required=False, widget=forms.TextInput(attrs=STAFF)
    )
    email = forms.EmailField(
        label=_("Email address of the organisation"),
        required=False,
        error_messages={"invalid": _("Write an email address such as info@example.org.")},
    )
    phone = forms.CharField(
        label=_("Switchboard phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(blank=_("Choose a region"))


class SessionFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *list(InfoSession.Status.choices)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(blank=_("Any region"))


class FiguresForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Programme cycle"), queryset=None, empty_label=None)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles
        self.fields["cycle"].to_field_name = "public_id"
        self.fields["region"].choices = region_choices(blank=_("Every region"))
