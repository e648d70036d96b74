"""Reading and validating a spreadsheet of persons for import.

Two steps, neither of which touches the database:

1. ``read_rows(name, content)`` reads a CSV or XLSX file (recognised by its bytes, not its
   name), checks the header, and returns the non-empty rows with the line number a person sees
   in their spreadsheet program. Problems with the file as a whole raise ``ImportFileError``.
2. ``validate_rows(rows, default_phone_region=...)`` checks every value of every row and
   returns the normalised persons, every error, and the warnings.

The caller imports nothing while ``result.errors`` is not empty: the desk fixes the listed lines
and uploads the file again. Warnings do not block an import; they are shown so the desk can
check the values:

- a document number that fails its country's format or check digit is kept, marked as
  unverified, because one mistyped digit should not block a whole desk's import (characters
  no document number has, or more than 30 of them, are still errors);
- a phone number with its own country code, of the right length but in a range the phone
  metadata does not know, is kept (a number without a country code must be valid in the
  desk's country or the return country, or it is an error: guessing would store wrong numbers);
- a document type or country without a document number is dropped.

A national_id without a document_country is checked against the nationality.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from retorno.lib.validation import (
    DocumentCheck,
    PartialDate,
    country_name,
    format_phone,
    parse_country,
    parse_document_type,
    parse_partial_date,
    parse_phone,
    parse_sex,
    validate_document,
)

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "ImportFileError",
    "ImportResult",
    "PersonRow",
    "RawRow",
    "RowError",
    "dump_result",
    "load_result",
    "parse_import",
    "read_rows",
    "validate_rows",
]

COLUMNS = (
    "reference",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "date_of_birth",
    "nationality",
    "document_type",
    "document_number",
    "document_country",
    "phone",
    "email",
    "return_country",
    "return_city",
    "address",
)
NAME_COLUMNS = ("given_names", "first_surname", "second_surname")
MAX_ROWS = 20_000
# Every row counts against this, empty ones included, so that a file of millions of empty rows
# (a few kilobytes zipped) is refused after reading this many: the header, MAX_ROWS persons and
# some empty rows among them.
MAX_LINES = 21_000
# An XLSX workbook is a ZIP archive: its parts may together unpack to at most this. Reading stops
# at the size each part declares, so a part cannot unpack to more than it says.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# Columns of an XLSX row read; the file has 15, and anything far to their right is not data.
MAX_COLUMNS = 64
MAX_LENGTHS = {
    "reference": 64,
    "given_names": 100,
    "first_surname": 100,
    "second_surname": 100,
    "email": 254,
    "return_city": 100,
    "address": 500,
}

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (OLE2) workbooks
_DELIMITERS = (",", ";", "\t")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; ``message`` says why and how to fix it."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class RawRow:
    """One non-empty row of the file: its line as the spreadsheet program numbers it (the
    header is line 1) and its values by column name, stripped. ``extra`` names the spreadsheet
    columns (A, B, ... AA) that hold values but have no name in the header."""

    line: int
    values: dict[str, str]
    extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowError:
    """A problem with one value of one row. ``column`` is the header name; ``value`` what the
    cell held, when there is one to show."""

    line: int
    column: str
    message: str
    value: str = ""

    def __str__(self):
        if not self.column:
            return gettext("Line %(line)s: %(message)s") % {
                "line": self.line,
                "message": self.message,
            }
        if self.value:
            return gettext("Line %(line)s, %(column)s “%(value)s”: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "value": self.value,
                "message": self.message,
            }
        return gettext("Line %(line)s, %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class PersonRow:
    """A valid row, normalised: codes for sex, countries and document type, E.164 phone."""

    line: int
    reference: str
    given_names: str
    first_surname: str
    second_surname: str
    sex: str
    birth: PartialDate | None
    nationality: str
    document_type: str
    document: DocumentCheck | None
    document_country: str
    phone_e164: str
    email: str
    return_country: str
    return_city: str
    address: str


@dataclass
class ImportResult:
    """``rows`` holds the valid rows; import them only when ``errors`` is empty (``ok``)."""

    rows: list[PersonRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_lines(self) -> list[int]:
        return sorted({error.line for error in self.errors})


# --------------------------------------------------------------------------------------------
# Reading the file
# --------------------------------------------------------------------------------------------


def read_rows(uploaded_name: str, content: bytes) -> list[RawRow]:
    """The non-empty rows of a CSV or XLSX file of persons, with their line numbers.

    The format is recognised from the bytes (an XLSX workbook is a ZIP archive), so a file
    with the wrong extension still reads. CSV may be UTF-8 (with or without BOM), UTF-16 with
    BOM, or Windows-1252 (see _decode), separated by commas, semicolons or tabs.
    Raises ImportFileError when the file is empty, unreadable, has a wrong header, no rows,
    or more than MAX_ROWS rows.
    """
    if not content or not content.strip():
        raise ImportFileError(_("The file is empty; choose the file that holds the persons"))
    if content.startswith(_XLSX_MAGIC):
        table = _xlsx_rows(content)
    elif content.startswith(_XLS_MAGIC):
        raise ImportFileError(
            _(
                "%(name)s is an Excel 97-2003 workbook (.xls), which cannot be read; "
                "save it as an Excel workbook (.xlsx) or as CSV and upload it again"
            )
            % {"name": uploaded_name or gettext("The file")}
        )
    else:
        table = _csv_rows(content)
    try:
        return _rows_under_header(table)
    finally:
        table.close()  # an XLSX workbook's file is closed even when reading stops early


def _not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        _(
            "The file is not a spreadsheet Retorno can read; save it as an Excel workbook "
            "(.xlsx) or as CSV and upload it again"
        )
    )


# A character of two to four bytes as UTF-8 writes it. A Windows-1252 file (what spreadsheet
# programs on Windows save as "CSV") practically never holds one: its accented letters are
# single bytes followed by plain letters.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _decode(content: bytes) -> str:
    """The file's text. UTF-8 (with or without BOM) and UTF-16 with BOM are read as such. A file
    that is not UTF-8 anywhere is a Windows-1252 file, and is read as one. A file that is UTF-8
    but for some bytes is refused, naming the lines: read as Windows-1252 it would turn every
    accented letter into two wrong ones (José into JosÃ©), and guessing any other way would
    change names without a word."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise _not_a_spreadsheet() from None
    if b"\x00" in content[:8192]:
        raise _not_a_spreadsheet()  # binary: a PDF, an image, a Word file
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if not _UTF8_SEQUENCE.search(content):
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            pass  # bytes Windows-1252 does not define: not a text file we can read
    bad = [
        number
        for number, text_line in enumerate(content.split(b"\n"), start=1)
        if not _is_utf8(text_line.removeprefix(b"\xef\xbb\xbf") if number == 1 else text_line)
    ]
    shown = ", ".join(str(n) for n in bad[:10]) + (" …" if len(bad) > 10 else "")
    raise ImportFileError(
        ngettext(
            "Line %(lines)s of the file has characters that are not valid UTF-8 text (a "
            "character was damaged or saved in another encoding), so its names could be read "
            "wrong; correct that line, save the file as CSV UTF-8 and upload it again",
            "Lines %(lines)s of the file have characters that are not valid UTF-8 text (a "
            "character was damaged or saved in another encoding), so their names could be read "
            "wrong; correct those lines, save the file as CSV UTF-8 and upload it again",
            len(bad),
        )
        % {"lines": shown}
    )


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses most (the header has 14 of them)."""
    for line in text.splitlines():
        if line.strip():
            counts = {d: line.count(d) for d in _DELIMITERS}
            best = max(_DELIMITERS, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","


def _csv_rows(content: bytes):
    """(line, cells) for each record; a record's line is its row in a spreadsheet program,
    which shows a quoted value spanning several text lines as one row."""
    text = _decode(content)
    # strict: an unclosed quote is an error on its row, rather than swallowing the rows under it
    # into one value.
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text), strict=True
    )
    line = 0
    try:
        for cells in reader:
            line += 1
            yield line, [cell.strip() for cell in cells]
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            message = _(
                "Row %(line)s of the file cannot be read as CSV; check its quotes, or save "
                "the file again from the spreadsheet program as CSV or .xlsx"
            )
        else:
            message = _(
                'Row %(line)s of the file has a quotation mark (") that is not closed or is out '
                "of place, so the rows under it cannot be read; correct the quotes on that row, "
                "or save the file again from the spreadsheet program as CSV or .xlsx"
            )
        raise ImportFileError(message % {"line": line + 1}) from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Document numbers and phones typed as numbers: 12345678.0 -> "12345678".
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value).strip()


def _too_big_workbook() -> ImportFileError:
    return ImportFileError(
        _(
            "The workbook unpacks to more than %(max)s MB, far more than %(rows)s rows of "
            "persons need; delete the empty rows and columns, or save it as CSV, and upload it "
            "again"
        )
        % {
            "max": MAX_UNPACKED_BYTES // (1024 * 1024),
            "rows": number_format(MAX_ROWS, force_grouping=True),
        }
    )


def _check_archive(content: bytes) -> None:
    """Refuse, before parsing, a workbook whose parts declare an absurd unpacked size."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_a_spreadsheet() from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _too_big_workbook()


def _xlsx_rows(content: bytes):
    # Import here: start-up (openpyxl is slow to import and only an XLSX upload needs it).
    import openpyxl

    _check_archive(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # a ZIP that is not a workbook: .docx, .ods, a damaged file
        raise _not_a_spreadsheet() from None
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        if not sheets:
            raise ImportFileError(
                _("The workbook has no worksheet; put the persons on the first worksheet")
            )
        sheet = sheets[0]
        declared = sheet.max_row if sheet.max_row and sheet.max_row > 1 else 0
        if declared > MAX_LINES:
            raise ImportFileError(
                _(
                    "The worksheet says it has %(rows)s rows, more than the %(max)s Retorno "
                    "reads; delete the empty rows under the persons, and split the file into "
                    "files of %(persons)s persons or fewer"
                )
                % {
                    "rows": number_format(declared, force_grouping=True),
                    "max": number_format(MAX_LINES, force_grouping=True),
                    "persons": number_format(MAX_ROWS, force_grouping=True),
                }
            )
        sheet.reset_dimensions()  # some programs write too small a size; read every row
        try:
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            for line, cells in enumerate(rows, start=1):
                yield line, [_cell_text(v) for v in cells]
        except ImportFileError:
            raise
        except Exception:
            raise _not_a_spreadsheet() from None
    finally:
        workbook.close()


def _normalise_header(name: str) -> str:
    name = name.replace("\ufeff", "").removeprefix("ï»¿").strip().lower()
    return re.sub(r"[\s-]+", "_", name)


def _column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet program names the column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _expected_columns() -> str:
    return ", ".join(COLUMNS)


def _check_header(cells: list[str]) -> list[str]:
    names = [_normalise_header(c) for c in cells]
    named = [n for n in names if n]
    problems = []
    missing = [c for c in COLUMNS if c not in named]
    unknown = [n for n in dict.fromkeys(named) if n not in COLUMNS]
    repeated = [n for n in dict.fromkeys(named) if named.count(n) > 1]
    if missing:
        problems.append(
            gettext("The header is missing the columns: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    if unknown:
        problems.append(
            gettext("The header has columns Retorno does not know: %(columns)s.")
            % {"columns": ", ".join(unknown)}
        )
    if repeated:
        problems.append(
            gettext("The header names these columns more than once: %(columns)s.")
            % {"columns": ", ".join(repeated)}
        )
    if problems:
        problems.append(
            gettext(
                "The first row must name these columns, in any order (a column may be "
                "empty): %(columns)s"
            )
            % {"columns": _expected_columns()}
        )
        raise ImportFileError(" ".join(problems))
    return names


def _too_many_lines(line: int) -> ImportFileError:
    return ImportFileError(
        _(
            "The file has more than %(max)s rows, counting empty ones (Retorno stopped reading "
            "at row %(line)s); delete the empty rows, and split the file into files of "
            "%(persons)s persons or fewer"
        )
        % {
            "max": number_format(MAX_LINES, force_grouping=True),
            "line": number_format(line, force_grouping=True),
            "persons": number_format(MAX_ROWS, force_grouping=True),
        }
    )


def _rows_under_header(table) -> list[RawRow]:
    header = None
    rows: list[RawRow] = []
    for line, cells in table:
        if line > MAX_LINES:
            raise _too_many_lines(line)
        if not any(cells):
            continue  # an empty row, before or among the persons
        if header is None:
            header = _check_header(cells)
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _(
                    "The file has more than %(max)s rows of persons; split it into files of "
                    "%(max)s rows or fewer"
                )
                % {"max": number_format(MAX_ROWS, force_grouping=True)}
            )
        values = dict.fromkeys(COLUMNS, "")
        extra = []
        for index, cell in enumerate(cells):
            name = header[index] if index < len(header) else ""
            if name:
                values[name] = cell
            elif cell:
                extra.append(_column_letter(index))
        rows.append(RawRow(line, values, tuple(extra)))
    if header is None:
        raise ImportFileError(_("The file is empty; choose the file that holds the persons"))
    if not rows:
        raise ImportFileError(
            _("The file has a header but no persons; add one person on each row under it")
        )
    return rows


# --------------------------------------------------------------------------------------------
# Validating the rows
# --------------------------------------------------------------------------------------------

_email_validator = EmailValidator()


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _lines(value: str) -> str:
    return "\n".join(_one_line(part) for part in value.splitlines() if part.strip())


def _message(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def validate_rows(rows: list[RawRow], *, default_phone_region: str | None) -> ImportResult:
    """Check and normalise every row; collect every problem of every row.

    ``default_phone_region`` is ``cases.rules.phone_country`` of the phone the desk imports
    (the desk's country): phone numbers without + or 00 are read as numbers of that country
    first, then, if they are not valid there, as numbers of the row's return country.
    """
    result = ImportResult()
    references: dict[str, int] = {}
    for row in rows:
        person, errors, warnings = _validate_row(row, default_phone_region, references)
        result.errors.extend(errors)
        result.warnings.extend(warnings)
        if person is not None:
            result.rows.append(person)
    return result


def parse_import(
    uploaded_name: str, content: bytes, *, default_phone_region: str | None
) -> ImportResult:
    """read_rows() then validate_rows(): raises ImportFileError, returns an ImportResult."""
    return validate_rows(
        read_rows(uploaded_name, content), default_phone_region=default_phone_region
    )


def dump_result(result: ImportResult) -> bytes:
    """A valid result as JSON, kept between the check and the run so the file is read once."""
    return json.dumps(
        {
            "rows": [dataclasses.asdict(row) for row in result.rows],
            "warnings": [dataclasses.asdict(warning) for warning in result.warnings],
        },
        ensure_ascii=False,
    ).encode()


def load_result(data: bytes) -> ImportResult:
    stored = json.loads(data)
    rows = []
    for values in stored["rows"]:
        birth, document = values.pop("birth"), values.pop("document")
        rows.append(
            PersonRow(
                **values,
                birth=PartialDate(**birth) if birth else None,
                document=DocumentCheck(**document) if document else None,
            )
        )
    warnings = [RowError(**values) for values in stored["warnings"]]
    return ImportResult(rows=rows, warnings=warnings)


def _validate_row(row: RawRow, default_phone_region, references):
    line = row.line
    values = {column: row.values.get(column, "") or "" for column in COLUMNS}
    errors: list[RowError] = []
    warnings: list[RowError] = []

    def error(column, message, value=""):
        errors.append(RowError(line, column, str(message), value))

    def warning(column, message, value=""):
        warnings.append(RowError(line, column, str(message), value))

    def parsed(column, parse, *args):
        raw = values[column]
        if not raw:
            return ""
        try:
            return parse(raw, *args)
        except ValidationError as exc:
            error(column, _message(exc), raw)
            return ""

    if row.extra:
        error(
            "",
            _(
                "Column %(columns)s has values but no name in the header; remove the values "
                "or name the column"
            )
            % {"columns": ", ".join(row.extra)},
        )

    text = {}
    for column in ("reference", *NAME_COLUMNS, "return_city"):
        text[column] = _one_line(values[column])
    text["address"] = _lines(values["address"])
    for column, limit in MAX_LENGTHS.items():
        value = text.get(column, values[column])
        if len(value) > limit:
            error(
                column,
                _("Enter %(max)s characters or fewer; this has %(length)s")
                % {"max": limit, "length": len(value)},
            )

    if not any(text[column] for column in NAME_COLUMNS):
        error(
            "given_names",
            _(
                "Enter at least one name in given_names, first_surname or second_surname; "
                "a person without a name cannot be imported"
            ),
        )

    reference = text["reference"]
    if reference:
        key = reference.casefold()
        if key in references:
            error(
                "reference",
                _(
                    "Reference %(reference)s is already used on line %(line)s; give each "
                    "person their own reference"
                )
                % {"reference": reference, "line": references[key]},
                reference,
            )
        else:
            references[key] = line

    sex = parsed("sex", parse_sex)
    birth = parsed("date_of_birth", parse_partial_date) or None
    nationality = parsed("nationality", parse_country)
    document_country = parsed("document_country", parse_country)
    return_country = parsed("return_country", parse_country)
    document_type = parsed("document_type", parse_document_type)
    type_is_valid = not values["document_type"] or bool(document_type)

    document = None
    number = values["document_number"]
    if number:
        document_type = document_type or ("other" if type_is_valid else "")
        if (
            document_type == "national_id"
            and not document_country
            and not values["document_country"]
        ):
            # A national identity document is issued by the country of nationality.
            document_country = nationality
        if type_is_valid:
            try:
                document = validate_document(
                    document_type, number, document_country or None, strict=False
                )
            except ValidationError as exc:
                error("document_number", _message(exc), number)
            else:
                if document.message:
                    warning(
                        "document_number",
                        gettext("%(problem)s. The document is imported marked as unverified.")
                        % {"problem": document.message},
                        number,
                    )
    elif values["document_type"] or values["document_country"]:
        warning(
            "document_number",
            gettext(
                "There is no document number, so the document type and country on this row "
                "are not imported"
            ),
        )
        document_type = document_country = ""

    phone = ""
    if values["phone"]:
        phone = _phone(values["phone"], default_phone_region, return_country, error, warning)

    email = values["email"]
    if email:
        try:
            _email_validator(email)
        except ValidationError:
            error(
                "email",
                _("Enter an email address in the correct format, like name@example.com"),
                email,
            )

    if errors:
        return None, errors, warnings
    person = PersonRow(
        line=line,
        reference=reference,
        given_names=text["given_names"],
        first_surname=text["first_surname"],
        second_surname=text["second_surname"],
        sex=sex,
        birth=birth,
        nationality=nationality,
        document_type=document_type if document else "",
        document=document,
        document_country=document_country if document else "",
        phone_e164=phone,
        email=email,
        return_country=return_country,
        return_city=text["return_city"],
        address=text["address"],
    )
    return person, errors, warnings


def _phone(raw, default_phone_region, return_country, error, warn) -> str:
    """Read as a number of the desk's country first, then of the row's return country.

    A number that carries its own country code (+ or 00) and has the length of that country's
    numbers, but is in a range the phone metadata does not know, is kept with a warning:
    numbering plans open new ranges before the metadata knows them, and the country is not in
    doubt. A number without a country code must be valid in one of the two countries: guessing
    would turn an Italian mobile typed without +39 into a wrong Brazilian number, so such a
    number is kept as typed, with a warning.
    """
    regions = list(dict.fromkeys(r for r in (default_phone_region, return_country) if r))
    problem = None
    for region in regions or [None]:
        try:
            return parse_phone(raw, region)
        except ValidationError as exc:
            if exc.code in ("invalid_characters", "invalid_country_code"):
                error("phone", _message(exc), raw)
                return ""
            problem = problem or exc
    if raw.lstrip().startswith(("+", "00")):
        try:
            e164 = parse_phone(raw, None, strict=False)
        except ValidationError:
            pass
        else:
            warn(
                "phone",
                gettext(
                    "This phone number has the right number of digits but is not in a range "
                    "known to be in use; check it. It is imported as %(phone)s."
                )
                % {"phone": format_phone(e164)},
                raw,
            )
            return e164
    elif len(regions) == 2:
        problem = ValidationError(
            gettext(
                "This is not a phone number of %(desk)s or of %(return)s; if it is from "
                "another country, start it with + and the country code, for example "
                "+39 333 123 4567"
            )
            % {"desk": country_name(regions[0]), "return": country_name(regions[1])}
        )
    # Not refused: one unreadable phone must not block a desk's whole list, and dropping it
    # would lose it. It is kept as typed, with a warning, and the person's page asks for a
    # valid number the next time the details are saved.
    warn(
        "phone",
        gettext("%(problem)s It is imported as typed; correct it on the person's page.")
        % {"problem": _message(problem).rstrip(".") + "."},
        raw,
    )
    return " ".join(raw.split())[:30]
