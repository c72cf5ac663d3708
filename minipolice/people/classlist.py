"""Class lists for a cohort: read a CSV or XLSX file, check every row, match it to the database.

The first part is pure (bytes in, rows and errors out) so each rule is easy to test. The second
part reads the database to say what an import would do; `services.import_class_list` runs the
same plan again inside its transaction, so what is written always matches the current state.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.lib.validators import clean_name, phone_digits, validate_name, validate_phone
from minipolice.people import selectors

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000  # a whole primary school
# Blank rows are skipped, but a file may not make us walk through millions of them.
MAX_SHEET_ROWS = 10 * MAX_ROWS
MAX_COLUMNS = 50
# An XLSX file is a zip: refuse one that would unpack to far more than a class list needs.
MAX_XLSX_UNPACKED_BYTES = 20 * 1024 * 1024

# Column key -> (name shown in the template and in errors, other headings accepted for it).
# The name is accepted in every language of the site (a Welsh template comes back in Welsh).
COLUMNS = {
    "first_name": (gettext_lazy("First name"), {"forename", "given name"}),
    "last_name": (gettext_lazy("Last name"), {"surname", "family name"}),
    "year_group": (gettext_lazy("Year group"), {"year"}),
    "guardian_name": (gettext_lazy("Guardian name"), {"parent name", "parent or guardian name"}),
    "guardian_email": (
        gettext_lazy("Guardian email"),
        {"guardian email address", "parent email"},
    ),
    "guardian_phone": (
        gettext_lazy("Guardian phone"),
        {"guardian phone number", "parent phone"},
    ),
}


def template_headings() -> list[str]:
    """The columns' names in the current language, as the blank template and the page show them."""
    return [str(label) for label, _aliases in COLUMNS.values()]


def _names_in_every_language(label) -> set[str]:
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(normalise_heading(str(label)))
    return names


MAX_LENGTHS = {
    "first_name": 60,
    "last_name": 60,
    "guardian_name": 120,
    "guardian_email": 254,
    "guardian_phone": 30,
}
YEAR_GROUP = re.compile(r"^(?:year|yr|y)?(\d+)(?:\.0+)?$")
YEAR_IN_NAME = re.compile(r"\b(?:year|yr|y)\s*([56])\b", re.IGNORECASE)
FORMULA_START = ("=", "+", "-", "@")
# The name columns, with the message for an empty one.
NAME_COLUMNS = {
    "first_name": gettext_lazy("enter the child's first name"),
    "last_name": gettext_lazy("enter the child's last name"),
    "guardian_name": gettext_lazy("enter the guardian's name"),
}


class ClassListError(Exception):
    """The file as a whole cannot be read: wrong type, empty, too big, missing columns."""


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it: the heading row is row 1
    column: str  # the column's name as people read it, e.g. "year group"
    message: str

    def __str__(self):
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ParsedClassList:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


# Reading the file (pure) ----------------------------------------------------------------------
def parse_class_list(file_name: str, data: bytes) -> ParsedClassList:
    """Read and check a whole file. Raises ClassListError for a problem with the file itself."""
    if len(data) > MAX_FILE_BYTES:
        raise ClassListError(
            _("The file must be smaller than %(size)s MB.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise ClassListError(_("The file is empty."))
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension == "csv":
        table = read_csv(data)
    elif extension == "xlsx":
        table = read_xlsx(data)
    else:
        raise ClassListError(_("The file must be a CSV or XLSX file."))
    return check_table(table)


def read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells) for each row that is not blank, heading included."""
    if b"\0" in data:
        raise ClassListError(_("The file must be a CSV or XLSX file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV (Comma delimited)" is saved as Windows-1252.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ClassListError(_("The file must be a CSV file saved as UTF-8.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    table = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            if _collect(table, number, [cell.strip() for cell in cells[:MAX_COLUMNS]]):
                break
    except csv.Error:
        raise ClassListError(_("The file could not be read as a CSV file.")) from None
    return table


def read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells) for each row of the first sheet that is not blank, heading included."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ClassListError(_("The file could not be read as an XLSX file.")) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ClassListError(_("The spreadsheet is too large to be a class list."))
    table = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The size a sheet declares may be wrong or hostile: read the cells actually there.
            sheet.reset_dimensions()
            rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            for number, values in enumerate(rows, 1):
                if _collect(table, number, [_cell_text(value) for value in values]):
                    break
        finally:
            workbook.close()
    except ClassListError:
        raise
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        raise ClassListError(_("The file could not be read as an XLSX file.")) from None
    return table


def _collect(table: list, number: int, cells: list[str]) -> bool:
    """Keep a row that is not blank; True once there are more rows than a class list may have."""
    if number > MAX_SHEET_ROWS:
        raise ClassListError(
            _("The file has too many rows. A class list may have up to %(max)s children.")
            % {"max": f"{MAX_ROWS:,}"}
        )
    if any(cells):
        table.append((number, cells))
    return len(table) > MAX_ROWS + 1


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def normalise_heading(text: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", text).lower().split())


def check_table(table: list[tuple[int, list[str]]]) -> ParsedClassList:
    """Map the heading row to columns, then check every data row."""
    if not table:
        raise ClassListError(_("The file is empty."))
    heading_number, headings = table[0]
    positions: dict[str, int] = {}
    for index, heading in enumerate(headings):
        name = normalise_heading(heading)
        for key, (label, aliases) in COLUMNS.items():
            if name in aliases or name in _names_in_every_language(label):
                if key in positions:
                    raise ClassListError(
                        _("The column “%(column)s” appears more than once.") % {"column": label}
                    )
                positions[key] = index
    missing = [str(label) for key, (label, _aliases) in COLUMNS.items() if key not in positions]
    if missing:
        raise ClassListError(
            _("The first row must name the columns. Missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    data_rows = table[1:]
    if not data_rows:
        raise ClassListError(_("The file has no children in it, only the headings."))
    if len(data_rows) > MAX_ROWS:
        raise ClassListError(
            _(
                "The file has more than %(max)s children. A class list may have up to "
                "%(max)s (a whole school): split it into smaller files."
            )
            % {"max": f"{MAX_ROWS:,}"}
        )
    parsed = ParsedClassList()
    for number, cells in data_rows:
        raw = {key: cells[index] if index < len(cells) else "" for key, index in positions.items()}
        row, errors = clean_row(number, raw)
        parsed.rows.append(row)
        parsed.errors.extend(errors)
    if parsed.errors:
        parsed.rows = []
    return parsed


def clean_row(number: int, raw: dict) -> tuple[dict, list[RowError]]:
    """Check one row; return its cleaned values (JSON-safe) and every problem found."""
    errors = []

    def error(key, message):
        errors.append(RowError(number, str(COLUMNS[key][0]).lower(), str(message)))

    values = {key: " ".join(str(raw.get(key) or "").split()) for key in COLUMNS}
    # Names as forms and the API keep them: invisible characters removed (lib/validators.py).
    for key in NAME_COLUMNS:
        values[key] = clean_name(values[key])
    for key, limit in MAX_LENGTHS.items():
        if len(values[key]) > limit:
            error(key, _("must be %(limit)s characters or fewer") % {"limit": limit})
    for key, empty in NAME_COLUMNS.items():
        if not values[key]:
            error(key, empty)
        elif values[key].startswith(FORMULA_START):
            error(key, _("must start with a letter"))
        else:
            _check(error, key, validate_name, values[key])

    year_group = None
    match = YEAR_GROUP.match(values["year_group"].lower().replace(" ", ""))
    if not values["year_group"]:
        error("year_group", _("enter the year group, 5 or 6"))
    elif match is None or int(match.group(1)) not in (5, 6):
        error("year_group", _("must be 5 or 6"))
    else:
        year_group = int(match.group(1))

    email = values["guardian_email"].lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error("guardian_email", _("enter an email address like name@example.com"))
    phone = values["guardian_phone"]
    _check(error, "guardian_phone", validate_phone, phone)
    if not email and not phone:
        error("guardian_email", _("give the guardian's email address or phone number"))

    row = {
        "row": number,
        "first_name": values["first_name"],
        "last_name": values["last_name"],
        "year_group": year_group,
        "guardian_name": values["guardian_name"],
        "guardian_email": email,
        "guardian_phone": phone,
    }
    return row, errors


def recheck_rows(rows: list[dict]) -> list[RowError]:
    """Check stored rows again (they come back from the database as JSON)."""
    errors = []
    for row in rows:
        errors.extend(clean_row(row.get("row", 0), row)[1])
    return errors


def _check(error, key: str, validator, value) -> None:
    """Apply a rule forms and the API share, in this page's words (lower case, after a comma)."""
    try:
        validator(value)
    except ValidationError as problem:
        message = problem.messages[0]
        error(key, message[:1].lower() + message[1:])


def child_key(first_name: str, last_name: str, year_group) -> tuple:
    return (
        " ".join(first_name.split()).casefold(),
        " ".join(last_name.split()).casefold(),
        int(year_group),
    )


def guardian_key(name: str, email: str, phone: str) -> tuple:
    if email:
        return ("email", email.strip().lower())
    return ("name_phone", " ".join(name.split()).casefold(), phone_digits(phone))


# Matching against the database (reads) ---------------------------------------------------------
@dataclass
class PlannedRow:
    row: int
    first_name: str
    last_name: str
    year_group: int
    guardian_name: str
    guardian_email: str
    guardian_phone: str
    child: object = None  # a Child already enrolled in the cohort (now or before)
    same_child_as: int | None = None  # an earlier row of the file naming the same child
    guardian: object = None  # a Guardian already on record in the force
    same_guardian_as: int | None = None  # an earlier row of the file naming the same guardian
    link_exists: bool = False
    new_link: bool = False

    @property
    def adds_child(self) -> bool:
        return self.child is None and self.same_child_as is None

    @property
    def child_action(self) -> str:
        if self.child is not None:
            return _("Already in this cohort: skipped")
        if self.same_child_as is not None:
            return _("Same child as row %(row)s") % {"row": self.same_child_as}
        return _("Add")

    @property
    def guardian_action(self) -> str:
        if self.guardian is not None:
            return _("Already linked") if self.link_exists else _("Already on record: link")
        if self.same_guardian_as is not None:
            return _("Same guardian as row %(row)s") % {"row": self.same_guardian_as}
        return _("Add")


@dataclass(frozen=True)
class YearWarning:
    row: int
    name: str
    year_group: int
    cohort_year: int

    def __str__(self):
        return _(
            "Row %(row)s: %(name)s is in Year %(year)s, but this cohort is Year %(cohort_year)s"
        ) % {
            "row": self.row,
            "name": self.name,
            "year": self.year_group,
            "cohort_year": self.cohort_year,
        }


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    cohort_year: int | None = None  # the year group the cohort is for, when it can be told
    year_warnings: list[YearWarning] = field(default_factory=list)
    children_to_add: int = 0
    children_to_skip: int = 0
    guardians_to_add: int = 0
    guardians_to_reuse: int = 0
    links_to_add: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.children_to_add or self.guardians_to_add or self.links_to_add)

    def counts(self) -> dict:
        return {
            "rows": len(self.rows),
            "children_added": self.children_to_add,
            "children_skipped": self.children_to_skip,
            "guardians_added": self.guardians_to_add,
            "guardians_reused": self.guardians_to_reuse,
            "links_added": self.links_to_add,
        }


def plan_import(cohort, rows: list[dict]) -> ImportPlan:
    """What importing `rows` into `cohort` would do now, in at most five queries, any size.

    A child is the one already enrolled in the cohort (now or formerly) with the same first
    name, last name and year group, ignoring case and spaces. A guardian is one already linked
    to a child of this cohort with the same email or, for a row without an email, the same name
    and phone number. Matching is never wider than the cohort: matching the whole force would
    let an uploader link, and so see, any parent in the force by putting their email in a file.
    """
    enrolled = {}
    current_years: dict[int, int] = {}
    for enrolment in selectors.cohort_enrolments_to_match(cohort):
        child = enrolment.child
        enrolled.setdefault(child_key(child.first_name, child.last_name, child.year_group), child)
        if enrolment.left is None:
            current_years[child.year_group] = current_years.get(child.year_group, 0) + 1

    guardians = selectors.cohort_guardians_to_match(cohort)
    emails = sorted({row["guardian_email"] for row in rows if row["guardian_email"]})
    by_email = {}
    for guardian in guardians.filter(email__in=emails):
        by_email.setdefault(guardian_key(guardian.name, guardian.email, ""), guardian)
    names = sorted({row["guardian_name"].lower() for row in rows if not row["guardian_email"]})
    by_name_phone = {}
    for guardian in guardians.annotate(name_lower=Lower("name")).filter(name_lower__in=names):
        key = guardian_key(guardian.name, "", guardian.phone)
        by_name_phone.setdefault(key, guardian)

    plan = ImportPlan(rows=[], cohort_year=cohort_year(cohort, current_years))
    first_row_of_child: dict[tuple, int] = {}
    first_row_of_guardian: dict[tuple, int] = {}
    pairs = set()
    for row in rows:
        planned = PlannedRow(**row)
        ckey = child_key(row["first_name"], row["last_name"], row["year_group"])
        gkey = guardian_key(row["guardian_name"], row["guardian_email"], row["guardian_phone"])
        planned.child = enrolled.get(ckey)
        if planned.child is None and ckey in first_row_of_child:
            planned.same_child_as = first_row_of_child[ckey]
        elif planned.child is None:
            plan.children_to_add += 1
        elif ckey not in first_row_of_child:
            plan.children_to_skip += 1
        planned.guardian = (by_email if gkey[0] == "email" else by_name_phone).get(gkey)
        if planned.guardian is None and gkey in first_row_of_guardian:
            planned.same_guardian_as = first_row_of_guardian[gkey]
        elif gkey not in first_row_of_guardian:
            if planned.guardian is None:
                plan.guardians_to_add += 1
            else:
                plan.guardians_to_reuse += 1
        new_child = ckey not in enrolled and ckey not in first_row_of_child
        if new_child and plan.cohort_year and row["year_group"] != plan.cohort_year:
            name = f"{row['first_name']} {row['last_name']}"
            plan.year_warnings.append(
                YearWarning(row["row"], name, row["year_group"], plan.cohort_year)
            )
        first_row_of_child.setdefault(ckey, row["row"])
        first_row_of_guardian.setdefault(gkey, row["row"])
        if (ckey, gkey) not in pairs:
            pairs.add((ckey, gkey))
            planned.new_link = True
        plan.rows.append(planned)

    known = [p for p in plan.rows if p.child is not None and p.guardian is not None]
    if known:
        linked = selectors.existing_links(
            child_ids={p.child.pk for p in known}, guardian_ids={p.guardian.pk for p in known}
        )
        for planned in known:
            planned.link_exists = (planned.child.pk, planned.guardian.pk) in linked
            planned.new_link = planned.new_link and not planned.link_exists
    plan.links_to_add = sum(planned.new_link for planned in plan.rows)
    return plan


def cohort_year(cohort, current_years: dict[int, int]) -> int | None:
    """The year group a cohort is for: most of its current children's, or else the one its
    name says ("2018/19 Year 5"); None for a cohort with no majority and no year in its name.
    (A cohort has no year field of its own.)"""
    if current_years:
        ranked = sorted(current_years.items(), key=lambda item: -item[1])
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            return ranked[0][0]
    match = YEAR_IN_NAME.search(cohort.name)
    return int(match.group(1)) if match else None
