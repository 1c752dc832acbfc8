"""Draw the demo inventory's brand logos (inventory/demo/files/brands/*.png): small square marks, one per brand.

    .venv/bin/python tools/make_demo_logos.py
Needs Pillow (a dependency of the panel). The files are committed; run this only to change them.
"""
import os

from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "inventory", "demo", "files", "brands")
SIZE = 128


def provider(draw):
    # A cloud: three overlapping discs on a bar, in the provider's blue.
    blue = (31, 78, 121, 255)
    for box in ((18, 52, 62, 96), (42, 30, 94, 82), (72, 48, 112, 88)):
        draw.ellipse(box, fill=blue)
    draw.rounded_rectangle((18, 70, 112, 98), radius=14, fill=blue)


def acme(draw):
    # An orange rounded square with a white "A" made of strokes.
    draw.rounded_rectangle((8, 8, 120, 120), radius=26, fill=(194, 65, 12, 255))
    white = (255, 255, 255, 255)
    draw.line((36, 98, 64, 28), fill=white, width=14)
    draw.line((64, 28, 92, 98), fill=white, width=14)
    draw.line((46, 74, 82, 74), fill=white, width=10)


def globex(draw):
    # A green globe: a disc with white meridian and parallels.
    green = (21, 128, 61, 255)
    white = (255, 255, 255, 255)
    draw.ellipse((10, 10, 118, 118), fill=green)
    draw.ellipse((42, 14, 86, 114), outline=white, width=6)
    draw.line((14, 64, 114, 64), fill=white, width=6)
    draw.arc((18, 20, 110, 60), 200, 340, fill=white, width=5)
    draw.arc((18, 68, 110, 108), 20, 160, fill=white, width=5)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, paint in (("provider", provider), ("acme", acme), ("globex", globex)):
        image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
        paint(ImageDraw.Draw(image))
        image.save(os.path.join(OUT, "%s.png" % name), optimize=True)
        print(os.path.join(OUT, "%s.png" % name))


if __name__ == "__main__":
    main()
