import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from retorno.accounts.models import Membership, Organisation
from retorno.accounts.roles import ROLES_A_COORDINATOR_MAY_GRANT, Capability, Role

STAFF_INPUT = {"autocomplete": "off", "spellcheck": "false"}


class InviteForm(forms.Form):
    first_name = forms.CharField(
        label=_("Given names"),
        max_length=150,
        widget=forms.TextInput(attrs=STAFF_INPUT),
        error_messages={"required": _("Enter the person's given names")},
    )
    last_name = forms.CharField(
        label=_("Surnames"),
        max_length=150,
        widget=forms.TextInput(attrs=STAFF_INPUT),
        error_messages={"required": _("Enter the person's surnames")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send the invitation here. It is also how they reset their password."),
        widget=forms.EmailInput(attrs=STAFF_INPUT),
        error_messages={
            "required": _("Enter an email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[a-zA-Z0-9._-]{3,40}$",
        help_text=_("3 to 40 letters, digits, dots, hyphens or underscores, like ana.milano"),
        widget=forms.TextInput(attrs=STAFF_INPUT),
        error_messages={
            "required": _("Enter a username"),
            "invalid": _("Use 3 to 40 letters, digits, dots, hyphens or underscores"),
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Choose the organisation")},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role")},
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        error_messages={"required": _("Choose a language")},
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.can(Capability.MANAGE_ALL_USERS):
            self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)
            self.fields["role"].choices = Role.choices
        else:
            # Coordinators invite people to their own organisation only.
            del self.fields["organisation"]
            self.fields["role"].choices = [
                (r.value, r.label) for r in ROLES_A_COORDINATOR_MAY_GRANT
            ]


class AddMembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True),
        error_messages={"required": _("Choose the organisation")},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, **STAFF_INPUT}),
        error_messages={"required": _("Enter the reason")},
    )


class OrganisationForm(forms.Form):
    """Validates the input; the actions create or change the organisation."""

    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-Za-z][A-Za-z0-9]{1,11}$",
        help_text=_("2 to 12 capital letters or digits used in case references, like MIL or LIM"),
        error_messages={
            "required": _("Enter a code"),
            "invalid": _("Use 2 to 12 letters or digits, starting with a letter"),
        },
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("In English. Pages in a language with no name of its own below show it."),
        error_messages={"required": _("Enter the name")},
    )
    # A desk's name in each other language ("Sportello di Milano"); a partner's proper name
    # stays as it is, so these are optional.
    name_it = forms.CharField(label=_("Name in Italian"), max_length=200, required=False)
    name_es = forms.CharField(label=_("Name in Spanish"), max_length=200, required=False)
    name_pt = forms.CharField(label=_("Name in Portuguese"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Organisation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of organisation")},
    )
    country = LazyTypedChoiceField(
        label=_("Country"),
        choices=countries,
        error_messages={"required": _("Choose the country")},
    )
    city = forms.CharField(
        label=_("City"), max_length=100, error_messages={"required": _("Enter the city")}
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Dates and times on the desk's pages are shown in this time zone."),
        error_messages={"required": _("Choose the time zone")},
    )
    help_email = forms.EmailField(
        label=_("Help email"),
        required=False,
        help_text=_("Shown at the foot of every page for the people who work here."),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.org")
        },
    )
    help_phone = forms.CharField(label=_("Help phone"), max_length=40, required=False)
    referral_reply_days = forms.IntegerField(
        label=_("Days a partner has to answer a referral"),
        min_value=1,
        max_value=90,
        initial=10,
        help_text=_("After this, a referral with no answer shows as overdue on My work."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "date-part date-part-4"}),
        error_messages={
            "required": _("Enter a number of days"),
            "invalid": _("Enter a whole number of days, like 10"),
            "min_value": _("Enter at least 1 day"),
            "max_value": _("Enter at most 90 days"),
        },
    )
    updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["time_zone"].choices = [
            (z, z.replace("_", " ")) for z in sorted(zoneinfo.available_timezones()) if "/" in z
        ]
        if editing:
            # The code appears in case references: it never changes once cases may use it.
            del self.fields["code"]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_('Say what will use it, like "monthly report script".'),
        error_messages={"required": _("Enter a name for the token")},
    )
    membership = forms.ModelChoiceField(
        label=_("Acts as"),
        queryset=Membership.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose one of your roles")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = Membership.objects.filter(
            user=user, is_active=True, organisation__is_active=True
        ).select_related("organisation")


class UserFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Name, username or email"),
        widget=forms.TextInput(attrs={"type": "search", **STAFF_INPUT}),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Active and inactive")),
            ("active", _("Active")),
            ("inactive", _("Inactive")),
        ],
    )
