"""Money: amounts are `Decimal`s with their ISO 4217 currency, never floats.

The currencies are py-moneyed's (ISO 4217 codes and minor units: CLP and PYG have none, COP has
two); reading and writing amounts in the reader's language is Babel's (the CLDR's separators,
symbols and patterns). Nothing here is written by hand that those two libraries know.
"""

import copy
import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale
from babel.numbers import NumberFormatError, parse_decimal
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from moneyed import CurrencyDoesNotExist, get_currency

EUR = "EUR"

_LETTERS_THEN_DIGIT = re.compile(r"([A-Za-z]{2,}\$?)(-?\d)")
_DIGIT_THEN_LETTERS = re.compile(r"(\d)([A-Za-z]{2,})")

# The local currency of each return country: Ecuador uses the US dollar.
COUNTRY_CURRENCY = {
    "BO": "BOB",
    "BR": "BRL",
    "CL": "CLP",
    "CO": "COP",
    "EC": "USD",
    "PY": "PYG",
    "PE": "PEN",
    "UY": "UYU",
    "IT": EUR,
    "ES": EUR,
    "PT": EUR,
}

# The currencies the programme pays in.
CURRENCIES = (EUR, "BOB", "BRL", "CLP", "COP", "USD", "PYG", "PEN", "UYU")

# How many units of each currency a euro buys, roughly (reference figures of late 2026, for
# plausibility only: no amount is ever computed with them). A rate typed for a payment must lie
# within RATE_TOLERANCE times of its reference, either way: a rate of 1 for Chilean pesos, or one
# typed upside down (0.001), is refused; a devaluation of half is not.
REFERENCE_RATES = {
    EUR: Decimal("1"),
    "BOB": Decimal("7.9"),
    "BRL": Decimal("6.2"),
    "CLP": Decimal("1080"),
    "COP": Decimal("4700"),
    "USD": Decimal("1.15"),
    "PYG": Decimal("8600"),
    "PEN": Decimal("4.3"),
    "UYU": Decimal("46"),
}
RATE_TOLERANCE = Decimal("3")

# Amounts are stored with this many digits in all; the largest grant is far below.
MAX_DIGITS = 14
LARGEST = Decimal("1e11")


def minor_digits(currency: str) -> int:
    """How many decimals the currency has (ISO 4217): 2 for EUR and COP, 0 for CLP and PYG."""
    sub_unit = get_currency(currency).sub_unit
    return len(str(sub_unit)) - 1 if sub_unit > 1 else 0


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_digits(currency))


def units_problem(amount: Decimal, currency: str):
    """Why an amount has more decimals than its currency, as a sentence; None when it has not."""
    if amount == amount.quantize(quantum(currency), rounding=ROUND_HALF_UP):
        return None
    digits = minor_digits(currency)
    if digits == 0:
        return _("%(currency)s has no decimals: write a whole number.") % {"currency": currency}
    return _("%(currency)s has %(digits)s decimals at most.") % {
        "currency": currency,
        "digits": digits,
    }


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "en").replace("-", "_")


@functools.cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (ValueError, LookupError):
        return Locale.parse("en")


def babel_locale(language: str | None = None) -> Locale:
    return _locale(_language(language))


@functools.cache
def _currency_pattern(language: str, currency: str):
    """The reader's currency pattern with exactly the currency's minor units, made once per
    language and currency (a list of a hundred amounts formats them in a few milliseconds)."""
    pattern = copy.copy(_locale(language).currency_formats["standard"])
    digits = minor_digits(currency)
    pattern.frac_prec = (digits, digits)
    return pattern


def format_amount(amount, currency: str, *, language: str | None = None) -> str:
    """The amount as the reader writes it, with the currency's symbol and exactly its minor
    units: "1.500,50 COP" in Italian, "CLP 150.000" in Portuguese, "€12.50" in English."""
    if amount is None:
        return ""
    language = _language(language)
    pattern = _currency_pattern(language, currency)
    shown = pattern.apply(
        Decimal(amount), _locale(language), currency=currency, currency_digits=False
    )
    # The CLDR's currency spacing, which Babel does not apply: a no-break space between a symbol
    # made of letters and the number ("PEN 1,720.00", not "PEN1,720.00").
    return _LETTERS_THEN_DIGIT.sub("\\1\u00a0\\2", _DIGIT_THEN_LETTERS.sub("\\1\u00a0\\2", shown))


def format_number(amount, currency: str, *, language: str | None = None) -> str:
    """The amount without its currency, as a form field shows it back: "1.500,50"."""
    if amount is None:
        return ""
    locale = babel_locale(language)
    pattern = copy.copy(locale.decimal_formats[None])
    digits = minor_digits(currency)
    pattern.frac_prec = (digits, digits)
    return pattern.apply(Decimal(amount), locale)


def check_currency(currency: str) -> str:
    code = (currency or "").strip().upper()
    if code not in CURRENCIES:
        raise ValidationError(
            _("%(code)s is not a currency the programme pays in."),
            code="currency",
            params={"code": code or "—"},
        )
    try:
        get_currency(code)
    except CurrencyDoesNotExist:  # pragma: no cover - CURRENCIES are ISO codes
        raise ValidationError(_("Unknown currency."), code="currency") from None
    return code


def parse_amount(value, currency: str, *, language: str | None = None, positive=True) -> Decimal:
    """An amount typed by a person or sent by the API, as a Decimal in the currency's minor
    units. Accepts the reader's own separators ("1.500,50" in Spanish, "1,500.50" in English)
    and plain "1500.50". Refuses, with a translated reason: what is not a number, a negative or
    zero amount (when `positive`), more decimals than the currency has, and absurd sizes."""
    currency = check_currency(currency)
    if isinstance(value, float):
        # A float cannot say an amount exactly: the API takes amounts as strings.
        raise ValidationError(_("Write the amount as text, not as a number."), code="float")
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    else:
        text = str(value or "").strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            raise ValidationError(_("Enter an amount."), code="required")
        amount = _read_number(text, language)
    if not amount.is_finite():
        raise ValidationError(_("Enter an amount as a number, for example 1500."), code="number")
    if positive and amount <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="not_positive")
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    if abs(amount) >= LARGEST:
        raise ValidationError(_("This amount is too large."), code="too_large")
    problem = units_problem(amount, currency)
    if problem:
        raise ValidationError(problem, code="decimals")
    return amount.quantize(quantum(currency))


def _read_number(text: str, language: str | None) -> Decimal:
    """With a language (a form), the reader's own notation first ("1.500,50" in Spanish), then
    plain "1500.50", which phone keypads type; without one (the API), plain notation only."""
    if language:
        try:
            return parse_decimal(text, locale=babel_locale(language), strict=True)
        except NumberFormatError:
            pass
    try:
        if "," not in text and text.count(".") <= 1:
            return Decimal(text)
    except InvalidOperation:
        pass
    raise ValidationError(_("Enter an amount as a number, for example 1500."), code="number")


def parse_rate(value, currency: str, *, language: str | None = None) -> Decimal:
    """An exchange rate: how many units of `currency` one euro bought. Refuses what is not a
    positive number and what is implausible for the currency (REFERENCE_RATES)."""
    currency = check_currency(currency)
    if isinstance(value, float):
        raise ValidationError(_("Write the rate as text, not as a number."), code="float")
    text = str(value if value is not None else "").strip().replace("\u00a0", "")
    if not text:
        raise ValidationError(_("Enter the exchange rate."), code="required")
    rate = _read_number(text, language) if not isinstance(value, Decimal) else value
    if not rate.is_finite() or rate <= 0:
        raise ValidationError(_("The exchange rate must be more than zero."), code="not_positive")
    if currency == EUR:
        if rate != 1:
            raise ValidationError(_("A payment in euros has the rate 1."), code="rate")
        return Decimal(1)
    if rate != rate.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP):
        raise ValidationError(_("An exchange rate has 6 decimals at most."), code="decimals")
    reference = REFERENCE_RATES[currency]
    if not reference / RATE_TOLERANCE <= rate <= reference * RATE_TOLERANCE:
        raise ValidationError(
            _(
                "%(rate)s %(currency)s for one euro is not a plausible rate: it is usually "
                "about %(reference)s. Check that the rate is written as units of %(currency)s "
                "per euro."
            ),
            code="rate",
            params={"rate": rate, "currency": currency, "reference": reference},
        )
    return rate.quantize(Decimal("0.000001"))


def to_euros(amount: Decimal, currency: str, rate: Decimal | None) -> Decimal:
    """The euro value of an amount at a rate (units per euro), rounded half up to the cent."""
    if currency == EUR:
        return Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return (Decimal(amount) / Decimal(rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
