"""Serializer fields and small references shared by every app's API."""

import re

from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

_ENUM_FIELDS: dict[str, type] = {}


def enum_field(name: str, choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose codes are one named schema component. drf-spectacular would name
    the enums after the field ("kind", "status"), and those names collide between models."""
    codes = [value for value, _label in choices]
    field_class = _ENUM_FIELDS.get(name)
    if field_class is None:
        field_class = extend_schema_field({"type": "string", "enum": codes}, component_name=name)(
            type(f"{name}Field", (serializers.ChoiceField,), {"codes": codes})
        )
        _ENUM_FIELDS[name] = field_class
    if field_class.codes != codes:
        raise ValueError(f"{name} already names another set of codes")
    return field_class(choices=choices, **kwargs)


class CountryCodeField(serializers.CharField):
    """An ISO 3166 alpha-2 code ("PE"); empty for none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data).upper()
        # django-countries reads a code of digits as a numeric code, and fails on some of them.
        if code and not (re.fullmatch("[A-Z]{2}", code) and countries.alpha2(code)):
            raise serializers.ValidationError(
                _("Enter a country as its two-letter ISO code, for example PE")
            )
        return code

    def to_representation(self, value):
        return getattr(value, "code", value) or ""


def text_field(max_length=None, **kwargs):
    """An optional text field: may be left out or blank."""
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


class UserRef(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class OrganisationRef(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    code = serializers.CharField()
    name = serializers.CharField()


class CaseRef(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()


class NeverPartial:
    # A PATCH body whose required fields stay required (a person's `version`, a case's
    # `priority`). The views never validate partially; this tells the schema the same, where
    # drf-spectacular would otherwise describe every PATCH body as partial.

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value) -> None:
        pass
