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

from handlers.claims.invitations import Invitation
from handlers.claims.link import PREFIX
from messages import Renderer

PDF = "application/pdf"
SHOWN_PRODUCTS = 12  # more than this: "… và N sản phẩm khác"
QR_MM = 52


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
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        regular, bold = font_files()
        self.add_font("DejaVu", "", str(regular))
        self.add_font("DejaVu", "B", str(bold))
        self.set_auto_page_break(auto=False)
        self.set_margins(18, 16, 18)


def _cell(pdf: _Pages, width: float, height: float, text: str, **options: object) -> None:
    """A paragraph; the next one starts under it at the left margin."""
    pdf.multi_cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                   **options)  # type: ignore[arg-type]


def _page(pdf: _Pages, renderer: Renderer, lang: str, item: Invitation, day: date) -> None:
    def say(key: str, **context: object) -> str:
        return renderer.label(lang, f"invitation.{key}", **context)

    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    _cell(pdf, width, 7.5, say("title"), align="C")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    _cell(pdf, width, 6, say("to", name=item.name or "…"))
    pdf.set_font("DejaVu", "", 10.5)
    pdf.ln(1)
    _cell(pdf, width, 5.2, say("intro", province=item.province))
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 10.5)
    _cell(pdf, width, 5.2, say("products"))
    pdf.set_font("DejaVu", "", 10.5)
    for name in item.products[:SHOWN_PRODUCTS]:
        _cell(pdf, width, 5.2, f"• {name}")
    if len(item.products) > SHOWN_PRODUCTS:
        _cell(pdf, width, 5.2, say("more", count=len(item.products) - SHOWN_PRODUCTS))
    pdf.ln(4)
    code = _grouped(item.code)
    pdf.set_font("DejaVu", "B", 17)
    _cell(pdf, width, 9, say("code", code=code), border=1, align="C")
    pdf.set_font("DejaVu", "", 9.5)
    _cell(pdf, width, 5, say("valid", until=item.until.strftime("%d/%m/%Y")), align="C")
    pdf.ln(4)
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(item.link)), x=pdf.w - pdf.r_margin - QR_MM, y=top, w=QR_MM)
    text_width = width - QR_MM - 6
    pdf.set_font("DejaVu", "B", 11)
    _cell(pdf, text_width, 6, say("telegram_title"))
    pdf.set_font("DejaVu", "", 10)
    _cell(pdf, text_width, 5, say("telegram", link=item.link))
    pdf.set_y(max(pdf.get_y(), top + QR_MM) + 4)
    pdf.set_font("DejaVu", "B", 11)
    _cell(pdf, width, 6, say("zalo_title"))
    pdf.set_font("DejaVu", "", 10)
    have_code = renderer.label(lang, "claims.have_code")
    _cell(pdf, width, 5, say("zalo", code=code, have_code=have_code))
    pdf.ln(3)
    _cell(pdf, width, 5, say("help"))
    pdf.set_y(pdf.h - 16)
    pdf.set_font("DejaVu", "", 8)
    _cell(pdf, width, 4, say("printed", day=day.strftime("%d/%m/%Y"),
                                 province=item.province, id=item.producer_id), align="C")


def invitations_pdf(
    renderer: Renderer, lang: str, items: Iterable[Invitation], day: date
) -> bytes:
    """Every invitation, one page each, as a PDF file's bytes."""
    pdf = _Pages()
    for item in items:
        _page(pdf, renderer, lang, item, day)
    return bytes(pdf.output())


__all__ = ["PDF", "PREFIX", "invitations_pdf", "qr_png"]
