"""What a person typing into a form or a spreadsheet gets back: normalised values, or a message
that says how to fix the value."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from retorno.lib.validation import (
    DocumentCheck,
    PartialDate,
    format_phone,
    parse_country,
    parse_date_parts,
    parse_document_type,
    parse_month,
    parse_partial_date,
    parse_phone,
    parse_sex,
    validate_document,
)


def message(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- Phones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("987 654 321", "PE", "+51987654321"),
        ("987-654-321", "PE", "+51987654321"),
        ("+51 987 654 321", None, "+51987654321"),
        ("+51987654321", "IT", "+51987654321"),
        ("0051 987 654 321", "ES", "+51987654321"),
        ("0051987654321", None, "+51987654321"),
        ("(85) 92696-9267", "BR", "+5585926969267"),
        ("333 123 4567", "IT", "+393331234567"),
        ("612.34.56.78", "ES", "+34612345678"),
        ("912 345 678", "PT", "+351912345678"),
        ("+57 315 540 4151", "ES", "+573155404151"),
        ("  +591 7 123 4567 ", "bo", "+59171234567"),
    ],
)
def test_phone_with_or_without_country_code_is_stored_in_e164(raw, region, e164):
    assert parse_phone(raw, region) == e164


def test_phone_without_country_code_needs_a_default_region():
    with pytest.raises(ValidationError) as excinfo:
        parse_phone("987 654 321", None)
    assert message(excinfo) == (
        "Enter the phone number with its country code, for example +51 987 654 321"
    )


def test_phone_that_is_not_a_number_of_the_default_region_says_to_add_the_country_code():
    with pytest.raises(ValidationError) as excinfo:
        parse_phone("12 34", "PE")
    assert message(excinfo) == (
        "Enter a real phone number; if it is not a number of Peru, start it with + and the "
        "country code, for example +51 987 654 321"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+51 123", "Enter a real phone number, for example +51 987 654 321"),
        (
            "+999 1234 5678",
            "The country code of this phone number does not exist; enter it as + and the "
            "country code, for example +51 987 654 321",
        ),
        (
            "call 987 654 321",
            "Enter a phone number using digits only, starting with + and the country code if "
            "it is from another country, for example +51 987 654 321",
        ),
        ("", "Enter a phone number"),
    ],
)
def test_impossible_phone_numbers_are_refused(raw, expected):
    with pytest.raises(ValidationError) as excinfo:
        parse_phone(raw, "PE")
    assert message(excinfo) == expected


def test_phone_outside_the_known_ranges_is_accepted_only_when_not_strict():
    # Right length for Colombia, but 309 is not a range the metadata knows.
    with pytest.raises(ValidationError):
        parse_phone("+57 309 679 2980", None)
    assert parse_phone("+57 309 679 2980", None, strict=False) == "+573096792980"
    with pytest.raises(ValidationError):
        parse_phone("+57 309 67", None, strict=False)  # too short even so


def test_format_phone_shows_the_international_form():
    assert format_phone("+51987654321") == "+51 987 654 321"
    assert format_phone("+393331234567") == "+39 333 123 4567"
    assert format_phone("") == ""


# --- Documents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document_type", "country", "typed", "number", "compact"),
    [
        ("national_id", "BR", "390.533.447-05", "390.533.447-05", "39053344705"),
        ("national_id", "BR", "39053344705", "390.533.447-05", "39053344705"),
        ("tax_id", "BR", "390 533 447 05", "390.533.447-05", "39053344705"),
        ("national_id", "CL", "125319092", "12.531.909-2", "125319092"),
        ("tax_id", "CL", "76086428-5", "76.086.428-5", "760864285"),
        ("national_id", "CO", "1.034.988.038", "1034988038", "1034988038"),
        ("tax_id", "CO", "213.123.432-1", "213.123.432-1", "2131234321"),
        ("national_id", "EC", "171430710-3", "1714307103", "1714307103"),
        ("tax_id", "EC", "1792060346-001", "1792060346001", "1792060346001"),
        ("national_id", "PE", "10117410", "10117410", "10117410"),
        ("national_id", "PE", "10117410-2", "10117410-2", "10117410"),
        ("tax_id", "PE", "20512333797", "20512333797", "20512333797"),
        ("national_id", "PY", "1.234.567", "1234567", "1234567"),
        ("tax_id", "PY", "80028061-0", "80028061-0", "800280610"),
        ("national_id", "UY", "1.234.567-2", "1.234.567-2", "12345672"),
        ("national_id", "UY", "12345672", "1.234.567-2", "12345672"),
        ("tax_id", "UY", "21-100342-001-7", "21-100342-001-7", "211003420017"),
        ("national_id", "BO", "3197590 ch", "3197590 CH", "3197590"),
        ("national_id", "BO", "6304955-LP", "6304955 LP", "6304955"),
        ("national_id", "BO", "3197590-1E LP", "3197590-1E LP", "31975901E"),
        ("tax_id", "BO", "1234567019", "1234567019", "1234567019"),
        ("tax_id", "IT", "rssmra85t10a562s", "RSSMRA85T10A562S", "RSSMRA85T10A562S"),
        ("national_id", "ES", "54362315-K", "54362315K", "54362315K"),
        ("national_id", "ES", "X-2482300W", "X2482300W", "X2482300W"),
        ("residence_permit", "ES", "x2482300w", "X2482300W", "X2482300W"),
        ("tax_id", "ES", "B64717838", "B64717838", "B64717838"),
        ("tax_id", "PT", "PT 501 964 843", "501964843", "501964843"),
        ("national_id", "PT", "00000000 0 ZZ4", "00000000 0 ZZ4", "000000000ZZ4"),
    ],
)
def test_known_identity_and_tax_numbers_are_verified(
    document_type, country, typed, number, compact
):
    assert validate_document(document_type, typed, country) == DocumentCheck(
        number=number, compact=compact, verified=True, message=""
    )


@pytest.mark.parametrize(
    ("document_type", "country", "typed", "expected"),
    [
        (
            "national_id",
            "PE",
            "10117410-3",
            "The check digit of Peruvian DNI 10117410-3 does not match; check the number",
        ),
        (
            "national_id",
            "BR",
            "390.533.447-06",
            "The check digit of Brazilian CPF 390.533.447-06 does not match; check the number",
        ),
        (
            "national_id",
            "UY",
            "1.234.567-3",
            "The check digit of Uruguayan cédula 1.234.567-3 does not match; check the number",
        ),
        (
            "national_id",
            "CL",
            "12.531.909-3",
            "The check digit of Chilean RUN 12.531.909-3 does not match; check the number",
        ),
        (
            "tax_id",
            "ES",
            "B64717839",
            "The check digit of Spanish NIF B64717839 does not match; check the number",
        ),
        (
            "national_id",
            "PE",
            "1011741",
            "Peruvian DNI 1011741 is not in the right format; enter it as printed on the "
            "document, for example 10117410",
        ),
        (
            "national_id",
            "CO",
            "12345",
            "Colombian cédula 12345 is not in the right format; enter it as printed on the "
            "document, for example 1.034.988.038",
        ),
    ],
)
def test_failing_numbers_are_refused_when_strict_and_kept_unverified_when_lenient(
    document_type, country, typed, expected
):
    with pytest.raises(ValidationError) as excinfo:
        validate_document(document_type, typed, country)
    assert message(excinfo) == expected

    lenient = validate_document(document_type, typed, country, strict=False)
    assert lenient.verified is False
    assert lenient.message == expected
    assert lenient.number == typed.upper()


@pytest.mark.parametrize(
    ("document_type", "country", "typed"),
    [
        ("national_id", "IT", "CA 00000 AA"),  # Italian identity card: no known format
        ("national_id", None, "12345678"),  # no issuing country
        ("national_id", "DE", "T22000129"),  # a country without a known format
        ("national_id", "BR", "12.345.678-9"),  # a Brazilian RG: its format differs by state
        ("residence_permit", "IT", "I12345678"),  # permesso di soggiorno
        ("residence_permit", "ES", "E01234567"),  # a TIE card's number, not the NIE
        ("national_id", "PT", "12345678"),  # an old Bilhete de Identidade
    ],
)
def test_numbers_without_a_known_format_are_kept_unverified_without_message(
    document_type, country, typed
):
    check = validate_document(document_type, typed, country)
    assert check.verified is False
    assert check.message == ""
    assert check.number == typed.upper()


def test_passports_and_other_documents_are_cleaned_but_never_verified():
    assert validate_document("passport", "  b 938-9666 ", "EC") == DocumentCheck(
        "B 938-9666", "B9389666", False, ""
    )
    assert validate_document("other", "ab   12", None) == DocumentCheck("AB 12", "AB12", False, "")
    # A passport with a Peruvian DNI's shape is still a passport.
    assert validate_document("passport", "10117410-3", "PE").verified is False


@pytest.mark.parametrize(
    ("document_type", "typed", "expected"),
    [
        (
            "passport",
            "B/9389666",
            "Enter the document number as printed on the document, using letters, digits, "
            "spaces and hyphens only",
        ),
        ("other", "X" * 31, "Enter a document number of 30 characters or fewer"),
        ("passport", "   ", "Enter the document number"),
        (
            "driving_licence",
            "123",
            "Enter a document type: passport, national_id, tax_id, residence_permit or other",
        ),
        (
            "national_id",
            "12#45",
            "Enter the document number as printed on the document, using letters, digits, "
            "spaces, dots, slashes and hyphens only",
        ),
    ],
)
def test_document_numbers_that_cannot_be_a_number_are_always_refused(
    document_type, typed, expected
):
    for strict in (True, False):
        with pytest.raises(ValidationError) as excinfo:
            validate_document(document_type, typed, "PE", strict=strict)
        assert message(excinfo) == expected


def test_every_example_shown_in_a_message_is_itself_a_valid_number():
    from retorno.lib.validation import _SCHEMES

    for (country, document_type), (scheme, _applies) in _SCHEMES.items():
        check = validate_document(document_type, scheme.example, country)
        assert check.verified, (country, document_type, scheme.example)


def test_document_check_is_a_frozen_value():
    check = validate_document("passport", "A1", None)
    with pytest.raises(AttributeError):
        check.verified = True  # type: ignore[misc]


# --- Dates of birth ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1986-03-27", PartialDate(1986, 3, 27)),
        ("27/03/1986", PartialDate(1986, 3, 27)),
        ("27-3-1986", PartialDate(1986, 3, 27)),
        ("27.03.1986", PartialDate(1986, 3, 27)),
        ("1/2/1986", PartialDate(1986, 2, 1)),  # day first, never month first
        ("1986", PartialDate(1986, None, None)),
        ("03/1986", PartialDate(1986, 3, None)),
        ("1986-03", PartialDate(1986, 3, None)),
        ("1986-03-27 00:00:00", PartialDate(1986, 3, 27)),
        ("27 marzo 1986", PartialDate(1986, 3, 27)),
        ("27 de março de 1986", PartialDate(1986, 3, 27)),
        ("March 1986", PartialDate(1986, 3, None)),
        ("29/02/2000", PartialDate(2000, 2, 29)),
        ("1900", PartialDate(1900, None, None)),
    ],
)
def test_partial_dates_are_read_day_first(raw, expected):
    assert parse_partial_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31/02/1990", "Enter a real date"),
        ("29/02/1990", "Enter a real date"),
        ("13/13/1990", "Enter a real date"),
        ("1899", "Enter a date of birth in 1900 or later"),
        ("27/03/86", "Enter the year of birth with 4 digits, for example 1986"),
        (
            "yesterday",
            "Enter the date of birth as day, month and year, for example 27/03/1986, or as "
            "the year alone, for example 1986",
        ),
        ("", "Enter a date of birth"),
    ],
)
def test_impossible_dates_are_refused(raw, expected):
    with pytest.raises(ValidationError) as excinfo:
        parse_partial_date(raw)
    assert message(excinfo) == expected


def test_dates_in_the_future_are_refused_but_today_and_this_year_are_not():
    today = datetime.date.today()
    next_year = today.year + 1
    for raw in (str(next_year), f"01/{next_year}", f"01/01/{next_year}"):
        with pytest.raises(ValidationError) as excinfo:
            parse_partial_date(raw)
        assert message(excinfo) == "Enter a date of birth in the past"
    assert parse_partial_date(today.isoformat()) == PartialDate(today.year, today.month, today.day)
    assert parse_partial_date(str(today.year)) == PartialDate(today.year)


def test_partial_date_shows_as_iso():
    assert PartialDate(1986, 3, 27).isoformat() == "1986-03-27"
    assert str(PartialDate(1986, 3)) == "1986-03"
    assert str(PartialDate(1986)) == "1986"


@pytest.mark.parametrize(
    ("raw", "month"),
    [
        ("3", 3),
        ("03", 3),
        # English
        ("march", 3),
        ("Mar", 3),
        ("June", 6),
        ("sept.", 9),
        ("Dec", 12),
        # Spanish
        ("marzo", 3),
        ("Enero", 1),
        ("ene", 1),
        ("agosto", 8),
        ("setiembre", 9),
        ("dic", 12),
        # Italian
        ("giugno", 6),
        ("GIU", 6),
        ("gennaio", 1),
        ("gen", 1),
        ("maggio", 5),
        ("mag", 5),
        ("ottobre", 10),
        ("ott", 10),
        # Portuguese
        ("março", 3),
        ("MARÇO", 3),
        ("junho", 6),
        ("jun", 6),
        ("maio", 5),
        ("mai", 5),
        ("outubro", 10),
        ("out", 10),
        ("dezembro", 12),
        ("dez", 12),
        ("fevereiro", 2),
        ("fev", 2),
    ],
)
def test_month_names_in_four_languages(raw, month):
    assert parse_month(raw) == month


@pytest.mark.parametrize("raw", ["0", "13", "ju", "ma", "jux", "thirteenth", ""])
def test_months_that_are_not_a_month_are_refused(raw):
    with pytest.raises(ValidationError) as excinfo:
        parse_month(raw)
    assert message(excinfo) == (
        "Enter the month as a number from 1 to 12 or its name, for example 3 or March"
    )


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("27", "3", "1986", PartialDate(1986, 3, 27)),
        ("27", "mar", "1986", PartialDate(1986, 3, 27)),
        ("1", "giugno", "1990", PartialDate(1990, 6, 1)),
        ("1", "junho", "1990", PartialDate(1990, 6, 1)),
        ("1", "junio", "1990", PartialDate(1990, 6, 1)),
        ("1", "June", "1990", PartialDate(1990, 6, 1)),
        ("", "março", "1986", PartialDate(1986, 3, None)),
        ("", "", "1986", PartialDate(1986, None, None)),
        (" 7 ", " 07 ", " 1986 ", PartialDate(1986, 7, 7)),
    ],
)
def test_three_field_date_input(day, month, year, expected):
    assert parse_date_parts(day, month, year) == expected


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("27", "3", "", "Date of birth must include a year"),
        ("", "3", "", "Date of birth must include a year"),
        ("27", "", "1986", "Date of birth must include a month"),
        ("31", "febrero", "1990", "Enter a real date"),
        ("", "", "", "Enter a date of birth"),
        ("x", "3", "1986", "Enter the day of birth as a number from 1 to 31"),
        (
            "1",
            "brumaire",
            "1986",
            "Enter the month as a number from 1 to 12 or its name, for example 3 or March",
        ),
        ("1", "3", "86", "Enter the year of birth with 4 digits, for example 1986"),
        ("1", "1", "1850", "Enter a date of birth in 1900 or later"),
    ],
)
def test_three_field_date_input_errors(day, month, year, expected):
    with pytest.raises(ValidationError) as excinfo:
        parse_date_parts(day, month, year)
    assert message(excinfo) == expected


# --- Sex, countries, document types -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("F", "female"),
        ("f", "female"),
        ("female", "female"),
        ("Femenino", "female"),
        ("feminino", "female"),
        ("femmina", "female"),
        ("Donna", "female"),
        ("mujer", "female"),
        ("MULHER", "female"),
        ("M", "male"),
        ("male", "male"),
        ("masculino", "male"),
        ("maschio", "male"),
        ("uomo", "male"),
        ("Hombre", "male"),
        ("homem", "male"),
        ("Varón", "male"),
        ("X", "other"),
        ("other", "other"),
        ("otro", "other"),
        ("outro", "other"),
        ("altro", "other"),
        ("unknown", "unknown"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_sex_from_codes_and_words_in_four_languages(raw, code):
    assert parse_sex(raw) == code


@pytest.mark.parametrize("raw", ["H", "V", "3", "yes"])
def test_sex_that_is_not_understood_is_refused(raw):
    # "H" (hombre) is refused on purpose: sheets with H for men use M for mujer.
    with pytest.raises(ValidationError) as excinfo:
        parse_sex(raw)
    assert message(excinfo) == "Enter sex as F (female), M (male) or X (other), or leave it empty"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("pe", "PE"),
        ("PE", "PE"),
        (" bo ", "BO"),
        ("PER", "PE"),
        ("ita", "IT"),
        ("Peru", "PE"),
        ("Perú", "PE"),
        ("Perù", "PE"),
        ("Brazil", "BR"),
        ("Brasil", "BR"),
        ("Brasile", "BR"),
        ("Cile", "CL"),
        ("Colômbia", "CO"),
        ("Equador", "EC"),
        ("Paraguai", "PY"),
        ("uruguai", "UY"),
        ("Bolívia", "BO"),
        ("Estado Plurinacional de Bolivia", "BO"),
        ("Spain", "ES"),
        ("España", "ES"),
        ("espana", "ES"),
        ("Spagna", "ES"),
        ("Espanha", "ES"),
        ("Italy", "IT"),
        ("Itália", "IT"),
        ("Portogallo", "PT"),
        ("peruana", "PE"),
        ("boliviano", "BO"),
        ("brasileira", "BR"),
        # Any country, by code or by name in the four languages
        ("de", "DE"),
        ("Germany", "DE"),
        ("Alemania", "DE"),
        ("Germania", "DE"),
        ("Alemanha", "DE"),
        ("Reino Unido", "GB"),
        ("", ""),
    ],
)
def test_country_from_codes_and_names_in_four_languages(raw, code):
    assert parse_country(raw) == code


@pytest.mark.parametrize("raw", ["ZZ", "Atlantis", "P"])
def test_unknown_country_is_refused(raw):
    with pytest.raises(ValidationError) as excinfo:
        parse_country(raw)
    assert message(excinfo) == (
        "Enter a country as its two-letter code or its name, for example PE or Peru"
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("passport", "passport"),
        ("National_ID", "national_id"),
        ("national id", "national_id"),
        ("tax-id", "tax_id"),
        ("residence_permit", "residence_permit"),
        ("Pasaporte", "passport"),
        ("passaporto", "passport"),
        ("DNI", "national_id"),
        ("cédula", "national_id"),
        ("codice fiscale", "tax_id"),
        ("permesso di soggiorno", "residence_permit"),
        ("NIE", "residence_permit"),
        ("otro", "other"),
        ("", ""),
    ],
)
def test_document_type_from_codes_and_common_names(raw, code):
    assert parse_document_type(raw) == code


def test_unknown_document_type_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        parse_document_type("driving licence")
    assert message(excinfo) == (
        "Enter a document type: passport, national_id, tax_id, residence_permit or other"
    )
