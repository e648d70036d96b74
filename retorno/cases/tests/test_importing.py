"""Importing a spreadsheet of persons: what the desk sees for each line of its file."""

import csv
import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from stdnum.br import cpf
from stdnum.cl import rut
from stdnum.ec import ci

from retorno.cases.importing import (
    COLUMNS,
    ImportFileError,
    RawRow,
    RowError,
    parse_import,
    read_rows,
    validate_rows,
)
from retorno.lib.validation import DocumentCheck, PartialDate

DATA = Path(__file__).resolve().parents[2] / "testing" / "data" / "dedup"
HEADER = ",".join(COLUMNS)
NAMELESS = (
    "Enter at least one name in given_names, first_surname or second_surname; a person "
    "without a name cannot be imported"
)


def csv_bytes(*rows, header=HEADER, delimiter=",", encoding="utf-8"):
    lines = [header.replace(",", delimiter)] + [r.replace(",", delimiter) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def row(**values):
    """One CSV line with the given columns filled in."""
    return ",".join(values.get(column, "") for column in COLUMNS)


def import_csv(*rows, region="ES", **kwargs):
    return parse_import("persons.csv", csv_bytes(*rows, **kwargs), default_phone_region=region)


def file_error(content, name="persons.csv") -> str:
    with pytest.raises(ImportFileError) as excinfo:
        read_rows(name, content)
    return excinfo.value.message


# --- The shared test files --------------------------------------------------------------------


def _uy_ci_ok(number):
    digits = re.sub(r"\D", "", number)
    body = digits[:-1].zfill(7)
    total = sum(int(d) * w for d, w in zip(body, (2, 9, 8, 7, 6, 3, 4), strict=True))
    return (10 - total % 10) % 10 == int(digits[-1])


def _failing_identity_numbers(path):
    """Lines of national identity numbers whose check digit fails, found without Retorno."""
    checks = {"BR": cpf.is_valid, "CL": rut.is_valid, "EC": ci.is_valid, "UY": _uy_ci_ok}
    with path.open(encoding="utf-8", newline="") as f:
        return {
            line: record["document_number"]
            for line, record in enumerate(csv.DictReader(f), start=2)
            if record["document_type"] == "national_id"
            and record["document_country"] in checks
            and not checks[record["document_country"]](record["document_number"])
        }


def test_latam0_validates_fully_with_check_digit_failures_as_warnings():
    path = DATA / "latam0_persons.csv"
    expected_failures = _failing_identity_numbers(path)
    assert len(expected_failures) == 54  # "a few" fail their check digit after a typo

    result = parse_import(path.name, path.read_bytes(), default_phone_region="IT")

    with path.open(encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    nameless = {
        line
        for line, r in enumerate(records, start=2)
        if not (r["given_names"] or r["first_surname"] or r["second_surname"]).strip()
    }
    name_errors = {e.line for e in result.errors if e.message == NAMELESS}
    assert name_errors == nameless

    # Every failing check digit is a warning on its line, and the person is still imported
    # with the document marked as unverified.
    document_warnings = {e.line: e for e in result.warnings if e.column == "document_number"}
    assert set(document_warnings) == set(expected_failures)
    warning = document_warnings[46]
    assert warning.value == "1529864803"
    assert warning.message == (
        "The check digit of Ecuadorian cédula 1529864803 does not match; check the number. "
        "The document is imported marked as unverified."
    )
    person = next(p for p in result.rows if p.line == 46)
    assert person.document == DocumentCheck(
        "1529864803",
        "1529864803",
        verified=False,
        message="The check digit of Ecuadorian cédula 1529864803 does not match; check the number",
    )
    assert all(
        p.document.verified
        for p in result.rows
        if p.document_type == "national_id" and p.line not in expected_failures
    )

    # Phones typed without a country code that are numbers of neither Italy (the desk) nor
    # the return country are kept as typed, with a warning: the file imports.
    assert result.ok
    phone_warnings = [w for w in result.warnings if w.column == "phone"]
    assert len(phone_warnings) > 100
    assert all(
        w.message.endswith("It is imported as typed; correct it on the person's page.")
        for w in phone_warnings
        if w.message.startswith("This is not a phone number of")
    )


def test_latam0_with_nameless_rows_refuses_them_with_their_lines():
    text = (DATA / "latam0_persons.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    for line in (3, 1000, 6151):  # blank the three name columns
        cells = next(csv.reader([lines[line - 1]]))
        cells[1:4] = ["", " ", ""]
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        lines[line - 1] = out.getvalue()
    content = "\n".join(lines).encode("utf-8")

    result = parse_import("latam0.csv", content, default_phone_region="IT")

    nameless = [e for e in result.errors if e.message == NAMELESS]
    assert [(e.line, e.column) for e in nameless] == [
        (3, "given_names"),
        (1000, "given_names"),
        (6151, "given_names"),
    ]
    assert str(nameless[0]) == f"Line 3, given_names: {NAMELESS}"
    assert {3, 1000, 6151}.isdisjoint(p.line for p in result.rows)
    assert not result.ok


def test_febrl2_nameless_row_is_refused_on_line_2155():
    path = DATA / "febrl2_persons.csv"
    result = parse_import(path.name, path.read_bytes(), default_phone_region="IT")
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (2155, "given_names", NAMELESS)
    ]
    assert len(result.rows) == 4999
    assert result.error_lines == [2155]


def test_febrl1_imports_with_documents_of_type_other_unverified():
    path = DATA / "febrl1_persons.csv"
    result = parse_import(path.name, path.read_bytes(), default_phone_region=None)
    assert result.ok and result.warnings == []
    assert len(result.rows) == 1000
    assert {p.document_type for p in result.rows} == {"other"}
    assert not any(p.document.verified for p in result.rows)
    assert {p.sex for p in result.rows} == {""}


# --- Reading CSV ------------------------------------------------------------------------------


def test_csv_with_semicolons_in_windows_1252_is_read():
    content = csv_bytes(
        row(reference="A-1", given_names="José María", first_surname="Peña", sex="M"),
        row(
            reference="A-2", given_names="Inês", first_surname="Conceição", second_surname="Müller"
        ),
        delimiter=";",
        encoding="cp1252",
    )
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # really not UTF-8

    rows = read_rows("export.csv", content)

    assert [(r.line, r.values["given_names"], r.values["first_surname"]) for r in rows] == [
        (2, "José María", "Peña"),
        (3, "Inês", "Conceição"),
    ]
    assert rows[1].values["second_surname"] == "Müller"


def test_csv_with_utf8_bom_tabs_and_a_loose_header_is_read():
    header = "\ufeff" + "\t".join(f" {c.upper()} " for c in COLUMNS)
    content = (header + "\n" + "\t".join(["R1", "Ana", "Quispe"] + [""] * 12) + "\n").encode()
    rows = read_rows("persons.txt", content)
    assert rows == [RawRow(2, {**dict.fromkeys(COLUMNS, ""), **{
        "reference": "R1", "given_names": "Ana", "first_surname": "Quispe"}})]  # fmt: skip


def test_csv_in_utf16_as_excel_saves_unicode_text_is_read():
    content = csv_bytes(row(given_names="Ñusta", first_surname="Huamán"), delimiter="\t")
    rows = read_rows("unicode.txt", content.decode().encode("utf-16"))
    assert rows[0].values["given_names"] == "Ñusta"


def test_lines_are_spreadsheet_rows_empty_rows_skipped_and_multiline_cells_one_row():
    content = csv_bytes(
        row(given_names="Ana"),
        ",,,,",
        "",
        row(given_names="Luz", address='"Calle 1\nPiso 2"'),
        row(given_names="Rosa"),
    )
    result = parse_import("x.csv", content, default_phone_region=None)
    assert [(p.line, p.given_names) for p in result.rows] == [(2, "Ana"), (5, "Luz"), (6, "Rosa")]
    assert result.rows[1].address == "Calle 1\nPiso 2"


def test_a_file_named_csv_holding_a_workbook_is_read_as_a_workbook():
    workbook = openpyxl.Workbook()
    workbook.active.append(list(COLUMNS))
    workbook.active.append(["R1", "Ana"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_rows("persons.csv", buffer.getvalue())
    assert rows[0].values["given_names"] == "Ana"


# --- Reading XLSX -----------------------------------------------------------------------------


def test_xlsx_round_trip_with_dates_and_numbers_as_numbers():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([c.replace("_", " ").title() for c in COLUMNS])  # "Given Names" is fine
    sheet.append(
        [
            "MIL-1",
            "Rosa Elvira",
            "Quispe",
            "Mamani",
            "F",
            datetime.datetime(1986, 3, 27),
            "Perú",
            "national_id",
            10117410,  # a DNI typed as a number
            "PE",
            51987654321.0,  # a phone that became a number, country code and all
            "rosa@example.org",
            "PE",
            "Cusco",
            "Via Padova 12, Milano",
        ]
    )
    sheet.append([None] * len(COLUMNS))  # an empty row, skipped
    sheet.append(
        [
            "MIL-2",
            "Juan",
            "Pérez",
            None,
            "hombre",
            datetime.date(1970, 1, 2),
            "BO",
            "passport",
            "c 0425955",
            "BO",
            "+591 71234567",
            None,
            "BO",
            "La Paz",
            None,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    rows = read_rows("persons.xlsx", buffer.getvalue())
    assert [r.line for r in rows] == [2, 4]
    assert rows[0].values["date_of_birth"] == "1986-03-27"
    assert rows[0].values["document_number"] == "10117410"
    assert rows[0].values["phone"] == "51987654321"

    # The number cell lost its "+": not Spanish, but a Peruvian number with its country code.
    result = validate_rows(rows, default_phone_region="ES")
    assert result.errors == [] and result.warnings == []
    rosa, juan = result.rows
    assert (rosa.birth, rosa.nationality, rosa.sex, rosa.phone_e164) == (
        PartialDate(1986, 3, 27),
        "PE",
        "female",
        "+51987654321",
    )
    assert rosa.document == DocumentCheck("10117410", "10117410", True, "")
    assert (juan.line, juan.sex, juan.birth, juan.document.number) == (
        4,
        "male",
        PartialDate(1970, 1, 2),
        "C 0425955",
    )
    assert juan.phone_e164 == "+59171234567"


def test_xlsx_values_in_a_column_without_header_name_are_an_error():
    workbook = openpyxl.Workbook()
    workbook.active.append([*COLUMNS, None])
    workbook.active.append(["R1", "Ana", *[None] * 13, "stray"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_import("p.xlsx", buffer.getvalue(), default_phone_region=None)
    assert [str(e) for e in result.errors] == [
        "Line 2: Column P has values but no name in the header; remove the values or name "
        "the column"
    ]


# --- File-level problems ----------------------------------------------------------------------


def test_header_with_missing_and_unknown_columns_names_them():
    header = HEADER.replace("second_surname,", "").replace("address", "direccion,notes")
    message = file_error(csv_bytes(row(given_names="Ana"), header=header))
    assert message.startswith(
        "The header is missing the columns: second_surname, address. "
        "The header has columns Retorno does not know: direccion, notes. "
        "The first row must name these columns, in any order (a column may be empty): "
        "reference, given_names, first_surname,"
    )


def test_header_with_a_repeated_column_is_refused():
    message = file_error(csv_bytes(header=HEADER + ",Email"))
    assert "The header names these columns more than once: email." in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "The file is empty; choose the file that holds the persons"),
        (b" \r\n \r\n", "The file is empty; choose the file that holds the persons"),
        (
            (HEADER + "\n,,,\n").encode(),
            "The file has a header but no persons; add one person on each row under it",
        ),
        (
            b"%PDF-1.7\x00\x01\x02",
            "The file is not a spreadsheet Retorno can read; save it as an Excel workbook "
            "(.xlsx) or as CSV and upload it again",
        ),
        (
            b"PK\x03\x04 not really a workbook",
            "The file is not a spreadsheet Retorno can read; save it as an Excel workbook "
            "(.xlsx) or as CSV and upload it again",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "persons.csv is an Excel 97-2003 workbook (.xls), which cannot be read; save it as "
            "an Excel workbook (.xlsx) or as CSV and upload it again",
        ),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(content, expected):
    assert file_error(content) == expected


def test_csv_that_cannot_be_parsed_names_the_row():
    content = (HEADER + "\nR1,Ana\n" + 'R2,"' + "x" * 200_000 + '"\n').encode()
    assert file_error(content) == (
        "Row 3 of the file cannot be read as CSV; check its quotes, or save the file again "
        "from the spreadsheet program as CSV or .xlsx"
    )


def test_more_than_20000_rows_is_refused():
    content = (HEADER + "\n" + "R,Ana\n" * 20_001).encode()
    assert file_error(content) == (
        "The file has more than 20,000 rows of persons; split it into files of 20,000 rows or fewer"
    )
    assert len(read_rows("ok.csv", (HEADER + "\n" + "R,Ana\n" * 20_000).encode())) == 20_000


# --- Row validation ---------------------------------------------------------------------------


def test_every_problem_of_every_row_is_reported():
    result = import_csv(
        row(given_names="Ana", sex="H", date_of_birth="31/02/1990", nationality="Narnia"),
        row(given_names="Luz", email="luz@", document_type="licence", document_number="1"),
        row(sex="F"),
    )
    assert [(e.line, e.column, e.value) for e in result.errors] == [
        (2, "sex", "H"),
        (2, "date_of_birth", "31/02/1990"),
        (2, "nationality", "Narnia"),
        (3, "document_type", "licence"),
        (3, "email", "luz@"),
        (4, "given_names", ""),
    ]
    assert [e.message for e in result.errors] == [
        "Enter sex as F (female), M (male) or X (other), or leave it empty",
        "Enter a real date",
        "Enter a country as its two-letter code or its name, for example PE or Peru",
        "Enter a document type: passport, national_id, tax_id, residence_permit or other",
        "Enter an email address in the correct format, like name@example.com",
        NAMELESS,
    ]
    assert result.errors[0] == RowError(
        2, "sex", "Enter sex as F (female), M (male) or X (other), or leave it empty", "H"
    )
    assert str(result.errors[1]) == "Line 2, date_of_birth “31/02/1990”: Enter a real date"
    assert result.rows == [] and not result.ok


def test_duplicate_references_are_errors_on_the_later_lines():
    result = import_csv(
        row(reference="MIL-7", given_names="Ana"),
        row(reference="MIL-8", given_names="Luz"),
        row(reference="mil-7", given_names="Rosa"),
        row(reference="MIL-7", given_names="Eva"),
    )
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (
            4,
            "reference",
            "Reference mil-7 is already used on line 2; give each person their own reference",
        ),
        (
            5,
            "reference",
            "Reference MIL-7 is already used on line 2; give each person their own reference",
        ),
    ]
    assert [p.line for p in result.rows] == [2, 3]


def test_partial_dates_of_birth_are_imported():
    result = import_csv(
        row(given_names="A", date_of_birth="1986"),
        row(given_names="B", date_of_birth="03/1986"),
        row(given_names="C", date_of_birth="27.3.1986"),
        row(given_names="D", date_of_birth="1986-03-27"),
        row(given_names="E"),
    )
    assert [p.birth for p in result.rows] == [
        PartialDate(1986),
        PartialDate(1986, 3),
        PartialDate(1986, 3, 27),
        PartialDate(1986, 3, 27),
        None,
    ]


def test_document_check_digit_failure_is_a_warning_and_the_row_is_kept():
    result = import_csv(
        row(
            given_names="Rosa",
            document_type="national_id",
            document_number="10117410-3",
            document_country="PE",
        )
    )
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        "Line 2, document_number “10117410-3”: The check digit of Peruvian DNI 10117410-3 does "
        "not match; check the number. The document is imported marked as unverified."
    ]
    assert result.rows[0].document.verified is False
    assert result.rows[0].document.compact == "101174103"


def test_document_without_type_is_other_and_type_without_number_is_dropped_with_a_warning():
    result = import_csv(
        row(given_names="Ana", document_number="ab-123"),
        row(given_names="Luz", document_type="passport", document_country="PE"),
    )
    ana, luz = result.rows
    assert (ana.document_type, ana.document) == ("other", DocumentCheck("AB-123", "AB123", False))
    assert (luz.document_type, luz.document, luz.document_country) == ("", None, "")
    assert [(w.line, w.message) for w in result.warnings] == [
        (
            3,
            "There is no document number, so the document type and country on this row are "
            "not imported",
        )
    ]


def test_national_id_without_issuing_country_is_checked_against_the_nationality():
    result = import_csv(
        row(
            given_names="Ana",
            nationality="Brasil",
            document_type="national_id",
            document_number="39053344705",
        )
    )
    person = result.rows[0]
    assert (person.document_country, person.document.number, person.document.verified) == (
        "BR",
        "390.533.447-05",
        True,
    )


def test_malformed_document_number_is_an_error_not_a_warning():
    result = import_csv(row(given_names="Ana", document_type="passport", document_number="A/1"))
    assert [(e.column, e.message) for e in result.errors] == [
        (
            "document_number",
            "Enter the document number as printed on the document, using letters, digits, "
            "spaces and hyphens only",
        )
    ]


@pytest.mark.parametrize(
    ("phone", "region", "return_country", "e164"),
    [
        ("333 123 4567", "IT", "PE", "+393331234567"),  # the desk's country first
        ("987 654 321", "IT", "PE", "+51987654321"),  # then the return country
        ("+51 987 654 321", "ES", "", "+51987654321"),  # its own country code
        ("0051 987654321", None, "", "+51987654321"),
        ("(85) 92696-9267", "PT", "BR", "+5585926969267"),
    ],
)
def test_phones_with_and_without_country_code(phone, region, return_country, e164):
    result = import_csv(
        row(given_names="Ana", phone=phone, return_country=return_country), region=region
    )
    assert result.errors == []
    assert result.rows[0].phone_e164 == e164


def test_phone_without_country_code_that_fits_no_country_is_kept_as_typed_with_a_warning():
    result = import_csv(
        row(given_names="Ana", phone="987 654 321"),
        row(given_names="Luz", phone="12 34", return_country="PE"),
        region=None,
    )
    assert result.ok
    assert [r.phone_e164 for r in result.rows] == ["987 654 321", "12 34"]
    assert [(w.line, w.message) for w in result.warnings] == [
        (
            2,
            "Enter the phone number with its country code, for example +51 987 654 321. "
            "It is imported as typed; correct it on the person's page.",
        ),
        (
            3,
            "Enter a real phone number; if it is not a number of Peru, start it with + and the "
            "country code, for example +51 987 654 321. It is imported as typed; correct it on "
            "the person's page.",
        ),
    ]


def test_phone_with_country_code_outside_known_ranges_is_a_warning():
    result = import_csv(row(given_names="Ana", phone="+57 309 679 2980"), region="ES")
    assert result.ok
    assert result.rows[0].phone_e164 == "+573096792980"
    assert [(w.column, w.message) for w in result.warnings] == [
        (
            "phone",
            "This phone number has the right number of digits but is not in a range known to "
            "be in use; check it. It is imported as +57 309 6792980.",
        )
    ]


def test_values_are_normalised():
    result = import_csv(
        row(
            reference=" MIL-1 ",
            given_names="  María   José ",
            first_surname="de la  Cruz",
            sex="mujer",
            nationality="perú",
            return_country="pe",
            return_city=" Lima ",
        )
    )
    person = result.rows[0]
    assert (person.reference, person.given_names, person.first_surname) == (
        "MIL-1",
        "María José",
        "de la Cruz",
    )
    assert (person.sex, person.nationality, person.return_country, person.return_city) == (
        "female",
        "PE",
        "PE",
        "Lima",
    )


def test_values_that_are_too_long_are_errors():
    result = import_csv(row(given_names="A" * 101))
    assert [(e.column, e.message) for e in result.errors] == [
        ("given_names", "Enter 100 characters or fewer; this has 101")
    ]


def test_20000_rows_validate_in_one_pass():
    records = [
        row(
            reference=f"R-{i}",
            given_names="José Luis",
            first_surname="Quispe",
            second_surname="Mamani",
            sex="M",
            date_of_birth=f"{1 + i % 28:02d}/{1 + i % 12:02d}/19{50 + i % 50}",
            nationality="PE",
            document_type=("national_id", "passport")[i % 2],
            document_number=f"{10_000_000 + i}",
            document_country="PE",
            phone=f"98{i:07d}",
            email=f"person{i}@example.org",
            return_country="PE",
            return_city="Arequipa",
            address="Calle Mercaderes 123",
        )
        for i in range(20_000)
    ]
    content = csv_bytes(*records)
    result = parse_import("big.csv", content, default_phone_region="IT")
    assert result.ok, result.errors[:3]
    assert len(result.rows) == 20_000
    assert (result.rows[-1].line, result.rows[-1].reference) == (20_001, "R-19999")


# --- Encodings and quotes that would corrupt or lose data --------------------------------------


def test_a_utf8_file_with_one_bad_byte_is_refused_naming_its_line_not_read_as_mojibake():
    content = csv_bytes(
        row(reference="A-1", given_names="José", first_surname="Núñez"),
        row(reference="A-2", given_names="Ana", first_surname="Quispe"),
    ).replace(b"Ana", b"An\xe1")  # one Windows-1252 byte in an otherwise UTF-8 file
    assert file_error(content) == (
        "Line 3 of the file has characters that are not valid UTF-8 text (a character was "
        "damaged or saved in another encoding), so its names could be read wrong; correct that "
        "line, save the file as CSV UTF-8 and upload it again"
    )


def test_several_bad_lines_are_all_named():
    content = csv_bytes(
        row(reference="A-1", given_names="José"),
        row(reference="A-2", given_names="Bad\xff"),
        row(reference="A-3", given_names="Bad\xff"),
        encoding="utf-8",
    ).replace(b"\xc3\xbf", b"\xff")
    assert file_error(content).startswith("Lines 3, 4 of the file have characters")


def test_a_file_that_is_windows_1252_throughout_is_still_read():
    content = csv_bytes(
        row(reference="A-1", given_names="José", first_surname="Núñez"), encoding="cp1252"
    )
    assert read_rows("persons.csv", content)[0].values["first_surname"] == "Núñez"


def test_an_unclosed_quote_is_an_error_on_its_row_and_swallows_nothing():
    content = csv_bytes(
        row(reference="A-1", given_names="Ana"),
        row(reference="A-2", given_names='"Luis'),
        row(reference="A-3", given_names="Rosa"),
        row(reference="A-4", given_names="Eva"),
    )
    assert file_error(content) == (
        'Row 3 of the file has a quotation mark (") that is not closed or is out of place, so '
        "the rows under it cannot be read; correct the quotes on that row, or save the file "
        "again from the spreadsheet program as CSV or .xlsx"
    )


def test_an_unclosed_quote_before_other_quoted_values_is_caught_too():
    content = csv_bytes(
        row(reference="A-1", given_names='"Luis'),
        row(reference="A-2", given_names="Rosa", address='"Calle 1, Lima"'),
    )
    assert file_error(content).startswith("Row 2 of the file has a quotation mark")


def test_a_quoted_address_over_several_lines_is_still_one_value():
    content = csv_bytes(row(reference="A-1", given_names="Ana", address='"Calle 1\nLima"'))
    assert read_rows("persons.csv", content)[0].values["address"] == "Calle 1\nLima"
