"""The certificate PDF: A4 landscape, a page per certificate, the QR code drawn as paths that
reproduce segno's matrix exactly, the signature embedded once however many pages."""

import datetime
import io
import re
import zlib

import segno
from PIL import Image
from reportlab.lib.rl_accel import asciiBase85Decode

from minipolice.awards import pdf
from minipolice.lib.tests.pdf_text import pdf_pages_text


def _content(i=0, **changes):
    values = dict(
        force_name="Testshire Police",
        brand_colour="#1d3f73",
        first_name=f"Ada{i}",
        last_name="Lovelace",
        unit_name="Hilltop Mini Police",
        school_name="Hilltop Primary",
        award_title="Mini Police completion",
        citation="",
        awarded_on=datetime.date(2026, 7, 1),
        chief_constable_name="Chief Constable Test",
        code="7KQ2-M9XD",
        verify_url="http://testserver/verify/7KQ2M9XD/",
        qr_url="HTTP://TESTSERVER/V/7KQ2M9XD",
    )
    values.update(changes)
    return pdf.CertificateContent(**values)


def _streams(document: bytes) -> list[bytes]:
    """The content streams, decoded (ReportLab writes them ASCII85 over Flate)."""
    found = []
    for match in re.finditer(
        rb"/Filter \[ /ASCII85Decode /FlateDecode \][^>]*>>\nstream\n(.*?)endstream",
        document,
        re.S,
    ):
        found.append(zlib.decompress(asciiBase85Decode(match.group(1).decode("latin-1"))))
    return found


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (300, 100), (0, 0, 0, 255)).save(out, "PNG")
    return out.getvalue()


def test_the_qr_paths_reproduce_segnos_matrix_module_for_module():
    data = "HTTP://TESTSERVER/V/7KQ2M9XD"
    ops, count = pdf.qr_operators(data)
    drawn = [[False] * count for _ in range(count)]
    for line in ops.splitlines():
        col, row, width, height = map(int, line.split()[:4])
        assert height == 1
        for c in range(col, col + width):
            assert not drawn[row][c], "runs do not overlap"
            drawn[row][c] = True
    expected = [[bool(m) for m in row] for row in segno.make(data, error="m", micro=False).matrix]
    assert drawn == expected
    # The capitals-only address fits QR's alphanumeric mode: a smaller code than the same
    # address in lower case (byte mode).
    assert count < len(segno.make(data.lower(), error="m", micro=False).matrix)


def test_a_page_per_certificate_in_a4_landscape_with_the_signature_embedded_once():
    document = pdf.render([_content(i) for i in range(3)], io.BytesIO(_png()))
    single = pdf.render([_content()], io.BytesIO(_png()))
    assert document.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b(?!s)", document)) == 3
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in document
    # The image and its transparency mask, once for three pages as for one.
    assert document.count(b"/Subtype /Image") == single.count(b"/Subtype /Image") == 2
    pages = pdf_pages_text(document)
    for expected in (
        "Ada0 Lovelace",
        "Hilltop Mini Police, Hilltop Primary",
        "Testshire Police",
        "Chief Constable Test",
        "Code 7KQ2-M9XD",
        "1 July 2026",
    ):
        assert expected in pages[0]
    assert "Ada2 Lovelace" in pages[2]
    text = b"".join(_streams(document))
    ops, _ = pdf.qr_operators("HTTP://TESTSERVER/V/7KQ2M9XD")
    assert text.count(ops.encode()) == 3


def test_a_long_name_is_shrunk_to_fit_the_page():
    long_name = "Bartholomew-Alexander " * 4
    document = pdf.render([_content(first_name=long_name.strip())])
    text = b"".join(_streams(document))
    sizes = [float(s) for s in re.findall(rb"/F\d+ ([\d.]+) Tf", text)]
    assert min(sizes) < 40


def test_a_welsh_forces_certificate_is_in_welsh_first_with_english_beside():
    document = pdf.render(
        [
            _content(
                first_name="Gwenllian",
                last_name="Rhŷs",
                languages=pdf.BILINGUAL,
                is_completion=True,
                awarded_on=datetime.date(2026, 6, 12),
            )
        ]
    )
    text = pdf_pages_text(document)[0]
    assert "Gwenllian Rhŷs" in text  # ŵ and ŷ need a TrueType font: Helvetica has neither
    for welsh, english in (
        ("Heddlu Bach", "Mini Police"),
        ("cyflwynwyd i", "presented to"),
        ("Prif Gwnstabl", "Chief Constable"),
        ("12 Mehefin 2026", "12 June 2026"),
    ):
        assert f"{welsh} · {english}" in text
    assert text.index("Cwblhau Heddlu Bach") < text.index("Mini Police completion")


def test_an_english_forces_certificate_is_in_english_only():
    text = pdf_pages_text(pdf.render([_content(is_completion=True)]))[0]
    assert "Mini Police completion" in text and "presented to" in text
    assert "Heddlu" not in text and "·" not in text
