"""Page images of a PDF (poppler's pdftoppm, grey, no extra library) and where their ink is."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CM_PER_INCH = 2.54


@dataclass
class Page:
    width: int
    height: int
    dpi: float
    pixels: bytes  # one byte per pixel, 0 = black, 255 = white

    def px(self, cm: float) -> int:
        return round(cm / CM_PER_INCH * self.dpi)

    def ink(self, *, left: float, top: float, right: float, bottom: float, threshold: int = 160) -> int:
        """Dark pixels in the box (cm from the page's top left corner)."""
        x0, x1 = max(0, self.px(left)), min(self.width, self.px(right))
        y0, y1 = max(0, self.px(top)), min(self.height, self.px(bottom))
        count = 0
        for y in range(y0, y1):
            row = self.pixels[y * self.width + x0:y * self.width + x1]
            count += sum(1 for value in row if value < threshold)
        return count

    def ink_box(self, *, left: float, top: float, right: float, bottom: float,
                threshold: int = 160) -> tuple[float, float, float, float] | None:
        """(left, top, right, bottom) in cm of the dark pixels inside the box, or None."""
        x0, x1 = max(0, self.px(left)), min(self.width, self.px(right))
        y0, y1 = max(0, self.px(top)), min(self.height, self.px(bottom))
        xs, ys = [], []
        for y in range(y0, y1):
            row = self.pixels[y * self.width + x0:y * self.width + x1]
            hits = [i for i, value in enumerate(row) if value < threshold]
            if hits:
                ys.append(y)
                xs += [hits[0] + x0, hits[-1] + x0]
        if not ys:
            return None
        to_cm = CM_PER_INCH / self.dpi
        return min(xs) * to_cm, min(ys) * to_cm, (max(xs) + 1) * to_cm, (max(ys) + 1) * to_cm

    def lowest_ink(self, *, top: float, bottom: float, left: float = 0.0, right: float | None = None) -> float | None:
        box = self.ink_box(left=left, top=top, right=right if right is not None else 100.0, bottom=bottom)
        return None if box is None else box[3]


def pages(pdf: bytes, *, dpi: int = 40, first: int | None = None, last: int | None = None) -> list[Page]:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        args = ["pdftoppm", "-gray", "-r", str(dpi)]
        if first:
            args += ["-f", str(first)]
        if last:
            args += ["-l", str(last)]
        subprocess.run([*args, str(source), str(Path(tmp) / "p")], check=True, capture_output=True)
        out = []
        for path in sorted(Path(tmp).glob("p-*.pgm")):
            data = path.read_bytes()
            fields, pos = [], 0
            while len(fields) < 4:  # P5 width height maxval, then one whitespace byte, then pixels
                while data[pos:pos + 1].isspace():
                    pos += 1
                end = pos
                while not data[end:end + 1].isspace():
                    end += 1
                fields.append(data[pos:end])
                pos = end
            magic, width, height, maxval = fields
            assert magic == b"P5" and maxval == b"255"
            width, height = int(width), int(height)
            out.append(Page(width, height, dpi, data[pos + 1:pos + 1 + width * height]))
        return out
