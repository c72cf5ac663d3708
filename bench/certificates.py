"""Time the certificates of a celebration day: N certificates (default 150) in one PDF, each
with its QR code and the Chief Constable's signature image, as a bulk issue draws them.

    .venv/bin/python bench/certificates.py                 # 150 certificates, 5 runs
    .venv/bin/python bench/certificates.py -n 300 --runs 3
    .venv/bin/python bench/certificates.py --widget        # and ReportLab's QR widget, to compare

It runs the app's own code (awards.services.certificate_content, then awards.pdf.render, the
two steps of services.render_certificates once the signature file is open) on unsaved model
objects, so it needs no database. The signature is a 1200 × 400 PNG with transparency (the
largest the settings page keeps). The budget is 1.0 s for 150 (issue #11).
"""

import argparse
import datetime
import io
import statistics
import sys
import time

from setup_django import setup

BUDGET_150 = 1.0


def signature_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (1200, 400), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(40, 300), (300, 80), (520, 320), (760, 60), (1160, 260)], fill="black", width=12)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def certificates(n: int):
    from minipolice.awards.models import Award, Certificate, new_code
    from minipolice.organisations.models import Area, Cohort, Force, School, Unit

    force = Force(
        name="Avon and Somerset Police",
        brand_colour="#1d3f73",
        chief_constable_name="Chief Constable Morgan Hale (fictional)",
    )
    area = Area(force=force, name="Bristol")
    school = School(area=area, name="Oasis Connaught School")
    unit = Unit(school=school, name="Oasis Connaught Mini Police")
    cohort = Cohort(unit=unit, name="2018/19 Year 5")
    made = []
    for i in range(n):
        award = Award(
            cohort=cohort,
            kind="completion",
            title="Mini Police completion",
            awarded_on=datetime.date(2019, 6, 12),
        )
        made.append(
            Certificate(
                award=award,
                code=new_code(),
                first_name=f"Child{i:03d}",
                last_name="Fictional-Surname",
                unit_name=unit.name,
                school_name=school.name,
            )
        )
    return made


def time_app(items, signature: bytes) -> float:
    from minipolice.awards import pdf, services

    started = time.perf_counter()
    base = "https://minipolice.example.org/"
    contents = [services.certificate_content(c, base) for c in items]
    document = pdf.render(contents, io.BytesIO(signature), title="Completion certificates")
    elapsed = time.perf_counter() - started
    assert document.startswith(b"%PDF")
    return elapsed


def time_widget(items, signature: bytes) -> float:
    """The same pages with ReportLab's QR widget in place of segno drawn as one path."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.units import mm

    from minipolice.awards import pdf

    def widget_qr(canvas, data, x, y, size):
        widget = QrCodeWidget(data, barLevel="M")
        left, bottom, right, top = widget.getBounds()
        drawing = Drawing(
            size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
        )
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, x, y)

    real = pdf.draw_qr
    pdf.draw_qr = widget_qr
    try:
        return time_app(items, signature)
    finally:
        pdf.draw_qr = real
        del mm


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=150, help="certificates in the PDF")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--widget", action="store_true", help="also time ReportLab's QR widget")
    args = parser.parse_args()
    setup()
    items = certificates(args.n)
    signature = signature_png()
    time_app(items[:2], signature)  # warm up imports and fonts
    runs = [time_app(items, signature) for _ in range(args.runs)]
    print(
        f"{args.n} certificates (segno drawn as paths): median {statistics.median(runs):.3f} s, "
        f"best {min(runs):.3f} s, worst {max(runs):.3f} s over {args.runs} runs"
    )
    if args.widget:
        widget = [time_widget(items, signature) for _ in range(max(1, args.runs // 2))]
        print(
            f"{args.n} certificates (ReportLab QR widget): median {statistics.median(widget):.3f} s"
        )
    budget = BUDGET_150 * args.n / 150
    if statistics.median(runs) > budget:
        print(f"Over the budget of {budget:.2f} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
