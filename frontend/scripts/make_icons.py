"""Draws Fortify's app icons (192, 512 and a maskable 512) with Pillow: run once, commit the PNGs.

Each is saved as a 256-colour palette PNG: two flat colours and their anti-aliased edges fit in
it with no visible change, at a third of the bytes (icon-192 is in the service worker's
precache, which has a size budget; issue #14).

    ../.venv/bin/python scripts/make_icons.py

The maskable icon keeps its mark inside the central 80 % safe zone, as the manifest spec asks.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "public" / "icons"
BLUE = (31, 95, 139, 255)
WHITE = (255, 255, 255, 255)


def draw(size: int, maskable: bool) -> Image.Image:
    scale = 4  # draw large, then downsample for smooth edges
    big = size * scale
    img = Image.new("RGBA", (big, big), BLUE if maskable else (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if not maskable:
        d.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BLUE)
    inset = big * (0.26 if maskable else 0.18)
    box = (inset, inset, big - inset, big - inset)
    w = box[2] - box[0]
    # A shield (protection) with a bone-like bar across it.
    cx = big / 2
    top, bottom = box[1], box[3]
    d.polygon(
        [(box[0], top + w * 0.08), (cx, top), (box[2], top + w * 0.08),
         (box[2] - w * 0.06, top + w * 0.6), (cx, bottom), (box[0] + w * 0.06, top + w * 0.6)],
        fill=WHITE,
    )
    bar_h = w * 0.14
    y = top + w * 0.42
    d.rounded_rectangle((box[0] + w * 0.2, y, box[2] - w * 0.2, y + bar_h), radius=bar_h / 2, fill=BLUE)
    for x in (box[0] + w * 0.2, box[2] - w * 0.2):
        for dy in (-bar_h * 0.35, bar_h * 1.35):
            r = bar_h * 0.55
            d.ellipse((x - r, y + dy - r, x + r, y + dy + r), fill=BLUE)
    return img.resize((size, size), Image.LANCZOS)


def save(img: Image.Image, name: str) -> None:
    img.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(OUT / name, optimize=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    save(draw(192, False), "icon-192.png")
    save(draw(512, False), "icon-512.png")
    save(draw(512, True), "maskable-512.png")
    # Safari ignores transparency here: no alpha channel.
    save(draw(180, True).convert("RGB"), "apple-touch-icon.png")
    save(draw(96, False), "shortcut-96.png")


if __name__ == "__main__":
    main()
