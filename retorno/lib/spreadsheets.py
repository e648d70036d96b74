"""The one way Retorno writes CSV and XLSX files: every text cell is neutralised against formula
injection.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, one that starts with a tab or a carriage return followed by one of those) as a
formula: ``=HYPERLINK(...)`` typed as a login or an organisation's name would become a live link,
or worse, in the file a data protection officer opens. Following OWASP's advice on CSV
injection, such a text is written with a leading apostrophe, which spreadsheet programs show as
text. ``restore()`` removes that apostrophe again when Retorno reads its own files back.

Numbers, dates and booleans given as Python values are not texts: they cannot carry a formula,
so they are written as they are (in XLSX as real numbers and dates, which the reader can sum and
sort).
"""

import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable, Iterator, Sequence

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters an XLSX file cannot hold (XML 1.0 forbids them); openpyxl refuses them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
BOM = "\ufeff"  # so that spreadsheet programs read a CSV file as UTF-8

_NUMBER = int | float | decimal.Decimal


def neutralise(text: str) -> str:
    """The text, with a leading apostrophe if a spreadsheet program would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def restore(text: str) -> str:
    """Undo neutralise(): for reading back a file Retorno wrote."""
    if text[:1] == "'" and text[1:2] and text[1:2] in "".join(FORMULA_PREFIXES):
        return text[1:]
    return text


def csv_cell(value) -> str:
    """One value as a CSV cell: texts neutralised, None empty, booleans true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _NUMBER):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return neutralise(str(value))


class CsvWriter:
    """csv.writer with every cell passed through csv_cell(). ``writerow`` returns the line
    written, so ``CsvWriter(Echo())`` serves a streamed response."""

    def __init__(self, handle, **kwargs):
        kwargs.setdefault("lineterminator", "\r\n")
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, cells: Iterable):
        return self._writer.writerow([csv_cell(v) for v in cells])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


class Echo:
    """A file that hands back what is written to it, for streaming CSV lines."""

    def write(self, value):
        return value


def csv_lines(header: Sequence, rows: Iterable[Iterable], *, bom: bool = True) -> Iterator[str]:
    """The lines of a CSV file, one at a time (for a StreamingHttpResponse)."""
    writer = CsvWriter(Echo())
    if bom:
        yield BOM
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def csv_text(header: Sequence, rows: Iterable[Iterable], *, bom: bool = False) -> str:
    """A whole CSV file as one string."""
    return "".join(csv_lines(header, rows, bom=bom))


def dict_csv_text(fieldnames: Sequence[str], rows: Iterable[dict]) -> str:
    """A CSV file with a header of field names and one row per dict (missing keys empty)."""
    return csv_text(fieldnames, ([row.get(name) for name in fieldnames] for row in rows))


def xlsx_bytes(sheets: dict[str, tuple[Sequence, Iterable[Iterable]]]) -> bytes:
    """An XLSX workbook: {sheet title: (header, rows)}. Texts are neutralised and stored as
    texts (never as formulas); numbers, dates and booleans stay numbers, dates and booleans."""
    # Import here: start-up (openpyxl is slow to import and only an XLSX export needs it).
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])

        def cells(values, sheet=sheet):
            out = []
            for value in values:
                if value is None or isinstance(value, bool | _NUMBER):
                    out.append(value)
                    continue
                if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                    value = value.astimezone(datetime.UTC).replace(tzinfo=None)
                if isinstance(value, datetime.datetime | datetime.date | datetime.time):
                    out.append(value)
                    continue
                cell = WriteOnlyCell(sheet, value=neutralise(_ILLEGAL_XML.sub("", str(value))))
                cell.data_type = "s"  # a text, even if it looked like a formula
                out.append(cell)
            return out

        sheet.append(cells(header))
        for row in rows:
            sheet.append(cells(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
