"""The public site's forms: ask to be contacted, an organisation refers a person, a place at an
info session. They parse what was typed and never save (outreach.actions.public does). Each
carries the spam fields (outreach.spam): a hidden field to leave empty and a signed time token.
Choices are built when the form is made, in the reader's language (the view activates it)."""

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from retorno.directory.models import RETURN_COUNTRIES
from retorno.outreach import regions, spam
from retorno.outreach.models import LANGUAGES, ContactChannel

PUBLIC = {"autocomplete": "on"}


def country_choices() -> list[tuple[str, str]]:
    """The eight countries of return, named and sorted in the active language."""
    named = [(code, countries.name(code)) for code in RETURN_COUNTRIES]
    return sorted(named, key=lambda pair: pair[1])


def language_choices() -> list[tuple[str, str]]:
    """The four languages, named in the language of the page."""
    return [
        (code, str(get_language_info(code)["name_translated"]).capitalize()) for code in LANGUAGES
    ]


class SpamFields(forms.Form):
    """The hidden field people leave empty and the token of when the form was shown; checked by
    spam.check before the form is read."""

    form_name = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[spam.HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self.fields[spam.TOKEN] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=spam.issue(self.form_name)
        )
        if self.is_bound:
            # A form shown again after an error gets a fresh token: the clock restarts.
            data = self.data.copy()
            data[spam.TOKEN] = spam.issue(self.form_name)
            self.data = data


class PersonFields(SpamFields):
    """The person who asks to be contacted (or who is referred)."""

    given_names = forms.CharField(
        label=_("Given names"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Write the given names.")},
    )
    surnames = forms.CharField(
        label=_("Surnames"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    channel = forms.ChoiceField(
        label=_("How would you like to be contacted?"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how to be contacted.")},
    )
    phone = forms.CharField(
        label=_("Phone number (also for WhatsApp)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Write an email address like name@example.com.")},
    )
    region = forms.ChoiceField(
        label=_("Region where you live now"),
        error_messages={"required": _("Choose the region where you live now.")},
    )
    province = forms.CharField(
        label=_("Province or city"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    return_country = forms.ChoiceField(
        label=_("Country you would return to"),
        error_messages={"required": _("Choose the country you would return to.")},
    )
    language = forms.ChoiceField(
        label=_("Language we should speak with you"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            ("", _("Choose a region")),
            *regions.grouped_choices(countries.name),
        ]
        self.fields["return_country"].choices = [("", _("Choose a country")), *country_choices()]
        self.fields["language"].choices = language_choices()

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel == ContactChannel.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Write the email address we should write to."))
        if channel in (ContactChannel.PHONE, ContactChannel.WHATSAPP) and not data.get("phone"):
            self.add_error("phone", _("Write the phone number we should call or write to."))
        return data

    def lead_fields(self) -> dict:
        names = (
            "given_names",
            "surnames",
            "channel",
            "phone",
            "email",
            "region",
            "province",
            "return_country",
            "language",
        )
        return {name: self.cleaned_data.get(name, "") for name in names}


class ContactForm(PersonFields):
    form_name = "contact"

    consent = forms.BooleanField(
        label=_("I agree that the programme keeps these details to contact me about returning."),
        error_messages={"required": _("Tick the box so that we may contact you.")},
    )


class ReferralForm(PersonFields):
    form_name = "refer"

    referrer_name = forms.CharField(
        label=_("Name of your organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": _("Write the name of your organisation.")},
    )
    referrer_contact = forms.CharField(
        label=_("Contact person at the organisation"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Write who we may talk to at the organisation.")},
    )
    referrer_email = forms.EmailField(
        label=_("Organisation's email address"),
        required=False,
        error_messages={"invalid": _("Write an email address like name@example.com.")},
    )
    referrer_phone = forms.CharField(
        label=_("Organisation's phone number"), max_length=30, required=False
    )
    consent = forms.BooleanField(
        label=_("The person agreed to be contacted by the programme."),
        error_messages={
            "required": _("We can contact the person only if they agreed: tick the box.")
        },
    )

    field_order = [
        "referrer_name",
        "referrer_contact",
        "referrer_email",
        "referrer_phone",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].label = _("How should we contact the person?")
        self.fields["region"].label = _("Region where the person lives now")
        self.fields["return_country"].label = _("Country the person would return to")
        self.fields["language"].label = _("Language to speak with the person")
        self.fields["given_names"].widget.attrs["autocomplete"] = "off"
        self.fields["surnames"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        if not data.get("referrer_email") and not data.get("referrer_phone"):
            self.add_error(
                "referrer_email", _("Write an email address or a phone number of the organisation.")
            )
        return data

    def lead_fields(self) -> dict:
        fields = super().lead_fields()
        for name in ("referrer_name", "referrer_contact", "referrer_email", "referrer_phone"):
            fields[name] = self.cleaned_data.get(name, "")
        return fields


class SignUpForm(SpamFields):
    form_name = "signup"

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Write your name.")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("We send your confirmation here. Give an email address or a phone number."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Write an email address like name@example.com.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    places = forms.TypedChoiceField(
        label=_("Places"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        initial=1,
        help_text=_("For you and those coming with you, up to 5."),
    )
    consent_attendance = forms.BooleanField(
        label=_("You may record my attendance by name."),
        required=False,
        help_text=_("Otherwise we only count how many people came."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error("email", _("Write an email address or a phone number."))
        return data
