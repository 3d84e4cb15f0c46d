"""The PDF machinery: a document is a list of cards, one page each, in Hebrew (RTL) or English.

A ticket is a card; a gift card is a card. Each page carries the venue logo, an image, a title,
labelled fields, a QR code with its value printed under it, and notes, so every printable pass
the venue sends goes through the same code and looks like the same venue.

Hebrew: fpdf2 draws glyphs in the order it is given, so each line is reordered to visual order
with python-bidi (the Unicode bidi algorithm) after wrapping in logical order. Hebrew letters need
no contextual shaping (final forms are their own code points), so no shaping engine is needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import qrcode
from bidi import get_display
from fpdf import FPDF
from PIL import Image

from services.settings import PROJECT_ROOT

ASSETS = PROJECT_ROOT / "assets"
FONT_REGULAR = ASSETS / "fonts" / "BarbyTicket-Regular.ttf"  # DejaVu Sans, cut by tools/make_ticket_font.py
FONT_BOLD = ASSETS / "fonts" / "BarbyTicket-Bold.ttf"
LOGO = ASSETS / "logo.png"

PAGE_W, MARGIN = 210.0, 15.0
CONTENT_W = PAGE_W - 2 * MARGIN
QR_SIZE = 62.0
IMAGE_H = 80.0


@dataclass(frozen=True)
class Card:
    """One printable pass: what a page shows, already in the customer's language."""

    title: str
    qr_value: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    badge: str = ""
    image: Path | None = None
    notes_title: str = ""
    notes: list[str] = field(default_factory=list)
    footer: str = ""


@dataclass(frozen=True)
class Document:
    """A whole PDF. `created` is fixed by the caller so the same content renders the same bytes."""

    language: str
    title: str
    created: datetime
    cards: list[Card]


def render(document: Document) -> bytes:
    """The PDF bytes: one page per card."""
    pdf = _CardPDF(rtl=document.language == "he")
    pdf.set_title(document.title)
    pdf.set_creation_date(document.created)
    for card in document.cards:
        pdf.card_page(card)
    return bytes(pdf.output())


def qr_image(value: str) -> Image.Image:
    """A QR code with a quiet zone wide enough for door scanners and zbar."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(value)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


@lru_cache(maxsize=64)
def banner(path: Path) -> Image.Image:
    """The image cropped to the page's banner shape (cached: shows repeat across orders)."""
    image = Image.open(path).convert("RGB")
    target = CONTENT_W / IMAGE_H
    width, height = image.size
    if width / height > target:
        new_w = int(height * target)
        box = ((width - new_w) // 2, 0, (width + new_w) // 2, height)
    else:  # keep the bottom, where show artwork puts the artist's name
        new_h = int(width / target)
        box = (0, height - new_h, width, height)
    return image.crop(box)


class _CardPDF(FPDF):
    """FPDF that lays out cards, mirroring the layout for right-to-left languages."""

    def __init__(self, *, rtl: bool) -> None:
        super().__init__(format="A4", unit="mm")
        self.rtl = rtl
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.add_font("DejaVu", "", str(FONT_REGULAR))
        self.add_font("DejaVu", "B", str(FONT_BOLD))

    def line_text(self, value: str) -> str:
        """Visual order for one already-wrapped line (English pages too: a Hebrew name must not print backwards)."""
        return get_display(value, base_dir="R" if self.rtl else "L")

    def write_line(self, value: str, *, size: float, bold: bool = False, height: float | None = None,
                   x: float = MARGIN, width: float = CONTENT_W, gray: int = 0) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.set_text_color(gray)
        self.set_x(x)
        self.cell(width, height or size * 0.5, self.line_text(value), align="R" if self.rtl else "L",
                  new_x="LMARGIN", new_y="NEXT")

    def wrap(self, value: str, width: float) -> list[str]:
        """Split logical text into lines that fit, before reordering (so RTL lines stay in order)."""
        lines: list[str] = []
        current = ""
        for word in value.split():
            candidate = f"{current} {word}".strip()
            if current and self.get_string_width(candidate) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        return [*lines, current] if current else lines

    def card_page(self, card: Card) -> None:
        self.add_page()
        self._header(card)
        self._banner(card)
        self.set_y(MARGIN + 22 + IMAGE_H + 6)
        self.write_line(card.title, size=20, bold=True, height=10)
        self.ln(2)
        top = self.get_y()
        self._fields(card, top)
        self._qr(card, top)
        self.set_y(max(self.get_y(), top + QR_SIZE + 12) + 4)
        self._notes(card)
        self._footer(card)

    def _header(self, card: Card) -> None:
        logo_w = 48.0
        self.image(str(LOGO), x=MARGIN if not self.rtl else PAGE_W - MARGIN - logo_w, y=MARGIN, w=logo_w)
        self.set_y(MARGIN + 5)
        badge_x = MARGIN + logo_w + 5 if not self.rtl else MARGIN
        self.set_font("DejaVu", "B", 12)
        self.set_x(badge_x)
        self.cell(CONTENT_W - logo_w - 5, 6, self.line_text(card.badge), align="L" if self.rtl else "R")

    def _banner(self, card: Card) -> None:
        if card.image and card.image.exists():
            self.image(banner(card.image), x=MARGIN, y=MARGIN + 22, w=CONTENT_W, h=IMAGE_H)

    def _fields(self, card: Card, top: float) -> None:
        width = CONTENT_W - QR_SIZE - 8
        x = MARGIN + QR_SIZE + 8 if self.rtl else MARGIN
        self.set_y(top)
        for label, value in card.fields:
            self.write_line(label, size=9, x=x, width=width, gray=110, height=4.5)
            self.set_font("DejaVu", "B", 12)
            for line in self.wrap(value, width):
                self.write_line(line, size=12, bold=True, x=x, width=width, height=6)
            self.ln(1.5)

    def _qr(self, card: Card, top: float) -> None:
        x = MARGIN if self.rtl else PAGE_W - MARGIN - QR_SIZE
        self.image(qr_image(card.qr_value), x=x, y=top, w=QR_SIZE, h=QR_SIZE)
        self.set_xy(x, top + QR_SIZE + 1)
        self.set_font("DejaVu", "B", 11)
        self.set_text_color(0)
        self.cell(QR_SIZE, 6, card.qr_value, align="C")  # printed too: the door can type it in

    def _notes(self, card: Card) -> None:
        if not card.notes:
            return
        self.set_draw_color(200)
        self.line(MARGIN, self.get_y(), PAGE_W - MARGIN, self.get_y())
        self.ln(3)
        self.write_line(card.notes_title, size=12, bold=True, height=7)
        self.set_font("DejaVu", "", 10)
        for note in card.notes:
            for index, line in enumerate(self.wrap(note, CONTENT_W - 5)):
                bullet = "• " if index == 0 else "  "
                self.write_line(bullet + line, size=10, height=5.5)

    def _footer(self, card: Card) -> None:
        self.set_y(-MARGIN - 6)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(120)
        self.cell(CONTENT_W, 5, self.line_text(card.footer), align="C")
