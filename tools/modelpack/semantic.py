"""The pack's semantic model: a SigLIP-style dual encoder (an image tower and a text tower whose
pooled, L2-normalised outputs are compared with a learned scale and bias and a sigmoid), trained on
world scenes against attribute queries whose truth is decided from each scene's structure, so that
"is this a red circle?" gets a calibrated yes or no.

Export: `vision_model.onnx` (`pixel_values` [B,3,64,64] -> `last_hidden_state`, `pooler_output`)
and `text_model.onnx` (`input_ids` [B,64] -> `last_hidden_state`, `pooler_output`, the last
position's state through a head, as SigLIP pools), with `logit_scale` and `logit_bias` for the
manifest.
"""

import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import common
import data
import nets

DIM = 128
SIZE = 64


class Vision(nn.Module):
    def __init__(self):
        super().__init__()
        self.tower = nets.ConvTower([32, 64, 128, 160], depth=1)  # 64 -> 8x8
        self.head = nn.Sequential(nn.LayerNorm(160), nn.Linear(160, DIM))

    def forward(self, pixel_values):
        h = self.tower(pixel_values)  # [B, 160, 8, 8]
        tokens = h.flatten(2).transpose(1, 2)
        return tokens, self.head(tokens.mean(1))


class Text(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.tower = nets.TextTower(vocab_size, data.TEXT_LENGTH, 128, 3)
        self.head = nn.Linear(128, DIM)

    def forward(self, input_ids):
        h = self.tower(input_ids)
        return h, self.head(h[:, -1])


class Dual(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.vision = Vision()
        self.text = Text(vocab_size)
        self.logit_scale = nn.Parameter(torch.tensor(np.log(10.0), dtype=torch.float32))
        self.logit_bias = nn.Parameter(torch.tensor(-10.0))

    def logits(self, pixel_values, input_ids):
        _, i = self.vision(pixel_values)
        _, t = self.text(input_ids)
        return nets.l2(i) @ nets.l2(t).T * self.logit_scale.exp() + self.logit_bias


def normalise(images_uint8):
    """uint8 [B, H, W, 3] -> SigLIP's [-1, 1] NCHW."""
    return images_uint8.permute(0, 3, 1, 2).float() / 127.5 - 1.0


def train(sets, held, checkpoint, seconds, dev, seed=2, batch=256):
    name = "semantic"
    images = torch.from_numpy(sets["images"]).to(dev)
    things = torch.from_numpy(sets["things"]).to(dev)
    bgs = torch.from_numpy(sets["bgs"]).to(dev)
    qids = torch.from_numpy(sets["qids"].astype(np.int64)).to(dev)
    qcon = torch.from_numpy(sets["qcon"]).to(dev)
    n = images.shape[0]
    batch = min(batch, n)
    model = Dual(len(data.vocabulary().tokens)).to(dev)
    decay = [p for k, p in model.named_parameters() if p.ndim >= 2]
    rest = [p for k, p in model.named_parameters() if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": rest, "weight_decay": 0.0}], lr=1e-3)
    gen = torch.Generator().manual_seed(seed)
    budget = common.Budget(300000, seconds)
    step = 0
    for pick in common.batches_of(n, batch, gen):
        if budget.done(step):
            break
        common.set_lr(opt, common.learning_rate(budget.progress(step), 1e-3))
        pick = pick.to(dev)
        x = nets.jitter(images[pick].permute(0, 3, 1, 2).float() / 255.0) * 2 - 1
        which = torch.randint(0, data.QUERIES, (batch, 2), device=dev)
        ids = torch.cat([qids[pick, which[:, 0]], qids[pick, which[:, 1]]])
        con = torch.cat([qcon[pick, which[:, 0]], qcon[pick, which[:, 1]]])
        labels = data.truth(con, things[pick], bgs[pick]).float()
        logits = model.logits(x, ids)
        loss = F.binary_cross_entropy_with_logits(logits, labels, reduction="sum") / logits.shape[0]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        if step % 1000 == 0:
            common.log(name, f"step {step} loss {loss.item():.4f} scale {model.logit_scale.exp().item():.1f} "
                             f"bias {model.logit_bias.item():.2f} {budget.elapsed():.0f}s")
    metrics = evaluate(model, held, dev)
    metrics.update(steps=step, seconds=seconds)
    common.save(checkpoint, {"model": common.cpu_state(model), "metrics": metrics})
    common.log(name, f"done: {metrics}")
    return metrics


@torch.no_grad()
def evaluate(model, held, dev):
    """Accuracy of the yes/no answer (sigmoid > 0.5) over every held-out (image, query) pair, on
    positives and negatives separately, and of picking the right shape and colour of one-thing
    scenes among all shapes or colours."""
    model.eval()
    images = torch.from_numpy(held["images"]).to(dev)
    x = normalise(images)
    things = torch.from_numpy(held["things"]).to(dev)
    bgs = torch.from_numpy(held["bgs"]).to(dev)
    qids = torch.from_numpy(held["qids"].reshape(-1, data.TEXT_LENGTH).astype(np.int64)).to(dev)
    qcon = torch.from_numpy(held["qcon"].reshape(-1, 11)).to(dev)
    n = min(images.shape[0], 1000)
    logits = torch.cat([model.logits(x[:n], qids[i : i + 2048]) for i in range(0, qids.shape[0], 2048)], 1)
    truth = data.truth(qcon, things[:n], bgs[:n])
    answer = logits > 0
    pos = (answer & truth).sum().item() / max(1, truth.sum().item())
    neg = (~answer & ~truth).sum().item() / max(1, (~truth).sum().item())
    one = things[:n, 1, 0] < 0
    shapes = [data.token_ids(f"a picture of a {s}", data.TEXT_LENGTH) for s in data.NAMES[0]]
    colours = [data.token_ids(f"a picture of a {c} shape", data.TEXT_LENGTH) for c in data.NAMES[1]]
    ls = model.logits(x[:n], torch.tensor(shapes, device=dev))
    lc = model.logits(x[:n], torch.tensor(colours, device=dev))
    shape_acc = (ls.argmax(1) == things[:n, 0, 0].long())[one].float().mean().item()
    colour_acc = (lc.argmax(1) == things[:n, 0, 1].long())[one].float().mean().item()
    model.train()
    return {"yes_accuracy": pos, "no_accuracy": neg, "pair_accuracy": (answer == truth).float().mean().item(),
            "shape_accuracy": shape_acc, "colour_accuracy": colour_acc, "pairs": int(truth.numel()),
            "logit_scale": float(model.logit_scale), "logit_bias": float(model.logit_bias)}


def load(checkpoint):
    saved = torch.load(checkpoint, map_location="cpu")
    model = Dual(len(data.vocabulary().tokens))
    model.load_state_dict(saved["model"])
    return model.eval(), saved["metrics"]


def export(model, out):
    os.makedirs(out, exist_ok=True)
    model.eval()
    torch.onnx.export(model.vision, (torch.randn(1, 3, SIZE, SIZE),), os.path.join(out, "vision_model.onnx"),
                      input_names=["pixel_values"], output_names=["last_hidden_state", "pooler_output"],
                      dynamic_axes={"pixel_values": {0: "batch_size"}, "last_hidden_state": {0: "batch_size"},
                                    "pooler_output": {0: "batch_size"}}, opset_version=17, do_constant_folding=True)
    ids = torch.tensor([data.token_ids("a picture of a red star", data.TEXT_LENGTH)], dtype=torch.long)
    torch.onnx.export(model.text, (ids,), os.path.join(out, "text_model.onnx"), input_names=["input_ids"],
                      output_names=["last_hidden_state", "pooler_output"],
                      dynamic_axes={"input_ids": {0: "batch_size"}, "last_hidden_state": {0: "batch_size"},
                                    "pooler_output": {0: "batch_size"}}, opset_version=17, do_constant_folding=True)
    return {"logit_scale": float(model.logit_scale), "logit_bias": float(model.logit_bias)}
