"""Printed invitations: one A4 page per unclaimed producer, with their products, a claim code,
the QR code of the Telegram deep link that claims on open, and the way to do it on Zalo.

One layout for `ocop-bot invitations` and the console's button. The font is DejaVu Sans (it
has every Vietnamese letter), taken from matplotlib's data, which the bot installs anyway.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path

import matplotlib
import segno
from fpdf import FPDF, XPos, YPos
from fpdf.enums import MethodReturnValue

from handlers.claims.invitations import Invitation
from handlers.claims.link import PREFIX
from messages import Renderer
from messages.render import format_number

PDF = "application/pdf"
SHOWN_PRODUCTS = 12  # more than this: "… và N sản phẩm khác"
QR_MM = 52
MASK = 4  # one fixed QR mask: choosing the best of eight is most of segno's time


@cache
def font_files() -> tuple[Path, Path]:
    """DejaVu Sans, regular and bold, as matplotlib ships them."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def qr_png(link: str) -> bytes:
    """The link as a QR code picture, with a quiet zone that phone cameras need."""
    out = io.BytesIO()
    segno.make(link, error="m", micro=False).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def _grouped(code: str) -> str:
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


class _Pages(FPDF):
    """The document, with the line breaks of paragraphs every page repeats worked out once
    (fpdf2 measures a paragraph character by character: most of a page's time)."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        regular, bold = font_files()
        self.add_font("DejaVu", "", str(regular))
        self.add_font("DejaVu", "B", str(bold))
        self.set_auto_page_break(auto=False)
        self.set_margins(18, 16, 18)
        self.broken: dict[tuple[str, str, float, float], list[str]] = {}

    def para(self, width: float, height: float, text: str, align: str = "L") -> None:
        """A paragraph; the next one starts under it at the left margin."""
        key = (text, self.font_style, self.font_size_pt, width)
        if key not in self.broken:
            lines = self.multi_cell(width, height, text, dry_run=True,
                                    output=MethodReturnValue.LINES)
            self.broken[key] = lines if isinstance(lines, list) else [text]
        x = self.get_x()
        for line in self.broken[key]:
            self.cell(width, height, line, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_x(x)

    def qr(self, link: str, x: float, y: float, size: float) -> None:
        """The link's QR code drawn as filled squares (crisp in print, quick to lay out)."""
        code = segno.make(link, error="m", micro=False, mask=MASK)
        rows = list(code.matrix)
        border = 4
        module = size / (len(rows) + 2 * border)
        for r, row in enumerate(rows):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                self.rect(x + (border + start) * module, y + (border + r) * module,
                          (c - start) * module, module, style="F")


def _page(pdf: _Pages, renderer: Renderer, lang: str, item: Invitation, day: date) -> None:
    def say(key: str, **context: object) -> str:
        return renderer.label(lang, f"invitation.{key}", **context)

    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.para(width, 7.5, say("title"), align="C")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.para(width, 6, say("to", name=item.name or "…"))
    pdf.set_font("DejaVu", "", 10.5)
    pdf.ln(1)
    pdf.para(width, 5.2, say("intro", province=item.province))
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 10.5)
    pdf.para(width, 5.2, say("products"))
    pdf.set_font("DejaVu", "", 10.5)
    for name in item.products[:SHOWN_PRODUCTS]:
        pdf.para(width, 5.2, f"• {name}")
    if len(item.products) > SHOWN_PRODUCTS:
        more = format_number(len(item.products) - SHOWN_PRODUCTS, lang)
        pdf.para(width, 5.2, say("more", count=more))
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 17)
    pdf.cell(width, 11, say("code", code=_grouped(item.code)), border=1, align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9.5)
    pdf.para(width, 5, say("valid", until=item.until.strftime("%d/%m/%Y")), align="C")
    pdf.ln(4)
    top = pdf.get_y()
    pdf.qr(item.link, pdf.w - pdf.r_margin - QR_MM, top, QR_MM)
    text_width = width - QR_MM - 6
    pdf.set_font("DejaVu", "B", 11)
    pdf.para(text_width, 6, say("telegram_title"))
    pdf.set_font("DejaVu", "", 10)
    pdf.para(text_width, 5, say("telegram"))
    pdf.set_font("DejaVu", "", 8.5)
    pdf.cell(text_width, 5, item.link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + QR_MM) + 4)
    pdf.set_font("DejaVu", "B", 11)
    pdf.para(width, 6, say("zalo_title"))
    pdf.set_font("DejaVu", "", 10)
    pdf.para(width, 5, say("zalo", have_code=renderer.label(lang, "claims.have_code")))
    pdf.ln(3)
    pdf.para(width, 5, say("help"))
    pdf.set_y(pdf.h - 16)
    pdf.set_font("DejaVu", "", 8)
    pdf.cell(width, 4, say("printed", day=day.strftime("%d/%m/%Y"), province=item.province,
                           id=item.producer_id), align="C")


def invitations_pdf(
    renderer: Renderer, lang: str, items: Iterable[Invitation], day: date
) -> bytes:
    """Every invitation, one page each, as a PDF file's bytes."""
    pdf = _Pages()
    for item in items:
        _page(pdf, renderer, lang, item, day)
    return bytes(pdf.output())


__all__ = ["PDF", "PREFIX", "invitations_pdf", "qr_png"]  # qr_png: the same code as a picture
