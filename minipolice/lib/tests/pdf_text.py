"""The text of a PDF as a reader sees it (pypdf follows the fonts' ToUnicode maps: embedded
TrueType text is not plain bytes in the page streams)."""

import io

import pypdf


def pdf_pages_text(document: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(document)).pages]


def pdf_text(document: bytes) -> str:
    return "\n".join(pdf_pages_text(document))
