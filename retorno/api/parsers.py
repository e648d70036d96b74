"""The API's JSON parser: DRF's, refusing bodies nested deeper than any endpoint needs.

Python's json module recurses once per level of nesting, so a body of a thousand `[` would end
in a RecursionError (a 500) somewhere between parsing and validation. The depth is measured
before parsing, outside strings, in one pass over the brackets.
"""

import io
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
# A string, or an unterminated one up to the end: always matching keeps this linear (a pattern
# that can fail would rescan the rest of the body from every quote).
_STRING = re.compile(r'"(?:[^"\\]+|\\.)*(?:"|\\?\Z)', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets inside strings do not
    count). An unbalanced text is left to the parser to refuse."""
    deepest = level = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("The request body is not valid JSON.")) from None
        if depth(text) > MAX_DEPTH:
            raise ParseError(
                _("The request body is nested more than %(max)s levels deep; send flatter JSON.")
                % {"max": MAX_DEPTH}
            )
        return super().parse(io.BytesIO(raw), media_type, parser_context)
