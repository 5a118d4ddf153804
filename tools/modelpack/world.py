"""The starter pack's synthetic world: coloured shapes on plain or gradient backgrounds, with captions.

Every image is drawn from a `Scene` of one or two `Thing`s, and every scene has one caption, so a
model trained on (image, caption) pairs learns the words it is asked about. The vocabulary is small
and closed (`SHAPES`, `COLOURS`, `SIZES`, `PLACES`); `scenes(seed)` yields an endless, reproducible
stream. Positions and sizes are jittered a little, so no two scenes are drawn pixel for pixel alike.

    a small red star in the top left on a blue background
    a large green ring in the middle on a yellow to purple gradient
    a small white circle in the top left and a small black square in the bottom right on a red background

`GLYPHS` are the pack's stand-in "prohibited" symbols: three shapes that no caption names, which the
moderation classifier learns to flag. They stand for a policy category in tests; they are not, and
are never claimed to be, real unsafe content.

Run as a script to write a contact sheet of a few scenes and their captions:

    python3 tools/modelpack/world.py --out /tmp/world.png --count 64
"""

import argparse
import math
import random
from dataclasses import dataclass
from typing import Tuple

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

# Two-thing scenes use two different corners and small things, so that the things never overlap.
CORNERS = [p for p in PLACES if p != "in the middle"]

# The stand-in prohibited symbols (never named in captions).
GLYPHS = ["saltire", "bolt", "hexagram"]

# Words of the templates people wrap concepts in ("a picture of {}"), so they are whole tokens.
TEMPLATE_WORDS = ["this", "is", "of", "picture", "photo", "image", "shape", "and", "with", "something"]

JITTER = 0.03  # position jitter, as a fraction of the side
SCALE_JITTER = 0.08  # size jitter, as a fraction of the radius


@dataclass(frozen=True)
class Thing:
    shape: str
    colour: str
    size: str
    place: str
    dx: float = 0.0
    dy: float = 0.0
    scale: float = 1.0

    def phrase(self) -> str:
        return f"a {self.size} {self.colour} {self.shape} {self.place}"


@dataclass(frozen=True)
class Scene:
    things: Tuple[Thing, ...]
    background: str
    background_to: str = ""  # the gradient's second colour, or "" for a plain background

    # The first thing's attributes, for one-thing code.
    @property
    def shape(self):
        return self.things[0].shape

    @property
    def colour(self):
        return self.things[0].colour

    @property
    def size(self):
        return self.things[0].size

    @property
    def place(self):
        return self.things[0].place

    def ground(self) -> str:
        if self.background_to:
            return f"{article(self.background)} {self.background} to {self.background_to} gradient"
        return f"{article(self.background)} {self.background} background"

    def caption(self) -> str:
        return " and ".join(t.phrase() for t in self.things) + " on " + self.ground()


def article(word: str) -> str:
    """'an' before a vowel sound, else 'a'."""
    return "an" if word[0] in "aeiou" else "a"


def _thing(rng, shape, colour, size, place):
    return Thing(
        shape,
        colour,
        size,
        place,
        rng.uniform(-JITTER, JITTER),
        rng.uniform(-JITTER, JITTER),
        1.0 + rng.uniform(-SCALE_JITTER, SCALE_JITTER),
    )


def random_scene(rng: random.Random, gradients: float = 0.3, pairs: float = 0.2) -> Scene:
    """A scene whose background colours differ from every thing's colour."""
    if rng.random() < pairs:
        a, b = rng.sample(CORNERS, 2)
        colours = rng.sample(list(COLOURS), 2)
        things = (
            _thing(rng, rng.choice(SHAPES), colours[0], "small", a),
            _thing(rng, rng.choice(SHAPES), colours[1], "small", b),
        )
    else:
        place = rng.choice(list(PLACES))
        things = (_thing(rng, rng.choice(SHAPES), rng.choice(list(COLOURS)), rng.choice(list(SIZES)), place),)
    others = [c for c in COLOURS if c not in {t.colour for t in things}]
    background = rng.choice(others)
    background_to = ""
    if rng.random() < gradients:
        background_to = rng.choice([c for c in others if c != background])
    return Scene(things, background, background_to)


def scene_of(shape, colour, size, place, background, background_to="") -> Scene:
    """A one-thing scene without jitter (for held-out captions and tests)."""
    return Scene((Thing(shape, colour, size, place),), background, background_to)


def scenes(seed: int, gradients: float = 0.3, pairs: float = 0.2):
    """An endless, reproducible stream of scenes."""
    rng = random.Random(seed)
    while True:
        yield random_scene(rng, gradients, pairs)


def background_image(scene: Scene, side: int) -> Image.Image:
    if not scene.background_to:
        return Image.new("RGB", (side, side), COLOURS[scene.background])
    top = np.array(COLOURS[scene.background], dtype=np.float32)
    bottom = np.array(COLOURS[scene.background_to], dtype=np.float32)
    t = np.linspace(0.0, 1.0, side, dtype=np.float32)[:, None, None]
    rows = (top * (1 - t) + bottom * t).astype(np.uint8)
    return Image.fromarray(np.broadcast_to(rows, (side, side, 3)).copy())


def render(scene: Scene, size: int = 64, supersample: int = 4) -> np.ndarray:
    """The scene as an RGB uint8 array [size, size, 3], drawn at `supersample`x and downsampled."""
    big = size * supersample
    image = background_image(scene, big)
    draw = ImageDraw.Draw(image)
    for thing in scene.things:
        px, py = PLACES[thing.place]
        cx, cy = (px + thing.dx) * big, (py + thing.dy) * big
        r = SIZES[thing.size] * thing.scale * big
        hole = _background_at(scene, cy / big)
        draw_shape(draw, thing.shape, cx, cy, r, COLOURS[thing.colour], hole)
    return np.asarray(image.resize((size, size), Image.LANCZOS))


def draw_shape(draw, shape, cx, cy, r, fill, hole=None, angle=0.0):
    """Draws a world shape or a glyph centred at (cx, cy) with outer radius r."""
    if shape == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    elif shape == "ring":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
        inner = r * 0.55
        draw.ellipse([cx - inner, cy - inner, cx + inner, cy + inner], fill=hole)
    elif shape == "square":
        s = r * 0.85
        draw.rectangle([cx - s, cy - s, cx + s, cy + s], fill=fill)
    elif shape == "triangle":
        draw.polygon(_star(cx, cy, [r], 3, angle), fill=fill)
    elif shape == "star":
        draw.polygon(_star(cx, cy, [r, r * 0.45], 5, angle), fill=fill)
    elif shape == "hexagram":
        draw.polygon(_star(cx, cy, [r, r * 0.58], 6, angle), fill=fill)
    elif shape == "saltire":
        w = r * 0.22
        for sign in (1, -1):
            c, s = math.cos(math.pi / 4 * sign + angle), math.sin(math.pi / 4 * sign + angle)
            pts = [(-r, -w), (r, -w), (r, w), (-r, w)]
            draw.polygon([(cx + x * c - y * s, cy + x * s + y * c) for x, y in pts], fill=fill)
    elif shape == "bolt":
        pts = [(0.15, -1.0), (-0.55, 0.1), (-0.05, 0.1), (-0.2, 1.0), (0.55, -0.15), (0.05, -0.15)]
        c, s = math.cos(angle), math.sin(angle)
        draw.polygon([(cx + r * (x * c - y * s), cy + r * (x * s + y * c)) for x, y in pts], fill=fill)
    else:
        raise ValueError(f"unknown shape {shape}")


def _star(cx, cy, radii, points, angle):
    out = []
    n = points * len(radii)
    for k in range(n):
        radius = radii[k % len(radii)]
        a = -math.pi / 2 + angle + k * 2 * math.pi / n
        out.append((cx + radius * math.cos(a), cy + radius * math.sin(a)))
    return out


def _background_at(scene: Scene, fraction: float):
    """The background colour at a height (for a ring's hole on a gradient, its centre row)."""
    if not scene.background_to:
        return COLOURS[scene.background]
    fraction = min(1.0, max(0.0, fraction))
    top = np.array(COLOURS[scene.background], dtype=np.float32)
    bottom = np.array(COLOURS[scene.background_to], dtype=np.float32)
    return tuple(int(v) for v in top * (1 - fraction) + bottom * fraction)


def vocabulary():
    """Every word a caption or a template can contain, in a fixed order."""
    words = ["a", "an", "on", "background", "gradient", "to", "in", "the"]
    words += SHAPES + list(COLOURS) + list(SIZES)
    for place in PLACES:
        words += place.split()
    words += TEMPLATE_WORDS
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
