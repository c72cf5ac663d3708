"""Subject access: everything held about one child or one guardian, as JSON and as a PDF.

The sections come from every app's privacy module (people/privacy.py explains the hooks), so
an app that starts holding personal data adds itself to the export without changing this file.
"""

import io
import json
from xml.sax.saxutils import escape  # escapes text for ReportLab, parses no XML # nosec B406

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from minipolice.lib import pdf_fonts
from minipolice.lib.privacy import Section, hooks, text


def child_export(child) -> tuple[str, list[Section]]:
    sections = [s for hook in hooks("child_sections") for s in hook(child)]
    return _("Everything held about %(name)s") % {"name": child.full_name}, _audit_last(sections)


def guardian_export(guardian) -> tuple[str, list[Section]]:
    sections = [s for hook in hooks("guardian_sections") for s in hook(guardian)]
    return _("Everything held about %(name)s") % {"name": guardian.name}, _audit_last(sections)


def _audit_last(sections: list[Section]) -> list[Section]:
    return sorted(sections, key=lambda section: section.key == "audit_log")


def as_json(title: str, sections: list[Section], *, generated_by: str) -> bytes:
    document = {
        "title": title,
        "generated_at": timezone.now().isoformat(),
        "generated_by": generated_by,
        "sections": {s.key: {"title": s.title, "data": s.data} for s in sections},
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def as_pdf(title: str, sections: list[Section], *, generated_by: str) -> bytes:
    """A readable A4 document: each section a heading, each record a two-column table, in the
    language of the request (the sections' titles and labels are too)."""
    styles = getSampleStyleSheet()
    # A font with every letter of Welsh (ŵ, ŷ) and of children's names (lib.pdf_fonts).
    for name in ("Title", "Heading2"):
        styles[name].fontName = pdf_fonts.bold()
    styles["BodyText"].fontName = pdf_fonts.regular()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=9, leading=11)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Mini Police Hub",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(
                _(
                    "Subject access export made on %(date)s by %(person)s. "
                    "It lists every record the Mini Police Hub holds about this person."
                )
                % {"date": text(timezone.now()), "person": generated_by}
            ),
            small,
        ),
        Spacer(1, 6 * mm),
    ]
    for section in sections:
        story.append(Paragraph(escape(section.title), styles["Heading2"]))
        records = section.data if isinstance(section.data, list) else [section.data]
        if not records:
            story.append(Paragraph(escape(_("None.")), body))
        for record in records:
            rows = [
                [Paragraph(escape(key), small), Paragraph(escape(str(value)) or "–", small)]
                for key, value in record.items()
            ]
            table = Table(rows, colWidths=[50 * mm, 124 * mm], hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.grey),
                        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f3f2f1")),
                    ]
                )
            )
            story += [table, Spacer(1, 3 * mm)]
    document.build(story)
    return buffer.getvalue()
