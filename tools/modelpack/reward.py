"""The pack's reward model, in ImageReward's role: (prompt, image) -> one score, higher for a clean,
centred, well-contrasted image that matches its prompt. It is trained on synthetic preferences:
each world image with its own caption is preferred to the same image blurred, noised, clipped,
washed out, pixelated, darkened or pushed off-centre (and a milder defect to a stronger one), and
to itself under another scene's caption.

Export: `reward.onnx` (`pixel_values` [B,3,64,64] with CLIP's mean and std, `input_ids` and
`attention_mask` [B,77]) -> `score` [B,1]; the manifest's postprocess `mean` and `std` standardise
the raw score over clean, matching pairs, as ImageReward does.
"""

import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import common
import data
import nets

SIZE = 64
MEAN = torch.tensor([0.48145466, 0.4578275, 0.40821073])
STD = torch.tensor([0.26862954, 0.26130258, 0.27577711])
DEGRADATIONS = ["blur", "noise", "clip", "washout", "pixelate", "dark", "shift", "greyscale"]


class Reward(nn.Module):
    def __init__(self, vocab_size, dim=96):
        super().__init__()
        self.image = nets.ConvTower([32, 64, 96, 128], depth=1)  # 64 -> 8x8
        self.text = nets.TextTower(vocab_size, 77, dim, 2)
        self.query = nn.Linear(dim, dim)
        self.key = nn.Linear(128, dim)
        self.value = nn.Linear(128, dim)
        self.mlp = nn.Sequential(nn.Linear(3 * dim + 128, 256), nn.GELU(), nn.Linear(256, 64), nn.GELU(), nn.Linear(64, 1))

    def forward(self, pixel_values, input_ids, attention_mask):
        tokens = self.image(pixel_values).flatten(2).transpose(1, 2)  # [B, 64, 128]
        mask = (1.0 - attention_mask.float())[:, None, None, :] * -1e4
        hidden = self.text(input_ids, mask)
        eos = (attention_mask.long().sum(1) - 1).clamp_min(0)
        t = hidden[torch.arange(hidden.shape[0]), eos]
        attn = torch.softmax((self.query(t)[:, None, :] * self.key(tokens)).sum(-1) / 11.3, dim=1)
        seen = (attn[:, :, None] * self.value(tokens)).sum(1)
        pooled = tokens.mean(1)
        return self.mlp(torch.cat([t, seen, t * seen, pooled], dim=1))


def mask_of(ids, eos):
    """1 up to and including the first EOS, 0 after (CLIP pads with EOS)."""
    first = (ids == eos).long().argmax(1)
    return (torch.arange(ids.shape[1], device=ids.device)[None] <= first[:, None]).long()


def normalise(x01):
    return (x01 - MEAN.to(x01.device)[None, :, None, None]) / STD.to(x01.device)[None, :, None, None]


def degrade(x, kind, strength):
    """x in [0, 1], [B, 3, H, W]; kind [B] indexes DEGRADATIONS; strength [B] in (0, 1]."""
    b = x.shape[0]
    s = strength[:, None, None, None]
    out = x.clone()
    k = kind

    def put(i, y):
        nonlocal out
        sel = (k == i)[:, None, None, None]
        out = torch.where(sel, y, out)

    put(0, nets.blur(x, 0.6 + 2.2 * strength))
    put(1, (x + torch.randn_like(x) * (0.04 + 0.26 * s)).clamp(0, 1))
    put(2, (x * (1.4 + 1.4 * s) + 0.1 + 0.3 * s - 0.4).clamp(0, 1))
    put(3, x * (1 - 0.85 * s) + 0.5 * 0.85 * s)
    factor = torch.where(strength > 0.5, 8, 4)
    p4 = F.interpolate(F.avg_pool2d(x, 4), scale_factor=4.0, mode="nearest")
    p8 = F.interpolate(F.avg_pool2d(x, 8), scale_factor=8.0, mode="nearest")
    put(4, torch.where((factor == 8)[:, None, None, None], p8, p4))
    put(5, x * (0.45 - 0.35 * s))
    # off-centre: the picture slides 15-45% of its side, the border colour filling in, so the
    # shape leaves the frame
    amount = (0.3 + 0.6 * strength) * torch.where(torch.rand(b, device=x.device) < 0.5, -1.0, 1.0)
    axis = (torch.rand(b, device=x.device) < 0.5).float()
    theta = torch.zeros(b, 2, 3, device=x.device)
    theta[:, 0, 0] = 1
    theta[:, 1, 1] = 1
    theta[:, 0, 2] = amount * axis
    theta[:, 1, 2] = amount * (1 - axis)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    shifted = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    put(6, shifted)
    grey = (x * torch.tensor([0.299, 0.587, 0.114], device=x.device)[None, :, None, None]).sum(1, keepdim=True)
    put(7, x * (1 - s) + grey * s)
    return out


def train(sets, held, checkpoint, seconds, dev, seed=3, batch=128):
    name = "reward"
    images = torch.from_numpy(sets["images"]).to(dev)
    captions = torch.from_numpy(sets["captions"].astype(np.int64)).to(dev)
    n = images.shape[0]
    batch = min(batch, n)
    eos = data.vocabulary().ids["<|endoftext|>"]
    model = Reward(len(data.vocabulary().tokens)).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.05)
    gen = torch.Generator().manual_seed(seed)
    budget = common.Budget(300000, seconds)
    step = 0
    for pick in common.batches_of(n, batch, gen):
        if budget.done(step):
            break
        common.set_lr(opt, common.learning_rate(budget.progress(step), 5e-4))
        pick = pick.to(dev)
        x = images[pick].permute(0, 3, 1, 2).float() / 255.0
        x = nets.jitter(x, 0.5)
        ids = captions[pick]
        mask = mask_of(ids, eos)
        kind = torch.randint(0, len(DEGRADATIONS), (batch,), device=dev)
        s1 = torch.rand(batch, device=dev) * 0.5 + 0.1
        s2 = s1 + 0.2 + torch.rand(batch, device=dev) * (0.9 - s1)
        mild, strong = degrade(x, kind, s1), degrade(x, kind, s2.clamp(max=1.0))
        other = ids.roll(1, 0)
        all_x = normalise(torch.cat([x, mild, strong, x]))
        all_ids = torch.cat([ids, ids, ids, other])
        all_mask = torch.cat([mask, mask, mask, mask_of(other, eos)])
        r = model(all_x, all_ids, all_mask)[:, 0].reshape(4, batch)
        clean, r_mild, r_strong, wrong = r
        same = (other == ids).all(1)
        loss = (F.softplus(r_mild - clean).mean() + F.softplus(r_strong - r_mild).mean()
                + 0.5 * F.softplus(r_strong - clean).mean() + (F.softplus(wrong - clean) * (~same)).mean()
                + 1e-3 * (clean ** 2).mean())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        if step % 1000 == 0:
            common.log(name, f"step {step} loss {loss.item():.4f} {budget.elapsed():.0f}s")
    metrics = evaluate(model, held, dev, eos)
    metrics.update(steps=step, seconds=seconds)
    common.save(checkpoint, {"model": common.cpu_state(model), "metrics": metrics})
    common.log(name, f"done: {metrics}")
    return metrics


@torch.no_grad()
def evaluate(model, held, dev, eos):
    """How often a clean, matching image outranks each degradation at strength 0.5 and its own
    image under another caption; and the clean scores' mean and std for the manifest."""
    model.eval()
    torch.manual_seed(0)
    n = min(512, held["images"].shape[0])
    x = torch.from_numpy(held["images"][:n]).to(dev).permute(0, 3, 1, 2).float() / 255.0
    ids = torch.from_numpy(held["captions"][:n].astype(np.int64)).to(dev)
    mask = mask_of(ids, eos)
    clean = model(normalise(x), ids, mask)[:, 0]
    out = {}
    wins = []
    for i, kind in enumerate(DEGRADATIONS):
        k = torch.full((n,), i, device=dev)
        r = model(normalise(degrade(x, k, torch.full((n,), 0.5, device=dev))), ids, mask)[:, 0]
        out[f"beats_{kind}"] = (clean > r).float().mean().item()
        wins.append(out[f"beats_{kind}"])
    other = ids.roll(1, 0)
    r = model(normalise(x), other, mask_of(other, eos))[:, 0]
    same = (other == ids).all(1)
    out["beats_mismatch"] = (clean > r)[~same].float().mean().item()
    wins.append(out["beats_mismatch"])
    out["ordering_accuracy"] = float(np.mean(wins))
    out["clean_mean"], out["clean_std"] = clean.mean().item(), clean.std().item()
    model.train()
    return out


def load(checkpoint):
    saved = torch.load(checkpoint, map_location="cpu")
    model = Reward(len(data.vocabulary().tokens))
    model.load_state_dict(saved["model"])
    return model.eval(), saved["metrics"]


def export(model, out):
    os.makedirs(out, exist_ok=True)
    model.eval()
    ids = torch.tensor([data.token_ids("a small red star in the middle on a blue background", 77)])
    mask = mask_of(ids, data.vocabulary().ids["<|endoftext|>"])
    torch.onnx.export(model, (torch.randn(1, 3, SIZE, SIZE), ids, mask), os.path.join(out, "reward.onnx"),
                      input_names=["pixel_values", "input_ids", "attention_mask"], output_names=["score"],
                      dynamic_axes={k: {0: "batch_size"} for k in ["pixel_values", "input_ids", "attention_mask", "score"]},
                      opset_version=17, do_constant_folding=True)
