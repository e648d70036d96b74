import csv
import datetime
import decimal
import io

import openpyxl
import pytest

from retorno.lib import spreadsheets


@pytest.mark.parametrize(
    "text",
    [
        "=1+2+cmd|' /C calc'!A0",
        "+41 22 000",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        '=HYPERLINK("http://127.0.0.1/x","click")',
    ],
)
def test_a_text_a_spreadsheet_would_run_is_written_with_a_leading_apostrophe(text):
    body = spreadsheets.csv_text(["value"], [[text]])
    assert list(csv.reader(io.StringIO(body)))[1] == ["'" + text]


@pytest.mark.parametrize("text", ["Lima", "ana.milano", "'quoted", "a=b", "1+1", ""])
def test_other_texts_are_written_as_they_are(text):
    body = spreadsheets.csv_text(["value"], [[text]])
    assert list(csv.reader(io.StringIO(body)))[1] == [text]


def test_numbers_dates_booleans_and_none_are_written_as_values():
    body = spreadsheets.csv_text(
        ["a", "b", "c", "d", "e", "f"],
        [[-5, 2.5, decimal.Decimal("-1.50"), datetime.date(2026, 3, 27), True, None]],
    )
    assert list(csv.reader(io.StringIO(body)))[1] == [
        "-5",
        "2.5",
        "-1.50",
        "2026-03-27",
        "true",
        "",
    ]


def test_restore_undoes_neutralise_and_nothing_else():
    for text in ["=1+1", "-x", "@a", "\tb", "plain", "'plain", "'"]:
        assert spreadsheets.restore(spreadsheets.neutralise(text)) == text


def test_the_streamed_csv_starts_with_a_bom_and_ends_lines_with_crlf():
    lines = list(spreadsheets.csv_lines(["a"], [["=x"]]))
    assert lines == ["\ufeff", "a\r\n", "'=x\r\n"]


def test_the_xlsx_writer_stores_formulas_as_texts_and_numbers_as_numbers():
    content = spreadsheets.xlsx_bytes(
        {
            "Events": (
                ["who", "amount", "when", "at"],
                [
                    [
                        '=HYPERLINK("http://x","click")',
                        -12.5,
                        datetime.date(2026, 5, 3),
                        datetime.datetime(2026, 5, 3, 14, 2, tzinfo=datetime.UTC),
                    ],
                    ["ana\x07.milano", 3, None, None],
                ],
            )
        }
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Events"]
    formula_cell = sheet["A2"]
    assert formula_cell.data_type == "s"
    assert formula_cell.value == '\'=HYPERLINK("http://x","click")'
    assert sheet["B2"].value == -12.5 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == datetime.datetime(2026, 5, 3)
    assert sheet["C2"].is_date
    assert sheet["D2"].value == datetime.datetime(2026, 5, 3, 14, 2)
    assert sheet["A3"].value == "ana.milano"  # a control character XLSX cannot hold is dropped
    assert sheet["B3"].value == 3
