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

import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import common
import data
from clip_vocab import EOS

SIZE = 64
LATENT = 4
CONTEXT = 128  # text hidden size = UNet cross-attention size
TRAIN_STEPS = 1000


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

    def __init__(self, c=64):
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

    def __init__(self, vocab_size, layers=3):
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
        pooled = hidden[torch.arange(hidden.shape[0], device=ids.device), eos]
        return hidden, pooled


class UNet(nn.Module):
    """Two resolutions (8x8 and 4x4 latents) with cross-attention to the text at both."""

    def __init__(self, c=96):
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
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=timestep.device) / half)
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


def to_unit(images):
    """uint8 [B, H, W, 3] (on any device) -> float [B, 3, H, W] in [-1, 1]."""
    return images.permute(0, 3, 1, 2).float() / 127.5 - 1.0


def edges(x):
    return torch.cat([(x[:, :, 1:, :] - x[:, :, :-1, :]).flatten(1), (x[:, :, :, 1:] - x[:, :, :, :-1]).flatten(1)], 1)


def train(sets, checkpoint, seconds, dev, seed=1, vae_share=0.35, batch=None, vae_batch=None):
    """Trains the autoencoder, then the text encoder and UNet, on the scene set; writes the
    checkpoint (EMA weights of the UNet and text encoder) and returns its metrics. Captions are
    whole half the time, partial ("a red star") two fifths, empty one tenth. Batches default to
    1024 (UNet) and 256 (VAE) on a GPU, where these small models are bound by launches, not
    arithmetic, and 256 and 64 elsewhere."""
    gpu = torch.device(dev).type == "cuda"
    batch = batch or (1024 if gpu else 256)
    vae_batch = vae_batch or (256 if gpu else 64)
    name = "diffusion"
    images = torch.from_numpy(sets["images"]).to(dev)
    captions = torch.from_numpy(sets["captions"].astype(np.int64)).to(dev)
    partials = torch.from_numpy(sets["partials"].astype(np.int64)).to(dev)
    n = images.shape[0]
    gen = torch.Generator().manual_seed(seed)
    encoder, decoder = Encoder().to(dev), Decoder().to(dev)
    params = list(encoder.parameters()) + list(decoder.parameters())
    opt = torch.optim.AdamW(params, lr=3e-4, weight_decay=0.0)
    budget = common.Budget(200000, seconds * vae_share)
    step = 0
    vae_batch = min(vae_batch, n)
    for pick in common.batches_of(n, vae_batch, gen):
        if budget.done(step):
            break
        common.set_lr(opt, common.learning_rate(budget.progress(step), 4e-4))
        x = to_unit(images[pick.to(dev)])
        moments = encoder(x)
        mean, logvar = moments.chunk(2, dim=1)
        logvar = logvar.clamp(-30.0, 20.0)
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)
        recon = decoder(z)
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1.0 - logvar).mean()
        loss = F.l1_loss(recon, x) + F.mse_loss(recon, x) + 0.5 * F.l1_loss(edges(recon), edges(x)) + 1e-6 * kl
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        if step % 500 == 0:
            common.log(name, f"vae step {step} loss {loss.item():.4f} kl {kl.item():.2f} {budget.elapsed():.0f}s")
    vae_steps = step
    encoder.eval(), decoder.eval()
    with torch.no_grad():
        x = to_unit(images[: min(n, 1024)])
        mean, _ = encoder(x).chunk(2, dim=1)
        scale = float(1.0 / mean.std())
        recon_error = float(F.l1_loss(decoder(mean), x))
        moments = torch.cat([encoder(to_unit(images[i : i + 1024])) for i in range(0, n, 1024)])
    common.log(name, f"vae {vae_steps} steps, scaling_factor {scale:.4f}, recon L1 {recon_error:.4f}")
    del images

    vocab_size = len(data.vocabulary().tokens)
    empty = torch.tensor(data.token_ids("", 77), dtype=torch.long, device=dev)
    text, unet = TextEncoder(vocab_size).to(dev), UNet().to(dev)
    params = list(unet.parameters()) + list(text.parameters())
    opt = torch.optim.AdamW(params, lr=3e-4, weight_decay=0.01)
    ema_unet, ema_text = common.Ema(unet), common.Ema(text)
    acp = alphas_cumprod().to(dev)
    budget = common.Budget(500000, seconds * (1 - vae_share) - 5)
    step = 0
    batch = min(batch, n)
    for pick in common.batches_of(n, batch, gen):
        if budget.done(step):
            break
        common.set_lr(opt, common.learning_rate(budget.progress(step), 5e-4, warmup=0.03))
        pick = pick.to(dev)
        mean, logvar = moments[pick].chunk(2, dim=1)
        latents = (mean + torch.exp(0.5 * logvar.clamp(-30, 20)) * torch.randn_like(mean)) * scale
        ids = mixed_captions(captions[pick], partials[pick], empty)
        t = torch.randint(0, TRAIN_STEPS, (batch,), device=dev)
        noise = torch.randn_like(latents)
        a = acp[t][:, None, None, None]
        noisy = a.sqrt() * latents + (1 - a).sqrt() * noise
        context, _ = text(ids)
        loss = F.mse_loss(unet(noisy, t.float(), context), noise)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        ema_unet.update(unet)
        ema_text.update(text)
        step += 1
        if step % 1000 == 0:
            common.log(name, f"unet step {step} loss {loss.item():.4f} {budget.elapsed():.0f}s")
    metrics = {"vae_steps": vae_steps, "unet_steps": step, "scaling_factor": scale,
               "vae_recon_l1": recon_error, "scenes": n, "seconds": seconds}
    common.save(checkpoint, {"encoder": common.cpu_state(encoder), "decoder": common.cpu_state(decoder),
                             "text": ema_text.state_dict(), "unet": ema_unet.state_dict(), "scale": scale,
                             "metrics": metrics})
    common.log(name, f"done: {metrics}")
    return metrics


def boundary_weights(x, weight=8.0):
    """Per-pixel loss weights [B, 1, H, W]: 1 everywhere, 1 + weight on and next to the edges of
    shapes, where a star's points and a triangle's corners are; plain background counts once."""
    gradient = F.pad(edges_map(x), (1, 1, 1, 1), mode="replicate")
    near = F.max_pool2d((gradient > 0.08).float(), 3, 1, 1)
    return 1.0 + weight * near


def edges_map(x):
    """The largest absolute difference to the right or below neighbour, over channels: [B, 1, H-2, W-2]
    interior pixels of [B, 3, H, W]."""
    dy = (x[:, :, 2:, 1:-1] - x[:, :, 1:-1, 1:-1]).abs()
    dx = (x[:, :, 1:-1, 2:] - x[:, :, 1:-1, 1:-1]).abs()
    return torch.maximum(dy, dx).amax(dim=1, keepdim=True)


def refine_decoder(sets, checkpoint, steps, seconds, dev, seed=7, batch=32, snapshot_every=250, latent_noise=0.3,
                   shape_weights=(1.0, 1.0, 1.0, 1.0, 1.0)):
    """Fine-tunes the VAE decoder alone, the encoder frozen, as Stable Diffusion's ft-MSE decoder
    was: the latent space, and so the UNet, stay as they are while small shapes come out sharper.
    The latents know a small star from a small circle (a probe on them reads a small star 95% of
    the time, `roundtrip.py --probe`); what the decoder lacked was training on the few pixels that
    differ, so the loss weighs the edges of shapes eightfold. The UNet's latents are near the
    encoder's, not on them, so each latent gets Gaussian noise of up to `latent_noise` of the
    latents' spread, which teaches the decoder to draw the nearest clean shape rather than
    something between two. `shape_weights` (world.SHAPES order) draws scenes by their first thing's
    shape: even by default, since favouring stars taught the decoder to pinch the sides of
    generated squares and triangles. Snapshots go to `<checkpoint>.refined` every `snapshot_every` steps."""
    name = "decoder"
    saved = torch.load(checkpoint, map_location="cpu")
    encoder, decoder = Encoder().to(dev), Decoder().to(dev)
    encoder.load_state_dict(saved["encoder"])
    decoder.load_state_dict(saved["decoder"])
    encoder.eval()
    images = torch.from_numpy(sets["images"]).to(dev)
    n = images.shape[0]
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    shapes = torch.from_numpy(sets["things"][:, 0, 0].astype(np.int64))
    draw = torch.tensor(shape_weights, dtype=torch.float32)[shapes]
    spread = 1.0 / saved["scale"]
    opt = torch.optim.AdamW(decoder.parameters(), lr=2e-4, weight_decay=0.0)
    budget = common.Budget(steps, seconds)
    step = 0
    batch = min(batch, n)
    while not budget.done(step):
        common.set_lr(opt, common.learning_rate(budget.progress(step), 2e-4, warmup=0.02))
        pick = torch.multinomial(draw, batch, replacement=True, generator=gen)
        x = to_unit(images[pick.to(dev)])
        with torch.no_grad():
            mean, logvar = encoder(x).chunk(2, dim=1)
            z = mean + torch.exp(0.5 * logvar.clamp(-30.0, 20.0)) * torch.randn_like(mean)
            amount = latent_noise * spread * torch.rand(z.shape[0], 1, 1, 1, device=dev)
            z = z + amount * torch.randn_like(z)
        recon = decoder(z)
        w = boundary_weights(x)
        loss = ((recon - x).abs() * w).mean() / w.mean() + 0.5 * F.l1_loss(edges(recon), edges(x))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        if step % 50 == 0:
            common.log(name, f"step {step} loss {loss.item():.4f} {budget.elapsed():.0f}s")
        if step % snapshot_every == 0:
            saved["decoder"] = common.cpu_state(decoder)
            saved["metrics"]["decoder_refine_steps"] = step
            common.save(checkpoint + ".refined", saved)
    decoder.eval()
    with torch.no_grad():
        x = to_unit(images[: min(n, 512)])
        mean, _ = encoder(x).chunk(2, dim=1)
        error = float(F.l1_loss(decoder(mean), x))
    saved["decoder"] = common.cpu_state(decoder)
    saved["metrics"].update(decoder_refine_steps=step, vae_recon_l1_refined=error)
    common.save(checkpoint, saved)
    common.log(name, f"done: {step} steps, recon L1 {error:.4f}")
    return saved["metrics"]


def mixed_captions(whole, partial, empty):
    """Per row: the whole caption (half the time), one of its partial captions (two fifths), or
    the empty prompt (one tenth), for classifier-free guidance."""
    b = whole.shape[0]
    r = torch.rand(b, device=whole.device)
    k = torch.randint(0, partial.shape[1], (b,), device=whole.device)
    ids = torch.where((r < 0.4)[:, None], partial[torch.arange(b, device=whole.device), k], whole)
    return torch.where((r >= 0.9)[:, None], empty[None, :], ids)


def finetune_captions(sets, checkpoint, steps, seconds, dev, seed=8, batch=64):
    """Fine-tunes the text encoder and UNet (from their EMA weights) on a mix of whole captions
    (half), partial ones (two fifths) and empty ones, so that a short prompt such as "a red star"
    draws a red star; the autoencoder is untouched."""
    name = "captions"
    saved = torch.load(checkpoint, map_location="cpu")
    encoder = Encoder().to(dev)
    encoder.load_state_dict(saved["encoder"])
    encoder.eval()
    vocab_size = len(data.vocabulary().tokens)
    text, unet = TextEncoder(vocab_size).to(dev), UNet().to(dev)
    text.load_state_dict(saved["text"])
    unet.load_state_dict(saved["unet"])
    scale = saved["scale"]
    images = torch.from_numpy(sets["images"])
    with torch.no_grad():
        moments = torch.cat([encoder(to_unit(images[i : i + 256].to(dev))) for i in range(0, images.shape[0], 256)])
    captions = torch.from_numpy(sets["captions"].astype(np.int64)).to(dev)
    partials = torch.from_numpy(sets["partials"].astype(np.int64)).to(dev)
    n = moments.shape[0]
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    empty = torch.tensor(data.token_ids("", 77), dtype=torch.long, device=dev)
    params = list(unet.parameters()) + list(text.parameters())
    opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01)
    ema_unet, ema_text = common.Ema(unet, 0.998), common.Ema(text, 0.998)
    acp = alphas_cumprod().to(dev)
    budget = common.Budget(steps, seconds)
    step = 0
    for pick in common.batches_of(n, min(batch, n), gen):
        if budget.done(step):
            break
        common.set_lr(opt, common.learning_rate(budget.progress(step), 2e-4, warmup=0.02, floor=0.1))
        ids = mixed_captions(captions[pick.to(dev)], partials[pick.to(dev)], empty)
        mean, logvar = moments[pick.to(dev)].chunk(2, dim=1)
        latents = (mean + torch.exp(0.5 * logvar.clamp(-30, 20)) * torch.randn_like(mean)) * scale
        t = torch.randint(0, TRAIN_STEPS, (latents.shape[0],), device=dev)
        noise = torch.randn_like(latents)
        a = acp[t][:, None, None, None]
        context, _ = text(ids)
        loss = F.mse_loss(unet(a.sqrt() * latents + (1 - a).sqrt() * noise, t.float(), context), noise)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        ema_unet.update(unet)
        ema_text.update(text)
        step += 1
        if step % 50 == 0:
            common.log(name, f"step {step} loss {loss.item():.4f} {budget.elapsed():.0f}s")
        if step % 250 == 0:
            snapshot = dict(saved, text=ema_text.state_dict(), unet=ema_unet.state_dict())
            snapshot["metrics"] = dict(saved["metrics"], caption_finetune_steps=step)
            common.save(checkpoint + ".captions", snapshot)
    saved["text"], saved["unet"] = ema_text.state_dict(), ema_unet.state_dict()
    saved["metrics"]["caption_finetune_steps"] = step
    common.save(checkpoint, saved)
    common.log(name, f"done: {step} steps")
    return saved["metrics"]


def load(checkpoint):
    saved = torch.load(checkpoint, map_location="cpu")
    encoder, decoder = Encoder(), Decoder()
    text, unet = TextEncoder(len(data.vocabulary().tokens)), UNet()
    encoder.load_state_dict(saved["encoder"])
    decoder.load_state_dict(saved["decoder"])
    text.load_state_dict(saved["text"])
    unet.load_state_dict(saved["unet"])
    return encoder, decoder, text, unet, saved["scale"], saved["metrics"]


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
        "prediction_type": "epsilon", "steps_offset": 1, "timestep_spacing": "trailing",
        "clip_sample": False, "set_alpha_to_one": False, "skip_prk_steps": True, "trained_betas": None})
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
