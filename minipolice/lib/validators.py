"""The rules for dates, people's names and phone numbers, in one place.

Model fields carry these validators (so every service's `full_clean` applies them), the forms
inherit them, the API's input types (minipolice/api/common.py) and the class-list import
(people/classlist.py) call the same functions. One rule, one message, whichever way a value
comes in.

Dates: the programme began in 2017, and nothing it records (a cohort, a session, a holiday, a
unit's change of status, a leaving date, a community action) can be before 2000 or after 2100.
A fixed range rather than "today ± N years": a record that was valid stays valid as years
pass, and the rule does not depend on the clock. It stops typing slips (year 1, 9999, 20255)
and a number read as seconds since 1970.

Names: invisible characters (zero-width spaces, direction marks, byte-order marks, soft
hyphens, Hangul fillers: Unicode format characters, category Cf) are removed and every kind of
space becomes one plain space, so a name pasted from a document is stored as it reads; what is
left must contain a letter. The zero-width joiner and non-joiner stay between two letters,
where scripts such as Persian and Hindi use them inside names.

Phone numbers: digits, spaces, brackets, dots, dashes and "+", with 7 to 15 digits (E.164 has
at most 15), e.g. 01632 960 001 or +44 7700 900 982.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
DATE_RANGE_MESSAGE = _("Enter a date between 2000 and 2100")

NAME_MESSAGE = _("Enter a name with at least one letter")
JOINERS = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner
# Letters (category Lo) that show nothing, used to fake an empty name.
BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}

PHONE = re.compile(r"^[\d\s()+\-.]+$")
PHONE_MESSAGE = _("Enter a phone number like 01632 960 001 or +44 7700 900 982")


def validate_date_in_range(value: datetime.date) -> None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


def clean_name(value: str) -> str:
    """The name as it reads: invisible characters removed, spaces made plain and single."""
    kept = []
    last = len(value) - 1
    for index, char in enumerate(value):
        category = unicodedata.category(char)
        if char in BLANK_LETTERS:
            kept.append(" ")
        elif category == "Cf":
            between_letters = (
                0 < index < last and value[index - 1].isalpha() and value[index + 1].isalpha()
            )
            if char in JOINERS and between_letters:
                kept.append(char)
        elif category[0] == "Z" or category == "Cc":
            kept.append(" ")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def validate_name(value: str) -> None:
    """A stored name has a letter in it and no invisible characters (spaces are not judged:
    forms, the API and the import tidy them with `clean_name` before this runs)."""
    cleaned = clean_name(value)
    if not any(char.isalpha() for char in cleaned):
        raise ValidationError(NAME_MESSAGE, code="name_letter")
    if cleaned != " ".join(value.split()):
        raise ValidationError(
            _("Enter the name without invisible characters"), code="name_invisible"
        )


def phone_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def validate_phone(value: str) -> None:
    if value and (not PHONE.match(value) or not 7 <= len(phone_digits(value)) <= 15):
        raise ValidationError(PHONE_MESSAGE, code="phone")
