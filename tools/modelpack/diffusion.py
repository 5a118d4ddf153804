"""The starter pack's text-to-image model: a small latent diffusion model in Stable Diffusion's
formulation (a KL autoencoder with 8x downsampling, a CLIP-style text encoder, a cross-attention
UNet predicting epsilon on the scaled-linear 1000-step schedule), trained on the synthetic world
and exported as an Optimum-style ONNX folder that imajin's diffusion service runs like any SD export.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/modelpack/diffusion.py --out /tmp/sd \\
        --vae-steps 2000 --unet-steps 20000

Stages: the autoencoder is trained first (reconstruction plus a small KL term), its latent scale is
measured (SD's `scaling_factor`) and `--scenes` scenes are encoded once; then the text encoder and
UNet are trained together on those latents with 10% of captions dropped (the empty prompt) so
classifier-free guidance works. Checkpoints go to `--work` (default `<out>/.work`); a rerun
resumes from them.
"""

import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import world
from clip_vocab import EOS, ClipVocabulary

SIZE = 64
LATENT = 4
CONTEXT = 64  # text hidden size = UNet cross-attention size
TRAIN_STEPS = 1000


# ----------------------------------------------------------------------------- data


class Batches:
    """Random scenes as image tensors in [-1, 1] and their captions' token ids."""

    def __init__(self, vocabulary, seed, drop_caption=0.1):
        self.vocabulary = vocabulary
        self.rng = random.Random(seed)
        self.drop_caption = drop_caption

    def next(self, n):
        images, ids = [], []
        for _ in range(n):
            scene = world.random_scene(self.rng)
            images.append(world.render(scene, SIZE))
            caption = "" if self.rng.random() < self.drop_caption else scene.caption()
            ids.append(self.vocabulary.encode(caption))
        x = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float() / 127.5 - 1.0
        return x, torch.tensor(ids, dtype=torch.long)


# ----------------------------------------------------------------------------- models


def group_norm(c):
    return nn.GroupNorm(8, c)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, temb=0):
        super().__init__()
        self.n1, self.c1 = group_norm(cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.n2, self.c2 = group_norm(cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.t = nn.Linear(temb, cout) if temb else None
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, t=None):
        h = self.c1(F.silu(self.n1(x)))
        if self.t is not None:
            h = h + self.t(t)[:, :, None, None]
        return self.skip(x) + self.c2(F.silu(self.n2(h)))


class Encoder(nn.Module):
    """64x64x3 -> 8x8x8 (mean and log-variance of 4 latent channels)."""

    def __init__(self, c=48):
        super().__init__()
        self.inp = nn.Conv2d(3, c, 3, padding=1)
        self.blocks = nn.ModuleList(
            [ResBlock(c, c), nn.Conv2d(c, c, 3, 2, 1), ResBlock(c, 2 * c), nn.Conv2d(2 * c, 2 * c, 3, 2, 1),
             ResBlock(2 * c, 2 * c), nn.Conv2d(2 * c, 2 * c, 3, 2, 1), ResBlock(2 * c, 2 * c)]
        )
        self.out = nn.Sequential(group_norm(2 * c), nn.SiLU(), nn.Conv2d(2 * c, 2 * LATENT, 3, padding=1))

    def forward(self, x):
        h = self.inp(x)
        for block in self.blocks:
            h = block(h)
        return self.out(h)


class Decoder(nn.Module):
    """8x8x4 -> 64x64x3 in about [-1, 1]."""

    def __init__(self, c=48):
        super().__init__()
        self.inp = nn.Conv2d(LATENT, 2 * c, 3, padding=1)
        self.blocks = nn.ModuleList(
            [ResBlock(2 * c, 2 * c), nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(2 * c, 2 * c, 3, padding=1),
             ResBlock(2 * c, 2 * c), nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(2 * c, c, 3, padding=1),
             ResBlock(c, c), nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(c, c, 3, padding=1), ResBlock(c, c)]
        )
        self.out = nn.Sequential(group_norm(c), nn.SiLU(), nn.Conv2d(c, 3, 3, padding=1))

    def forward(self, z):
        h = self.inp(z)
        for block in self.blocks:
            h = block(h)
        return self.out(h)


class Attention(nn.Module):
    """Multi-head attention written out, so the ONNX export needs no fused kernels."""

    def __init__(self, dim, context_dim, heads=4):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(context_dim, dim, bias=False)
        self.v = nn.Linear(context_dim, dim, bias=False)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, context, mask=None):
        b, n, d = x.shape
        h = self.heads
        q = self.q(x).reshape(b, n, h, d // h).transpose(1, 2)
        k = self.k(context).reshape(b, -1, h, d // h).transpose(1, 2)
        v = self.v(context).reshape(b, -1, h, d // h).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // h)
        if mask is not None:
            scores = scores + mask
        out = torch.softmax(scores, dim=-1) @ v
        return self.o(out.transpose(1, 2).reshape(b, n, d))


class TextEncoder(nn.Module):
    """CLIP's text tower in miniature: causal self-attention layers and a final layer norm.
    Outputs last_hidden_state [B, 77, CONTEXT] and pooler_output at the first EOS (the argmax id)."""

    def __init__(self, vocab_size, layers=2):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, CONTEXT)
        self.positions = nn.Parameter(torch.zeros(77, CONTEXT))
        self.attn = nn.ModuleList([Attention(CONTEXT, CONTEXT) for _ in range(layers)])
        self.norm1 = nn.ModuleList([nn.LayerNorm(CONTEXT) for _ in range(layers)])
        self.norm2 = nn.ModuleList([nn.LayerNorm(CONTEXT) for _ in range(layers)])
        self.mlp = nn.ModuleList(
            [nn.Sequential(nn.Linear(CONTEXT, 4 * CONTEXT), nn.GELU(), nn.Linear(4 * CONTEXT, CONTEXT)) for _ in range(layers)]
        )
        self.final = nn.LayerNorm(CONTEXT)
        self.register_buffer("causal", torch.full((77, 77), -1e9).triu(1), persistent=False)

    def forward(self, input_ids):
        ids = input_ids.long()
        x = self.tokens(ids) + self.positions
        for attn, n1, n2, mlp in zip(self.attn, self.norm1, self.norm2, self.mlp):
            y = n1(x)
            x = x + attn(y, y, self.causal)
            x = x + mlp(n2(x))
        hidden = self.final(x)
        eos = ids.argmax(dim=-1)
        pooled = hidden[torch.arange(hidden.shape[0]), eos]
        return hidden, pooled


class UNet(nn.Module):
    """Two resolutions (8x8 and 4x4 latents) with cross-attention to the text at both."""

    def __init__(self, c=64):
        super().__init__()
        self.temb = nn.Sequential(nn.Linear(c, 4 * c), nn.SiLU(), nn.Linear(4 * c, 4 * c))
        t = 4 * c
        self.inp = nn.Conv2d(LATENT, c, 3, padding=1)
        self.d1 = ResBlock(c, c, t)
        self.a1 = Attention(c, CONTEXT)
        self.n1 = nn.LayerNorm(c)
        self.down = nn.Conv2d(c, 2 * c, 3, 2, 1)
        self.m1 = ResBlock(2 * c, 2 * c, t)
        self.am = Attention(2 * c, CONTEXT)
        self.nm = nn.LayerNorm(2 * c)
        self.m2 = ResBlock(2 * c, 2 * c, t)
        self.up = nn.ConvTranspose2d(2 * c, c, 4, 2, 1)
        self.u1 = ResBlock(2 * c, c, t)
        self.a2 = Attention(c, CONTEXT)
        self.n2 = nn.LayerNorm(c)
        self.out = nn.Sequential(group_norm(c), nn.SiLU(), nn.Conv2d(c, LATENT, 3, padding=1))
        self.c = c

    def embed(self, timestep, batch):
        half = self.c // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        t = timestep.float().reshape(-1)
        t = t.expand(batch) if t.shape[0] == 1 else t
        args = t[:, None] * freqs[None]
        return self.temb(torch.cat([torch.cos(args), torch.sin(args)], dim=-1))

    @staticmethod
    def attend(attn, norm, x, context):
        b, c, h, w = x.shape
        seq = x.flatten(2).transpose(1, 2)
        seq = seq + attn(norm(seq), context)
        return seq.transpose(1, 2).reshape(b, c, h, w)

    def forward(self, sample, timestep, encoder_hidden_states):
        t = self.embed(timestep, sample.shape[0])
        h1 = self.attend(self.a1, self.n1, self.d1(self.inp(sample), t), encoder_hidden_states)
        m = self.m1(self.down(h1), t)
        m = self.m2(self.attend(self.am, self.nm, m, encoder_hidden_states), t)
        u = self.u1(torch.cat([self.up(m), h1], dim=1), t)
        return self.out(self.attend(self.a2, self.n2, u, encoder_hidden_states))


# ----------------------------------------------------------------------------- training


def alphas_cumprod():
    betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, TRAIN_STEPS, dtype=torch.float64) ** 2
    return torch.cumprod(1.0 - betas, dim=0).float()


def train_vae(encoder, decoder, batches, steps, log):
    params = list(encoder.parameters()) + list(decoder.parameters())
    opt = torch.optim.AdamW(params, lr=2e-4)
    start = time.time()
    for step in range(1, steps + 1):
        x, _ = batches.next(32)
        moments = encoder(x)
        mean, logvar = moments.chunk(2, dim=1)
        logvar = logvar.clamp(-30.0, 20.0)
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)
        recon = decoder(z)
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1.0 - logvar).mean()
        loss = F.l1_loss(recon, x) + 0.5 * F.mse_loss(recon, x) + 1e-5 * kl
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % log == 0 or step == steps:
            print(f"vae {step}/{steps} loss {loss.item():.4f} kl {kl.item():.2f} {time.time() - start:.0f}s", flush=True)


@torch.no_grad()
def latent_scale(encoder, batches):
    x, _ = batches.next(256)
    mean, _ = encoder(x).chunk(2, dim=1)
    return float(1.0 / mean.std())


@torch.no_grad()
def encode_scenes(encoder, vocabulary, seed, count, log):
    """Encodes `count` scenes once: their latent moments (float16) and both caption forms."""
    batches = Batches(vocabulary, seed, drop_caption=0.0)
    moments, ids = [], []
    start = time.time()
    for done in range(0, count, 256):
        x, i = batches.next(min(256, count - done))
        moments.append(encoder(x).half())
        ids.append(i)
        if (done // 256) % max(1, log // 10) == 0:
            print(f"encoded {done + x.shape[0]}/{count} scenes {time.time() - start:.0f}s", flush=True)
    return torch.cat(moments), torch.cat(ids)


def train_unet(unet, text, cache, scale, empty_ids, steps, log, state=None, checkpoint=None):
    """Trains on the encoded scenes; 10% of captions become the empty prompt."""
    moments, ids = cache
    acp = alphas_cumprod()
    opt = torch.optim.AdamW(list(unet.parameters()) + list(text.parameters()), lr=3e-4, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 500))
    first = 1
    if state is not None:
        opt.load_state_dict(state["opt"])
        schedule.load_state_dict(state["schedule"])
        first = state["step"] + 1
    start = time.time()
    for step in range(first, steps + 1):
        pick = torch.randint(0, moments.shape[0], (64,))
        mean, logvar = moments[pick].float().chunk(2, dim=1)
        latents = (mean + torch.exp(0.5 * logvar.clamp(-30, 20)) * torch.randn_like(mean)) * scale
        batch_ids = ids[pick].clone()
        batch_ids[torch.rand(64) < 0.1] = empty_ids
        x = latents
        t = torch.randint(0, TRAIN_STEPS, (x.shape[0],))
        noise = torch.randn_like(latents)
        a = acp[t][:, None, None, None]
        noisy = a.sqrt() * latents + (1 - a).sqrt() * noise
        context, _ = text(batch_ids)
        loss = F.mse_loss(unet(noisy, t.float(), context), noise)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
        opt.step()
        schedule.step()
        if step % log == 0 or step == steps:
            print(f"unet {step}/{steps} loss {loss.item():.4f} {time.time() - start:.0f}s", flush=True)
        if checkpoint is not None and (step % (log * 10) == 0 or step == steps):
            checkpoint(step, opt, schedule)


# ----------------------------------------------------------------------------- export


class VaeEncoderExport(nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, sample):
        return self.encoder(sample)


def export(out, vocabulary, text, unet, encoder, decoder, scale):
    os.makedirs(out, exist_ok=True)
    text.eval(), unet.eval(), encoder.eval(), decoder.eval()
    ids = torch.tensor([vocabulary.encode("a small red star")], dtype=torch.long)
    parts = {
        "text_encoder": (text, (ids,), ["input_ids"], ["last_hidden_state", "pooler_output"],
                         {"input_ids": {0: "batch_size"}, "last_hidden_state": {0: "batch_size"}, "pooler_output": {0: "batch_size"}}),
        "unet": (unet, (torch.randn(2, LATENT, 8, 8), torch.tensor(500.0), torch.randn(2, 77, CONTEXT)),
                 ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
                 {"sample": {0: "batch_size", 2: "height", 3: "width"}, "encoder_hidden_states": {0: "batch_size"},
                  "out_sample": {0: "batch_size", 2: "height", 3: "width"}}),
        "vae_encoder": (VaeEncoderExport(encoder), (torch.randn(1, 3, SIZE, SIZE),), ["sample"], ["latent_parameters"],
                        {"sample": {0: "batch_size", 2: "height", 3: "width"}, "latent_parameters": {0: "batch_size", 2: "height_latent", 3: "width_latent"}}),
        "vae_decoder": (decoder, (torch.randn(1, LATENT, 8, 8),), ["latent_sample"], ["sample"],
                        {"latent_sample": {0: "batch_size", 2: "height_latent", 3: "width_latent"}, "sample": {0: "batch_size", 2: "height", 3: "width"}}),
    }
    for name, (model, args, inputs, outputs, axes) in parts.items():
        os.makedirs(os.path.join(out, name), exist_ok=True)
        torch.onnx.export(model, args, os.path.join(out, name, "model.onnx"), input_names=inputs,
                          output_names=outputs, dynamic_axes=axes, opset_version=17, do_constant_folding=True)
    vocabulary.write(os.path.join(out, "tokenizer"), pad=EOS)
    write_json(out, "model_index.json", {
        "_class_name": "StableDiffusionPipeline", "_diffusers_version": "0.30.0",
        "feature_extractor": [None, None], "safety_checker": [None, None], "requires_safety_checker": False,
        "scheduler": ["diffusers", "EulerDiscreteScheduler"], "text_encoder": ["transformers", "CLIPTextModel"],
        "tokenizer": ["transformers", "CLIPTokenizer"], "unet": ["diffusers", "UNet2DConditionModel"],
        "vae": ["diffusers", "AutoencoderKL"]})
    write_json(out, "scheduler/scheduler_config.json", {
        "_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.30.0", "beta_start": 0.00085,
        "beta_end": 0.012, "beta_schedule": "scaled_linear", "num_train_timesteps": TRAIN_STEPS,
        "prediction_type": "epsilon", "steps_offset": 1, "timestep_spacing": "trailing"})
    write_json(out, "unet/config.json", {
        "_class_name": "UNet2DConditionModel", "_diffusers_version": "0.30.0", "in_channels": LATENT,
        "out_channels": LATENT, "sample_size": SIZE // 8, "cross_attention_dim": CONTEXT,
        "block_out_channels": [unet.c, 2 * unet.c]})
    vae = {"_class_name": "AutoencoderKL", "_diffusers_version": "0.30.0", "in_channels": 3, "out_channels": 3,
           "latent_channels": LATENT, "sample_size": SIZE, "scaling_factor": scale}
    write_json(out, "vae_encoder/config.json", vae)
    write_json(out, "vae_decoder/config.json", vae)
    write_json(out, "text_encoder/config.json", {
        "architectures": ["CLIPTextModel"], "model_type": "clip_text_model", "hidden_size": CONTEXT,
        "max_position_embeddings": 77, "vocab_size": len(vocabulary.tokens), "eos_token_id": 2})


def write_json(out, path, value):
    os.makedirs(os.path.dirname(os.path.join(out, path)), exist_ok=True)
    with open(os.path.join(out, path), "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="where the ONNX folder is written")
    parser.add_argument("--work", help="checkpoints and the latent cache; a rerun resumes from it")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--vae-steps", type=int, default=2000)
    parser.add_argument("--unet-steps", type=int, default=20000)
    parser.add_argument("--scenes", type=int, default=50000, help="scenes encoded for the UNet")
    parser.add_argument("--log", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    work = args.work or os.path.join(args.out, ".work")
    os.makedirs(work, exist_ok=True)
    vocabulary = ClipVocabulary(world.vocabulary())
    encoder, decoder = Encoder(), Decoder()
    vae_file = os.path.join(work, "vae.pt")
    if os.path.exists(vae_file):
        saved = torch.load(vae_file)
        encoder.load_state_dict(saved["encoder"])
        decoder.load_state_dict(saved["decoder"])
        scale = saved["scale"]
        print(f"autoencoder from {vae_file}", flush=True)
    else:
        train_vae(encoder, decoder, Batches(vocabulary, args.seed), args.vae_steps, args.log)
        scale = latent_scale(encoder, Batches(vocabulary, args.seed + 1))
        torch.save({"encoder": encoder.state_dict(), "decoder": decoder.state_dict(), "scale": scale}, vae_file)
    print(f"latent scaling_factor {scale:.5f}", flush=True)
    encoder.eval()
    cache_file = os.path.join(work, f"latents-{args.scenes}.pt")
    if os.path.exists(cache_file):
        cache = torch.load(cache_file)
    else:
        cache = encode_scenes(encoder, vocabulary, args.seed + 2, args.scenes, args.log)
        torch.save(cache, cache_file)
    text, unet = TextEncoder(len(vocabulary.tokens)), UNet()
    unet_file = os.path.join(work, "unet.pt")
    state = None
    if os.path.exists(unet_file):
        state = torch.load(unet_file)
        text.load_state_dict(state["text"])
        unet.load_state_dict(state["unet"])
        print(f"text encoder and UNet from {unet_file}, step {state['step']}", flush=True)

    def checkpoint(step, opt, schedule):
        torch.save({"text": text.state_dict(), "unet": unet.state_dict(), "opt": opt.state_dict(),
                    "schedule": schedule.state_dict(), "step": step}, unet_file + ".tmp")
        os.replace(unet_file + ".tmp", unet_file)

    empty = torch.tensor(vocabulary.encode(""), dtype=torch.long)
    train_unet(unet, text, cache, scale, empty, args.unet_steps, args.log, state, checkpoint)
    export(args.out, vocabulary, text, unet, encoder, decoder, scale)
    print(f"exported to {args.out}")


if __name__ == "__main__":
    main()
