"""Draw the demo season's show posters into assets/shows/ (run once; the JPEGs are committed).

Usage: python tools/make_demo_posters.py
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "assets" / "fonts" / "DejaVuSans-Bold.ttf"
PALETTES = [
    ((255, 94, 98), (54, 0, 92)), ((0, 198, 255), (0, 30, 90)), ((255, 200, 55), (160, 20, 60)),
    ((120, 255, 160), (10, 60, 80)), ((250, 120, 255), (40, 10, 70)), ((255, 140, 0), (30, 20, 20)),
    ((90, 120, 255), (10, 10, 40)), ((255, 60, 140), (20, 40, 120)), ((0, 230, 200), (60, 0, 100)),
    ((255, 230, 150), (120, 40, 0)), ((180, 180, 255), (30, 30, 60)), ((255, 110, 70), (0, 60, 70)),
]


def poster(name: str, index: int, path: Path) -> None:
    width, height = 1200, 800
    top, bottom = PALETTES[index % len(PALETTES)]
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    rng = random.Random(index)
    glow = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    glow_draw = ImageDraw.Draw(glow)
    for _ in range(14):
        x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(40, 260)
        glow_draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 255, rng.randint(18, 60)))
    image = Image.alpha_composite(image.convert("RGBA"), glow.filter(ImageFilter.GaussianBlur(30))).convert("RGB")
    draw = ImageDraw.Draw(image)
    for k in range(7):  # stage lights
        angle = math.radians(60 + k * 10)
        draw.line([(width // 2, -40), (width // 2 + int(1400 * math.cos(angle)), int(1400 * math.sin(angle)))],
                  fill=(255, 255, 255), width=2)
    font = ImageFont.truetype(str(FONT), 96 if len(name) < 14 else 72)
    box = draw.textbbox((0, 0), name.upper(), font=font)
    x, y = (width - (box[2] - box[0])) // 2, height - 230
    draw.text((x + 4, y + 4), name.upper(), font=font, fill=(0, 0, 0))
    draw.text((x, y), name.upper(), font=font, fill=(255, 255, 255))
    small = ImageFont.truetype(str(FONT), 34)
    draw.text((60, 50), "BARBY · TEL AVIV", font=small, fill=(255, 255, 255))
    image.save(path, "JPEG", quality=82, optimize=True)


if __name__ == "__main__":
    from services.demo_data import DEMO_SHOWS

    for i, show in enumerate(DEMO_SHOWS):
        poster(show["artist_en"], i, ROOT / "assets" / "shows" / f"{show['slug']}.jpg")
        print("drew", show["slug"])
