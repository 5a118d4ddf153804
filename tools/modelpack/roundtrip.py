"""How much of the world the diffusion model's autoencoder keeps: renders held-out scenes (the same
captions evaluate.py draws), encodes each to its latent mean, decodes it, and reads shape and colour
back with evaluate.py's pixel judge: how well the autoencoder keeps each shape. Generated images
leave through the same decoder, so a shape the round trip loses is one the UNet can only draw by
finding latents the encoder never produces.

    python3 roundtrip.py --checkpoint WORK/ckpt/diffusion.pt [--count 300] [--seed 99]
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


if __name__ == "__main__":
    main()
