"""Trains every model of imajin's starter pack from fixed seeds and exports the pack.

    # everything: render the sets, train all models (in parallel processes), export to models/starter
    OPENBLAS_NUM_THREADS=1 python3 tools/modelpack/pack.py all --work /tmp/pack --out models/starter

    # the two halves, e.g. training on a GPU machine and exporting where PyTorch 1.13 runs
    python3 tools/modelpack/pack.py train --work /tmp/pack --seconds 420
    python3 tools/modelpack/pack.py export --work /tmp/pack --out models/starter

`train` renders the data sets (data.py) with a process pool, then runs one trainer process per
model (diffusion, semantic, reward, prohibited, age, detector, embedder) at once; each trains until
its step count or its share of `--seconds` runs out (the learning rate follows whichever comes
first), evaluates itself on held-out data and writes `<work>/ckpt/<model>.pt`. `export` turns the
checkpoints into ONNX (opset 17) folders with manifests (`imajin-model.yaml`, every file's sha256),
tokenizers and `metrics.json`. `--scale smoke` trains tiny sets for seconds, to test the tooling.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import data  # noqa: E402

# file, set, seed, count (or identities), extra
FULL = [
    ("scenes", "scenes", 11, 240000, None), ("scenes-held", "scenes", 12, 2000, None),
    ("glyphs", "glyphs", 21, 60000, None), ("glyphs-held", "glyphs", 22, 2000, None),
    ("detection", "detection", 31, 40000, None), ("detection-held", "detection", 32, 400, None),
    ("identities", "identities", 41, 4000, (12,)), ("identities-held", "identities", 42, 300, (4,)),
    ("ages", "ages", 51, 40000, None), ("ages-held", "ages", 52, 2000, None),
]
SMOKE = [(f, s, seed, max(64, n // 400) if s != "identities" else max(12, n // 100), x) for f, s, seed, n, x in FULL]

# model -> (share of --seconds, sets it reads)
MODELS = {
    "diffusion": (1.0, ["scenes"]),
    "semantic": (0.7, ["scenes", "scenes-held"]),
    "reward": (0.5, ["scenes", "scenes-held"]),
    "prohibited": (0.6, ["glyphs", "glyphs-held"]),
    "age": (0.25, ["ages", "ages-held"]),
    "detector": (0.45, ["detection", "detection-held"]),
    "embedder": (0.45, ["identities", "identities-held"]),
}


def train_one(name, work, seconds, device, threads):
    import common
    import torch

    common.setup(seed=1, threads=threads)
    dev = common.device(device)
    folder = os.path.join(work, "data")
    sets = [data.load(folder, f) for f in MODELS[name][1]]
    checkpoint = os.path.join(work, "ckpt", f"{name}.pt")
    common.log(name, f"on {dev} ({torch.__version__}), {seconds:.0f}s, sets {[s['images'].shape for s in sets]}")
    if name == "diffusion":
        import diffusion
        return diffusion.train(sets[0], checkpoint, seconds, dev)
    if name == "semantic":
        import semantic
        return semantic.train(sets[0], sets[1], checkpoint, seconds, dev)
    if name == "reward":
        import reward
        return reward.train(sets[0], sets[1], checkpoint, seconds, dev)
    if name in ("prohibited", "age"):
        import classifiers
        return classifiers.train(name, sets[0], sets[1], checkpoint, seconds, dev)
    import facemodels
    if name == "detector":
        return facemodels.train_detector(sets[0], sets[1], checkpoint, seconds, dev)
    return facemodels.train_embedder(sets[0], sets[1], checkpoint, seconds, dev)


def train(args):
    start = time.time()
    plan = SMOKE if args.scale == "smoke" else FULL
    needed = {f for name in (args.only or MODELS) for f in MODELS[name][1]}
    plan = [p for p in plan if p[0] in needed]
    data.render_sets(os.path.join(args.work, "data"), plan, args.processes)
    print(f"data sets ready in {time.time() - start:.0f}s", flush=True)
    if args.until:  # finish within --until seconds of the start, whatever the rendering took
        left = args.until - (time.time() - start) - 45
        if left < args.seconds:
            print(f"training time cut from {args.seconds:.0f}s to {left:.0f}s to end within {args.until:.0f}s", flush=True)
            args.seconds = max(10.0, left)
    names = args.only or list(MODELS)
    procs = {}
    os.makedirs(os.path.join(args.work, "logs"), exist_ok=True)
    for name in names:
        if os.path.exists(os.path.join(args.work, "ckpt", f"{name}.pt")) and not args.again:
            print(f"{name}: checkpoint exists, skipped", flush=True)
            continue
        cmd = [sys.executable, os.path.abspath(__file__), "train-one", name, "--work", args.work,
               "--seconds", str(args.seconds * MODELS[name][0]), "--threads", str(args.threads)]
        if args.device:
            cmd += ["--device", args.device]
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONUNBUFFERED="1")
        log = open(os.path.join(args.work, "logs", f"{name}.log"), "w")
        procs[name] = (subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env), log)
    failed = []
    for name, (proc, log) in procs.items():
        if proc.wait() != 0:
            failed.append(name)
        log.close()
        with open(os.path.join(args.work, "logs", f"{name}.log")) as f:
            lines = f.read().splitlines()
        print("\n".join(lines[-4:] if name not in failed else lines[-30:]), flush=True)
    print(f"training finished in {time.time() - start:.0f}s; failed: {failed or 'none'}", flush=True)
    if failed:
        sys.exit(1)


def refine(args, captions=False):
    """Decoder refinement or caption fine-tuning on a scene set of its own (seed 13), so that it
    runs where the training sets are not."""
    import common
    import diffusion

    common.setup(seed=7, threads=args.threads)
    folder = os.path.join(args.work, "data")
    data.render_sets(folder, [("scenes-refine", "scenes", 13, args.scenes, None)])
    sets = data.load(folder, "scenes-refine")
    checkpoint = os.path.join(args.work, "ckpt", "diffusion.pt")
    if captions:
        diffusion.finetune_captions(sets, checkpoint, args.steps, args.seconds, common.device(args.device))
    else:
        diffusion.refine_decoder(sets, checkpoint, args.steps, args.seconds, common.device(args.device),
                                 latent_noise=args.latent_noise, shape_weights=tuple(args.shape_weights))


# ----------------------------------------------------------------------------- export


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def yaml_value(v, indent):
    pad = " " * indent
    if isinstance(v, dict):
        return "\n" + "\n".join(f"{pad}{k}:{yaml_value(x, indent + 2)}" for k, x in v.items())
    if isinstance(v, list):
        return " [" + ", ".join(json.dumps(x) for x in v) + "]"
    if isinstance(v, str):
        return " " + json.dumps(v)
    if isinstance(v, bool):
        return " true" if v else " false"
    return " " + repr(v)


def manifest(folder, fields, files):
    """Writes imajin-model.yaml with every file's sha256."""
    body = dict(fields)
    body["files"] = {role: {"path": path, "sha256": sha256(os.path.join(folder, path))} for role, path in files.items()}
    order = ["id", "task", "family", "license", "description", "files", "tokenizer", "preprocess", "postprocess",
             "labels", "thresholds"]
    lines = ["# imajin starter pack: trained by tools/modelpack/pack.py on a synthetic world (docs/models.md)."]
    for key in order:
        if key in body:
            value = body[key]
            if key == "files":
                lines.append("files:")
                for role, f in value.items():
                    lines.append(f"  {role}: {{path: {f['path']}, sha256: {f['sha256']}}}")
            else:
                lines.append(f"{key}:{yaml_value(value, 2)}")
    with open(os.path.join(folder, "imajin-model.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")


def export(args):
    import torch

    import classifiers
    import diffusion
    import facemodels
    import faces
    import reward
    import semantic

    torch.manual_seed(0)
    ckpt = os.path.join(args.work, "ckpt")
    out = args.out
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    vocabulary = data.vocabulary()
    eos = vocabulary.ids["<|endoftext|>"]
    licence = "Apache-2.0"
    metrics = {}
    rgb = {"rescale": 1 / 255, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]}

    encoder, decoder, text, unet, scale, m = diffusion.load(os.path.join(ckpt, "diffusion.pt"))
    folder = os.path.join(out, "sd")
    diffusion.export(folder, vocabulary, text, unet, encoder, decoder, scale)
    metrics["diffusion"] = m
    manifest(folder, {"id": "starter-sd", "task": "text-to-image", "family": "stable-diffusion-1", "license": licence,
                      "description": "Starter pack text-to-image model: 64x64 scenes of coloured shapes (synthetic world).",
                      "tokenizer": "tokenizer"},
             {"text_encoder": "text_encoder/model.onnx", "unet": "unet/model.onnx",
              "vae_encoder": "vae_encoder/model.onnx", "vae_decoder": "vae_decoder/model.onnx",
              "scheduler": "scheduler/scheduler_config.json"})

    model, m = semantic.load(os.path.join(ckpt, "semantic.pt"))
    folder = os.path.join(out, "semantic")
    scores = semantic.export(model, folder)
    vocabulary.write(os.path.join(folder, "tokenizer"), pad="<|endoftext|>")
    metrics["semantic"] = m
    manifest(folder, {"id": "starter/semantic", "task": "image-text-similarity", "family": "siglip", "license": licence,
                      "description": "Starter pack SigLIP-style dual encoder for the synthetic world's shapes, colours, "
                                     "sizes, places and backgrounds.",
                      "tokenizer": "tokenizer",
                      "preprocess": dict(size=semantic.SIZE, resample="bilinear", **rgb, max_length=data.TEXT_LENGTH,
                                         pad_token_id=eos, template="a picture of {}"),
                      "postprocess": scores, "thresholds": {"present": 0.5}},
             {"vision_model": "vision_model.onnx", "text_model": "text_model.onnx"})

    model, m = reward.load(os.path.join(ckpt, "reward.pt"))
    folder = os.path.join(out, "reward")
    reward.export(model, folder)
    vocabulary.write(os.path.join(folder, "tokenizer"), pad="<|endoftext|>")
    metrics["reward"] = m
    manifest(folder, {"id": "starter/reward", "task": "image-reward", "family": "image-reward", "license": licence,
                      "description": "Starter pack prompt-image reward model (ImageReward's role), trained on synthetic "
                                     "preferences: clean, centred, contrasted, matching images score higher.",
                      "tokenizer": "tokenizer",
                      "preprocess": {"size": reward.SIZE, "resample": "bicubic", "rescale": 1 / 255,
                                     "mean": reward.MEAN.tolist(), "std": reward.STD.tolist(), "max_length": 77,
                                     "pad_token_id": eos},
                      "postprocess": {"mean": m["clean_mean"], "std": m["clean_std"]}},
             {"model": "reward.onnx"})

    model, m = classifiers.load("prohibited", os.path.join(ckpt, "prohibited.pt"))
    folder = os.path.join(out, "prohibited")
    classifiers.export(model, folder)
    metrics["prohibited"] = m
    manifest(folder, {"id": "starter/prohibited", "task": "image-classification", "family": "vit", "license": licence,
                      "description": "Starter pack stand-in policy classifier: flags three synthetic glyphs (saltire, "
                                     "bolt, hexagram) as a 'prohibited' category for tests. It is not NSFW detection.",
                      "preprocess": dict(size=classifiers.SIZE, resample="bilinear", **rgb),
                      "labels": classifiers.PROHIBITED_LABELS, "thresholds": {"prohibited_symbol": 0.5}},
             {"model": "model.onnx"})

    model, m = classifiers.load("age", os.path.join(ckpt, "age.pt"))
    folder = os.path.join(out, "age")
    classifiers.export(model, folder)
    metrics["age"] = m
    manifest(folder, {"id": "starter/age", "task": "age-estimation", "family": "vit", "license": licence,
                      "description": "Starter pack apparent-age classifier for the synthetic faces (proportions, lines, "
                                     "grey hair); input: the face box grown by 30% each way.",
                      "preprocess": dict(size=classifiers.SIZE, resample="bilinear", **rgb, box_margin=0.3),
                      "labels": faces.AGE_LABELS},
             {"model": "model.onnx"})

    model, m = facemodels.load("detector", os.path.join(ckpt, "detector.pt"))
    folder = os.path.join(out, "face-detector")
    facemodels.export_detector(model, folder)
    metrics["detector"] = m
    manifest(folder, {"id": "starter/face-detector", "task": "face-detection", "family": "scrfd", "license": licence,
                      "description": "Starter pack face detector in SCRFD's layout (strides 8/16/32, 2 anchors, boxes "
                                     "and 5 landmarks) for the synthetic faces.",
                      "preprocess": {"input_size": facemodels.DET_SIZE, "mean": 127.5, "std": 128.0},
                      "thresholds": {"score": 0.5, "nms_iou": 0.4}},
             {"model": "det.onnx"})

    model, m = facemodels.load("embedder", os.path.join(ckpt, "embedder.pt"))
    folder = os.path.join(out, "face-embedder")
    facemodels.export_embedder(model, folder)
    metrics["embedder"] = m
    manifest(folder, {"id": "starter/face-embedder", "task": "face-embedding", "family": "arcface", "license": licence,
                      "description": "Starter pack face embedder in ArcFace's layout (112x112 aligned face -> "
                                     "128-d normalised embedding) for the synthetic faces.",
                      "preprocess": {"size": 112, "mean": 127.5, "std": 127.5},
                      "thresholds": {"same_person": round(m["threshold"], 4)}},
             {"model": "embed.onnx"})

    with open(os.path.join(out, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
    print(json.dumps(metrics, indent=2))
    print(f"exported to {out}: {total / 1e6:.1f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("train", "all"):
        p = sub.add_parser(name)
        p.add_argument("--work", required=True, help="data sets, checkpoints and logs")
        p.add_argument("--seconds", type=float, default=3600.0, help="training time of the longest model")
        p.add_argument("--scale", choices=["full", "smoke"], default="full")
        p.add_argument("--device", help="cuda or cpu (default: cuda when there is one)")
        p.add_argument("--threads", type=int, default=2, help="CPU threads per trainer")
        p.add_argument("--processes", type=int, help="processes rendering the data (default: all cores)")
        p.add_argument("--only", nargs="*", choices=list(MODELS))
        p.add_argument("--again", action="store_true", help="train even where a checkpoint exists")
        p.add_argument("--until", type=float, help="end training within this many seconds of the start")
        if name == "all":
            p.add_argument("--out", required=True)
    p = sub.add_parser("export")
    p.add_argument("--work", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("refine-decoder", help="fine-tune the VAE decoder alone (encoder and UNet kept)")
    p.add_argument("--work", required=True)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--latent-noise", type=float, default=0.3,
                   help="largest Gaussian noise added to a latent, as a fraction of the latents' spread")
    p.add_argument("--shape-weights", type=float, nargs=5, default=[1.0] * 5, metavar="W",
                   help="how often scenes are drawn by their first thing's shape (circle square triangle star ring)")
    p.add_argument("--seconds", type=float, default=86400.0)
    p.add_argument("--scenes", type=int, default=20000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device")
    p = sub.add_parser("finetune-captions", help="teach the text encoder and UNet partial captions")
    p.add_argument("--work", required=True)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--seconds", type=float, default=86400.0)
    p.add_argument("--scenes", type=int, default=20000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device")
    p = sub.add_parser("train-one")
    p.add_argument("name", choices=list(MODELS))
    p.add_argument("--work", required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--device")
    p.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if args.command == "train":
        train(args)
    elif args.command == "export":
        export(args)
    elif args.command == "refine-decoder":
        refine(args)
    elif args.command == "finetune-captions":
        refine(args, captions=True)
    elif args.command == "all":
        train(args)
        export(args)
    else:
        train_one(args.name, args.work, args.seconds, args.device, args.threads)


if __name__ == "__main__":
    main()
