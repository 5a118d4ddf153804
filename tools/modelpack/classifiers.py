"""The pack's image classifiers, with the I/O of Hugging Face ViT classifier exports
(`pixel_values` [B,3,64,64], mean = std = 0.5 -> `logits`):

- `prohibited`: a small hybrid ViT (a convolutional stem, 64 tokens, a class token) that flags the stand-in prohibited glyphs
  (`world.GLYPHS`) among world shapes and faces; labels `normal`, `prohibited_symbol`.
- `age`: apparent age of a synthetic face crop (the head box grown by 30% each way); labels
  `faces.AGE_LABELS`.
"""

import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import common
import faces
import nets

SIZE = 64
PROHIBITED_LABELS = ["normal", "prohibited_symbol"]


class Vit(nn.Module):
    """A hybrid ViT: a small convolutional stem (64 -> 16), 2x2 patches of it as 64 tokens, a class
    token and transformer layers."""

    def __init__(self, classes, dim=96, layers=4, patch=8):
        super().__init__()
        self.patch = nn.Sequential(nets.ConvTower([32, 48, 64], depth=1), nn.Conv2d(64, dim, 2, 2))
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.positions = nn.Parameter(torch.randn(1 + (SIZE // patch) ** 2, dim) * 0.02)
        self.layers = nn.ModuleList([nets.Layer(dim, 4) for _ in range(layers)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.positions
        for layer in self.layers:
            x = layer(x)
        return self.head(self.norm(x[:, 0]))


class Cnn(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.tower = nets.ConvTower([24, 48, 64, 96], depth=1)
        self.head = nn.Sequential(nn.Dropout(0.2), nn.Linear(96, classes))

    def forward(self, pixel_values):
        return self.head(self.tower(pixel_values).mean((2, 3)))


def prepare(images_uint8, augment):
    x = images_uint8.permute(0, 3, 1, 2).float() / 255.0
    if augment:
        x = nets.jitter(x)
        flip = torch.rand(x.shape[0], device=x.device) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
    return x * 2 - 1


def train(kind, sets, held, checkpoint, seconds, dev, seed=4, batch=256):
    images = torch.from_numpy(sets["images"]).to(dev)
    labels = torch.from_numpy(sets["labels"].astype(np.int64)).to(dev)
    n = images.shape[0]
    batch = min(batch, n)
    classes = len(PROHIBITED_LABELS) if kind == "prohibited" else len(faces.AGE_LABELS)
    model = (Vit(classes) if kind == "prohibited" else Cnn(classes)).to(dev)
    lr = 6e-4 if kind == "prohibited" else 2e-3
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.05)
    gen = torch.Generator().manual_seed(seed)
    budget = common.Budget(300000, seconds)
    step = 0
    for pick in common.batches_of(n, batch, gen):
        if budget.done(step):
            break
        common.set_lr(opt, common.learning_rate(budget.progress(step), lr))
        pick = pick.to(dev)
        logits = model(prepare(images[pick], True))
        loss = F.cross_entropy(logits, labels[pick], label_smoothing=0.05)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        if step % 1000 == 0:
            common.log(kind, f"step {step} loss {loss.item():.4f} {budget.elapsed():.0f}s")
    metrics = evaluate(model, held, dev, classes)
    metrics.update(steps=step, seconds=seconds)
    common.save(checkpoint, {"model": common.cpu_state(model), "metrics": metrics})
    common.log(kind, f"done: {metrics}")
    return metrics


@torch.no_grad()
def evaluate(model, held, dev, classes):
    model.eval()
    x = prepare(torch.from_numpy(held["images"]).to(dev), False)
    y = torch.from_numpy(held["labels"].astype(np.int64)).to(dev)
    guess = torch.cat([model(x[i : i + 512]) for i in range(0, x.shape[0], 512)]).argmax(1)
    out = {"accuracy": (guess == y).float().mean().item(), "examples": int(y.shape[0])}
    out["per_class_accuracy"] = [((guess == y) & (y == c)).sum().item() / max(1, (y == c).sum().item()) for c in range(classes)]
    model.train()
    return out


def load(kind, checkpoint):
    saved = torch.load(checkpoint, map_location="cpu")
    classes = len(PROHIBITED_LABELS) if kind == "prohibited" else len(faces.AGE_LABELS)
    model = Vit(classes) if kind == "prohibited" else Cnn(classes)
    model.load_state_dict(saved["model"])
    return model.eval(), saved["metrics"]


def export(model, out):
    os.makedirs(out, exist_ok=True)
    model.eval()
    torch.onnx.export(model, (torch.randn(1, 3, SIZE, SIZE),), os.path.join(out, "model.onnx"),
                      input_names=["pixel_values"], output_names=["logits"],
                      dynamic_axes={"pixel_values": {0: "batch_size"}, "logits": {0: "batch_size"}},
                      opset_version=17, do_constant_folding=True)
