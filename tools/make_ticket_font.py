"""Cut the ticket PDF font from DejaVu Sans: only the scripts our customers write in.

fpdf2 parses the whole TTF for every document; the full DejaVu (750 KB) cost ~60% of a ticket render.
The subset keeps Latin, Hebrew (with presentation forms), Cyrillic, Arabic, punctuation and currency (₪).
Usage: python tools/make_ticket_font.py   (the output in assets/fonts/ is committed)
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
RANGES = [(0x20, 0x250), (0x370, 0x400), (0x400, 0x530), (0x590, 0x600), (0x600, 0x700), (0x2000, 0x2070),
          (0x20A0, 0x20C0), (0x2100, 0x2200), (0x2190, 0x2200), (0x25A0, 0x2600), (0x2700, 0x27C0),
          (0xFB1D, 0xFB50)]


def cut(source: str, target: str) -> None:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(FONTS / source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for start, end in RANGES for code in range(start, end)])
    subsetter.subset(font)
    subset.save_font(font, str(FONTS / target), options)
    print(f"{target}: {(FONTS / target).stat().st_size:,} bytes")


if __name__ == "__main__":
    cut("DejaVuSans.ttf", "BarbyTicket-Regular.ttf")
    cut("DejaVuSans-Bold.ttf", "BarbyTicket-Bold.ttf")
