"""The starter pack's synthetic faces: a head, hair, eyes, brows, a nose and a mouth, drawn from a
few identity parameters and an age, with the five landmarks that face pipelines align on.

Identity is the `Identity` parameters (skin tone, hair, eye colour and geometry, nose, mouth); the
same identity drawn twice differs only in view (size, place, a small turn of the head, expression,
light, background). Apparent age comes from proportions, as in real faces: a child's eyes sit lower
in a rounder head and are larger; lines and grey hair come with age. `AGE_LABELS` are the age
classifier's buckets.

Landmarks follow SCRFD and ArcFace: image-left eye, image-right eye, nose tip, image-left mouth
corner, image-right mouth corner. `align` maps a face onto ArcFace's 112x112 template with the
least-squares similarity transform, as recognition pipelines do.

    python3 tools/modelpack/faces.py --out /tmp/faces.png
"""

import argparse
import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

import world

SKIN = [(255, 224, 196), (241, 194, 160), (224, 172, 130), (198, 134, 90), (141, 85, 54), (92, 58, 38)]
HAIR = {"black": (25, 20, 20), "brown": (100, 60, 30), "blonde": (225, 190, 110), "red": (170, 70, 30),
        "grey": (150, 150, 150), "white": (235, 235, 235)}
EYES = [(90, 55, 30), (60, 110, 190), (70, 140, 80), (120, 120, 130)]

AGE_LABELS = ["0-12", "13-17", "18-59", "60+"]
AGE_RANGES = [(3, 12), (13, 17), (18, 59), (60, 88)]

# ArcFace's five-point template for 112x112 crops.
TEMPLATE = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                     [41.5493, 92.3655], [70.7299, 92.2041]], dtype=np.float64)


@dataclass(frozen=True)
class Identity:
    skin: int
    hair: str
    style: int  # 0 short, 1 long, 2 receding
    eye: int
    aspect: float  # head width / height, before age
    spacing: float  # eye centres apart, / head width
    eye_size: float  # / head height
    nose: float  # / head height
    mouth: float  # / head width
    brow: float  # thickness, / head height
    age: float


def age_label(age: float) -> int:
    for i, (lo, hi) in enumerate(AGE_RANGES):
        if age < hi + 1:
            return i
    return len(AGE_RANGES) - 1


def random_identity(rng: random.Random, age=None) -> Identity:
    if age is None:
        lo, hi = AGE_RANGES[rng.randrange(len(AGE_RANGES))]
        age = rng.uniform(lo, hi + 0.99)
    grey = 0.0 if age < 45 else min(0.9, (age - 45) / 25)
    if rng.random() < grey:
        hair = "white" if age > 70 and rng.random() < 0.5 else "grey"
    else:
        hair = rng.choice(["black", "brown", "blonde", "red"])
    style = rng.choice([0, 1, 2] if age > 35 else [0, 1])
    return Identity(rng.randrange(len(SKIN)), hair, style, rng.randrange(len(EYES)),
                    rng.uniform(0.72, 0.86), rng.uniform(0.36, 0.46), rng.uniform(0.065, 0.09),
                    rng.uniform(0.11, 0.17), rng.uniform(0.30, 0.44), rng.uniform(0.012, 0.03), age)


def _youth(age):
    """1 for a small child, 0 from 18 on."""
    return min(1.0, max(0.0, (18.0 - age) / 15.0))


def draw_face(draw: ImageDraw.ImageDraw, ident: Identity, cx, cy, h, yaw=0.0, smile=0.0):
    """Draws a face whose head ellipse is centred at (cx, cy) with height h. Returns the head box
    (x1, y1, x2, y2) and the five landmarks as a [5, 2] array."""
    y = _youth(ident.age)
    w = h * min(0.98, ident.aspect + 0.10 * y)
    skin = SKIN[ident.skin]
    hair = HAIR[ident.hair]
    x1, y1, x2, y2 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
    if ident.style == 1:  # long hair behind the head
        draw.ellipse([x1 - 0.12 * w, y1 - 0.06 * h, x2 + 0.12 * w, cy + 0.45 * h], fill=hair)
    draw.ellipse([x1, y1, x2, y2], fill=skin)
    # hair cap: the top of the head
    top = 0.30 if ident.style != 2 else 0.16
    draw.chord([x1 - 0.02 * w, y1 - 0.05 * h, x2 + 0.02 * w, y1 + 2 * top * h], 180, 360, fill=hair)
    turn = yaw * 0.12 * w
    eye_y = y1 + h * (0.47 + 0.09 * y)
    size = h * ident.eye_size * (1.0 + 0.35 * y)
    gap = ident.spacing * w / 2
    eyes = []
    for side in (-1, 1):
        ex = cx + turn + side * gap * (1 - 0.15 * abs(yaw) * (1 if side * yaw > 0 else 0))
        eyes.append((ex, eye_y))
        draw.ellipse([ex - size * 1.3, eye_y - size * 0.8, ex + size * 1.3, eye_y + size * 0.8], fill=(250, 250, 250))
        draw.ellipse([ex - size * 0.62, eye_y - size * 0.62, ex + size * 0.62, eye_y + size * 0.62], fill=EYES[ident.eye])
        draw.ellipse([ex - size * 0.28, eye_y - size * 0.28, ex + size * 0.28, eye_y + size * 0.28], fill=(10, 10, 10))
        by = eye_y - size * 1.9
        draw.line([ex - size * 1.4, by, ex + size * 1.4, by - side * 0.0], fill=_darker(hair, 0.8),
                  width=max(1, int(ident.brow * h)))
    nose_len = h * ident.nose * (1.0 - 0.3 * y)
    nose = (cx + turn * 1.3, eye_y + nose_len + size)
    draw.polygon([(cx + turn, eye_y + size * 0.5), (nose[0] - 0.05 * w, nose[1]), (nose[0] + 0.05 * w, nose[1])],
                 fill=_darker(skin, 0.82))
    mouth_y = nose[1] + (y2 - nose[1]) * (0.42 - 0.05 * y)
    half = ident.mouth * w / 2 * (1.0 - 0.15 * y)
    droop = 0.0 if ident.age < 60 else 0.02 * h
    corners = [(cx + turn - half, mouth_y + droop - smile * 0.03 * h), (cx + turn + half, mouth_y + droop - smile * 0.03 * h)]
    draw.line([corners[0], (cx + turn, mouth_y + smile * 0.03 * h), corners[1]], fill=(150, 40, 50),
              width=max(1, int(0.025 * h)))
    lines = 0 if ident.age < 40 else (1 if ident.age < 52 else (2 if ident.age < 62 else 3 + int(ident.age >= 72)))
    line_colour = _darker(skin, 0.7)
    for k in range(lines):  # forehead lines
        ly = y1 + h * (0.2 + 0.045 * k) + (0.05 * h if ident.style == 2 else 0.08 * h)
        draw.arc([cx - 0.25 * w, ly, cx + 0.25 * w, ly + 0.08 * h], 200, 340, fill=line_colour, width=max(1, int(0.012 * h)))
    if ident.age >= 60:  # crow's feet and cheek lines
        for (ex, ey), side in zip(eyes, (-1, 1)):
            for k in (-1, 0, 1):
                draw.line([ex + side * size * 1.5, ey + k * size * 0.5, ex + side * size * 2.3, ey + k * size * 0.9],
                          fill=line_colour, width=max(1, int(0.01 * h)))
        for side in (-1, 1):
            draw.line([cx + turn + side * 0.12 * w, nose[1] - 0.02 * h, cx + turn + side * (half + 0.04 * w), mouth_y + 0.02 * h],
                      fill=line_colour, width=max(1, int(0.01 * h)))
    marks = np.array([eyes[0], eyes[1], nose, corners[0], corners[1]], dtype=np.float64)
    return (x1, y1, x2, y2), marks


def _darker(colour, f):
    return tuple(int(c * f) for c in colour)


def random_background(rng: random.Random, side: int, distractors: int = 0) -> Image.Image:
    colours = list(world.COLOURS.values()) + [(120, 160, 200), (200, 200, 180), (90, 90, 90)]
    a, b = rng.sample(colours, 2)
    image = Image.new("RGB", (side, side), a)
    if rng.random() < 0.4:
        t = np.linspace(0.0, 1.0, side, dtype=np.float32)[:, None, None]
        rows = (np.array(a, np.float32) * (1 - t) + np.array(b, np.float32) * t).astype(np.uint8)
        image = Image.fromarray(np.broadcast_to(rows, (side, side, 3)).copy())
    draw = ImageDraw.Draw(image)
    for _ in range(distractors):
        shape = rng.choice(world.SHAPES)
        draw_colour = rng.choice(list(world.COLOURS.values()))
        r = rng.uniform(0.05, 0.15) * side
        world.draw_shape(draw, shape, rng.uniform(0, side), rng.uniform(0, side), r, draw_colour, a)
    return image


def light(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """Brightness, contrast and a little noise, as uint8."""
    x = image.astype(np.float32)
    x = (x - 128) * rng.uniform(0.8, 1.15) + 128 + rng.uniform(-25, 25)
    x = x + np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(0, 6), x.shape)
    return np.clip(x, 0, 255).astype(np.uint8)


def detection_sample(rng: random.Random, side=160, supersample=2, max_faces=3):
    """An image with 0..max_faces faces; returns (uint8 [side, side, 3], boxes [n, 4], marks [n, 5, 2])."""
    big = side * supersample
    image = random_background(rng, big, distractors=rng.randrange(0, 4))
    draw = ImageDraw.Draw(image)
    boxes, marks = [], []
    want = rng.choice([0] + [1] * 3 + [2] * 2 + list(range(1, max_faces + 1)))
    for _ in range(want * 6):
        if len(boxes) >= want:
            break
        h = rng.uniform(20, 110) * supersample
        w = h * 0.95
        cx, cy = rng.uniform(w / 2, big - w / 2), rng.uniform(h / 2, big - h / 2)
        if any(abs(cx - (b[0] + b[2]) / 2) < (w + b[2] - b[0]) / 2 + 4 and abs(cy - (b[1] + b[3]) / 2) < (h + b[3] - b[1]) / 2 + 4
               for b in boxes):
            continue
        box, mk = draw_face(draw, random_identity(rng), cx, cy, h, rng.uniform(-0.4, 0.4), rng.uniform(-1, 1))
        boxes.append(box)
        marks.append(mk)
    pixels = np.asarray(image.resize((side, side), Image.BILINEAR))
    boxes = np.array(boxes, dtype=np.float32).reshape(-1, 4) / supersample
    marks = np.array(marks, dtype=np.float32).reshape(-1, 5, 2) / supersample
    return light(pixels, rng), boxes, marks


def view(rng: random.Random, ident: Identity, side=160, supersample=2):
    """One view of a face: (uint8 image, head box, landmarks)."""
    big = side * supersample
    image = random_background(rng, big, distractors=rng.randrange(0, 2))
    draw = ImageDraw.Draw(image)
    h = rng.uniform(60, 110) * supersample
    cx = big / 2 + rng.uniform(-0.1, 0.1) * big
    cy = big / 2 + rng.uniform(-0.1, 0.1) * big
    box, mk = draw_face(draw, ident, cx, cy, h, rng.uniform(-0.35, 0.35), rng.uniform(-1, 1))
    pixels = light(np.asarray(image.resize((side, side), Image.BILINEAR)), rng)
    return pixels, np.array(box, np.float32) / supersample, mk / supersample


def similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The least-squares similarity transform (Umeyama) taking src points to dst, as a 2x3 matrix."""
    mu_s, mu_d = src.mean(0), dst.mean(0)
    s, d = src - mu_s, dst - mu_d
    cov = d.T @ s / len(src)
    u, sig, vt = np.linalg.svd(cov)
    sign = np.ones(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        sign[-1] = -1
    rot = u @ np.diag(sign) @ vt
    scale = (sig * sign).sum() / (s ** 2).sum(1).mean()
    t = mu_d - scale * rot @ mu_s
    return np.hstack([scale * rot, t[:, None]])


def align(image: np.ndarray, marks: np.ndarray, size=112) -> np.ndarray:
    """The face warped onto ArcFace's template, [size, size, 3] uint8 (border black)."""
    m = similarity(marks, TEMPLATE * (size / 112.0))
    full = np.vstack([m, [0, 0, 1]])
    inv = np.linalg.inv(full)[:2]
    out = Image.fromarray(image).transform((size, size), Image.AFFINE, data=tuple(inv.reshape(-1)),
                                           resample=Image.BILINEAR, fillcolor=(0, 0, 0))
    return np.asarray(out)


def crop_box(image: np.ndarray, box, grow=0.3, size=64, rng=None) -> np.ndarray:
    """The head box grown by `grow` of its size each way, squash-resized to size x size."""
    x1, y1, x2, y2 = box
    w, h = x2 - x1, y2 - y1
    if rng is not None:
        grow = grow * rng.uniform(0.7, 1.3)
        x1, y1 = x1 + rng.uniform(-0.06, 0.06) * w, y1 + rng.uniform(-0.06, 0.06) * h
        x2, y2 = x1 + w, y1 + h
    region = (x1 - grow * w, y1 - grow * h, x2 + grow * w, y2 + grow * h)
    out = Image.fromarray(image).transform((size, size), Image.EXTENT, data=region, resample=Image.BILINEAR,
                                           fillcolor=(0, 0, 0))
    return np.asarray(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tiles = []
    for age in [5, 10, 15, 25, 45, 65, 80, 30]:
        ident = random_identity(rng, age)
        pixels, box, marks = view(rng, ident)
        tiles.append(pixels)
        tiles.append(np.asarray(Image.fromarray(align(pixels, marks)).resize((160, 160))))
    for _ in range(4):
        pixels, boxes, marks = detection_sample(rng)
        image = Image.fromarray(pixels)
        draw = ImageDraw.Draw(image)
        for b, m in zip(boxes, marks):
            draw.rectangle(list(b), outline=(255, 0, 0))
            for x, y in m:
                draw.point((x, y), fill=(0, 255, 0))
        tiles.append(np.asarray(image))
    sheet = Image.new("RGB", (160 * 5, 160 * 4))
    for i, t in enumerate(tiles):
        sheet.paste(Image.fromarray(t), ((i % 5) * 160, (i // 5) * 160))
    sheet.save(args.out)


if __name__ == "__main__":
    main()
