"""HTML input for persons and cases. Forms validate; actions change things."""

import datetime
import time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from retorno.accounts.models import Organisation, User
from retorno.cases.models import (
    ClosedReason,
    Consent,
    Document,
    EducationLevel,
    HouseholdMember,
    IdentityDocument,
    JournalEntry,
    NeedsAssessment,
    Phase,
    Priority,
    Sex,
    Vulnerability,
    WorkExperience,
)
from retorno.cases.rules import phone_country
from retorno.lib import validation, widgets
from retorno.programmes.models import Cycle, Programme

STAFF = {"autocomplete": "off", "spellcheck": "false"}
PROGRAMME_COUNTRIES = ["BO", "BR", "CL", "CO", "EC", "PY", "PE", "UY", "IT", "ES", "PT"]
RETURN_COUNTRIES = ["BO", "BR", "CL", "CO", "EC", "PY", "PE", "UY"]
LANGUAGES = [
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("qu", _("Quechua")),
    ("ay", _("Aymara")),
    ("gn", _("Guarani")),
    ("it", _("Italian")),
    ("en", _("English")),
]


def country_choices(codes=None, *, blank=True):
    codes = codes or [code for code, _name in countries]
    choices = sorted(((c, countries.name(c)) for c in codes), key=lambda c: c[1])
    return ([("", _("Choose a country"))] if blank else []) + choices


def all_countries_first(codes):
    """The programme's countries first, then every other country."""
    first = country_choices(codes, blank=False)
    rest = [(c, n) for c, n in countries if c not in codes]
    return [("", _("Choose a country")), *first, ("", "──────────"), *rest]


class DatePartsMixin:
    """Three fields (day, month, year) for a date people remember, GOV.UK style; the year
    alone is allowed. The cleaned value is a validation.PartialDate or None."""

    def clean_date_parts(self, prefix: str, *, required: bool, missing_message):
        day = (self.data.get(self.add_prefix(f"{prefix}_day")) or "").strip()
        month = (self.data.get(self.add_prefix(f"{prefix}_month")) or "").strip()
        year = (self.data.get(self.add_prefix(f"{prefix}_year")) or "").strip()
        if not (day or month or year):
            if required:
                self.add_error(f"{prefix}_day", missing_message)
            return None
        try:
            return validation.parse_date_parts(day, month, year)
        except ValidationError as error:
            target = f"{prefix}_year" if not year else f"{prefix}_day"
            self.add_error(target, error)
            return None


def date_part_field(label, *, width):
    return forms.CharField(
        label=label,
        required=False,
        max_length=9,
        widget=forms.TextInput(
            attrs={**STAFF, "inputmode": "text", "class": f"date-part date-part-{width}"}
        ),
    )


BIRTH_DATE_GROUP = {
    "birth": {
        "legend": _("Date of birth"),
        "hint": _("For example, 27 3 1986. If only the year is known, enter the year alone."),
    }
}


class PersonNameForm(DatePartsMixin, forms.Form):
    """The names, sex and date of birth of anyone on a case: the returnee or a member of the
    household. At least one name is needed; the date of birth may be the year alone."""

    date_groups = BIRTH_DATE_GROUP
    missing_name = _("Enter the given names or a surname")
    given_names = forms.CharField(
        label=_("Given names"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs=STAFF),
    )
    first_surname = forms.CharField(
        label=_("First surname"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs=STAFF),
    )
    second_surname = forms.CharField(
        label=_("Second surname"),
        max_length=150,
        required=False,
        help_text=_("Leave empty if the person has one surname"),
        widget=forms.TextInput(attrs=STAFF),
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=Sex.choices, required=False, widget=forms.RadioSelect
    )
    birth_day = date_part_field(_("Day"), width=2)
    birth_month = date_part_field(_("Month"), width=2)
    birth_year = date_part_field(_("Year"), width=4)

    def clean(self):
        data = super().clean()
        if not any(
            (data.get(f) or "").strip() for f in ("given_names", "first_surname", "second_surname")
        ):
            self.add_error("given_names", self.missing_name)
        data["birth"] = self.clean_date_parts("birth", required=False, missing_message="")
        return data

    def name_fields(self) -> dict:
        """Names, sex and date of birth as the Person model keeps them."""
        data = self.cleaned_data
        birth = data.get("birth")
        return {
            "given_names": data["given_names"].strip(),
            "first_surname": data["first_surname"].strip(),
            "second_surname": data["second_surname"].strip(),
            "sex": data.get("sex") or "",
            "birth_year": birth.year if birth else None,
            "birth_month": birth.month if birth else None,
            "birth_day": birth.day if birth else None,
        }


class PersonDetailsForm(PersonNameForm):
    missing_name = _("Enter the person's given names or a surname")
    field_order = [
        "given_names",
        "first_surname",
        "second_surname",
        "preferred_name",
        "sex",
        "birth_day",
        "birth_month",
        "birth_year",
    ]
    preferred_name = forms.CharField(
        label=_("Preferred name"),
        max_length=100,
        required=False,
        help_text=_("The name the person likes to be called"),
        widget=forms.TextInput(attrs=STAFF),
    )
    birth_year_estimated = forms.BooleanField(
        label=_("The year of birth is an estimate"), required=False
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    return_country = forms.ChoiceField(label=_("Country of return"), required=False)
    return_region = forms.CharField(
        label=_("Region of return"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs=STAFF),
    )
    return_city = forms.CharField(
        label=_("City of return"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs=STAFF),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the person speaks"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone_europe = forms.CharField(
        label=_("Phone in Europe"),
        max_length=40,
        required=False,
        help_text=_(
            "So the desk can call about appointments. Any format; add the country code if it "
            "is not from the desk's country."
        ),
        widget=forms.TextInput(attrs={**STAFF, "type": "tel"}),
    )
    phone_home = forms.CharField(
        label=_("Phone at home"),
        max_length=40,
        required=False,
        help_text=_(
            "So the national desk can reach the person after the return. Any format; add "
            "the country code if it is not from the country of return."
        ),
        widget=forms.TextInput(attrs={**STAFF, "type": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(attrs=STAFF),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.org")
        },
    )
    address_europe = forms.CharField(
        label=_("Address in Europe"),
        required=False,
        widget=forms.Textarea(attrs={**STAFF, "rows": 2}),
    )
    address_home = forms.CharField(
        label=_("Address at home"),
        required=False,
        widget=forms.Textarea(attrs={**STAFF, "rows": 2}),
    )
    education_level = forms.ChoiceField(
        label=_("Education level"), choices=EducationLevel.choices, required=False
    )
    occupation = forms.CharField(
        label=_("Occupation"), max_length=200, required=False, widget=forms.TextInput(attrs=STAFF)
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        help_text=_("What the person knows how to do, including what they learnt in Europe"),
        widget=forms.Textarea(attrs={**STAFF, "rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, desk: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.desk = desk
        self.fields["nationality"].choices = all_countries_first(RETURN_COUNTRIES)
        self.fields["return_country"].choices = country_choices(RETURN_COUNTRIES)

    def clean(self):
        data = super().clean()
        for name in ("phone_europe", "phone_home"):
            region = phone_country(name, desk=self.desk, return_country=data.get("return_country"))
            raw = (data.get(name) or "").strip()
            if raw:
                try:
                    data[name] = validation.parse_phone(raw, region)
                except ValidationError as error:
                    self.add_error(name, error)
            else:
                data[name] = ""
        return data

    def person_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data.get(name, "")
            for name in (
                "preferred_name",
                "nationality",
                "return_country",
                "return_region",
                "return_city",
                "languages",
                "phone_europe",
                "phone_home",
                "email",
                "address_europe",
                "address_home",
                "education_level",
                "occupation",
                "skills",
            )
        }
        fields["languages"] = list(data.get("languages") or [])
        fields["birth_year_estimated"] = bool(data.get("birth_year_estimated"))
        fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
        return {**self.name_fields(), **fields}

    @classmethod
    def initial_for(cls, person) -> dict:
        initial = {
            name: getattr(person, name)
            for name in (
                "given_names",
                "first_surname",
                "second_surname",
                "preferred_name",
                "sex",
                "return_region",
                "return_city",
                "languages",
                "phone_europe",
                "phone_home",
                "email",
                "address_europe",
                "address_home",
                "education_level",
                "occupation",
                "skills",
                "birth_year_estimated",
            )
        }
        initial["nationality"] = person.nationality.code or ""
        initial["return_country"] = person.return_country.code or ""
        initial["birth_day"] = person.birth_day or ""
        initial["birth_month"] = person.birth_month or ""
        initial["birth_year"] = person.birth_year or ""
        initial["version"] = person.version
        return initial


class RegisterForm(PersonDetailsForm):
    """Registering a person opens their case at the desk; one identity document may come too."""

    document_type = forms.ChoiceField(
        label=_("Identity document"),
        choices=[("", _("None yet")), *IdentityDocument.Type.choices],
        required=False,
    )
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        required=False,
        help_text=_("As printed on the document"),
        widget=forms.TextInput(attrs=STAFF),
    )
    document_country = forms.ChoiceField(label=_("Issuing country"), required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial="normal", widget=forms.RadioSelect
    )
    phase = forms.ChoiceField(
        label=_("The case starts at"),
        choices=[(Phase.INQUIRY, Phase.INQUIRY.label), (Phase.INTAKE, Phase.INTAKE.label)],
        initial=Phase.INQUIRY,
        required=False,
        widget=forms.RadioSelect,
    )
    not_a_duplicate = forms.BooleanField(
        label=_("None of these is the same person: register a new person"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_country"].choices = all_countries_first(PROGRAMME_COUNTRIES)
        if self.desk is not None and self.desk.kind != "european_desk":
            del self.fields["phase"]

    def clean(self):
        data = super().clean()
        number = (data.get("document_number") or "").strip()
        if number:
            doc_type = data.get("document_type") or "other"
            try:
                check = validation.validate_document(
                    doc_type, number, data.get("document_country") or None
                )
            except ValidationError as error:
                self.add_error("document_number", error)
            else:
                data["document"] = {
                    "type": doc_type,
                    "number": check.number,
                    "issuing_country": data.get("document_country") or "",
                    "verified": check.verified,
                }
        elif data.get("document_type"):
            self.add_error("document_number", _("Enter the document number, or choose None yet"))
        return data


class IdentityDocumentForm(forms.Form):
    type = forms.ChoiceField(label=_("Document type"), choices=IdentityDocument.Type.choices)
    number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        help_text=_("As printed on the document"),
        widget=forms.TextInput(attrs=STAFF),
        error_messages={"required": _("Enter the document number")},
    )
    issuing_country = forms.ChoiceField(label=_("Issuing country"), required=False)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=widgets.DateInput(),
        error_messages={"invalid": _("Enter a real date")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_country"].choices = all_countries_first(PROGRAMME_COUNTRIES)

    def clean(self):
        data = super().clean()
        if data.get("number"):
            try:
                check = validation.validate_document(
                    data["type"], data["number"], data.get("issuing_country") or None
                )
            except ValidationError as error:
                self.add_error("number", error)
            else:
                data["number"] = check.number
                data["verified"] = check.verified
        return data


class WorkExperienceForm(forms.Form):
    employer_or_sector = forms.CharField(
        label=_("Employer or sector"),
        max_length=200,
        widget=forms.TextInput(attrs=STAFF),
        error_messages={"required": _("Enter the employer or the sector")},
    )
    role = forms.CharField(label=_("Work done"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    started_year = forms.IntegerField(
        label=_("From (year)"),
        required=False,
        min_value=1950,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "date-part date-part-4"}),
        error_messages={"invalid": _("Enter a year, like 2019")},
    )
    ended_year = forms.IntegerField(
        label=_("To (year)"),
        required=False,
        min_value=1950,
        max_value=2100,
        help_text=_("Leave empty if the person still works there"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "date-part date-part-4"}),
        error_messages={"invalid": _("Enter a year, like 2019")},
    )
    certifiable = forms.ChoiceField(
        label=_("Can it be certified?"),
        choices=WorkExperience.Certifiable.choices,
        initial="unknown",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(["IT", "ES", "PT", "FR", "DE", "CH", "GB"])

    def clean(self):
        data = super().clean()
        start, end = data.get("started_year"), data.get("ended_year")
        if start and end and end < start:
            self.add_error(
                "ended_year", _("The end year must be the same as the start year or later")
            )
        return data


class HouseholdMemberForm(PersonNameForm):
    field_order = ["relationship"]
    relationship = forms.ChoiceField(
        label=_("Relationship to the person"),
        choices=HouseholdMember.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the relationship")},
    )
    returning = forms.BooleanField(label=_("Returns with the person"), required=False, initial=True)

    def person_fields(self) -> dict:
        return self.name_fields()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
        error_messages={"required": _("Enter the reason")},
    )


class CaseVersionMixin(forms.Form):
    """The version of the case the page showed, so a change based on an out-of-date page is
    refused instead of silently overwriting someone else's."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PhaseForm(CaseVersionMixin):
    phase = forms.ChoiceField(
        label=_("New phase"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the new phase")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, **STAFF}),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = choices


class CloseForm(CaseVersionMixin):
    reason = forms.ChoiceField(
        label=_("Why is the case closing?"),
        choices=ClosedReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for closing the case")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
    )
    cancel_open_tasks = forms.BooleanField(
        label=_("Cancel the open tasks of this case"), required=False
    )


class AssignForm(forms.Form):
    caseworker = forms.ModelChoiceField(
        label=_("Caseworker"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose a caseworker")},
    )

    def __init__(self, *args, desk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = desk_staff(desk)
        self.fields["caseworker"].label_from_instance = lambda u: u.get_full_name() or u.username


def desk_staff(desk):
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=desk,
            memberships__is_active=True,
            memberships__role__in=["caseworker", "coordinator"],
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


class VulnerabilityForm(CaseVersionMixin):
    categories = forms.MultipleChoiceField(
        label=_("Which of these apply?"),
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Choose all that apply. Leave all empty if none applies or the person prefers "
            "not to say."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
    )


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Date of the assessment"),
        widget=widgets.DateInput(),
        error_messages={
            "required": _("Enter the date of the assessment"),
            "invalid": _("Enter a real date"),
        },
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3, **STAFF})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in NeedsAssessment.DIMENSIONS:
            self.fields[code] = forms.TypedChoiceField(
                label=label,
                choices=NeedsAssessment.Level.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose the level of need")},
            )

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future"))
        return value

    def scores(self):
        return {code: self.cleaned_data[code] for code, _label in NeedsAssessment.DIMENSIONS}


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=Consent.Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the purpose")},
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Organisation.objects.filter(kind="partner", is_active=True),
        required=False,
        help_text=_("Only for sharing with a partner organisation"),
    )
    given = forms.TypedChoiceField(
        label=_("The person's answer"),
        choices=[("yes", _("Gives consent")), ("no", _("Refuses"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the person's answer")},
    )
    decided_on = forms.DateField(
        label=_("Date"),
        widget=widgets.DateInput(),
        error_messages={"required": _("Enter the date"), "invalid": _("Enter a real date")},
    )
    method = forms.ChoiceField(
        label=_("How"),
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the answer was given")},
    )
    witness = forms.CharField(
        label=_("Witness"),
        required=False,
        max_length=150,
        help_text=_("For verbal consent: the name of the witness"),
        widget=forms.TextInput(attrs=STAFF),
    )
    document = forms.ModelChoiceField(
        label=_("Signed form"),
        queryset=Document.objects.none(),
        required=False,
        help_text=_("Upload the signed form on the Documents page first, then choose it here"),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = Document.objects.filter(case=case)
        self.fields["document"].label_from_instance = lambda d: d.title

    def clean(self):
        data = super().clean()
        if data.get("purpose") == Consent.Purpose.PARTNER_SHARING and not data.get("partner"):
            self.add_error("partner", _("Choose the partner organisation"))
        if (
            data.get("method") == Consent.Method.VERBAL_WITH_WITNESS
            and not (data.get("witness") or "").strip()
        ):
            self.add_error("witness", _("Enter the name of the witness"))
        if data.get("decided_on") and data["decided_on"] > timezone.localdate():
            self.add_error("decided_on", _("The date cannot be in the future"))
        return data


class JournalEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=JournalEntry.Kind.choices,
        error_messages={"required": _("Choose the kind of entry")},
    )
    occurred_on = forms.DateField(
        label=_("Date"),
        widget=widgets.DateInput(),
        error_messages={"required": _("Enter the date"), "invalid": _("Enter a real date")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"),
        required=False,
        min_value=1,
        max_value=1440,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "date-part date-part-4"}),
        error_messages={"invalid": _("Enter the duration as a number of minutes, like 45")},
    )
    participants = forms.CharField(
        label=_("Who took part"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=STAFF),
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 6, **STAFF}),
        error_messages={"required": _("Enter a summary")},
    )
    confidential = forms.BooleanField(required=False)

    def __init__(self, *args, desk_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confidential"].label = _(
            "Confidential: only you and %(desk)s coordinators can read this entry"
        ) % {"desk": desk_name}

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future"))
        return value


class AmendForm(forms.Form):
    summary = forms.CharField(
        label=_("Corrected summary"),
        widget=forms.Textarea(attrs={"rows": 6, **STAFF}),
        error_messages={"required": _("Enter a summary")},
    )
    reason = forms.CharField(
        label=_("Why is it corrected?"),
        max_length=300,
        widget=forms.TextInput(attrs=STAFF),
        error_messages={"required": _("Say why the entry is corrected")},
    )


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("What to do"),
        max_length=200,
        widget=forms.TextInput(attrs=STAFF),
        error_messages={"required": _("Say what is to be done")},
    )
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose who will do it")},
    )
    due_on = forms.DateField(
        label=_("Due on"),
        widget=widgets.DateInput(),
        error_messages={"required": _("Enter the due date"), "invalid": _("Enter a real date")},
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3, **STAFF})
    )

    def __init__(self, *args, desk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = desk_staff(desk)
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, image or office document, up to 10 MB"),
        error_messages={"required": _("Choose a file")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Document.Kind.choices,
        error_messages={"required": _("Choose the kind of document")},
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the file name"),
    )


class HandoverForm(forms.Form):
    to_desk = forms.ModelChoiceField(
        label=_("Hand over to"),
        queryset=Organisation.objects.filter(kind="national_desk", is_active=True),
        error_messages={"required": _("Choose the national desk")},
    )
    travel_date = forms.DateField(
        label=_("Travel date"),
        widget=widgets.DateInput(),
        error_messages={"required": _("Enter the travel date"), "invalid": _("Enter a real date")},
    )
    situation = forms.CharField(
        label=_("The person's situation"),
        widget=forms.Textarea(attrs={"rows": 4, **STAFF}),
        error_messages={"required": _("Describe the person's situation")},
    )
    needs = forms.CharField(
        label=_("Needs"),
        widget=forms.Textarea(attrs={"rows": 4, **STAFF}),
        error_messages={"required": _("Describe the person's needs")},
    )
    plan_so_far = forms.CharField(
        label=_("Plan so far"), required=False, widget=forms.Textarea(attrs={"rows": 3, **STAFF})
    )
    risks = forms.CharField(
        label=_("Risks"), required=False, widget=forms.Textarea(attrs={"rows": 3, **STAFF})
    )
    promises = forms.CharField(
        label=_("What was promised"),
        required=False,
        help_text=_("Anything the desk committed to, so the national desk can keep it"),
        widget=forms.Textarea(attrs={"rows": 3, **STAFF}),
    )

    def clean_travel_date(self):
        value = self.cleaned_data["travel_date"]
        if value < timezone.localdate() - datetime.timedelta(days=365):
            raise ValidationError(_("The travel date is more than a year ago. Check it."))
        return value


class AcceptHandoverForm(AssignForm):
    pass


class CaseFilterForm(forms.Form):
    phase = forms.MultipleChoiceField(
        label=_("Phase"), choices=Phase.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    return_country = forms.MultipleChoiceField(
        label=_("Country of return"), required=False, widget=forms.CheckboxSelectMultiple
    )
    vulnerability = forms.MultipleChoiceField(
        label=_("Vulnerability"),
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Choices as plain values, kept a minute (filter_choices): a list page should not build
    # the desk's users, desks, programmes and cycles as objects on every request.
    caseworker = forms.TypedChoiceField(label=_("Caseworker"), required=False, coerce=int)
    desk = forms.TypedMultipleChoiceField(
        label=_("Desk that owns the case"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int)
    cycle = forms.TypedChoiceField(label=_("Cycle"), required=False, coerce=int)
    overdue = forms.BooleanField(label=_("With overdue tasks"), required=False)
    handed_over = forms.BooleanField(
        label=_("Also cases we handed over (summary only)"),
        required=False,
        help_text=_("Cases now owned by a national desk that your desk can still read"),
    )
    priority = forms.BooleanField(label=_("High priority only"), required=False)
    mine = forms.BooleanField(label=pgettext_lazy("cases", "Assigned to me"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, desk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["return_country"].choices = country_choices(RETURN_COUNTRIES, blank=False)
        choices = filter_choices(desk)
        self.fields["caseworker"].choices = [("", _("Anyone")), *choices["caseworker"]]
        self.fields["desk"].choices = sorted(
            ((o.pk, o.local_name) for o in choices["desk"]), key=lambda c: c[1]
        )
        self.fields["programme"].choices = [("", _("Any programme")), *choices["programme"]]
        self.fields["cycle"].choices = [("", _("Any cycle")), *choices["cycle"]]


_FILTER_CHOICES: dict = {}
FILTER_CHOICES_SECONDS = 60


def filter_choices(desk) -> dict:
    """The case list's filter choices for a desk, read once a minute per server process."""

    key = desk.pk if desk is not None else None
    cached = _FILTER_CHOICES.get(key)
    if cached is not None and time.monotonic() - cached[0] < FILTER_CHOICES_SECONDS:
        return cached[1]
    staff = []
    if desk is not None:
        for pk, first, last, username in desk_staff(desk).values_list(
            "pk", "first_name", "last_name", "username"
        ):
            staff.append((pk, f"{first} {last}".strip() or username))
    choices = {
        "caseworker": staff,
        # Whole (name-only) organisations: the label is the name in the reader's language,
        # chosen per request.
        "desk": list(
            Organisation.objects.filter(kind__in=["european_desk", "national_desk"])
            .order_by("name")
            .only("pk", "name", "name_it", "name_es", "name_pt")
        ),
        "programme": list(Programme.objects.order_by("name").values_list("pk", "name")),
        "cycle": [
            (pk, f"{code} · {name}")
            for pk, code, name in Cycle.objects.order_by("-starts_on").values_list(
                "pk", "programme__code", "name"
            )
        ],
    }
    _FILTER_CHOICES[key] = (time.monotonic(), choices)
    return choices
