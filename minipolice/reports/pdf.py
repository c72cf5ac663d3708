"""The impact report as PDF (ReportLab's platypus: flowing pages, tables and vector charts).

Every chart is followed by the table of its figures, as on the dashboard: the PDF is read on
paper and by screen readers alike. The report carries no child's name: figures come from the
dashboard (rounded as for a funder) and photos with their story's title, never their tags.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape  # escapes text for ReportLab, parses no XML # nosec B406

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from minipolice.lib import pdf_fonts

INK = HexColor("#0b0c0c")
GREY = HexColor("#505a5f")
RULE = HexColor("#b1b4b6")
# Series colours with enough contrast against white and against each other in greyscale.
PALETTE = [HexColor(c) for c in ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f")]
WIDTH, HEIGHT = A4
MARGIN = 18 * mm
FRAME_WIDTH = WIDTH - 2 * MARGIN


@dataclass(frozen=True)
class ChartData:
    title: str
    categories: list[str]
    series: list[tuple[str, list[float]]]  # (name, one value per category)
    stacked: bool = False


@dataclass(frozen=True)
class StoryPhotoContent:
    story_title: str
    unit_name: str
    happened_on: date | None
    caption: str
    image: bytes


@dataclass
class ReportContent:
    """Everything the report prints, already worked out (services.impact_report_content)."""

    force_name: str
    brand_colour: str
    pcc_name: str
    start: date
    end: date
    generated_on: date
    headline: list[tuple[str, str]]  # (label, figure as shown)
    charts: list[tuple[ChartData, list[str], list[list[str]]]]  # chart, table head, rows
    reach: list[tuple[str, str]]
    survey_rounds: list[str]  # "Before the programme: 120 responses from 6 cohorts"
    survey_rows: list[tuple[str, str, str, str]]  # question, before, after, change
    benchmark: list[str]  # the benchmark's label and note, when a question has one
    photos: list[StoryPhotoContent] = field(default_factory=list)
    method: list[str] = field(default_factory=list)


def _styles(brand: HexColor) -> dict:
    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=base["BodyText"], fontName=pdf_fonts.regular(), fontSize=10.5, leading=14,
        textColor=INK, alignment=TA_LEFT, spaceAfter=6,
    )  # fmt: skip
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=GREY),
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=pdf_fonts.bold(), fontSize=26, leading=32, spaceAfter=12
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=pdf_fonts.bold(),
            fontSize=17,
            leading=22,
            spaceBefore=6,
            spaceAfter=8,
            textColor=brand,
        ),  # fmt: skip
        "h3": ParagraphStyle(
            "h3",
            parent=body,
            fontName=pdf_fonts.bold(),
            fontSize=12,
            leading=16,
            spaceBefore=8,
            spaceAfter=4,
        ),  # fmt: skip
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "cover": ParagraphStyle("cover", parent=body, fontSize=14, leading=20),
    }


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(head: list[str], rows: list[list[str]], styles, widths=None) -> Table:
    cell = styles["cell"]
    bold = ParagraphStyle("cellb", parent=cell, fontName=pdf_fonts.bold())
    data = [[_p(h, bold) for h in head]] + [[_p(str(v), cell) for v in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("LINEBELOW", (0, 0), (-1, 0), 1, INK),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _pairs_table(pairs: list[tuple[str, str]], styles) -> Table:
    head = [gettext("Figure"), gettext("Value")]
    return _table(head, [[a, b] for a, b in pairs], styles, [120 * mm, 50 * mm])


def _chart(data: ChartData) -> Drawing:
    width, height = FRAME_WIDTH, 80 * mm
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, data.title, fontName=pdf_fonts.bold(), fontSize=11))
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 40
    chart.width, chart.height = width - 40, height - 80
    chart.data = [list(values) for _, values in data.series] or [[0]]
    top = max(
        (sum(col) if data.stacked else max(col) for col in zip(*chart.data, strict=True)),
        default=0,
    )
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(top, 1) * 1.1
    chart.valueAxis.labels.fontName = pdf_fonts.regular()
    chart.valueAxis.labels.fontSize = 8
    chart.categoryAxis.categoryNames = list(data.categories) or [""]
    chart.categoryAxis.labels.fontName = pdf_fonts.regular()
    chart.categoryAxis.labels.fontSize = 7 if len(data.categories) > 6 else 8
    chart.categoryAxis.labels.angle = 30 if len(data.categories) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(data.categories) > 6 else "n"
    if data.stacked:
        chart.categoryAxis.style = "stacked"
    chart.groupSpacing = 8
    chart.barSpacing = 1
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 30, height - 22
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.dx = legend.dy = 7
    legend.fontName = pdf_fonts.regular()
    legend.fontSize = 8
    legend.colorNamePairs = [
        (PALETTE[i % len(PALETTE)], name) for i, (name, _) in enumerate(data.series)
    ]
    legend.boxAnchor = "nw"
    drawing.add(legend)
    return drawing


def _photo(photo: StoryPhotoContent, styles) -> KeepTogether:
    reader = ImageReader(io.BytesIO(photo.image))
    width, height = reader.getSize()
    scale = min(FRAME_WIDTH / width, 95 * mm / height)
    when = f", {_day(photo.happened_on)}" if photo.happened_on else ""
    parts = [
        Image(io.BytesIO(photo.image), width=width * scale, height=height * scale, hAlign="LEFT"),
        Spacer(1, 3),
        _p(f"{photo.story_title} ({photo.unit_name}{when})", styles["h3"]),
    ]
    if photo.caption:
        parts.append(_p(photo.caption, styles["small"]))
    parts.append(Spacer(1, 8))
    return KeepTogether(parts)


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _period(start: date, end: date) -> str:
    return gettext("%(start)s to %(end)s") % {"start": _day(start), "end": _day(end)}


def render(content: ReportContent, progress=None) -> bytes:
    """The report's PDF, in the active language; `progress(part)` is called as each part is
    laid out."""
    brand = HexColor(content.brand_colour)
    title = gettext("Mini Police impact report")
    styles = _styles(brand)
    tick = progress or (lambda part: None)
    story = []

    # Cover.
    story += [
        Spacer(1, 40 * mm),
        _p(content.force_name, styles["cover"]),
        _p(title, styles["h1"]),
        _p(_period(content.start, content.end), styles["cover"]),
        Spacer(1, 12 * mm),
        _p(
            gettext("Prepared for %(name)s.") % {"name": content.pcc_name}
            if content.pcc_name
            else gettext("Prepared for the Police and Crime Commissioner."),
            styles["body"],
        ),
        _p(
            gettext(
                "Drawn on %(date)s from the Mini Police Hub. No child is named in this report; "
                "counts of children are rounded (see the last page)."
            )
            % {"date": _day(content.generated_on)},
            styles["small"],
        ),
        PageBreak(),
    ]
    story += [
        _p(gettext("Headline figures"), styles["h2"]),
        _pairs_table(content.headline, styles),
    ]
    tick("headline")

    story.append(_p(gettext("Over time"), styles["h2"]))
    for chart, head, rows in content.charts:
        story += [
            _chart(chart),
            _p(gettext("%(chart)s: the figures.") % {"chart": chart.title}, styles["small"]),
            _table(head, rows, styles),
            Spacer(1, 10),
        ]
    tick("charts")

    story += [PageBreak(), _p(gettext("Survey change"), styles["h2"])]
    if content.survey_rows:
        story += [_p(line, styles["body"]) for line in content.survey_rounds]
        story.append(
            _table(
                [gettext("Question"), gettext("Before"), gettext("After"), gettext("Change")],
                [list(row) for row in content.survey_rows],
                styles,
                [92 * mm, 26 * mm, 26 * mm, 30 * mm],
            )
        )
        story += [_p(line, styles["small"]) for line in content.benchmark]
    else:
        story.append(
            _p(
                gettext(
                    "No before-and-after survey round of a cohort that ran in this period has 5 "
                    "responses or more, so no change is reported."
                ),
                styles["body"],
            )
        )
    tick("survey")

    story += [_p(gettext("Community reach"), styles["h2"]), _pairs_table(content.reach, styles)]
    if content.photos:
        story += [PageBreak(), _p(gettext("Stories from the units"), styles["h2"])]
        story += [_photo(photo, styles) for photo in content.photos]
    tick("stories")

    story += [PageBreak(), _p(gettext("Method and small numbers"), styles["h2"])]
    story += [_p(line, styles["body"]) for line in content.method]
    buffer = io.BytesIO()
    running_title = f"{content.force_name}: {title}, {_period(content.start, content.end)}"
    page_words = gettext("Page %(number)s")

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(brand)
        canvas.rect(0, HEIGHT - 8 * mm, WIDTH, 8 * mm, stroke=0, fill=1)
        canvas.setFillColor(GREY)
        canvas.setFont(pdf_fonts.regular(), 8)
        canvas.drawString(MARGIN, 10 * mm, running_title)
        canvas.drawRightString(WIDTH - MARGIN, 10 * mm, page_words % {"number": doc.page})
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN,
        title=f"{title}: {content.force_name}",
        author=content.force_name,
        subject=_period(content.start, content.end),
        lang="cy" if translation.get_language() == "cy" else "en-GB",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    tick("done")
    return buffer.getvalue()
