"""Evaluates the starter pack through a running imajin: generates images for held-out captions with
the diffusion service, judges each image's shape and colour twice (by measuring its pixels, and by
asking the semantic service, which runs the pack's own classifier), measures the semantic model's
yes/no accuracy on rendered scenes and on the generated images, and the aesthetic service's ranking
of clean images above degraded copies. Figures go to stdout as JSON and, with --docs, into
docs/models.md.

    ./imajin run &                                   # with the starter pack (the default)
    python3 tools/modelpack/evaluate.py --count 200 --docs docs/models.md

Needs only Python 3 with numpy and Pillow (Debian: python3-numpy python3-pil); no PyTorch.
"""

import argparse
import base64
import io
import json
import random
import sys
import time
import urllib.error
import urllib.request

import numpy as np
from PIL import Image, ImageFilter

import world

PALETTE = np.array(list(world.COLOURS.values()), dtype=np.float32)
NAMES = list(world.COLOURS)


def post(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=300) as reply:
            return json.load(reply)
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{url} answered {e.code}: {e.read().decode(errors='replace')[:500]}")


def png(pixels):
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return {"b64": base64.b64encode(out.getvalue()).decode(), "media_type": "image/png"}


def decode(image):
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(image["b64"]))).convert("RGB"))


# ----------------------------------------------------------------------------- judging pixels


def expected_background(scene, side, pixels=None):
    """The background the caption asks for, row by row: [side, 3]; for a caption that names none,
    the median colour of the image's border."""
    if scene.background is None:
        border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]]).astype(np.float32)
        return np.repeat(np.median(border, axis=0)[None, :], side, axis=0)
    top = np.array(world.COLOURS[scene.background], np.float32)
    bottom = np.array(world.COLOURS[scene.background_to or scene.background], np.float32)
    t = np.linspace(0, 1, side, dtype=np.float32)[:, None]
    return top * (1 - t) + bottom * t


def foreground(pixels, scene):
    bg = expected_background(scene, pixels.shape[0], pixels)
    distance = np.linalg.norm(pixels.astype(np.float32) - bg[:, None, :], axis=2)
    return distance > 70


def largest_component(mask):
    """The largest 4-connected component of a boolean mask."""
    labels = np.zeros(mask.shape, np.int32)
    best, best_size, current = None, 0, 0
    h, w = mask.shape
    for y, x in zip(*np.nonzero(mask)):
        if labels[y, x]:
            continue
        current += 1
        stack, size = [(y, x)], 0
        labels[y, x] = current
        while stack:
            cy, cx = stack.pop()
            size += 1
            for ny, nx in ((cy + 1, cx), (cy - 1, cx), (cy, cx + 1), (cy, cx - 1)):
                if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not labels[ny, nx]:
                    labels[ny, nx] = current
                    stack.append((ny, nx))
        if size > best_size:
            best, best_size = current, size
    return labels == best if best else np.zeros_like(mask)


def hull_area(points):
    """Area of the convex hull of integer pixel corners (monotone chain, shoelace)."""
    pts = sorted(set(map(tuple, points)))
    if len(pts) < 3:
        return 0.0

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    x, y = np.array(hull, np.float64).T
    return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


def measure(pixels, scene):
    """(shape, colour) read from the pixels: the largest region unlike the asked-for background;
    its colour is the palette colour nearest its median; its shape from its holes, solidity (area
    over convex hull) and fill of its bounding box."""
    mask = largest_component(foreground(pixels, scene))
    area = int(mask.sum())
    if area < 12:
        return None, None
    colour = NAMES[int(np.argmin(np.linalg.norm(PALETTE - np.median(pixels[mask], axis=0), axis=1)))]
    ys, xs = np.nonzero(mask)
    box = (ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1)
    outside = largest_component_touching_border(~mask)
    holes = int((~mask & ~outside).sum())
    if holes > 0.06 * box:
        return "ring", colour
    corners = np.concatenate([np.stack([xs + dx, ys + dy], 1) for dx in (0, 1) for dy in (0, 1)])
    solidity = area / max(1.0, hull_area(corners))
    fill = area / box
    if solidity < 0.82:
        return "star", colour
    if fill > 0.86:
        return "square", colour
    if fill > 0.66:
        return "circle", colour
    return "triangle", colour


def largest_component_touching_border(mask):
    """Pixels of mask connected to the image border."""
    h, w = mask.shape
    seen = np.zeros_like(mask)
    stack = [(y, x) for y in range(h) for x in (0, w - 1) if mask[y, x]]
    stack += [(y, x) for x in range(w) for y in (0, h - 1) if mask[y, x]]
    for y, x in stack:
        seen[y, x] = True
    while stack:
        cy, cx = stack.pop()
        for ny, nx in ((cy + 1, cx), (cy - 1, cx), (cy, cx + 1), (cy, cx - 1)):
            if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                seen[ny, nx] = True
                stack.append((ny, nx))
    return seen


# ----------------------------------------------------------------------------- degradations


def degraded(pixels, kind, rng):
    image = Image.fromarray(pixels)
    x = pixels.astype(np.float32)
    if kind == "blur":
        return np.asarray(image.filter(ImageFilter.GaussianBlur(2.0)))
    if kind == "noise":
        return np.clip(x + rng.normal(0, 45, x.shape), 0, 255).astype(np.uint8)
    if kind == "clipped":
        return np.clip(x * 2.2 - 60, 0, 255).astype(np.uint8)
    if kind == "washed-out":
        return (x * 0.35 + 128 * 0.65).astype(np.uint8)
    if kind == "pixelated":
        return np.asarray(image.resize((8, 8), Image.BOX).resize(image.size, Image.NEAREST))
    if kind == "off-centre":
        side = pixels.shape[0]
        shift = side * 2 // 5
        out = np.concatenate([pixels[:, shift:], np.repeat(pixels[:, -1:], shift, axis=1)], axis=1)
        return out[:, :side]
    if kind == "jpeg":
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=5)
        return np.asarray(Image.open(buffer).convert("RGB"))
    raise ValueError(kind)


DEGRADATIONS = ["blur", "noise", "clipped", "washed-out", "pixelated", "off-centre", "jpeg"]


# ----------------------------------------------------------------------------- the evaluation


SHORT_FORMS = ["a {colour} {shape}", "a {size} {colour} {shape}", "a {colour} {shape} on {ground}",
               "a {size} {colour} {shape} {place}"]


def short_captions(count, seed):
    """Partial captions ("a red star", "a small red star on a blue background") with the scene they
    ask for; background None where the caption names none."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        scene = world.random_scene(rng, gradients=0.0, pairs=0.0)
        form = SHORT_FORMS[i % len(SHORT_FORMS)]
        text = form.format(colour=scene.colour, shape=scene.shape, size=scene.size, place=scene.place,
                           ground=f"{world.article(scene.background)} {scene.background} background")
        text = world.article(text.split()[1]) + text[1:]
        named = "{ground}" in form
        out.append((text, world.Scene(scene.things, scene.background if named else None)))
    return out


def held_out(count, seed):
    rng = random.Random(seed)
    return [world.random_scene(rng, pairs=0.0) for _ in range(count)]


def evaluate(args):
    diffusion, semantic, aesthetic = (f"{args.host}:{p}" for p in (args.diffusion_port, args.semantic_port, args.aesthetic_port))
    scenes = held_out(args.count, args.seed)
    start = time.time()
    images = []
    for i, scene in enumerate(scenes):
        body = {"prompt": scene.caption(), "seed": 1000 + i, "steps": args.steps}
        if args.guidance is not None:
            body["guidance"] = args.guidance
        if args.scheduler:
            body["scheduler"] = args.scheduler
        reply = post(f"{diffusion}/v1/generate", body)
        images.append(decode(reply["images"][0]["image"]))
    generation_seconds = time.time() - start
    model = reply["model"]

    shape_texts = [f"a {s}" for s in world.SHAPES]
    colour_texts = [f"a {c} shape" for c in world.COLOURS]
    right = {"pixel_shape": 0, "pixel_colour": 0, "pixel_both": 0, "semantic_shape": 0, "semantic_colour": 0,
             "semantic_both": 0}
    per_shape = {s: [0, 0] for s in world.SHAPES}
    misses = []
    for scene, pixels in zip(scenes, images):
        shape, colour = measure(pixels, scene)
        scores = post(f"{semantic}/v1/scores", {"image": png(pixels), "texts": shape_texts + colour_texts})["scores"]
        values = [s["score"] for s in scores]
        s_shape = world.SHAPES[int(np.argmax(values[:5]))]
        s_colour = NAMES[int(np.argmax(values[5:]))]
        right["pixel_shape"] += shape == scene.shape
        right["pixel_colour"] += colour == scene.colour
        right["pixel_both"] += shape == scene.shape and colour == scene.colour
        right["semantic_shape"] += s_shape == scene.shape
        right["semantic_colour"] += s_colour == scene.colour
        right["semantic_both"] += s_shape == scene.shape and s_colour == scene.colour
        per_shape[scene.shape][0] += shape == scene.shape and colour == scene.colour
        per_shape[scene.shape][1] += 1
        if not (shape == scene.shape and colour == scene.colour):
            misses.append(f"{scene.caption()} -> pixels say {colour} {shape}, semantic says {s_colour} {s_shape}")
    n = len(scenes)
    figures = {k: v / n for k, v in right.items()}
    figures["pixel_both_by_shape"] = {s: round(a / max(1, b), 3) for s, (a, b) in per_shape.items()}

    # the semantic model's yes/no answers, on rendered held-out scenes and on the generated images:
    # requested attributes and attributes not requested
    rng = random.Random(args.seed + 1)
    rendered = [(scene, world.render(scene)) for scene in held_out(min(args.count, 100), args.seed + 2)]
    for name, pairs in (("rendered", rendered), ("generated", list(zip(scenes, images))[:100])):
        correct = total = 0
        for scene, pixels in pairs:
            passed = attribute_checks(semantic, scene, pixels, rng)
            correct += sum(passed)
            total += len(passed)
        figures[f"semantic_{name}_accuracy"] = correct / total
        figures[f"semantic_{name}_checks"] = total

    # the reward model: clean generated images against degraded copies of themselves, and with another prompt
    noise = np.random.default_rng(args.seed)
    wins = {k: 0 for k in DEGRADATIONS + ["other-prompt"]}
    count = min(n, 60)
    for scene, pixels in zip(scenes[:count], images[:count]):
        candidates = [png(pixels)] + [png(degraded(pixels, k, noise)) for k in DEGRADATIONS]
        ranked = post(f"{aesthetic}/v1/rank", {"prompt": scene.caption(), "candidates": candidates})
        rewards = {r["index"]: r["reward"] for r in ranked["ranking"]}
        for i, k in enumerate(DEGRADATIONS):
            wins[k] += rewards[0] > rewards[i + 1]
        other = scenes[(scenes.index(scene) + 1) % n].caption()
        mine = post(f"{aesthetic}/v1/score", {"prompt": scene.caption(), "image": png(pixels)})["reward"]
        theirs = post(f"{aesthetic}/v1/score", {"prompt": other, "image": png(pixels)})["reward"]
        wins["other-prompt"] += mine > theirs
    figures["reward_ordering"] = {k: v / count for k, v in wins.items()}

    # partial captions: the shape and colour they name, in the pixels
    short = short_captions(min(n, 100), args.seed + 3)
    right_short = 0
    for i, (text, scene) in enumerate(short):
        body = {"prompt": text, "seed": 2000 + i, "steps": args.steps}
        pixels = decode(post(f"{diffusion}/v1/generate", body)["images"][0]["image"])
        shape, colour = measure(pixels, scene)
        right_short += shape == scene.shape and colour == scene.colour
        if not (shape == scene.shape and colour == scene.colour):
            misses.append(f"{text} -> pixels say {colour} {shape}")
    figures["short_caption_pixel_both"] = right_short / len(short)
    figures["reward_ordering_accuracy"] = sum(wins.values()) / (count * len(wins))
    figures.update(images=n, model=model, steps=args.steps, seed=args.seed,
                   seconds_per_image=round(generation_seconds / n, 3))
    return figures, misses


def attribute_checks(semantic, scene, pixels, rng):
    """Asks the semantic service's validate whether the image shows the scene's colour and shape,
    its shape, its background, and not another colour, another shape, or both: one bool per check."""
    other_colour = rng.choice([c for c in world.COLOURS if c not in (scene.colour, scene.background, scene.background_to)])
    other_shape = rng.choice([s for s in world.SHAPES if s != scene.shape])
    present = [f"a {scene.colour} {scene.shape}", f"a {scene.shape}", f"a {scene.background} background"]
    absent = [f"a {other_colour} {scene.shape}", f"a {scene.colour} {other_shape}", f"a {other_shape}"]
    reply = post(f"{semantic}/v1/validate", {"image": png(pixels), "present": present, "absent": absent})
    return [s["passed"] for s in reply["scores"]]


def write_docs(path, figures, command):
    begin, end = "<!-- evaluation:begin -->", "<!-- evaluation:end -->"
    by_shape = ", ".join(f"{s} {v:.0%}" for s, v in figures["pixel_both_by_shape"].items())
    ordering = ", ".join(f"{k} {v:.0%}" for k, v in figures["reward_ordering"].items())
    block = f"""{begin}
Measured with `{command}` against `imajin run` on the 2-core reference machine
({figures['images']} captions, seed {figures['seed']}, {figures['steps']} steps, model
`{figures['model']}`, {figures['seconds_per_image']} s an image on the CPU):

| figure | value |
| --- | --- |
| prompted shape **and** colour, measured in the pixels | **{figures['pixel_both']:.1%}** |
| prompted shape, measured in the pixels | {figures['pixel_shape']:.1%} |
| prompted colour, measured in the pixels | {figures['pixel_colour']:.1%} |
| prompted shape and colour, by the pack's semantic model | {figures['semantic_both']:.1%} |
| prompted shape / colour, by the pack's semantic model | {figures['semantic_shape']:.1%} / {figures['semantic_colour']:.1%} |
| semantic yes/no checks on rendered held-out scenes ({figures['semantic_rendered_checks']} checks) | {figures['semantic_rendered_accuracy']:.1%} |
| semantic yes/no checks on the generated images ({figures['semantic_generated_checks']} checks) | {figures['semantic_generated_accuracy']:.1%} |
| reward ordering: clean above degraded or mismatched | {figures['reward_ordering_accuracy']:.1%} |
| partial captions ("a red star", "a small red star", "... on a blue background", "... in the top left"): shape and colour in the pixels | {figures['short_caption_pixel_both']:.1%} |

Shape and colour in the pixels, by shape: {by_shape}. Reward ordering by defect: {ordering}.
{end}"""
    text = open(path, encoding="utf-8").read()
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="http://localhost")
    parser.add_argument("--diffusion-port", type=int, default=8002)
    parser.add_argument("--semantic-port", type=int, default=8005)
    parser.add_argument("--aesthetic-port", type=int, default=8006)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--guidance", type=float, help="the service default when absent")
    parser.add_argument("--scheduler", help="the model default when absent")
    parser.add_argument("--docs", help="a Markdown file whose evaluation block is rewritten")
    parser.add_argument("--misses", action="store_true", help="list the images judged wrong")
    args = parser.parse_args()
    figures, misses = evaluate(args)
    print(json.dumps(figures, indent=2))
    if args.misses:
        print("\n".join(misses), file=sys.stderr)
    if args.docs:
        write_docs(args.docs, figures, "python3 tools/modelpack/evaluate.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
