"""The starter pack's synthetic world: coloured shapes on plain or gradient backgrounds, with captions.

Every image is drawn from a `Scene`, and every scene has exactly one caption, so a model trained on
(image, caption) pairs learns the words it is asked about. The vocabulary is small and closed
(`SHAPES`, `COLOURS`, `SIZES`, `PLACES`); `scenes(seed)` yields an endless, reproducible stream.

    a small red star in the top left on a blue background
    a large green ring in the middle on a yellow to purple gradient

Run as a script to write a contact sheet of a few scenes and their captions:

    /usr/bin/python3 tools/modelpack/world.py --out /tmp/world.png --count 64
"""

import argparse
import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

SHAPES = ["circle", "square", "triangle", "star", "ring"]

COLOURS = {
    "red": (220, 30, 30),
    "green": (30, 170, 50),
    "blue": (35, 70, 220),
    "yellow": (245, 215, 30),
    "white": (245, 245, 245),
    "black": (15, 15, 15),
    "orange": (245, 135, 20),
    "purple": (140, 40, 180),
}

# Radius of the shape as a fraction of the image side.
SIZES = {"small": 0.17, "large": 0.30}

# Centre of the shape as fractions of the image side.
PLACES = {
    "in the top left": (0.3, 0.3),
    "in the top right": (0.7, 0.3),
    "in the bottom left": (0.3, 0.7),
    "in the bottom right": (0.7, 0.7),
    "in the middle": (0.5, 0.5),
}


@dataclass(frozen=True)
class Scene:
    shape: str
    colour: str
    size: str
    place: str
    background: str
    background_to: str  # the gradient's second colour, or "" for a plain background

    def caption(self) -> str:
        ground = (
            f"on {article(self.background)} {self.background} to {self.background_to} gradient"
            if self.background_to
            else f"on {article(self.background)} {self.background} background"
        )
        return f"a {self.size} {self.colour} {self.shape} {self.place} {ground}"


def article(word: str) -> str:
    """'an' before a vowel sound, else 'a'."""
    return "an" if word[0] in "aeiou" else "a"


def random_scene(rng: random.Random, gradients: float = 0.3) -> Scene:
    """A scene whose background colours differ from the shape's colour."""
    shape = rng.choice(SHAPES)
    colour = rng.choice(list(COLOURS))
    others = [c for c in COLOURS if c != colour]
    background = rng.choice(others)
    background_to = ""
    if rng.random() < gradients:
        background_to = rng.choice([c for c in others if c != background])
    return Scene(
        shape, colour, rng.choice(list(SIZES)), rng.choice(list(PLACES)), background, background_to
    )


def scenes(seed: int, gradients: float = 0.3):
    """An endless, reproducible stream of scenes."""
    rng = random.Random(seed)
    while True:
        yield random_scene(rng, gradients)


def render(scene: Scene, size: int = 64, supersample: int = 4) -> np.ndarray:
    """The scene as an RGB uint8 array [size, size, 3], drawn at `supersample`x and downsampled."""
    big = size * supersample
    image = Image.new("RGB", (big, big), COLOURS[scene.background])
    if scene.background_to:
        top = np.array(COLOURS[scene.background], dtype=np.float32)
        bottom = np.array(COLOURS[scene.background_to], dtype=np.float32)
        t = np.linspace(0.0, 1.0, big, dtype=np.float32)[:, None, None]
        rows = (top * (1 - t) + bottom * t).astype(np.uint8)
        image = Image.fromarray(np.broadcast_to(rows, (big, big, 3)).copy())
    draw = ImageDraw.Draw(image)
    cx, cy = (v * big for v in PLACES[scene.place])
    r = SIZES[scene.size] * big
    fill = COLOURS[scene.colour]
    if scene.shape == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    elif scene.shape == "ring":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
        inner = r * 0.55
        hole = _background_at(scene, cy / big)
        draw.ellipse([cx - inner, cy - inner, cx + inner, cy + inner], fill=hole)
    elif scene.shape == "square":
        s = r * 0.85
        draw.rectangle([cx - s, cy - s, cx + s, cy + s], fill=fill)
    elif scene.shape == "triangle":
        points = [
            (cx + r * math.cos(a), cy + r * math.sin(a))
            for a in (-math.pi / 2, math.pi / 6, 5 * math.pi / 6)
        ]
        draw.polygon(points, fill=fill)
    elif scene.shape == "star":
        points = []
        for k in range(10):
            radius = r if k % 2 == 0 else r * 0.45
            a = -math.pi / 2 + k * math.pi / 5
            points.append((cx + radius * math.cos(a), cy + radius * math.sin(a)))
        draw.polygon(points, fill=fill)
    else:
        raise ValueError(f"unknown shape {scene.shape}")
    return np.asarray(image.resize((size, size), Image.LANCZOS))


def _background_at(scene: Scene, fraction: float):
    """The background colour at a height (for a ring's hole on a gradient, its centre row)."""
    if not scene.background_to:
        return COLOURS[scene.background]
    top = np.array(COLOURS[scene.background], dtype=np.float32)
    bottom = np.array(COLOURS[scene.background_to], dtype=np.float32)
    return tuple(int(v) for v in top * (1 - fraction) + bottom * fraction)


def vocabulary():
    """Every word a caption can contain, in a fixed order."""
    words = ["a", "an", "on", "background", "gradient", "to", "in", "the"]
    words += SHAPES + list(COLOURS) + list(SIZES)
    for place in PLACES:
        words += [w for w in place.split() if w not in words]
    seen = []
    for w in words:
        if w not in seen:
            seen.append(w)
    return seen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    side = int(math.ceil(math.sqrt(args.count)))
    sheet = Image.new("RGB", (side * args.size, side * args.size))
    stream = scenes(args.seed)
    for i in range(args.count):
        scene = next(stream)
        tile = Image.fromarray(render(scene, args.size))
        sheet.paste(tile, ((i % side) * args.size, (i // side) * args.size))
        print(f"{i:3d} {scene.caption()}")
    sheet.save(args.out)


if __name__ == "__main__":
    main()
