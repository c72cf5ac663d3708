"""Fonts for the PDFs that can hold every letter of Welsh.

ReportLab's built-in Helvetica has no ŵ or ŷ ("dŵr", "tŷ"), which Welsh needs, nor letters of
many children's names. Liberation Sans (Arial's metrics; Debian's fonts-liberation, which
Chromium depends on) or DejaVu Sans is registered when present, embedded as a subset of the
letters used. Without either the PDFs fall back to Helvetica and say nothing: a letter
Helvetica lacks prints as a blank, as before.
"""

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "MPSans"
CANDIDATES = [
    (
        Path("/usr/share/fonts/truetype/liberation"),
        {
            "": "LiberationSans-Regular.ttf",
            "-Bold": "LiberationSans-Bold.ttf",
            "-Oblique": "LiberationSans-Italic.ttf",
            "-BoldOblique": "LiberationSans-BoldItalic.ttf",
        },
    ),
    (
        Path("/usr/share/fonts/truetype/dejavu"),
        {
            "": "DejaVuSans.ttf",
            "-Bold": "DejaVuSans-Bold.ttf",
            "-Oblique": "DejaVuSans-Oblique.ttf",
            "-BoldOblique": "DejaVuSans-BoldOblique.ttf",
        },
    ),
]
FALLBACK = {
    "": "Helvetica",
    "-Bold": "Helvetica-Bold",
    "-Oblique": "Helvetica-Oblique",
    "-BoldOblique": "Helvetica-BoldOblique",
}


@cache
def fonts() -> dict[str, str]:
    """Font names for "" (regular), "-Bold", "-Oblique" and "-BoldOblique", registered once per
    process."""
    for folder, files in CANDIDATES:
        if all((folder / name).is_file() for name in files.values()):
            names = {}
            for style, name in files.items():
                font_name = FAMILY + style
                pdfmetrics.registerFont(TTFont(font_name, str(folder / name)))
                names[style] = font_name
            # Platypus' <b> and <i> in paragraphs pick the family's bold and italic.
            addMapping(FAMILY, 0, 0, names[""])
            addMapping(FAMILY, 1, 0, names["-Bold"])
            addMapping(FAMILY, 0, 1, names["-Oblique"])
            addMapping(FAMILY, 1, 1, names["-BoldOblique"])
            return names
    return dict(FALLBACK)


def regular() -> str:
    return fonts()[""]


def bold() -> str:
    return fonts()["-Bold"]


def oblique() -> str:
    return fonts()["-Oblique"]
