"""Tables downloaded as CSV or XLSX: one place for the formats, file names and the rule that no
exported cell is read as a formula.

A spreadsheet treats a text cell that begins with `=`, `+`, `-` or `@` (and a tab or carriage
return, which some programs strip first) as a formula, so a child's name or a place typed as
`=HYPERLINK(...)` would run when a coordinator opens the download. Such text gets a leading
apostrophe, which spreadsheets show as plain text. Numbers and dates are written as numbers and
dates, so a negative change stays a number.
"""

import csv
import datetime
import decimal
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportTable:
    title: str
    headings: Sequence[str]
    rows: Iterable[Sequence] = field(default_factory=list)


def safe_cell(value):
    """`value` as a spreadsheet should store it: None as empty, text never as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # The reader's wall-clock time, as the pages show it; spreadsheets hold no time zones.
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def wants_export(request) -> str | None:
    """The format asked for with `?format=csv|xlsx`, or None for the page itself."""
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def export_response(*, filename: str, fmt: str, tables: Sequence[ExportTable]) -> HttpResponse:
    """One download of `tables`: an XLSX sheet per table, or a CSV with each table after its
    title and a blank line (a CSV of one table is just that table)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    content = _xlsx(tables) if fmt == "xlsx" else _csv(tables)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def _csv(tables: Sequence[ExportTable]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                writer.writerow([])
            writer.writerow([safe_cell(table.title)])
        writer.writerow([safe_cell(h) for h in table.headings])
        for row in table.rows:
            writer.writerow([_csv_text(safe_cell(v)) for v in row])
    return out.getvalue()


def _csv_text(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return value.isoformat() if isinstance(value, datetime.date) else value


def _xlsx(tables: Sequence[ExportTable]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        bold = []
        for heading in table.headings:
            cell = _write_only_cell(sheet, safe_cell(heading))
            cell.font = Font(bold=True)
            bold.append(cell)
        sheet.append(bold)
        for row in table.rows:
            sheet.append([_xlsx_value(safe_cell(v)) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_only_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell(sheet, value=value)


def _xlsx_value(value):
    # openpyxl stores a string starting with "=" as a formula: safe_cell already prefixed it,
    # and gave aware datetimes in local time without a zone (openpyxl refuses aware ones).
    return value


def _sheet_name(title: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()[:31] or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate
