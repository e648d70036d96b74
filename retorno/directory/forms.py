"""HTML input for the directory. Forms validate what was typed; actions decide and change.

Texts that exist in several languages (descriptions, who can use a service, how to apply,
cost) are edited one language at a time: the form carries the language it is written in, the
page links to the same form in the other languages, and saving changes only that language.
"""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from retorno.accounts import models as accounts
from retorno.directory.actions import DAYS
from retorno.directory.models import (
    RETURN_COUNTRIES,
    Location,
    Organization,
    Program,
    Service,
    ServiceLanguage,
    ServiceType,
    text_languages,
)
from retorno.lib import widgets

DAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
TEXT_AREA = {"rows": 4}


def country_choices():
    return sorted(((c, countries.name(c)) for c in RETURN_COUNTRIES), key=lambda c: c[1])


def text_language_of(request_value) -> str:
    """The language a form writes texts in: the one asked for, else the reader's."""
    languages = text_languages()
    if request_value in languages:
        return request_value
    current = (get_language() or "en").split("-")[0]
    return current if current in languages else languages[0]


class TextsMixin(forms.Form):
    """Multilingual texts edited in one language, `text_language`."""

    text_fields: tuple = ("description",)
    text_language = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_text_language(self):
        value = self.cleaned_data["text_language"]
        if value not in text_languages():
            raise forms.ValidationError(_("Choose a language"))
        return value

    @classmethod
    def initial_texts(cls, obj, language: str) -> dict:
        initial = {"text_language": language}
        if obj is not None:
            for name in cls.text_fields:
                initial[name] = getattr(obj, name).get(language, "")
            initial["version"] = obj.version
        return initial

    def merged_texts(self, obj) -> dict:
        """Each text field of `obj` with this language's text replaced (or removed if empty)."""
        language = self.cleaned_data["text_language"]
        merged = {}
        for name in self.text_fields:
            texts = dict(getattr(obj, name)) if obj is not None else {}
            text = (self.cleaned_data.get(name) or "").strip()
            if text:
                texts[language] = text
            else:
                texts.pop(language, None)
            merged[name] = texts
        return merged


class HoursMixin(forms.Form):
    """One weekly opening time: days, opening and closing times, and notes."""

    days = forms.MultipleChoiceField(
        label=_("Open on"), choices=DAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.TimeField(
        label=_("Opens at"),
        required=False,
        widget=widgets.TimeInput(),
        error_messages={"invalid": _("Enter a time like 09:00")},
    )
    closes_at = forms.TimeField(
        label=_("Closes at"),
        required=False,
        widget=widgets.TimeInput(),
        error_messages={"invalid": _("Enter a time like 17:30")},
    )
    hours_notes = forms.CharField(
        label=_("Notes on opening hours"),
        max_length=300,
        required=False,
        help_text=_("For example: closed on public holidays, or by appointment only"),
    )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if bool(opens) != bool(closes):
            self.add_error(
                "closes_at" if opens else "opens_at",
                _("Enter both the opening and the closing time"),
            )
        elif opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing time must be after the opening time"))
        return data

    @staticmethod
    def initial_hours(obj) -> dict:
        schedule = obj.schedules.order_by("pk").first() if obj is not None else None
        if schedule is None:
            return {}
        return {
            "days": [d for d in schedule.byday.split(",") if d in DAYS],
            "opens_at": schedule.opens_at,
            "closes_at": schedule.closes_at,
            "hours_notes": schedule.description,
        }

    def schedules(self, obj) -> list[dict]:
        """The form's opening time as the first schedule; any others (from an import) stay."""
        data = self.cleaned_data
        first = {
            "byday": ",".join(data.get("days") or []),
            "opens_at": data.get("opens_at"),
            "closes_at": data.get("closes_at"),
            "description": data.get("hours_notes") or "",
        }
        others = []
        if obj is not None:
            for schedule in list(obj.schedules.order_by("pk"))[1:]:
                others.append(
                    {
                        "public_id": schedule.public_id,
                        "freq": schedule.freq,
                        "byday": schedule.byday,
                        "opens_at": schedule.opens_at,
                        "closes_at": schedule.closes_at,
                        "description": schedule.description,
                    }
                )
        return [first, *others]


def phone_field(label):
    return forms.CharField(
        label=label,
        max_length=40,
        required=False,
        help_text=_("Any format; add the country code if it is from another country"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


def first_phones(obj) -> str:
    phone = obj.phones.order_by("pk").first() if obj is not None else None
    return phone.number if phone else ""


def phones_with(obj, number: str) -> list[dict]:
    """The form's phone as the first one; any other phones (from an import) stay."""
    phones = list(obj.phones.order_by("pk")) if obj is not None else []
    rest = [
        {
            "public_id": p.public_id,
            "number": p.number,
            "extension": p.extension,
            "type": p.type,
            "description": p.description,
        }
        for p in phones[1:]
    ]
    if not number:
        return rest
    first = {"number": number}
    if phones and phones[0].number == number:
        first = {
            "public_id": phones[0].public_id,
            "number": number,
            "extension": phones[0].extension,
            "type": phones[0].type,
            "description": phones[0].description,
        }
    return [first, *rest]


class OrganizationForm(TextsMixin):
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the name")}
    )
    alternate_name = forms.CharField(
        label=_("Other name or acronym"),
        max_length=200,
        required=False,
        help_text=_("For example SENA or OIM"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=Organization.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of organisation")},
    )
    description = forms.CharField(
        label=_("What the organisation does"),
        required=False,
        widget=forms.Textarea(attrs=TEXT_AREA),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.org")},
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address starting with https://")},
    )
    phones = phone_field(_("Phone"))
    retorno_organisation = forms.ModelChoiceField(
        label=_("Organisation on Retorno"),
        queryset=accounts.Organisation.objects.none(),
        required=False,
        empty_label=_("Not on Retorno"),
        help_text=_(
            "If this organisation works on Retorno, its users answer the referrals sent to its "
            "services."
        ),
    )

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retorno_organisation"].queryset = accounts.Organisation.objects.filter(
            country=country,
            is_active=True,
            kind__in=[accounts.Organisation.Kind.PARTNER, accounts.Organisation.Kind.NATIONAL_DESK],
        ).order_by("name")
        self.fields["retorno_organisation"].label_from_instance = lambda o: o.name

    @classmethod
    def initial_for(cls, organization, language: str) -> dict:
        initial = cls.initial_texts(organization, language)
        if organization is not None:
            for name in ("name", "alternate_name", "kind", "email", "website"):
                initial[name] = getattr(organization, name)
            initial["retorno_organisation"] = organization.retorno_organisation_id
            initial["phones"] = first_phones(organization)
        return initial

    def action_fields(self, organization) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "alternate_name": data["alternate_name"],
            "kind": data["kind"],
            "email": data["email"],
            "website": data["website"],
            "retorno_organisation": data["retorno_organisation"],
            "phones": phones_with(organization, data["phones"]),
            **self.merged_texts(organization),
        }


class ProgramForm(TextsMixin):
    name = forms.CharField(
        label=_("Name of the programme or policy"),
        max_length=200,
        error_messages={"required": _("Enter the name")},
    )
    alternate_name = forms.CharField(
        label=_("Other name or acronym"), max_length=200, required=False
    )
    description = forms.CharField(
        label=_("What the programme offers"),
        required=False,
        widget=forms.Textarea(attrs=TEXT_AREA),
    )

    @classmethod
    def initial_for(cls, program, language: str) -> dict:
        initial = cls.initial_texts(program, language)
        if program is not None:
            initial["name"] = program.name
            initial["alternate_name"] = program.alternate_name
        return initial

    def action_fields(self, program) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "alternate_name": data["alternate_name"],
            **self.merged_texts(program),
        }


def age_field(label, invalid_message):
    """An age in whole years, 0 to 120, typed on a numeric keypad."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": invalid_message,
            "min_value": _("Enter an age between 0 and 120"),
            "max_value": _("Enter an age between 0 and 120"),
        },
    )


class ServiceForm(HoursMixin, TextsMixin):
    text_fields = (
        "description",
        "eligibility_description",
        "application_process",
        "fees_description",
    )

    name = forms.CharField(
        label=_("Name of the service"),
        max_length=200,
        error_messages={"required": _("Enter the name")},
    )
    alternate_name = forms.CharField(label=_("Other name"), max_length=200, required=False)
    service_type = forms.ChoiceField(
        label=_("Type of service"),
        choices=ServiceType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of service")},
    )
    program = forms.ModelChoiceField(
        label=_("Public programme or policy"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_(
            "The programme the service is delivered under, for example a national "
            "employment programme for returnees"
        ),
    )
    description = forms.CharField(
        label=_("What the service offers"), required=False, widget=forms.Textarea(attrs=TEXT_AREA)
    )
    eligibility_description = forms.CharField(
        label=_("Who can use it"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    application_process = forms.CharField(
        label=_("How to apply"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fees_description = forms.CharField(
        label=_("Cost"),
        required=False,
        help_text=_("Say if it is free"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    minimum_age = age_field(_("Minimum age"), _("Enter an age in years, like 18"))
    maximum_age = age_field(_("Maximum age"), _("Enter an age in years, like 65"))
    languages = forms.MultipleChoiceField(
        label=_("Languages the service works in"),
        choices=ServiceLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Where it is offered"),
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Locations of the organisation. Add a location on the organisation's page."),
    )
    phones = phone_field(_("Phone"))
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.org")},
    )
    url = forms.URLField(
        label=_("Web page"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address starting with https://")},
    )
    not_public = forms.BooleanField(
        label=_("Do not show this service to the public"),
        required=False,
        help_text=_("For example a shelter: staff still see it, with a tag."),
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(
            organization__country=organization.country
        ).order_by("name")
        self.fields["locations"].queryset = Location.objects.filter(
            organization=organization
        ).order_by("name")
        self.fields["locations"].label_from_instance = _location_label

    def clean(self):
        data = super().clean()
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error(
                "maximum_age",
                _("The maximum age must be the same as or more than the minimum age"),
            )
        return data

    @classmethod
    def initial_for(cls, service, language: str) -> dict:
        initial = cls.initial_texts(service, language)
        if service is not None:
            for name in (
                "name",
                "alternate_name",
                "service_type",
                "minimum_age",
                "maximum_age",
                "email",
                "url",
                "not_public",
            ):
                initial[name] = getattr(service, name)
            initial["program"] = service.program_id
            initial["languages"] = [lang.code for lang in service.languages.all()]
            initial["locations"] = [loc.pk for loc in service.locations.all()]
            initial["phones"] = first_phones(service)
            initial.update(cls.initial_hours(service))
        return initial

    def action_fields(self, service) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "alternate_name": data["alternate_name"],
            "service_type": data["service_type"],
            "program": data["program"],
            "minimum_age": data["minimum_age"],
            "maximum_age": data["maximum_age"],
            "email": data["email"],
            "url": data["url"],
            "not_public": data["not_public"],
            "languages": _keep_notes(service, data["languages"]),
            "locations": list(data["locations"]),
            "phones": phones_with(service, data["phones"]),
            "schedules": self.schedules(service),
            **self.merged_texts(service),
        }


def _location_label(location) -> str:
    where = ", ".join(p for p in (location.city, location.region) if p)
    return f"{location.name} ({where})" if where else location.name


def _keep_notes(obj, codes) -> list[dict]:
    notes = {lang.code: lang.note for lang in obj.languages.all()} if obj is not None else {}
    return [{"code": code, "note": notes.get(code, "")} for code in codes]


class LocationForm(HoursMixin, TextsMixin):
    name = forms.CharField(
        label=_("Name of the place"),
        max_length=200,
        help_text=_("For example: Main office, or Centro de Empleo San Juan de Lurigancho"),
        error_messages={"required": _("Enter the name")},
    )
    alternate_name = forms.CharField(label=_("Other name"), max_length=200, required=False)
    location_type = forms.ChoiceField(
        label=_("Type of location"),
        choices=Location.Type.choices,
        widget=forms.RadioSelect,
        initial=Location.Type.PHYSICAL,
        error_messages={"required": _("Choose the type of location")},
    )
    address_1 = forms.CharField(
        label=_("Street address"),
        required=False,
        help_text=_("Leave it empty for a place whose address must stay hidden, like a shelter"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    region = forms.CharField(
        label=_("Region"),
        max_length=100,
        required=False,
        help_text=_("Department, state or province"),
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    url = forms.URLField(
        label=_("Web address"),
        required=False,
        assume_scheme="https",
        help_text=_("For a location online"),
        error_messages={"invalid": _("Enter a web address starting with https://")},
    )
    description = forms.CharField(
        label=_("How to find it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken there"),
        choices=ServiceLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phones = phone_field(_("Phone"))
    not_public = forms.BooleanField(
        label=_("Do not show this location to the public"),
        required=False,
        help_text=_("For example a shelter whose address must stay hidden."),
    )

    def clean(self):
        data = super().clean()
        if data.get("location_type") != Location.Type.VIRTUAL and not data.get("city"):
            self.add_error("city", _("Enter the city"))
        return data

    @classmethod
    def initial_for(cls, location, language: str) -> dict:
        initial = cls.initial_texts(location, language)
        if location is not None:
            for name in (
                "name",
                "alternate_name",
                "location_type",
                "address_1",
                "city",
                "region",
                "postal_code",
                "url",
                "not_public",
            ):
                initial[name] = getattr(location, name)
            initial["languages"] = [lang.code for lang in location.languages.all()]
            initial["phones"] = first_phones(location)
            initial.update(cls.initial_hours(location))
        return initial

    def action_fields(self, location) -> dict:
        data = self.cleaned_data
        return {
            **{
                name: data[name]
                for name in (
                    "name",
                    "alternate_name",
                    "location_type",
                    "address_1",
                    "city",
                    "region",
                    "postal_code",
                    "url",
                    "not_public",
                )
            },
            "languages": _keep_notes(location, data["languages"]),
            "phones": phones_with(location, data["phones"]),
            "schedules": self.schedules(location),
            **self.merged_texts(location),
        }


class ServiceStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Service.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the status of the service")},
    )


class ServiceFilterForm(forms.Form):
    """The directory's search and filters; the API's query serializer mirrors it."""

    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        help_text=_("Name or description of the service, or its organisation"),
    )
    country = forms.MultipleChoiceField(
        label=_("Country"), required=False, widget=forms.CheckboxSelectMultiple
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    service_type = forms.MultipleChoiceField(
        label=_("Type of service"),
        choices=ServiceType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.MultipleChoiceField(
        label=_("Language"),
        choices=ServiceLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.MultipleChoiceField(
        label=_("Kind of organisation"),
        choices=Organization.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    on_retorno = forms.BooleanField(label=_("Only services on Retorno"), required=False)
    include_inactive = forms.BooleanField(label=_("Include inactive services"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=200, required=False)
    country = forms.MultipleChoiceField(
        label=_("Country"), required=False, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.MultipleChoiceField(
        label=_("Kind of organisation"),
        choices=Organization.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Directory file"),
        help_text=_("HSDS JSON or CSV, as the export writes them, up to 10 MB"),
        error_messages={"required": _("Choose a file")},
    )
