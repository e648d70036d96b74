"""The import pages and their files: a bomb is refused, the file is read once, and nothing of a
checked import stays on disk after it runs, is cancelled or is abandoned."""

import io
import os
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from retorno.cases import importing
from retorno.cases.importing import COLUMNS, ImportFileError, read_rows
from retorno.cases.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def kept_files(media):
    folder = media / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet(content: bytes, sheet_xml: bytes, *, extra: dict | None = None) -> bytes:
    """The workbook with its first worksheet replaced (and parts added)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = sheet_xml if name == "xl/worksheets/sheet1.xml" else source.read(name)
            target.writestr(name, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def empty_row_bomb(empty_rows: int, *, dimension: str = "A1:O2") -> bytes:
    header = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for i, name in enumerate(COLUMNS)
    )
    person = (
        '<row><c t="inlineStr"><is><t>R-1</t></is></c>'
        '<c t="inlineStr"><is><t>Ana</t></is></c></row>'
    )
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData><row r="1">{header}</row>'
        + "<row/>" * empty_rows
        + person
        + "</sheetData></worksheet>"
    ).encode()
    return with_sheet(workbook(), xml)


def file_error(content) -> str:
    with pytest.raises(ImportFileError) as refused:
        read_rows("persons.xlsx", content)
    return refused.value.message


def test_an_xlsx_of_millions_of_empty_rows_is_refused_after_the_cap():
    content = empty_row_bomb(5_000_000)
    assert len(content) < 100_000  # a few kilobytes for 30 MB of rows
    assert file_error(content) == (
        "The file has more than 21,000 rows, counting empty ones (Retorno stopped reading at "
        "row 21,001); delete the empty rows, and split the file into files of 20,000 persons "
        "or fewer"
    )


def test_empty_rows_under_the_cap_are_still_skipped():
    rows = read_rows("persons.xlsx", empty_row_bomb(10_000))
    assert [(row.line, row.values["given_names"]) for row in rows] == [(10_002, "Ana")]


def test_an_xlsx_that_declares_millions_of_rows_is_refused_before_reading_them():
    content = empty_row_bomb(3, dimension="A1:O5000000")
    assert file_error(content) == (
        "The worksheet says it has 5,000,000 rows, more than the 21,000 Retorno reads; delete "
        "the empty rows under the persons, and split the file into files of 20,000 persons or "
        "fewer"
    )


def test_an_xlsx_that_unpacks_to_an_absurd_size_is_refused_before_parsing():
    content = with_sheet(
        workbook({"reference": "R-1", "given_names": "Ana"}),
        zipfile.ZipFile(io.BytesIO(workbook())).read("xl/worksheets/sheet1.xml"),
        extra={"xl/media/padding.bin": b"\0" * (65 * 1024 * 1024)},
    )
    assert len(content) < 1_000_000
    assert file_error(content) == (
        "The workbook unpacks to more than 64 MB, far more than 20,000 rows of persons need; "
        "delete the empty rows and columns, or save it as CSV, and upload it again"
    )


def test_a_csv_of_empty_lines_counts_them_too():
    content = (",".join(COLUMNS) + "\n" + "\n" * 30_000 + "R-1,Ana\n").encode()
    assert "stopped reading at row 21,001" in file_error(content)


# --- The pages ------------------------------------------------------------------------------


def upload(client, content=None, name="persons.xlsx"):
    content = content or workbook(
        {"reference": "R-1", "given_names": "Ana", "first_surname": "Quispe"},
        {"reference": "R-2", "given_names": "Luis", "first_surname": "Mamani"},
    )
    return client.post(reverse("cases:import"), {"file": SimpleUploadedFile(name, content)})


def test_a_file_over_5_mb_is_refused_with_the_limit(as_user, personas):
    response = upload(as_user(personas.bruno), b"x" * (5 * 1024 * 1024 + 1), "big.csv")
    assert response.status_code == 422
    assert (
        "The file must be smaller than 5 MB; split it into files of fewer persons and import "
        "them one after the other" in response.content.decode()
    )


def test_the_file_is_read_once_and_the_run_imports_what_was_checked(
    as_user, personas, media, monkeypatch
):
    client = as_user(personas.bruno)
    assert upload(client).status_code == 302
    assert len(kept_files(media)) == 1

    def read_again(*args, **kwargs):
        raise AssertionError("the file is read again")

    monkeypatch.setattr(importing, "read_rows", read_again)
    preview = client.get(reverse("cases:import_preview")).content.decode()
    assert "Import 2 persons" in preview and "Quispe" in preview
    response = client.post(reverse("cases:import_run"))
    b"".join(response.streaming_content)
    assert set(Person.objects.values_list("first_surname", flat=True)) >= {"Quispe", "Mamani"}
    assert kept_files(media) == []  # the checked rows are gone once imported


def test_cancelling_deletes_the_checked_rows_and_imports_nothing(as_user, personas, media):
    client = as_user(personas.bruno)
    before = Person.objects.count()
    upload(client)
    assert len(kept_files(media)) == 1
    response = client.post(reverse("cases:import_cancel"), follow=True)
    assert "The import is cancelled. Nothing was imported." in response.content.decode()
    assert kept_files(media) == []
    assert Person.objects.count() == before
    assert client.get(reverse("cases:import_preview"))["Location"] == reverse("cases:import")


def test_a_second_upload_replaces_the_first(as_user, personas, media):
    client = as_user(personas.bruno)
    upload(client)
    first = kept_files(media)
    upload(client)
    assert len(kept_files(media)) == 1 and kept_files(media) != first


def test_abandoned_files_are_purged_after_a_day_and_fresh_ones_kept(as_user, personas, media):
    client = as_user(personas.bruno)
    upload(client)
    (abandoned,) = kept_files(media)
    day_ago = time.time() - 24 * 3600 - 60
    os.utime(media / "imports" / abandoned, (day_ago, day_ago))
    other = as_user(personas.mateo)  # another coordinator, uploading now
    upload(other)
    (fresh,) = kept_files(media)  # the upload purged the abandoned one
    assert fresh != abandoned
    old = media / "imports" / ("a" * 32)
    old.write_bytes(b"{}")
    os.utime(old, (day_ago, day_ago))
    out = io.StringIO()
    call_command("purge_import_files", stdout=out)
    assert kept_files(media) == [fresh]
    assert out.getvalue() == "Deleted 1 import files older than 24 hours.\n"


def test_the_duplicate_report_writes_references_that_look_like_formulas_as_text(personas, tmp_path):
    import csv

    source = tmp_path / "persons.csv"
    source.write_text(
        ",".join(COLUMNS)
        + '\n=HYPERLINK("http://x";"a"),María,Quispe,Huamán,F,1986-03-27,PE\n'
        + "-1+1,María,Quispe,Huamán,F,1986-03-27,PE\n",
        encoding="utf-8",
    )
    call_command(
        "import_persons", str(source), desk="MIL", actor="bruno.milano", stdout=io.StringIO()
    )
    output = tmp_path / "pairs.csv"
    call_command("duplicate_report", desk="MIL", output=str(output), stdout=io.StringIO())
    with output.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["reference_a", "reference_b", "score", "reasons"]
    assert sorted(rows[1][:2]) == ["'-1+1", '\'=HYPERLINK("http://x";"a")']
