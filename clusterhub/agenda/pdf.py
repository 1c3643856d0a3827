"""The PDF of a published agenda version (fpdf2, pure Python), from `exporting.version_record`.

The PDF uses the standard Helvetica font, which every reader has and which covers Latin-1:
all Italian (and most Western European) letters come out as they are. Typographic marks
outside Latin-1 are written as their plain equivalents (“ ” as ", – as -, € as EUR), and
anything else as "?": a PDF is never refused because of one character.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

_PLAIN = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "−": "-",
        "…": "...",
        "€": "EUR",
        "•": "-",
        "→": "->",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\t": "    ",
    }
)


def latin1(text: Any) -> str:
    """The text as Helvetica can write it (see the module's docstring)."""
    plain = str(text if text is not None else "").translate(_PLAIN)
    cleaned = "".join(ch for ch in plain if ch == "\n" or ord(ch) >= 32)
    return cleaned.encode("latin-1", errors="replace").decode("latin-1")


class _AgendaPDF(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, latin1(self.footer_text), align="L")
        self.cell(0, 6, f"{self.page_no()}", align="R")


def _paragraph(
    pdf: FPDF, text: str, *, size: float = 10, style: str = "", height: float = 5
) -> None:
    pdf.set_font("helvetica", style=style, size=size)
    pdf.multi_cell(0, height, latin1(text), new_x="LMARGIN", new_y="NEXT")


def _label(pdf: FPDF, text: str) -> None:
    pdf.ln(1)
    pdf.set_text_color(90, 90, 90)
    _paragraph(pdf, text.upper(), size=8, style="B", height=4)
    pdf.set_text_color(20, 20, 20)


def _number(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:g}"


def version_pdf(record: dict[str, Any]) -> bytes:
    """The whole version: title, summary, then each item in full."""
    title = _("Agenda of the %(cluster)s cluster, version %(number)d") % {
        "cluster": record["cluster"]["name"],
        "number": record["number"],
    }
    pdf = _AgendaPDF(footer_text=f"{title} · {record['url']}")
    pdf.set_title(latin1(title))
    pdf.set_creator("clusterhub")
    pdf.add_page()
    pdf.set_text_color(20, 20, 20)
    _paragraph(pdf, title, size=9, style="B")
    _paragraph(pdf, record["title"], size=18, style="B", height=9)
    if record["published_at"]:
        published = timezone.datetime.fromisoformat(record["published_at"])
        _paragraph(
            pdf,
            _("Published on %(date)s") % {"date": date_format(published, "DATE_FORMAT")},
            size=9,
        )
    if record["summary"]:
        pdf.ln(2)
        _paragraph(pdf, record["summary"])
    for index, item in enumerate(record["items"], start=1):
        pdf.ln(4)
        pdf.set_draw_color(200, 200, 200)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(2)
        _paragraph(pdf, f"{index}. {item['title']}", size=13, style="B", height=7)
        facts = []
        if item["priority_area"]:
            facts.append(item["priority_area"]["name"])
        if item["starts_on"] or item["ends_on"]:
            facts.append(f"{item['starts_on'] or '...'} - {item['ends_on'] or '...'}")
        if item["progress"] is not None:
            facts.append(_("Progress: %(percent)d%%") % {"percent": item["progress"]})
        if item["responsible"]:
            facts.append(item["responsible"])
        if facts:
            pdf.set_text_color(90, 90, 90)
            _paragraph(pdf, " · ".join(facts), size=9)
            pdf.set_text_color(20, 20, 20)
        _label(pdf, _("Objective"))
        _paragraph(pdf, item["objective"])
        if item["planned_actions"]:
            _label(pdf, _("Planned actions"))
            _paragraph(pdf, item["planned_actions"])
        if item["kpis"]:
            _label(pdf, _("KPIs"))
            for kpi in item["kpis"]:
                unit = f" {kpi['unit']}" if kpi["unit"] else ""
                line = _(
                    "%(name)s: target %(target)s%(unit)s (from %(baseline)s), now %(current)s"
                ) % {
                    "name": kpi["name"],
                    "target": _number(kpi["target"]),
                    "unit": unit,
                    "baseline": _number(kpi["baseline"]),
                    "current": _number(kpi["current"]),
                }
                _paragraph(pdf, f"- {line}")
        if item["milestones"]:
            _label(pdf, _("Milestones"))
            for milestone in item["milestones"]:
                state = _("done") if milestone["done_on"] else (milestone["due_on"] or "")
                _paragraph(
                    pdf, f"- {milestone['title']} ({state})" if state else f"- {milestone['title']}"
                )
        sources = [c["title"] for c in item["contributions"]] + [t["title"] for t in item["trends"]]
        if sources:
            _label(pdf, _("The needs and trends behind it"))
            for source in sources:
                _paragraph(pdf, f"- {source}")
        if item["result"]:
            _label(pdf, _("Consultation result"))
            _paragraph(
                pdf,
                _("Score %(score)s (%(share)s%% of the total), rank %(rank)s")
                % {
                    "score": _number(item["result"]["score"]),
                    "share": _number(item["result"]["share_percent"]),
                    "rank": item["result"]["rank"],
                },
            )
    return bytes(pdf.output())
