#!/usr/bin/python3
"""The home page's hero image: one slice of the thorax CT phantom shown over the scanner's whole
range (-1024..3071 HU) and in the lung, mediastinum and bone windows (PS3.3 LINEAR VOI LUT),
in a 2 x 2 grid.

Run after `npm run data` (which generates the phantom series):
    /usr/bin/python3 scripts/make-hero-image.py
Writes public/hero-windows.jpg. Needs Debian's python3-pydicom, python3-numpy and python3-pil.
"""
import os

import numpy as np
import pydicom
from PIL import Image, ImageDraw, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERIES = os.path.join(ROOT, 'public', 'data', 'ct-thorax-phantom')
OUT = os.path.join(ROOT, 'public', 'hero-windows.jpg')
FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'  # Debian fonts-dejavu-core


def linear_window(hu, center, width):
    """DICOM PS3.3 C.11.2.1.2.1 LINEAR, output 0..255."""
    c, w = center - 0.5, width - 1
    y = ((hu - c) / w + 0.5) * 255
    return np.clip(np.where(hu <= c - w / 2, 0, np.where(hu > c + w / 2, 255, y)), 0, 255).astype(np.uint8)


ds = pydicom.dcmread(os.path.join(SERIES, 'slice-036.dcm'))
hu = ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
size = 200
panels = []
for label, (c, w) in [('no window  −1024…3071', (1024, 4096)), ('lung  −600 / 1500', (-600, 1500)), ('mediastinum  50 / 350', (50, 350)), ('bone  300 / 2000', (300, 2000))]:
    img = Image.fromarray(linear_window(hu, c, w)).resize((size, size), Image.LANCZOS).convert('RGB')
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 12) if os.path.exists(FONT) else ImageFont.load_default()
    draw.rectangle([0, size - 18, size, size], fill=(0, 0, 0))
    draw.text((6, size - 16), label, fill=(255, 214, 102), font=font)
    panels.append(img)
gap = 6
canvas = Image.new('RGB', (2 * size + gap, 2 * size + gap), (0, 0, 0))
for i, p in enumerate(panels):
    canvas.paste(p, ((i % 2) * (size + gap), (i // 2) * (size + gap)))
canvas.save(OUT, quality=88, optimize=True)
print(OUT, os.path.getsize(OUT), 'bytes')
