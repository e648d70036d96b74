"""JSON bodies are read with the types the schema states.

DRF converts what it can: `8168` where text is expected becomes "8168", `1` becomes true, a number
becomes a UUID. A client sending the wrong type has misread the schema and should be told so,
with 400 and the field named, rather than have a value it did not mean stored. Query strings
and multipart forms carry only text, so there the conversion stays.

Installed once, from the API app's `ready()`; it changes DRF's fields for the API only (no other
part of Retorno uses them).
"""

import uuid

from django.http import QueryDict
from rest_framework import fields

# The JSON types each kind of field takes (bool is an int in Python: listed apart).
JSON_TYPES = {
    fields.CharField: (str,),
    fields.UUIDField: (str,),
    fields.IntegerField: (int,),
    fields.FloatField: (int, float),
    fields.BooleanField: (bool,),
}


def from_json(field) -> bool:
    """Whether the field reads the request's JSON body (a serializer given `request.data`, with
    the request in its context); query strings and forms are read as text."""
    root = field.root
    request = getattr(root, "_context", {}).get("request")
    if request is None or getattr(root, "initial_data", None) is None:
        return False
    data = request.data
    return root.initial_data is data and not isinstance(data, QueryDict)


def _strict(field_class, types):
    original = field_class.to_internal_value

    def to_internal_value(self, data):
        if from_json(self) and not isinstance(data, uuid.UUID):
            wrong = not isinstance(data, types) or (isinstance(data, bool) and bool not in types)
            if wrong:
                self.fail("invalid")
        return original(self, data)

    to_internal_value.strict = True
    return to_internal_value


def install() -> None:
    for field_class, types in JSON_TYPES.items():
        if not getattr(field_class.to_internal_value, "strict", False):
            field_class.to_internal_value = _strict(field_class, types)
