"""Certificates as PDF: A4 landscape, one page per certificate, drawn straight on a canvas.

Speed matters (a celebration day prints 150 or more at once, DESIGN.md; bench/certificates.py):
- the QR code comes from segno and is drawn as one vector path of filled runs (a dark run of
  modules in a row is one rectangle), not ReportLab's QR widget, which builds and draws every
  module as its own shape (about 4 times slower here);
- the signature image is drawn once into a form XObject that every page refers to (drawImage
  on each page would decode and hash the image each time, even though it embeds it once);
- no platypus layout: fixed positions, with long names shrunk to fit.

A Welsh-language force's certificates are bilingual: every printed phrase in Welsh first and
English beside it ("Heddlu Bach · Mini Police"); the wording for a set of languages is looked
up once per PDF, not once per page.
"""

import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import segno
from django.utils import formats, translation
from django.utils.translation import gettext_noop
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from minipolice.lib import pdf_fonts

PAGE = landscape(A4)
WIDTH, HEIGHT = PAGE
INK = HexColor("#0b0c0c")
GREY = HexColor("#505a5f")
SIGNATURE_FORM = "signature"
SIGNATURE_SIZE = (60 * mm, 22 * mm)
BILINGUAL = ("cy", "en-gb")  # Welsh first, English beside
ENGLISH = ("en-gb",)

# The phrases every certificate prints, translated in each of its languages.
PHRASES = {
    "programme": gettext_noop("Mini Police"),
    "presented_to": gettext_noop("presented to"),
    "chief_constable": gettext_noop("Chief Constable"),
    "check_at": gettext_noop("Check this certificate at"),
    "code": gettext_noop("Code"),
    "completion": gettext_noop("Mini Police completion"),
}


@dataclass(frozen=True)
class CertificateContent:
    """Everything printed on one certificate."""

    force_name: str
    brand_colour: str
    first_name: str
    last_name: str
    unit_name: str
    school_name: str
    award_title: str
    citation: str
    awarded_on: date
    chief_constable_name: str
    code: str  # as shown, e.g. "7KQ2-M9XD"
    verify_url: str  # printed
    qr_url: str  # in the QR code
    languages: tuple[str, ...] = ENGLISH
    is_completion: bool = False  # the programme's own award: its title is translated too


def wording(languages: tuple[str, ...]) -> dict[str, list[str]]:
    """Each phrase in each of `languages`, in order."""
    translated = {key: [] for key in PHRASES}
    for language in languages:
        with translation.override(language):
            for key, phrase in PHRASES.items():
                translated[key].append(translation.gettext(phrase))
    return translated


@lru_cache(maxsize=64)
def date_in(languages: tuple[str, ...], day: date) -> str:
    """The day in each language, Welsh first: one award day is drawn on every page."""
    out = []
    for language in languages:
        with translation.override(language):
            out.append(formats.date_format(day, "j F Y"))
    return _both(out)


def render(certificates: list[CertificateContent], signature=None, title="Certificates") -> bytes:
    """One PDF with a page per certificate. `signature` is a file path, file object or None."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=PAGE, pageCompression=1)
    pdf.setTitle(title)
    pdf.setAuthor("Mini Police Hub")
    has_signature = False
    if signature and certificates:
        # Drawn once into a form XObject that every page refers to: the image is decoded,
        # hashed and embedded once, not once per page.
        pdf.beginForm(SIGNATURE_FORM)
        pdf.drawImage(
            ImageReader(signature),
            0,
            0,
            width=SIGNATURE_SIZE[0],
            height=SIGNATURE_SIZE[1],
            preserveAspectRatio=True,
            anchor="sw",
            mask="auto",
        )
        pdf.endForm()
        has_signature = True
    wordings = {}
    for content in certificates:
        if content.languages not in wordings:
            wordings[content.languages] = wording(content.languages)
        _page(pdf, content, has_signature, wordings[content.languages])
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@lru_cache(maxsize=1024)
def _fit(text: str, font: str, size: float, width: float, smallest: float = 10) -> float:
    # Cached: most lines (the force, the phrases, the unit) are the same on every page.
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 1
    return size


def _centred(pdf, text, font, size, y, width=WIDTH - 60 * mm):
    size = _fit(text, font, size, width)
    pdf.setFont(font, size)
    pdf.drawCentredString(WIDTH / 2, y, text)


def _both(texts: list[str]) -> str:
    """Welsh first, English beside; one language as it is. Equal phrases are printed once."""
    unique = list(dict.fromkeys(texts))
    return " · ".join(unique)


def _page(pdf, c: CertificateContent, has_signature: bool, words: dict[str, list[str]]) -> None:
    brand = HexColor(c.brand_colour)
    # Border and header band in the force's colour.
    pdf.setStrokeColor(brand)
    pdf.setLineWidth(4)
    pdf.rect(10 * mm, 10 * mm, WIDTH - 20 * mm, HEIGHT - 20 * mm)
    pdf.setFillColor(brand)
    pdf.rect(10 * mm, HEIGHT - 42 * mm, WIDTH - 20 * mm, 32 * mm, stroke=0, fill=1)
    pdf.setFillColor(white)
    _centred(pdf, c.force_name, pdf_fonts.bold(), 26, HEIGHT - 30 * mm)
    pdf.setFillColor(INK)
    _centred(pdf, _both(words["programme"]), pdf_fonts.regular(), 18, HEIGHT - 56 * mm)
    if c.is_completion and len(c.languages) > 1:
        # The title in Welsh, large, with the English under it.
        first, *others = words["completion"]
        _centred(pdf, first, pdf_fonts.bold(), 30, HEIGHT - 72 * mm)
        pdf.setFillColor(GREY)
        _centred(pdf, _both(others), pdf_fonts.regular(), 14, HEIGHT - 80 * mm)
        pdf.setFillColor(INK)
    else:
        title = words["completion"][0] if c.is_completion else c.award_title
        _centred(pdf, title, pdf_fonts.bold(), 34, HEIGHT - 74 * mm)
    pdf.setFillColor(GREY)
    _centred(pdf, _both(words["presented_to"]), pdf_fonts.regular(), 14, HEIGHT - 88 * mm)
    pdf.setFillColor(brand)
    _centred(pdf, f"{c.first_name} {c.last_name}", pdf_fonts.bold(), 40, HEIGHT - 106 * mm)
    pdf.setFillColor(INK)
    _centred(pdf, f"{c.unit_name}, {c.school_name}", pdf_fonts.regular(), 16, HEIGHT - 120 * mm)
    if c.citation:
        _centred(pdf, c.citation, pdf_fonts.oblique(), 14, HEIGHT - 132 * mm)
    _centred(pdf, date_in(c.languages, c.awarded_on), pdf_fonts.regular(), 14, HEIGHT - 144 * mm)
    # Signature, name and role of the Chief Constable, bottom left.
    left = 30 * mm
    if has_signature:
        pdf.saveState()
        pdf.translate(left, 28 * mm)
        pdf.doForm(SIGNATURE_FORM)
        pdf.restoreState()
    pdf.setStrokeColor(GREY)
    pdf.setLineWidth(0.5)
    pdf.line(left, 27 * mm, left + 80 * mm, 27 * mm)
    pdf.setFont(pdf_fonts.bold(), 12)
    pdf.drawString(left, 21 * mm, c.chief_constable_name or "")
    pdf.setFont(pdf_fonts.regular(), 11)
    pdf.drawString(left, 16 * mm, _both(words["chief_constable"]))
    # Verification: QR code and the short code, bottom right.
    size = 30 * mm
    qr_x, qr_y = WIDTH - 30 * mm - size, 18 * mm
    draw_qr(pdf, c.qr_url, qr_x, qr_y, size)
    pdf.setFillColor(INK)
    pdf.setFont(pdf_fonts.regular(), 9)
    # Text keeps clear of the code's quiet zone (4 modules, about 4 mm here).
    text_x = qr_x - 7 * mm
    pdf.drawRightString(text_x, qr_y + 14 * mm, _both(words["check_at"]))
    pdf.drawRightString(text_x, qr_y + 9 * mm, c.verify_url.split("/verify/")[0] + "/verify/")
    pdf.setFont("Courier-Bold", 12)
    pdf.drawRightString(text_x, qr_y + 3 * mm, f"{_both(words['code'])} {c.code}")


def qr_operators(data: str) -> tuple[str, int]:
    """`data` as a QR code (segno), in PDF path operators in module units: each row's runs of
    dark modules as `re` rectangles with small whole numbers (row 0 at the top). Returns the
    operators and the code's width in modules."""
    matrix = segno.make(data, error="m", micro=False).matrix
    count = len(matrix)
    ops = []
    for row_index, row in enumerate(matrix):
        start = None
        for col, dark in enumerate(row):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                ops.append(f"{start} {row_index} {col - start} 1 re")
                start = None
        if start is not None:
            ops.append(f"{start} {row_index} {count - start} 1 re")
    return "\n".join(ops), count


def draw_qr(pdf, data: str, x: float, y: float, size: float) -> None:
    """`data` as a QR code, `size` points square with its lower left corner at (x, y): one
    path filled once, drawn in module units (translate and scale once, y flipped so rows count
    down from the top edge). Far fewer, shorter operators than a shape per module."""
    ops, count = qr_operators(data)
    module = size / count
    pdf.saveState()
    pdf.setFillColor(INK)
    pdf.transform(module, 0, 0, -module, x, y + size)
    pdf.addLiteral(ops + "\nf")
    pdf.restoreState()
