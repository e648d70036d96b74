"""Validation and normalisation of a person's data, shared by web forms, the API and the importer.

Every function takes what a person typed (or what a spreadsheet cell held), returns the
normalised value, and raises ``django.core.exceptions.ValidationError`` with a translated
message that says how to fix the problem. Nothing here touches the database.

- ``parse_phone`` / ``format_phone``: E.164 storage, international display.
- ``validate_document``: identity and tax numbers checked with python-stdnum (and the
  documented algorithms stdnum lacks), with a lenient mode for imports.
- ``parse_partial_date`` / ``parse_date_parts``: dates of birth that may be a year only, or a
  month and year.
- ``parse_sex``, ``parse_country``, ``parse_document_type``: codes from words in English,
  Spanish, Italian and Portuguese.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from stdnum.br import cpf as br_cpf
from stdnum.cl import rut as cl_rut
from stdnum.co import nit as co_nit
from stdnum.ec import ci as ec_ci
from stdnum.ec import ruc as ec_ruc
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.es import nif as es_nif
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale as it_codicefiscale
from stdnum.pe import cui as pe_cui
from stdnum.pe import ruc as pe_ruc
from stdnum.pt import cc as pt_cc
from stdnum.pt import nif as pt_nif
from stdnum.py import ruc as py_ruc
from stdnum.uy import rut as uy_rut

__all__ = [
    "DOCUMENT_TYPES",
    "MAX_DOCUMENT_LENGTH",
    "MIN_BIRTH_YEAR",
    "PROGRAMME_COUNTRIES",
    "SEX_CODES",
    "DocumentCheck",
    "PartialDate",
    "country_name",
    "format_phone",
    "parse_country",
    "parse_date_parts",
    "parse_document_type",
    "parse_month",
    "parse_partial_date",
    "parse_phone",
    "parse_sex",
    "validate_document",
    "word_key",
]

DOCUMENT_TYPES = ("passport", "national_id", "tax_id", "residence_permit", "other")
SEX_CODES = ("female", "male", "other", "unknown")
# Return countries, then the European countries the desks are in.
PROGRAMME_COUNTRIES = ("BO", "BR", "CL", "CO", "EC", "PY", "PE", "UY", "IT", "ES", "PT")
MAX_DOCUMENT_LENGTH = 30
MIN_BIRTH_YEAR = 1900


def word_key(value: str) -> str:
    """Lower case, accents removed, inner whitespace collapsed: the key for word look-ups."""
    decomposed = unicodedata.normalize("NFKD", str(value))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


# --------------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------------

_PHONE_ALLOWED = re.compile(r"[0-9+()./\-\s]+")


def parse_phone(raw: str, default_region: str | None, *, strict: bool = True) -> str:
    """Return the number in E.164 ("+51987654321").

    A number starting with + or 00 carries its country code; any other number is read as a
    number of ``default_region`` (ISO alpha-2). Spaces, dots, hyphens and brackets are ignored.

    With ``strict=True`` the number must be in a range its country has assigned, as the
    phonenumbers metadata knows it. With ``strict=False`` a number with the length of its
    country's mobile or fixed-line numbers is accepted even outside the known ranges (plans
    open new ranges before the metadata knows them); the importer allows this only for numbers
    that carry their own country code, and warns.
    """
    text = " ".join(str(raw or "").split())
    if not text:
        raise ValidationError(_("Enter a phone number"), code="required")
    if not _PHONE_ALLOWED.fullmatch(text):
        raise ValidationError(
            _(
                "Enter a phone number using digits only, starting with + and the country "
                "code if it is from another country, for example +51 987 654 321"
            ),
            code="invalid_characters",
        )
    if text.startswith("00"):
        text = "+" + text[2:]
    region = (default_region or "").upper() or None
    if not text.startswith("+") and region is None:
        raise ValidationError(
            _("Enter the phone number with its country code, for example +51 987 654 321"),
            code="country_code_required",
        )
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise ValidationError(
                _(
                    "The country code of this phone number does not exist; enter it as + and "
                    "the country code, for example +51 987 654 321"
                ),
                code="invalid_country_code",
            ) from None
        raise ValidationError(
            _("Enter a real phone number, for example +51 987 654 321"), code="invalid"
        ) from None
    if not (phonenumbers.is_valid_number(number) or (not strict and _plausible(number))):
        if text.startswith("+"):
            message = _("Enter a real phone number, for example +51 987 654 321")
        else:
            message = _(
                "Enter a real phone number; if it is not a number of %(country)s, start it "
                "with + and the country code, for example +51 987 654 321"
            )
        raise ValidationError(
            message, code="invalid", params={"country": country_name(region or "")}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _plausible(number: phonenumbers.PhoneNumber) -> bool:
    """The length of a mobile or fixed-line number of its country, whatever its range."""
    return any(
        phonenumbers.is_possible_number_for_type(number, kind)
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
    )


def format_phone(e164: str) -> str:
    """Show an E.164 number in international format ("+51 987 654 321")."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --------------------------------------------------------------------------------------------
# Identity and tax documents
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentCheck:
    """The result of ``validate_document``.

    number: the cleaned display form ("390.533.447-05"); compact: letters and digits upper
    case, for search and matching ("39053344705"); verified: the number follows the official
    format of this country and document type, check digit included where it has one;
    message: why it is not verified, when a known format failed in lenient mode ("" otherwise).
    """

    number: str
    compact: str
    verified: bool
    message: str = ""


class _Failed(Exception):
    """A known format rejected the number; ``checksum`` tells a check-digit failure apart."""

    def __init__(self, checksum: bool = False):
        super().__init__()
        self.checksum = checksum


@dataclass(frozen=True)
class _Scheme:
    """One official number format: its name for messages, an example, and its check."""

    label: object  # lazy translated string
    example: str
    # Takes the number as typed; returns (display, compact) or raises _Failed.
    check: Callable[[str], tuple[str, str]]


def _alnum(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def _stdnum(module):
    """A check made of a python-stdnum module's validate() and, when it has one, format()."""

    def check(number: str) -> tuple[str, str]:
        try:
            compact = module.validate(number)
        except InvalidChecksum:
            raise _Failed(checksum=True) from None
        except StdnumError:
            raise _Failed() from None
        shown = module.format(compact) if hasattr(module, "format") else compact
        return shown, _alnum(compact)

    return check


def _digits_between(low: int, high: int, *, separators: str = " .-"):
    """A check for numbers that are only digits (thousands dots allowed) of a known length."""

    def check(number: str) -> tuple[str, str]:
        digits = number.translate({ord(c): None for c in separators})
        if not (digits.isascii() and digits.isdigit() and low <= len(digits) <= high):
            raise _Failed()
        return digits, digits

    return check


_UY_CI_WEIGHTS = (2, 9, 8, 7, 6, 3, 4)


def _uy_ci_check_digit(body: str) -> str:
    """Check digit of a Uruguayan cédula de identidad (the DNIC's published algorithm):
    the 7 digits (zero-padded on the left) weighted 2 9 8 7 6 3 4, and the digit that brings
    the sum up to a multiple of 10."""
    total = sum(int(d) * w for d, w in zip(body.zfill(7), _UY_CI_WEIGHTS, strict=True))
    return str(-total % 10)


def _uy_ci(number: str) -> tuple[str, str]:
    digits = number.translate({ord(c): None for c in " .-"})
    if not (digits.isascii() and digits.isdigit() and 6 <= len(digits) <= 8):
        raise _Failed()
    body, check_digit = digits[:-1], digits[-1]
    if _uy_ci_check_digit(body) != check_digit:
        raise _Failed(checksum=True)
    return f"{int(body):,}".replace(",", ".") + "-" + check_digit, digits


def _pe_dni(number: str) -> tuple[str, str]:
    """Peruvian DNI: 8 digits, sometimes followed by the CUI check character (stdnum.pe.cui).
    The compact form is the 8 digits, so "10117410-2" and "10117410" match."""
    try:
        compact = pe_cui.validate(number)
    except InvalidChecksum:
        raise _Failed(checksum=True) from None
    except StdnumError:
        raise _Failed() from None
    if len(compact) == 9:
        return f"{compact[:8]}-{compact[8]}", compact[:8]
    return compact, compact


_BO_DEPARTMENTS = "LP|CB|SC|OR|PT|TJ|CH|BN|BE|PD|PA"
_BO_CI = re.compile(
    rf"(?P<digits>\d{{5,10}})(?:[\s-]+(?P<complement>\d[A-Z]))?"
    rf"(?:[\s.-]*(?P<department>{_BO_DEPARTMENTS})\.?)?"
)


def _bo_ci(number: str) -> tuple[str, str]:
    """Bolivian cédula de identidad: 5 to 10 digits, an optional complement ("-1E") given to
    repeated numbers, and the department that issued it ("LP"). The department is shown but
    left out of the compact form: it tells where the card was issued, not who holds it."""
    match = _BO_CI.fullmatch(" ".join(number.upper().split()))
    if not match:
        raise _Failed()
    compact = match["digits"] + (match["complement"] or "")
    display = match["digits"]
    if match["complement"]:
        display += "-" + match["complement"]
    if match["department"]:
        display += " " + match["department"]
    return display, compact


def _es_national(number: str) -> tuple[str, str]:
    # A Spaniard's DNI or a foreign resident's NIE (the number on the TIE card).
    if _alnum(number)[:1] in ("X", "Y", "Z"):
        return _stdnum(es_nie)(number)
    return _stdnum(es_dni)(number)


def _br_cpf_shaped(number: str) -> bool:
    return len(re.sub(r"\D", "", number)) == 11 and not re.search(r"[A-Za-z]", number)


def _has_letters(number: str) -> bool:
    return any("A" <= c <= "Z" for c in number)


def _es_nie_shaped(number: str) -> bool:
    return _alnum(number)[:1] in ("X", "Y", "Z")


# (country, document type) -> (scheme, applies). A scheme whose ``applies`` is given checks only
# numbers of its shape; others are documents of that type the system cannot check (a Brazilian
# RG, whose format differs by state; a Spanish TIE's card number; a Portuguese Bilhete de
# Identidade, digits only, where the Cartão de Cidadão ends in letters), and stay unverified.
_SCHEMES: dict[tuple[str, str], tuple[_Scheme, Callable[[str], bool] | None]] = {
    ("BR", "national_id"): (
        _Scheme(_("Brazilian CPF"), "390.533.447-05", _stdnum(br_cpf)),
        _br_cpf_shaped,
    ),
    ("BR", "tax_id"): (_Scheme(_("Brazilian CPF"), "390.533.447-05", _stdnum(br_cpf)), None),
    ("CL", "national_id"): (_Scheme(_("Chilean RUN"), "12.531.909-2", _stdnum(cl_rut)), None),
    ("CL", "tax_id"): (_Scheme(_("Chilean RUT"), "12.531.909-2", _stdnum(cl_rut)), None),
    ("CO", "national_id"): (
        _Scheme(_("Colombian cédula"), "1.034.988.038", _digits_between(6, 10)),
        None,
    ),
    ("CO", "tax_id"): (_Scheme(_("Colombian NIT"), "213.123.432-1", _stdnum(co_nit)), None),
    ("EC", "national_id"): (_Scheme(_("Ecuadorian cédula"), "1714307103", _stdnum(ec_ci)), None),
    ("EC", "tax_id"): (_Scheme(_("Ecuadorian RUC"), "1792060346001", _stdnum(ec_ruc)), None),
    ("PE", "national_id"): (_Scheme(_("Peruvian DNI"), "10117410", _pe_dni), None),
    ("PE", "tax_id"): (_Scheme(_("Peruvian RUC"), "20512333797", _stdnum(pe_ruc)), None),
    ("PY", "national_id"): (
        _Scheme(_("Paraguayan cédula"), "1.234.567", _digits_between(5, 8)),
        None,
    ),
    ("PY", "tax_id"): (_Scheme(_("Paraguayan RUC"), "80028061-0", _stdnum(py_ruc)), None),
    ("UY", "national_id"): (_Scheme(_("Uruguayan cédula"), "1.234.567-2", _uy_ci), None),
    ("UY", "tax_id"): (_Scheme(_("Uruguayan RUT"), "21-100342-001-7", _stdnum(uy_rut)), None),
    ("BO", "national_id"): (_Scheme(_("Bolivian cédula"), "1234567 LP", _bo_ci), None),
    ("BO", "tax_id"): (
        _Scheme(_("Bolivian NIT"), "1234567019", _digits_between(5, 12, separators=" -")),
        None,
    ),
    ("IT", "tax_id"): (
        _Scheme(_("Italian codice fiscale"), "RSSMRA85T10A562S", _stdnum(it_codicefiscale)),
        None,
    ),
    ("ES", "national_id"): (
        _Scheme(_("Spanish DNI or NIE"), "12345678Z", _es_national),
        None,
    ),
    ("ES", "residence_permit"): (
        _Scheme(_("Spanish NIE"), "X1234567L", _stdnum(es_nie)),
        _es_nie_shaped,
    ),
    ("ES", "tax_id"): (_Scheme(_("Spanish NIF"), "B64717838", _stdnum(es_nif)), None),
    ("PT", "national_id"): (
        _Scheme(_("Portuguese Cartão de Cidadão"), "00000000 0 ZZ4", _stdnum(pt_cc)),
        _has_letters,
    ),
    ("PT", "tax_id"): (_Scheme(_("Portuguese NIF"), "501 964 843", _stdnum(pt_nif)), None),
}

_DOCUMENT_ALLOWED = re.compile(r"[A-Z0-9][A-Z0-9 -]*")
# Identity and tax numbers are often written with dots and slashes ("1.034.988.038").
_NATIONAL_DOCUMENT_ALLOWED = re.compile(r"[A-Z0-9][A-Z0-9 ./-]*")


def validate_document(
    document_type: str, number: str, issuing_country: str | None, *, strict: bool = True
) -> DocumentCheck:
    """Clean and check a document number.

    Returns ``verified=True`` when the number matches the official format of
    ``issuing_country`` for ``document_type`` (check digit included where there is one), and
    ``verified=False`` with an empty message when the system knows no format for that pair
    (passports, "other", Italian identity cards, an unknown or missing country).

    When a known format rejects the number, ``strict=True`` raises ValidationError and
    ``strict=False`` returns ``verified=False`` with the reason in ``message``, so that an
    import can keep a typed number and mark it as unverified.
    """
    if document_type not in DOCUMENT_TYPES:
        raise ValidationError(_document_type_message(), code="invalid_type")
    cleaned = " ".join(str(number or "").upper().split())
    if not cleaned:
        raise ValidationError(_("Enter the document number"), code="required")
    if len(cleaned) > MAX_DOCUMENT_LENGTH:
        raise ValidationError(
            _("Enter a document number of %(max)s characters or fewer"),
            code="max_length",
            params={"max": MAX_DOCUMENT_LENGTH},
        )
    if document_type in ("passport", "other"):
        if not _DOCUMENT_ALLOWED.fullmatch(cleaned):
            raise ValidationError(
                _(
                    "Enter the document number as printed on the document, using letters, "
                    "digits, spaces and hyphens only"
                ),
                code="invalid_characters",
            )
        return DocumentCheck(cleaned, _alnum(cleaned), verified=False)
    if not _NATIONAL_DOCUMENT_ALLOWED.fullmatch(cleaned):
        raise ValidationError(
            _(
                "Enter the document number as printed on the document, using letters, digits, "
                "spaces, dots, slashes and hyphens only"
            ),
            code="invalid_characters",
        )
    entry = _SCHEMES.get(((issuing_country or "").upper(), document_type))
    if entry is None or (entry[1] is not None and not entry[1](cleaned)):
        return DocumentCheck(cleaned, _alnum(cleaned), verified=False)
    scheme = entry[0]
    try:
        display, compact = scheme.check(cleaned)
    except _Failed as failure:
        if failure.checksum:
            message = _(
                "The check digit of %(document)s %(number)s does not match; check the number"
            )
            code = "checksum"
        else:
            message = _(
                "%(document)s %(number)s is not in the right format; enter it as printed on the "
                "document, for example %(example)s"
            )
            code = "format"
        params = {"document": scheme.label, "number": cleaned, "example": scheme.example}
        if strict:
            raise ValidationError(message, code=code, params=params) from None
        return DocumentCheck(cleaned, _alnum(cleaned), verified=False, message=message % params)
    return DocumentCheck(display, compact, verified=True)


def _document_type_message():
    return _("Enter a document type: passport, national_id, tax_id, residence_permit or other")


_DOCUMENT_TYPE_WORDS = {
    "passport": "passport|pasaporte|passaporto|passaporte",
    "national_id": (
        "national id|identity card|id card|dni|ci|cedula|cedula de identidad|"
        "cedula de ciudadania|documento de identidad|documento nacional de identidad|"
        "carta d'identita|carta di identita|carteira de identidade|cartao de cidadao|"
        "bilhete de identidade|rg|run"
    ),
    "tax_id": "tax id|tax number|nif|nit|ruc|rut|codice fiscale|numero de identificacion fiscal",
    "residence_permit": (
        "residence permit|permiso de residencia|permesso di soggiorno|"
        "autorizacao de residencia|titulo de residencia|nie|tie"
    ),
    "other": "other|otro|altro|outro",
}
_DOCUMENT_TYPE_LOOKUP = {
    word_key(word): code
    for code, words in _DOCUMENT_TYPE_WORDS.items()
    for word in words.split("|")
}


def parse_document_type(raw: str) -> str:
    """A document type code from the code itself (any case) or a common name of the document
    in English, Spanish, Italian or Portuguese ("pasaporte", "DNI", "permesso di soggiorno").
    Empty stays empty."""
    key = word_key(raw or "")
    if not key:
        return ""
    code = key.replace(" ", "_").replace("-", "_")
    if code in DOCUMENT_TYPES:
        return code
    found = _DOCUMENT_TYPE_LOOKUP.get(key.replace("_", " "))
    if found is None:
        raise ValidationError(_document_type_message(), code="invalid_type")
    return found


# --------------------------------------------------------------------------------------------
# Dates of birth
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartialDate:
    """A date of birth that may be known only to the year, or to the month and year."""

    year: int
    month: int | None = None
    day: int | None = None

    def isoformat(self) -> str:
        """ "1986-03-27", "1986-03" or "1986"."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.isoformat()


_MONTH_NAMES = {
    1: ("january", "enero", "gennaio", "janeiro"),
    2: ("february", "febrero", "febbraio", "fevereiro"),
    3: ("march", "marzo", "marco"),  # "março" without its cedilla
    4: ("april", "abril", "aprile"),
    5: ("may", "mayo", "maggio", "maio"),
    6: ("june", "junio", "giugno", "junho"),
    7: ("july", "julio", "luglio", "julho"),
    8: ("august", "agosto"),
    9: ("september", "septiembre", "setiembre", "settembre", "setembro"),
    10: ("october", "octubre", "ottobre", "outubro"),
    11: ("november", "noviembre", "novembre", "novembro"),
    12: ("december", "diciembre", "dicembre", "dezembro"),
}


def _build_month_lookup() -> dict[str, int]:
    """Full names, and every prefix of 3 letters or more that only one month starts with
    ("mar", "giu", "sett", "dez")."""
    candidates: dict[str, set[int]] = {}
    for month, names in _MONTH_NAMES.items():
        for name in names:
            for end in range(3, len(name) + 1):
                candidates.setdefault(name[:end], set()).add(month)
    lookup = {prefix: months.pop() for prefix, months in candidates.items() if len(months) == 1}
    for month, names in _MONTH_NAMES.items():
        for name in names:
            lookup[name] = month
    return lookup


_MONTH_LOOKUP = _build_month_lookup()


def parse_month(raw: str) -> int:
    """A month from 1 to 12, from its number or its name or abbreviation in English, Spanish,
    Italian or Portuguese ("3", "03", "mar", "marzo", "março", "giugno", "junho", "Sept.")."""
    key = word_key(raw or "").rstrip(".")
    if _isdigits(key):
        if 1 <= int(key) <= 12:
            return int(key)
    elif key in _MONTH_LOOKUP:
        return _MONTH_LOOKUP[key]
    raise ValidationError(
        _("Enter the month as a number from 1 to 12 or its name, for example 3 or March"),
        code="invalid_month",
    )


def _today() -> datetime.date:
    return timezone.localdate() if settings.USE_TZ else datetime.date.today()


def _isdigits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _checked(year: int, month: int | None, day: int | None) -> PartialDate:
    """Refuse impossible dates, dates in the future and dates before 1900."""
    if month is not None and not 1 <= month <= 12:
        raise ValidationError(_("Enter a real date"), code="invalid_date")
    if day is not None:
        try:
            datetime.date(year, month, day)
        except (ValueError, TypeError):
            raise ValidationError(_("Enter a real date"), code="invalid_date") from None
    today = _today()
    given = (year, month or 0, day or 0)
    if given > (today.year, today.month if month else 0, today.day if day else 0):
        raise ValidationError(_("Enter a date of birth in the past"), code="future")
    if year < MIN_BIRTH_YEAR:
        raise ValidationError(
            _("Enter a date of birth in %(year)s or later"),
            code="too_old",
            params={"year": MIN_BIRTH_YEAR},
        )
    return PartialDate(year, month, day)


def _year(text: str) -> int:
    if _isdigits(text) and len(text) == 4:
        return int(text)
    if _isdigits(text) and len(text) <= 2:
        raise ValidationError(
            _("Enter the year of birth with 4 digits, for example 1986"), code="short_year"
        )
    raise ValidationError(_("Enter a real date"), code="invalid_date")


def _format_error() -> ValidationError:
    return ValidationError(
        _(
            "Enter the date of birth as day, month and year, for example 27/03/1986, "
            "or as the year alone, for example 1986"
        ),
        code="invalid_format",
    )


_TIME_SUFFIX = re.compile(r"[T ]00:00(:00(\.0+)?)?(Z|[+-]00:?00)?$")
_DATE_FILLER_WORDS = {"de", "del", "di", "of", "the"}
_DATE_SEPARATORS = re.compile(r"[\s/.,\-]+")


def parse_partial_date(raw: str) -> PartialDate:
    """A date of birth, complete or partial.

    Accepts ISO ("1986-03-27", "1986-03"), day first with / - . or spaces as separators
    ("27/03/1986", "27-3-1986", "27.03.1986"), month and year ("03/1986"), the year alone
    ("1986") and month names in English, Spanish, Italian or Portuguese ("27 marzo 1986",
    "27 de março de 1986", "March 1986"). Day-first, as in Europe and Latin America.
    """
    text = " ".join(str(raw or "").split())
    if not text:
        raise ValidationError(_("Enter a date of birth"), code="required")
    text = _TIME_SUFFIX.sub("", text)  # "1986-03-27 00:00:00" from a spreadsheet
    parts = [
        p
        for p in _DATE_SEPARATORS.split(text)
        if p and (p.isdigit() or word_key(p) not in _DATE_FILLER_WORDS)
    ]
    if not parts or len(parts) > 3 or not all(p.isalnum() for p in parts):
        raise _format_error()
    if len(parts[0]) == 4 and _isdigits(parts[0]):
        # Year first: ISO "1986-03-27", "1986-03", or "1986".
        year, rest = int(parts[0]), parts[1:]
        if len(parts) == 1:
            return _checked(year, None, None)
        month = _number_or_month(rest[0])
        day = _number(rest[1]) if len(rest) == 2 else None
        return _checked(year, month, day)
    if len(parts) == 1:
        raise _format_error()
    if len(parts) == 2:
        # "03/1986", "March 1986"
        return _checked(_year(parts[1]), _number_or_month(parts[0]), None)
    return _checked(_year(parts[2]), _number_or_month(parts[1]), _number(parts[0]))


def _number(text: str) -> int:
    if not _isdigits(text) or len(text) > 2:
        raise ValidationError(_("Enter a real date"), code="invalid_date")
    return int(text)


def _number_or_month(text: str) -> int:
    if _isdigits(text):
        return _number(text)
    try:
        return parse_month(text)
    except ValidationError:
        raise _format_error() from None


def parse_date_parts(day: str, month: str, year: str) -> PartialDate:
    """A date of birth from the three boxes of a day / month / year input.

    The year is required; the day and month may both be empty (year only), or the day alone
    (month and year). The month may be a number or a name in English, Spanish, Italian or
    Portuguese.
    """
    day, month, year = (" ".join(str(v or "").split()) for v in (day, month, year))
    if not (day or month or year):
        raise ValidationError(_("Enter a date of birth"), code="required")
    if not year:
        raise ValidationError(_("Date of birth must include a year"), code="year_required")
    if day and not month:
        raise ValidationError(_("Date of birth must include a month"), code="month_required")
    year_value = _year(year)
    month_value = parse_month(month) if month else None
    day_value = None
    if day:
        if not (_isdigits(day) and len(day) <= 2):
            raise ValidationError(
                _("Enter the day of birth as a number from 1 to 31"), code="invalid_day"
            )
        day_value = int(day)
    return _checked(year_value, month_value, day_value)


# --------------------------------------------------------------------------------------------
# Sex
# --------------------------------------------------------------------------------------------

_SEX_WORDS = {
    "female": "f|female|woman|fem|femenino|feminino|femmina|femminile|donna|mujer|mulher",
    "male": "m|male|man|masc|masculino|maschio|maschile|uomo|hombre|varon|homem",
    "other": (
        "x|other|otro|otra|outro|outra|altro|altra|non-binary|nonbinary|non binary|"
        "no binario|non binario|nao binario"
    ),
    "unknown": "unknown|not known|desconocido|sconosciuto|desconhecido",
}
_SEX_LOOKUP = {word_key(w): code for code, words in _SEX_WORDS.items() for w in words.split("|")}


def parse_sex(raw: str) -> str:
    """female, male, other or unknown from a code, a letter (F, M, X) or a word in English,
    Spanish, Italian or Portuguese. Empty means not given and stays "".

    "H" (hombre) is refused on purpose: spreadsheets that use H for men use M for mujer,
    so "M" cannot be trusted in them; refusing H makes the desk fix the whole column."""
    key = word_key(raw or "").rstrip(".")
    if not key:
        return ""
    code = _SEX_LOOKUP.get(key)
    if code is None:
        raise ValidationError(
            _("Enter sex as F (female), M (male) or X (other), or leave it empty"),
            code="invalid_sex",
        )
    return code


# --------------------------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------------------------

_COUNTRY_WORDS = {
    "BO": (
        "bolivia|estado plurinacional de bolivia|plurinational state of bolivia|"
        "boliviano|boliviana|bolivian"
    ),
    "BR": (
        "brazil|brasil|brasile|brasileno|brasilena|brasileiro|brasileira|brasiliano|"
        "brasiliana|brazilian"
    ),
    "CL": "chile|cile|chileno|chilena|cileno|cilena|chilean",
    "CO": "colombia|colombiano|colombiana|colombian",
    "EC": (
        "ecuador|equador|ecuatoriano|ecuatoriana|equatoriano|equatoriana|ecuadoriano|"
        "ecuadoriana|ecuadorian|ecuadorean"
    ),
    "PY": (
        "paraguay|paraguai|paraguayo|paraguaya|paraguaio|paraguaia|paraguaiano|"
        "paraguaiana|paraguayan"
    ),
    "PE": "peru|peruano|peruana|peruviano|peruviana|peruvian",
    "UY": "uruguay|uruguai|uruguayo|uruguaya|uruguaio|uruguaia|uruguaiano|uruguaiana|uruguayan",
    "IT": "italy|italia|italiano|italiana|italian",
    "ES": (
        "spain|espana|spagna|espanha|espanol|espanola|espanhol|espanhola|spagnolo|spagnola|spanish"
    ),
    "PT": "portugal|portogallo|portugues|portuguesa|portoghese|portuguese",
}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Normalised country name -> alpha-2: the programme countries' names and nationalities
    first, then every country's name in English, Spanish, Italian and Portuguese as
    django-countries translates it."""

    lookup = {word_key(w): code for code, words in _COUNTRY_WORDS.items() for w in words.split("|")}
    for language in ("en", "es", "it", "pt"):
        with translation.override(language):
            for code, name in countries:
                lookup.setdefault(word_key(str(name)), code)
    return lookup


@lru_cache(maxsize=4096)
def _parse_country_key(key: str) -> str:
    if len(key) in (2, 3) and key.isalpha():
        code = countries.alpha2(key.upper())
        if code:
            return code
    return _country_names().get(key, "")


def parse_country(raw: str) -> str:
    """ISO 3166 alpha-2 code from a code (alpha-2 or alpha-3, any case) or a country name in
    English, Spanish, Italian or Portuguese ("Perú", "Brasile", "Espanha"); the nationalities
    of the programme countries are understood too ("peruana"). Empty stays empty."""
    key = word_key(raw or "").strip(" .")
    if not key:
        return ""
    code = _parse_country_key(key)
    if not code:
        raise ValidationError(
            _("Enter a country as its two-letter code or its name, for example PE or Peru"),
            code="invalid_country",
        )
    return code


def country_name(code: str) -> str:
    """The country's name in the active language ("Peru", "Perú"), "" for no code."""
    return _country_name_in(code or "", translation.get_language())


@lru_cache(maxsize=1024)
def _country_name_in(code: str, language: str | None) -> str:
    return str(countries.name(code)) if code else ""
