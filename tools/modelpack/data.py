"""Renders the pack's training and evaluation sets in parallel, as arrays in .npy files.

Every set is a function of (seed, count): chunks are rendered by a process pool, each chunk from
its own seeded generator, so a set is the same whatever the number of processes.

Sets: `scenes` (64x64 world images, their structure, caption ids and a bank of attribute queries
with the constraints that decide whether each query is true of any scene), `glyphs` (images with
and without a prohibited symbol), `detection` (160x160 images with 0-3 faces, boxes and landmarks),
`identities` (aligned 112x112 views of many identities) and `ages` (64x64 face crops with ages).
"""

import os
import random
from multiprocessing import Pool

import numpy as np

import faces
import world
from clip_vocab import ClipVocabulary, EOS

SHAPE = {s: i for i, s in enumerate(world.SHAPES)}
COLOUR = {c: i for i, c in enumerate(world.COLOURS)}
SIZE = {s: i for i, s in enumerate(world.SIZES)}
PLACE = {p: i for i, p in enumerate(world.PLACES)}
NAMES = [world.SHAPES, list(world.COLOURS), list(world.SIZES), list(world.PLACES)]

QUERIES = 6  # queries per scene in the bank
PARTIALS = 2  # partial captions per scene ("a red star", "a small star in the top left")
TEXT_LENGTH = 64  # SigLIP's text length
TEMPLATES = ["a picture of {}", "a photo of {}", "an image of {}", "this is a picture of {}",
             "this is a photo of {}", "an image with {}", "{}"]

_vocabulary = None


def vocabulary():
    global _vocabulary
    if _vocabulary is None:
        _vocabulary = ClipVocabulary(world.vocabulary())
    return _vocabulary


def token_ids(text, length):
    """CLIP ids, padded with EOS; every world word is one token, so this is a dictionary lookup."""
    v = vocabulary()
    ids = [v.ids["<|startoftext|>"]]
    for word in text.split():
        token = v.ids.get(word + "</w>")
        if token is None:
            return v.encode(text, length)
        ids.append(token)
    ids = ids[: length - 1] + [v.ids[EOS]]
    return ids + [v.ids[EOS]] * (length - len(ids))


# ----------------------------------------------------------------------------- scenes and queries


def scene_arrays(scene):
    things = np.full((2, 4), -1, np.int8)
    for j, t in enumerate(scene.things):
        things[j] = (SHAPE[t.shape], COLOUR[t.colour], SIZE[t.size], PLACE[t.place])
    bg_to = COLOUR[scene.background_to] if scene.background_to else -1
    return things, COLOUR[scene.background], bg_to


def _object_phrase(c):
    """The words of an object constraint (shape, colour, size, place; -1 = any)."""
    shape, colour, size, place = c
    words = []
    if size >= 0:
        words.append(NAMES[2][size])
    if colour >= 0:
        words.append(NAMES[1][colour])
    words.append(NAMES[0][shape] if shape >= 0 else "shape")
    if place >= 0:
        words.append(NAMES[3][place])
    return world.article(words[0]) + " " + " ".join(words)


def random_query(rng, things, count, bg, bg_to):
    """A query derived from a scene (often perturbed so that it is false), as (text, constraint).
    The constraint is [obj1 (4), obj2 (4), objects, background kind, colour]; background kind 0 =
    none, 1 = "an X background" (X at either end of the background), 2 = "an X to Y gradient" (Y
    in obj2's last slot), 3 = exactly a plain X background, 10 + Y = exactly an X to Y gradient."""
    c = np.full(11, -1, np.int8)
    c[8], c[9], c[10] = 0, 0, 0
    kind = rng.random()
    t = things[rng.randrange(count)].copy()
    if kind < 0.62:
        keep = rng.choice([(1, 0, 0, 0), (1, 1, 0, 0), (1, 1, 1, 0), (0, 1, 0, 0), (1, 0, 0, 1),
                           (1, 1, 0, 1), (1, 0, 1, 0), (1, 1, 1, 1)])
        obj = np.where(np.array(keep) == 1, t, -1).astype(np.int8)
        if rng.random() < 0.5:
            attr = rng.choice([a for a in range(4) if keep[a]])
            obj[attr] = rng.choice([v for v in range(len(NAMES[attr])) if v != obj[attr]])
        c[0:4], c[8] = obj, 1
        text = _object_phrase(obj)
        if rng.random() < 0.25:  # with the background
            colour = bg if rng.random() < 0.7 else rng.randrange(len(world.COLOURS))
            c[9], c[10] = 1, colour
            text += f" on {world.article(NAMES[1][colour])} {NAMES[1][colour]} background"
        return text, c
    if kind < 0.80:
        if rng.random() < 0.6:
            colour = bg if rng.random() < 0.5 else (bg_to if bg_to >= 0 and rng.random() < 0.5 else rng.randrange(8))
            c[9], c[10] = 1, colour
            return f"{world.article(NAMES[1][colour])} {NAMES[1][colour]} background", c
        a = bg if rng.random() < 0.6 else rng.randrange(8)
        b = bg_to if (bg_to >= 0 and rng.random() < 0.6) else rng.randrange(8)
        if a == b:
            b = (b + 1) % 8
        c[9], c[10], c[7] = 2, a, b  # a gradient query keeps its second colour in the obj2 slot
        return f"{world.article(NAMES[1][a])} {NAMES[1][a]} to {NAMES[1][b]} gradient", c
    # a whole caption, of this scene or perturbed
    objs = [things[j].copy() for j in range(count)]
    g1, g2 = bg, bg_to
    if rng.random() < 0.5:
        which = rng.randrange(count + 1)
        if which == count:
            g1 = rng.choice([v for v in range(8) if v != g1])
        else:
            attr = rng.randrange(4)
            objs[which][attr] = rng.choice([v for v in range(len(NAMES[attr])) if v != objs[which][attr]])
    phrases = [_object_phrase(o) for o in objs]
    ground = (f"{world.article(NAMES[1][g1])} {NAMES[1][g1]} to {NAMES[1][g2]} gradient" if g2 >= 0
              else f"{world.article(NAMES[1][g1])} {NAMES[1][g1]} background")
    c[0:4] = objs[0]
    if count == 2:
        c[4:8] = objs[1]
    c[8] = count
    c[9], c[10] = 3, g1
    # the exact background: kind 3 is plain, kind 10 + g2 a gradient ending in colour g2
    c[9] = 3 if g2 < 0 else 10 + g2
    return " and ".join(phrases) + " on " + ground, c


def partial_caption(rng, things, bg, bg_to):
    """A true caption that leaves out some of the scene: "a red star", "a large star in the top
    left", "a blue ring on a white background", "a red circle and a blue square"."""
    names = NAMES
    count = int((things[:, 0] >= 0).sum())
    if count == 2:
        phrases = [f"{world.article(names[1][t[1]])} {names[1][t[1]]} {names[0][t[0]]}" for t in things[:2]]
        return " and ".join(phrases)
    shape, colour, size, place = (int(v) for v in things[0])
    words = []
    if rng.random() < 0.5:
        words.append(names[2][size])
    if rng.random() < 0.8:
        words.append(names[1][colour])
    words.append(names[0][shape])
    if rng.random() < 0.4:
        words.append(names[3][place])
    text = world.article(words[0]) + " " + " ".join(words)
    if rng.random() < 0.4:
        if bg_to >= 0:
            text += f" on {world.article(names[1][bg])} {names[1][bg]} to {names[1][bg_to]} gradient"
        else:
            text += f" on {world.article(names[1][bg])} {names[1][bg]} background"
    return text


def scenes(seed, count):
    rng = random.Random(seed)
    images = np.zeros((count, 64, 64, 3), np.uint8)
    things = np.full((count, 2, 4), -1, np.int8)
    bgs = np.zeros((count, 2), np.int8)
    captions = np.zeros((count, 77), np.int16)
    partials = np.zeros((count, PARTIALS, 77), np.int16)
    qids = np.zeros((count, QUERIES, TEXT_LENGTH), np.int16)
    qcon = np.zeros((count, QUERIES, 11), np.int8)
    for i in range(count):
        scene = world.random_scene(rng)
        images[i] = world.render(scene, 64)
        t, bg, bg_to = scene_arrays(scene)
        things[i], bgs[i] = t, (bg, bg_to)
        captions[i] = token_ids(scene.caption(), 77)
        for k in range(PARTIALS):
            partials[i, k] = token_ids(partial_caption(rng, t, bg, bg_to), 77)
        n = len(scene.things)
        for q in range(QUERIES):
            text, con = random_query(rng, t, n, bg, bg_to)
            if rng.random() < 0.6:
                text = rng.choice(TEMPLATES).format(text)
            qids[i, q] = token_ids(text, TEXT_LENGTH)
            qcon[i, q] = con
    return dict(images=images, things=things, bgs=bgs, captions=captions, partials=partials, qids=qids, qcon=qcon)


def truth(con, things, bgs):
    """Whether each query is true of each scene: con [Q, 11], things [B, 2, 4], bgs [B, 2] (numpy
    or torch with the same operations) -> bool [B, Q]."""
    import torch

    con = con.long()
    things = things.long()
    bgs = bgs.long()
    present = things[:, :, 0] >= 0  # [B, 2]

    def object_matches(obj):  # obj [Q, 4] -> [B, Q]
        ok = (obj[None, :, None, :] < 0) | (obj[None, :, None, :] == things[:, None, :, :])  # [B,Q,2,4]
        return (ok.all(-1) & present[:, None, :]).any(-1)

    kind = con[:, 9]
    whole = (kind == 3) | (kind >= 10)
    n_obj = torch.where(whole, con[:, 8], (con[:, 8] == 1).long())
    # the gradient-only query keeps its second colour in con[:, 7]
    gradient_only = kind == 2
    obj1 = con[:, 0:4]
    obj2 = torch.where(gradient_only[:, None], torch.full_like(con[:, 4:8], -1), con[:, 4:8])
    m1 = object_matches(obj1)
    m2 = object_matches(obj2)
    result = torch.ones(things.shape[0], con.shape[0], dtype=torch.bool, device=con.device)
    result &= torch.where((n_obj >= 1)[None, :], m1, torch.ones_like(m1))
    result &= torch.where((n_obj >= 2)[None, :], m2, torch.ones_like(m2))
    bg, bg_to = bgs[:, 0:1], bgs[:, 1:2]  # [B, 1]
    x = con[:, 10][None, :]
    either = (bg == x) | (bg_to == x)
    grad = (bg == x) & (bg_to == con[:, 7][None, :])
    plain = (bg == x) & (bg_to < 0)
    gexact = (bg == x) & (bg_to == (kind - 10)[None, :])
    ok = torch.ones_like(either)
    ok = torch.where((kind == 1)[None, :], either, ok)
    ok = torch.where((kind == 2)[None, :], grad, ok)
    ok = torch.where((kind == 3)[None, :], plain, ok)
    ok = torch.where((kind >= 10)[None, :], gexact, ok)
    return result & ok


# ----------------------------------------------------------------------------- the other sets


def glyphs(seed, count):
    """64x64 images, half with a prohibited glyph among ordinary world things or faces."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    images = np.zeros((count, 64, 64, 3), np.uint8)
    labels = np.zeros(count, np.int8)
    colours = list(world.COLOURS.values())
    for i in range(count):
        positive = i % 2 == 0
        if rng.random() < 0.2:
            pixels, _, _ = faces.detection_sample(rng, side=128, supersample=1, max_faces=2)
            image = Image.fromarray(pixels).resize((256, 256), Image.BILINEAR)
        else:
            scene = world.random_scene(rng)
            image = Image.fromarray(world.render(scene, 256, supersample=1))
        draw = ImageDraw.Draw(image)
        if positive:
            r = rng.uniform(0.1, 0.32) * 256
            cx, cy = rng.uniform(r * 0.6, 256 - r * 0.6), rng.uniform(r * 0.6, 256 - r * 0.6)
            world.draw_shape(draw, rng.choice(world.GLYPHS), cx, cy, r, rng.choice(colours),
                             angle=rng.uniform(-0.4, 0.4))
        elif rng.random() < 0.5:  # a hard negative: an extra world shape, turned like a glyph
            r = rng.uniform(0.1, 0.32) * 256
            cx, cy = rng.uniform(r, 256 - r), rng.uniform(r, 256 - r)
            world.draw_shape(draw, rng.choice(world.SHAPES), cx, cy, r, rng.choice(colours), (0, 0, 0),
                             angle=rng.uniform(-0.4, 0.4))
        images[i] = np.asarray(image.resize((64, 64), Image.LANCZOS))
        labels[i] = int(positive)
    return dict(images=images, labels=labels)


def detection(seed, count):
    rng = random.Random(seed)
    images = np.zeros((count, 160, 160, 3), np.uint8)
    boxes = np.zeros((count, 3, 4), np.float32)
    marks = np.zeros((count, 3, 5, 2), np.float32)
    counts = np.zeros(count, np.int8)
    for i in range(count):
        pixels, b, m = faces.detection_sample(rng)
        images[i], counts[i] = pixels, len(b)
        boxes[i, : len(b)], marks[i, : len(b)] = b, m
    return dict(images=images, boxes=boxes, marks=marks, counts=counts)


def identities(seed, first, count, views):
    """`views` aligned 112x112 views of identities first..first+count-1 (identity from the seed)."""
    images = np.zeros((count * views, 112, 112, 3), np.uint8)
    labels = np.zeros(count * views, np.int32)
    for k in range(count):
        rng = random.Random(seed * 7919 + first + k)
        ident = faces.random_identity(rng)
        for v in range(views):
            pixels, _, marks = faces.view(rng, ident)
            noisy = marks + np.array([[rng.gauss(0, 1.2), rng.gauss(0, 1.2)] for _ in range(5)])
            images[k * views + v] = faces.align(pixels, noisy)
            labels[k * views + v] = first + k
    return dict(images=images, labels=labels)


def ages(seed, count):
    rng = random.Random(seed)
    images = np.zeros((count, 64, 64, 3), np.uint8)
    years = np.zeros(count, np.float32)
    labels = np.zeros(count, np.int8)
    for i in range(count):
        ident = faces.random_identity(rng)
        pixels, box, _ = faces.view(rng, ident)
        images[i] = faces.crop_box(pixels, box, rng=rng)
        years[i], labels[i] = ident.age, faces.age_label(ident.age)
    return dict(images=images, years=years, labels=labels)


# ----------------------------------------------------------------------------- parallel rendering

SETS = {"scenes": scenes, "glyphs": glyphs, "detection": detection, "ages": ages}


def _chunk(job):
    name, seed, count, extra = job
    if name == "identities":
        return identities(seed, *extra)
    return SETS[name](seed, count)


def render_sets(folder, plan, processes=None):
    """Renders each (name, seed, count) of `plan` into folder/<file>-<key>.npy; skips a set whose
    files exist. plan: list of (file, name, seed, count, extra) with extra = (views,) for
    identities."""
    os.makedirs(folder, exist_ok=True)
    jobs, owners = [], []
    for file, name, seed, count, extra in plan:
        if os.path.exists(os.path.join(folder, file + ".done")):
            continue
        chunk = 256 if name != "identities" else 64
        for k, start in enumerate(range(0, count, chunk)):
            n = min(chunk, count - start)
            if name == "identities":
                jobs.append((name, seed, n, (start, n, extra[0])))
            else:
                jobs.append((name, seed * 100003 + k, n, None))
            owners.append(file)
    if not jobs:
        return
    with Pool(processes or os.cpu_count()) as pool:
        results = pool.map(_chunk, jobs, chunksize=1)
    for file in dict.fromkeys(owners):
        parts = [r for r, o in zip(results, owners) if o == file]
        for key in parts[0]:
            np.save(os.path.join(folder, f"{file}-{key}.npy"), np.concatenate([p[key] for p in parts]))
        open(os.path.join(folder, file + ".done"), "w").close()


def load(folder, file):
    out = {}
    for name in sorted(os.listdir(folder)):
        key = name[len(file) + 1 : -4]
        if name.startswith(file + "-") and name.endswith(".npy") and "-" not in key:
            out[name[len(file) + 1 : -4]] = np.load(os.path.join(folder, name))
    return out
