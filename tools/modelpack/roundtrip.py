"""How much of the world the diffusion model's autoencoder keeps: renders held-out scenes (the same
captions evaluate.py draws), encodes each to its latent mean, decodes it, and reads shape and colour
back with evaluate.py's pixel judge: how well the autoencoder keeps each shape. Generated images
leave through the same decoder, so a shape the round trip loses is one the UNet can only draw by
finding latents the encoder never produces.

With --probe it also asks whether the latents hold what the round trip loses: a small classifier
trained on the latent means of rendered one-thing scenes reads each held-out scene's shape back.
A shape the probe reads but the round trip loses is the decoder's to learn (`pack.py
refine-decoder`); one the probe cannot read needs the encoder retrained.

    python3 roundtrip.py --checkpoint WORK/ckpt/diffusion.pt [--count 300] [--seed 99] [--probe 6000]
"""

import argparse

import numpy as np
import torch

import diffusion
import evaluate
import world


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--checkpoint", required=True, help="a diffusion.pt written by pack.py train")
    p.add_argument("--count", type=int, default=300)
    p.add_argument("--seed", type=int, default=99)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--probe", type=int, default=0, metavar="SCENES",
                   help="also train a shape probe on the latents of this many scenes (a fifth held out)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    encoder, decoder, _, _, _, _ = diffusion.load(args.checkpoint)
    encoder.eval()
    decoder.eval()
    seen, kept, drawn = {}, {}, {}
    with torch.no_grad():
        for scene in evaluate.held_out(args.count, args.seed):
            pixels = world.render(scene, 64)
            mean, _ = encoder(diffusion.to_unit(torch.from_numpy(pixels.copy()[None]))).chunk(2, dim=1)
            out = ((decoder(mean).clamp(-1, 1) + 1) * 127.5).round().byte()[0].permute(1, 2, 0).numpy()
            want = (scene.things[0].shape, scene.things[0].colour)
            shape = want[0]
            seen[shape] = seen.get(shape, 0) + 1
            drawn[shape] = drawn.get(shape, 0) + (evaluate.measure(pixels, scene) == want)
            kept[shape] = kept.get(shape, 0) + (evaluate.measure(np.asarray(out), scene) == want)
    for shape in sorted(seen):
        print(f"{shape:9s} {seen[shape]:4d} scenes: judge right on the render {drawn[shape]:4d}, "
              f"after the autoencoder {kept[shape]:4d} ({100 * kept[shape] / seen[shape]:.0f}%)")
    total = sum(seen.values())
    print(f"all       {total:4d} scenes: judge right on the render {sum(drawn.values()):4d}, "
          f"after the autoencoder {sum(kept.values()):4d} ({100 * sum(kept.values()) / total:.1f}%)")
    if args.probe:
        probe(encoder, args.probe, args.seed + 1)


def probe(encoder, count, seed):
    """Trains a one-hidden-layer classifier on the flattened latent means of `count` rendered
    one-thing scenes (four fifths) and prints how often it reads the shape of the rest, by shape
    and size."""
    scenes = evaluate.held_out(count, seed)
    with torch.no_grad():
        latents = torch.cat([
            encoder(diffusion.to_unit(torch.from_numpy(np.stack([world.render(s, 64) for s in scenes[i : i + 256]]))))[:, :4]
            for i in range(0, count, 256)]).flatten(1)
    shapes = torch.tensor([world.SHAPES.index(s.shape) for s in scenes])
    train = torch.arange(count) < count * 4 // 5
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(latents.shape[1], 512), torch.nn.ReLU(), torch.nn.Linear(512, len(world.SHAPES)))
    opt = torch.optim.Adam(model.parameters(), 1e-3, weight_decay=1e-4)
    for _ in range(300):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(latents[train]), shapes[train]).backward()
        opt.step()
    with torch.no_grad():
        read = model(latents[~train]).argmax(1)
    held = [s for s, t in zip(scenes, train.tolist()) if not t]
    print(f"probe on the latents of {len(held)} held-out scenes ({count - len(held)} to train it):")
    for k, shape in enumerate(world.SHAPES):
        for size in world.SIZES:
            rows = [i for i, s in enumerate(held) if s.shape == shape and s.things[0].size == size]
            right = sum(int(read[i]) == k for i in rows)
            print(f"{shape:9s} {size:6s} {len(rows):4d} scenes: shape read from the latents {100 * right / max(1, len(rows)):.0f}%")


if __name__ == "__main__":
    main()
