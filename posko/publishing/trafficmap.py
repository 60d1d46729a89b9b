"""A schematic traffic advisory map, rendered server-side with Pillow from the advisory's road,
alternative route and desa: the closed road across the middle in red, the detour around it in
green, the desa named where they lie. 1080 × 1080 JPEG: within every platform's limits
(Instagram 4:5–1.91:1 and ≤ 8 MiB, Facebook ≤ 4 MB, X, Telegram)."""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

SIZE = 1080
NAVY = (15, 39, 64)
RED = (198, 40, 40)
GREEN = (30, 126, 52)
LAND = (238, 241, 236)
ROAD = (255, 255, 255)
INK = (27, 36, 48)
GOLD = (201, 162, 39)


FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT_FILE, size)
    except OSError:  # no DejaVu on this machine: Pillow's own font (no dashes)
        return ImageFont.load_default(size=size)


def _label(
    draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, fill: tuple[int, int, int]
) -> None:
    font = _font(size)
    box = draw.textbbox(xy, text, font=font, anchor="mm")
    pad = 10
    draw.rounded_rectangle(
        (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad),
        radius=8,
        fill=(255, 255, 255),
        outline=fill,
        width=3,
    )
    draw.text(xy, text, font=font, fill=fill, anchor="mm")


def render_traffic_map(
    road: str, alternative: str, desa: list[str], *, window: str = "", title: str = ""
) -> bytes:
    """The map as JPEG bytes (deterministic for the same input)."""
    image = Image.new("RGB", (SIZE, SIZE), LAND)
    draw = ImageDraw.Draw(image)
    # Header band.
    draw.rectangle((0, 0, SIZE, 150), fill=NAVY)
    draw.text((40, 40), "INFO LALU LINTAS", font=_font(44), fill=GOLD)
    draw.text((40, 98), (title or road)[:48], font=_font(32), fill=(255, 255, 255))
    # Blocks of desa as a schematic grid.
    names = desa[:4] or [""]
    spots = [(270, 330), (810, 330), (270, 760), (810, 760)]
    for name, (x, y) in zip(names, spots, strict=False):
        draw.rounded_rectangle(
            (x - 200, y - 110, x + 200, y + 110), radius=18, fill=(222, 229, 218)
        )
        if name:
            draw.text((x, y), name[:22], font=_font(30), fill=(90, 102, 117), anchor="mm")
    # The closed road across the middle.
    middle = 545
    draw.line((0, middle, SIZE, middle), fill=(190, 196, 204), width=70)
    draw.line((0, middle, SIZE, middle), fill=ROAD, width=56)
    draw.line((300, middle, 780, middle), fill=RED, width=56)
    for x in (470, 610):
        draw.line((x - 34, middle - 34, x + 34, middle + 34), fill=(255, 255, 255), width=12)
        draw.line((x - 34, middle + 34, x + 34, middle - 34), fill=(255, 255, 255), width=12)
    # The detour: off the road before the closure, around, back after it.
    detour = [(45, middle), (45, 185), (1035, 185), (1035, middle)]
    draw.line(detour, fill=GREEN, width=22, joint="curve")
    for x, y in ((540, 185),):
        draw.polygon([(x + 26, y), (x - 14, y - 22), (x - 14, y + 22)], fill=GREEN)
    _label(draw, (540, middle + 90), ("DITUTUP: " + road)[:40], 30, RED)
    _label(draw, (540, 250), ("ALTERNATIF: " + alternative)[:40], 30, GREEN)
    # Footer: the time window and a note that the map is schematic.
    draw.rectangle((0, 930, SIZE, SIZE), fill=(255, 255, 255))
    footer = textwrap.shorten(window, 60) if window else ""
    draw.text((40, 960), footer, font=_font(34), fill=INK)
    draw.text(
        (40, 1025), "Peta skematis, bukan skala sebenarnya.", font=_font(24), fill=(91, 102, 117)
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()
