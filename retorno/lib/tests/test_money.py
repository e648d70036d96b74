"""Amounts as people type them and read them: the currency's minor units, the reader's
separators, and the refusals with their reasons."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from retorno.lib.money import (
    COUNTRY_CURRENCY,
    CURRENCIES,
    format_amount,
    minor_digits,
    parse_amount,
    parse_rate,
    to_euros,
)


@pytest.fixture(autouse=True)
def in_english():
    # Messages and amounts are checked in English unless a test says otherwise, whatever
    # language an earlier test left active.
    with translation.override("en"):
        yield


def test_minor_units_follow_iso_4217():
    assert {code: minor_digits(code) for code in CURRENCIES} == {
        "EUR": 2,
        "BOB": 2,
        "BRL": 2,
        "CLP": 0,
        "COP": 2,
        "USD": 2,
        "PYG": 0,
        "PEN": 2,
        "UYU": 2,
    }


def test_every_return_country_pays_in_its_currency():
    assert [COUNTRY_CURRENCY[c] for c in ("BO", "BR", "CL", "CO", "EC", "PY", "PE", "UY")] == [
        "BOB",
        "BRL",
        "CLP",
        "COP",
        "USD",
        "PYG",
        "PEN",
        "UYU",
    ]


@pytest.mark.parametrize(
    ("language", "amount", "currency", "shown"),
    [
        ("es", "1720", "PEN", "1.720,00\xa0PEN"),
        ("es", "150000", "CLP", "150.000\xa0CLP"),
        ("it", "1500.5", "COP", "1.500,50\xa0COP"),
        ("en", "1720", "PEN", "PEN\xa01,720.00"),
        ("pt", "2500000", "PYG", "PYG\xa02.500.000"),
        ("en", "12.5", "EUR", "€12.50"),
        ("en", "3", "USD", "$3.00"),
    ],
)
def test_amounts_read_as_the_reader_writes_them(language, amount, currency, shown):
    assert format_amount(Decimal(amount), currency, language=language) == shown


@pytest.mark.parametrize(
    ("typed", "currency", "language", "value"),
    [
        ("1.500,50", "COP", "es", Decimal("1500.50")),
        ("1500.50", "COP", "es", Decimal("1500.50")),  # a phone keypad's decimal point
        ("1,500", "CLP", "en", Decimal("1500")),
        ("150.000", "CLP", "es", Decimal("150000")),
        ("1 720,00", "PEN", "pt", Decimal("1720.00")),
        ("1720", "PEN", None, Decimal("1720.00")),
    ],
)
def test_amounts_typed_in_the_readers_notation(typed, currency, language, value):
    parsed = parse_amount(typed, currency, language=language)
    assert parsed == value
    assert parsed.as_tuple().exponent == -minor_digits(currency)


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        ("abc", "PEN", "Enter an amount as a number, for example 1500."),
        ("", "PEN", "Enter an amount."),
        ("-5", "PEN", "The amount must be more than zero."),
        ("0", "PEN", "The amount must be more than zero."),
        ("1.5", "CLP", "CLP has no decimals: write a whole number."),
        ("10.001", "PEN", "PEN has 2 decimals at most."),
        ("NaN", "PEN", "Enter an amount as a number, for example 1500."),
        ("Infinity", "EUR", "Enter an amount as a number, for example 1500."),
        ("1e12", "EUR", "This amount is too large."),
        ("1.500,5", "CLP", "Enter an amount as a number, for example 1500."),
    ],
)
def test_bad_amounts_are_refused_with_their_reason(typed, currency, message):
    with pytest.raises(ValidationError) as refused:
        parse_amount(typed, currency)
    assert refused.value.messages == [message]


def test_a_float_is_refused_and_an_unknown_currency_too():
    with pytest.raises(ValidationError) as refused:
        parse_amount(12.5, "EUR")
    assert refused.value.messages == ["Write the amount as text, not as a number."]
    with pytest.raises(ValidationError) as refused:
        parse_amount("12", "GBP")
    assert refused.value.messages == ["GBP is not a currency the programme pays in."]


def test_refusals_are_translated():
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        parse_amount("1.5", "CLP", language="es")
    assert refused.value.messages == ["CLP no tiene decimales: escriba un número entero."]


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        ("1", "CLP", "1 CLP for one euro is not a plausible rate"),
        ("0.001", "CLP", "0.001 CLP for one euro is not a plausible rate"),
        ("-4", "PEN", "The exchange rate must be more than zero."),
        ("0", "PEN", "The exchange rate must be more than zero."),
        ("abc", "PEN", "Enter an amount as a number"),
        ("4.1234567", "PEN", "An exchange rate has 6 decimals at most."),
        ("1.2", "EUR", "A payment in euros has the rate 1."),
    ],
)
def test_absurd_rates_are_refused(typed, currency, message):
    with pytest.raises(ValidationError) as refused:
        parse_rate(typed, currency)
    assert refused.value.messages[0].startswith(message)


def test_plausible_rates_pass():
    assert parse_rate("4.3", "PEN") == Decimal("4.300000")
    assert parse_rate("1080", "CLP") == Decimal("1080")
    assert parse_rate("1", "EUR") == Decimal("1")


@pytest.mark.parametrize(
    ("amount", "currency", "rate", "euros"),
    [
        (Decimal("1720.00"), "PEN", Decimal("4.3"), Decimal("400.00")),
        (Decimal("100000"), "CLP", Decimal("1080"), Decimal("92.59")),  # 92.592… down
        (Decimal("1"), "BRL", Decimal("6.4"), Decimal("0.16")),  # 0.15625 rounds half up
        (Decimal("2500000"), "PYG", Decimal("8600"), Decimal("290.70")),
        (Decimal("12.345"), "EUR", None, Decimal("12.35")),
    ],
)
def test_euro_values_are_rounded_half_up_to_the_cent(amount, currency, rate, euros):
    assert to_euros(amount, currency, rate) == euros
