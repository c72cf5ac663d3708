"""lib.exports: no exported cell is read as a formula; numbers and dates stay typed; an XLSX
opens with bold headings and valid, unique sheet names."""

import csv
import datetime
import decimal
import io

import pytest
from openpyxl import load_workbook

from minipolice.lib.exports import ExportTable, export_response, safe_cell, wants_export


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_a_spreadsheet_would_read_as_a_formula_gets_an_apostrophe(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


def test_other_text_numbers_and_dates_are_kept_as_they_are():
    day = datetime.date(2026, 1, 5)
    assert safe_cell("Ada") == "Ada"
    assert safe_cell(-3) == -3
    assert safe_cell(-2.5) == -2.5
    assert safe_cell(decimal.Decimal("-1.5")) == decimal.Decimal("-1.5")
    assert safe_cell(day) == day
    assert safe_cell(None) == ""
    assert safe_cell(True) == "Yes" and safe_cell(False) == "No"


def test_aware_datetimes_are_written_in_local_time_without_a_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    summer = datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC)
    assert safe_cell(summer) == datetime.datetime(2026, 7, 1, 10, 0)
    assert safe_cell(summer).tzinfo is None


def test_wants_export_reads_only_the_known_formats(rf):
    assert wants_export(rf.get("/", {"format": "csv"})) == "csv"
    assert wants_export(rf.get("/", {"format": "xlsx"})) == "xlsx"
    assert wants_export(rf.get("/", {"format": "pdf"})) is None
    assert wants_export(rf.get("/")) is None


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        export_response(filename="x", fmt="pdf", tables=[])


TABLE = ExportTable(
    title="Children: Year 5/6",
    headings=["Name", "=Total"],
    rows=[['=HYPERLINK("http://evil.example")', -4], ["@Ada", datetime.date(2026, 1, 5)]],
)


def test_a_csv_download_neutralises_formulas_and_keeps_numbers():
    response = export_response(filename="Children list", fmt="csv", tables=[TABLE])
    assert response["Content-Disposition"] == 'attachment; filename="children-list.csv"'
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Name", "'=Total"],
        ['\'=HYPERLINK("http://evil.example")', "-4"],
        ["'@Ada", "2026-01-05"],
    ]


def test_a_csv_of_several_tables_gives_each_its_title():
    second = ExportTable(title="Units", headings=["Unit"], rows=[["Hilltop"]])
    response = export_response(filename="x", fmt="csv", tables=[TABLE, second])
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Children: Year 5/6"]
    assert [] in rows and ["Units"] in rows and ["Hilltop"] in rows


def test_an_xlsx_download_opens_with_bold_headings_and_no_formula_cells():
    response = export_response(filename="x", fmt="xlsx", tables=[TABLE, TABLE])
    workbook = load_workbook(io.BytesIO(response.content))
    # [ ] : * ? / \ are not allowed in sheet names; names are unique and at most 31 characters.
    assert workbook.sheetnames == ["Children  Year 5 6", "Children  Year 5 6 (2)"]
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == ["Name", "'=Total"]
    assert all(c.font.b for c in sheet[1])
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil.example")'
    assert sheet["B2"].value == -4 and sheet["B2"].data_type == "n"
    assert sheet["A3"].value == "'@Ada"
    assert sheet["B3"].value == datetime.datetime(2026, 1, 5)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_long_sheet_names_are_cut_to_31_characters():
    table = ExportTable(title="A" * 40, headings=["H"], rows=[])
    workbook = load_workbook(
        io.BytesIO(export_response(filename="x", fmt="xlsx", tables=[table]).content)
    )
    assert workbook.sheetnames == ["A" * 31]
