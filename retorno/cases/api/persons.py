"""Persons: reading and changing a person's record."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import serializers
from rest_framework.response import Response

from retorno.cases import access, actions, rules
from retorno.cases.api.common import error_messages
from retorno.cases.forms import LANGUAGES
from retorno.cases.models import (
    EducationLevel,
    IdentityDocument,
    Sex,
    WorkExperience,
)
from retorno.lib import validation
from retorno.lib.api.fields import (
    CountryCodeField,
    NeverPartial,
    enum_field,
    text_field,
)
from retorno.lib.api.views import (
    CaseAPIView,
    validated_data,
)

ISO_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
BIRTH_PARTS = ("birth_year", "birth_month", "birth_day")


def clean_birth(data: dict) -> None:
    """Either birth_date ("1986-03-27", "1986-03", "1986") or birth_year, birth_month and
    birth_day; any of them replaces the whole date of birth, all empty clears it."""
    parts = {name: data.pop(name) for name in BIRTH_PARTS if name in data}
    text = data.pop("birth_date", None)
    if text is None and not parts:
        return
    given_parts = {k: v for k, v in parts.items() if v is not None}
    if text and given_parts:
        raise serializers.ValidationError(
            {
                "birth_date": [
                    _("Give either birth_date or birth_year, birth_month and birth_day, not both.")
                ]
            }
        )
    try:
        if text:
            if not ISO_PARTIAL_DATE.fullmatch(text):
                raise serializers.ValidationError(
                    {"birth_date": [_("Enter the date of birth as 1986-03-27, 1986-03 or 1986")]}
                )
            birth = validation.parse_partial_date(text)
        elif given_parts:
            birth = validation.parse_date_parts(
                *(str(parts.get(name) or "") for name in ("birth_day", "birth_month", "birth_year"))
            )
        else:
            birth = None
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            {"birth_date" if text else "birth_year": error_messages(error)}
        ) from None
    data["birth_year"] = birth.year if birth else None
    data["birth_month"] = birth.month if birth else None
    data["birth_day"] = birth.day if birth else None


def clean_phones(data: dict, *, desk, person=None) -> None:
    """E.164, read like the form reads them: the country of a number without its country code
    is cases.rules.phone_country's."""
    if "return_country" in data:
        return_country = data["return_country"]
    else:
        return_country = person.return_country.code if person is not None else ""
    errors = {}
    for name in ("phone_europe", "phone_home"):
        region = rules.phone_country(name, desk=desk, return_country=return_country)
        raw = (data.get(name) or "").strip()
        if name not in data:
            continue
        if not raw:
            data[name] = ""
            continue
        try:
            data[name] = validation.parse_phone(raw, region)
        except DjangoValidationError as error:
            errors[name] = error_messages(error)
    if errors:
        raise serializers.ValidationError(errors)


class PersonFieldsInput(serializers.Serializer):
    """A person's details; every field is optional."""

    # The context gives the desk (and the person, when changing one) to read phone numbers
    # written without their country code.

    given_names = text_field(150)
    first_surname = text_field(150)
    second_surname = text_field(150)
    preferred_name = text_field(100)
    sex = enum_field("Sex", Sex.choices, required=False)
    birth_year = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Any of birth_year, birth_month, birth_day or birth_date replaces the whole "
        "date of birth; the year alone, or the month and year, are enough.",
    )
    birth_month = serializers.IntegerField(required=False, allow_null=True)
    birth_day = serializers.IntegerField(required=False, allow_null=True)
    birth_date = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The date of birth as one ISO string, complete or partial: "
        "1986-03-27, 1986-03 or 1986. Instead of birth_year, birth_month and birth_day.",
    )
    birth_year_estimated = serializers.BooleanField(required=False)
    nationality = CountryCodeField(required=False, allow_blank=True)
    return_country = CountryCodeField(required=False, allow_blank=True)
    return_region = text_field(100)
    return_city = text_field(100)
    languages = serializers.ListField(
        child=enum_field("Language", LANGUAGES), required=False, max_length=10
    )
    phone_europe = text_field(40, help_text="Any format; E.164 is stored.")
    phone_home = text_field(40, help_text="Any format; E.164 is stored.")
    email = serializers.EmailField(required=False, allow_blank=True)
    address_europe = text_field()
    address_home = text_field()
    education_level = enum_field("EducationLevel", EducationLevel.choices, required=False)
    occupation = text_field(200)
    skills = text_field()
    desk_reference = text_field(60)

    def validate(self, data):
        data = super().validate(data)
        clean_birth(data)
        clean_phones(data, desk=self.context["desk"], person=self.context.get("person"))
        return data


class PersonUpdateInput(NeverPartial, PersonFieldsInput):
    """Send the fields that change and the `version` you read."""

    version = serializers.IntegerField(
        help_text="The version you read; a change made meanwhile by someone else gives 409."
    )


class IdentityDocumentOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    type = enum_field("IdentityDocumentType", IdentityDocument.Type.choices)
    number = serializers.CharField()
    issuing_country = CountryCodeField()
    expires_on = serializers.DateField(allow_null=True)
    verified = serializers.BooleanField()


class WorkExperienceOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    employer_or_sector = serializers.CharField()
    role = serializers.CharField()
    country = CountryCodeField()
    started_year = serializers.IntegerField(allow_null=True)
    ended_year = serializers.IntegerField(allow_null=True)
    certifiable = enum_field("WorkCertifiable", WorkExperience.Certifiable.choices)
    notes = serializers.CharField()


class PersonBriefOutput(serializers.Serializer):
    """Who the person is, without contact details or document numbers."""

    id = serializers.UUIDField(source="public_id")
    given_names = serializers.CharField()
    first_surname = serializers.CharField()
    second_surname = serializers.CharField()
    preferred_name = serializers.CharField()
    full_name = serializers.CharField()
    sex = enum_field("Sex", Sex.choices)
    birth_year = serializers.IntegerField(allow_null=True)
    birth_month = serializers.IntegerField(allow_null=True)
    birth_day = serializers.IntegerField(allow_null=True)
    birth_year_estimated = serializers.BooleanField()
    nationality = CountryCodeField()
    return_country = CountryCodeField()
    return_region = serializers.CharField()
    return_city = serializers.CharField()


class PersonOutput(PersonBriefOutput):
    """The person's whole record, with contact details and identity document numbers."""

    languages = serializers.ListField(child=serializers.CharField())
    phone_europe = serializers.CharField()
    phone_home = serializers.CharField()
    email = serializers.CharField()
    address_europe = serializers.CharField()
    address_home = serializers.CharField()
    education_level = enum_field("EducationLevel", EducationLevel.choices)
    occupation = serializers.CharField()
    skills = serializers.CharField()
    desk_reference = serializers.CharField()
    identity_documents = IdentityDocumentOutput(source="documents", many=True)
    work_experiences = WorkExperienceOutput(many=True)
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class PersonDetail(CaseAPIView):
    """A returnee or household member of a case the user works on."""

    def _person(self, request, person_id, *, write=False):
        return access.get_person_for_user(request.user, person_id, write=write)

    @extend_schema(operation_id="persons_retrieve", responses=PersonOutput)
    def get(self, request, id):
        person = self._person(request, id)
        actions.record_person_view(person, actor=request.user, page="person")
        return Response(PersonOutput(person).data)

    @extend_schema(
        operation_id="persons_partial_update",
        request=PersonUpdateInput,
        responses={200: PersonOutput},
        description="Change a person's details. Someone else's change since you read "
        "`version` gives 409 `conflict`: read the person again and retry.",
    )
    def patch(self, request, id):
        person = self._person(request, id, write=True)
        data = validated_data(
            PersonUpdateInput, request, desk=request.user.organisation, person=person
        )
        version = data.pop("version")
        actions.update_person(person, actor=request.user, expected_version=version, **data)
        person = self._person(request, id)
        return Response(PersonOutput(person).data)
