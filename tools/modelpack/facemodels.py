"""The pack's face models, with the I/O of the standard exports that face pipelines load:

- `detector`: SCRFD's layout. Input `input` [1,3,H,W] (RGB, (x - 127.5) / 128, H and W multiples
  of 32); nine outputs `score_8/16/32` [1,N,1] (sigmoid applied), `bbox_8/16/32` [1,N,4] (distances
  left, top, right, bottom in strides), `kps_8/16/32` [1,N,10] (offsets in strides), with 2 anchors
  per cell whose centre is (col * stride, row * stride).
- `embedder`: ArcFace's layout. Input `input.1` [B,3,112,112] (RGB, (x - 127.5) / 127.5) of a face
  aligned on the 5-point template -> `embedding` [B,128], L2-normalised. Trained with a CosFace
  margin over thousands of synthetic identities; verified on identities it never saw.
"""

import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import common
import nets

STRIDES = [8, 16, 32]
ANCHORS = 2
DET_SIZE = 160
EMBED = 128


class Detector(nn.Module):
    def __init__(self, width=48):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24), nn.ReLU())
        self.c2 = nets.ConvBlock(24, 32, 2)  # stride 4
        self.c3 = nn.Sequential(nets.ConvBlock(32, 48, 2), nets.ConvBlock(48, 48))  # 8
        self.c4 = nn.Sequential(nets.ConvBlock(48, 64, 2), nets.ConvBlock(64, 64))  # 16
        self.c5 = nn.Sequential(nets.ConvBlock(64, 96, 2), nets.ConvBlock(96, 96))  # 32
        self.lateral = nn.ModuleList([nn.Conv2d(c, width, 1) for c in (48, 64, 96)])
        self.smooth = nn.ModuleList([nn.Sequential(nn.Conv2d(width, width, 3, 1, 1), nn.ReLU()) for _ in STRIDES])
        self.heads = nn.ModuleList([nn.Sequential(nn.Conv2d(width, width, 3, 1, 1), nn.ReLU(),
                                                  nn.Conv2d(width, ANCHORS * 15, 1)) for _ in STRIDES])

    def levels(self, x):
        """Raw per-level outputs [B, H*W*ANCHORS, 15] (score logit, 4 distances, 10 offsets)."""
        c3 = self.c3(self.c2(self.stem(x)))
        c4 = self.c4(c3)
        c5 = self.c5(c4)
        p5 = self.lateral[2](c5)
        p4 = self.lateral[1](c4) + F.interpolate(p5, scale_factor=2.0, mode="nearest")
        p3 = self.lateral[0](c3) + F.interpolate(p4, scale_factor=2.0, mode="nearest")
        out = []
        for p, smooth, head in zip((p3, p4, p5), self.smooth, self.heads):
            h = head(smooth(p))
            b = h.shape[0]
            out.append(h.permute(0, 2, 3, 1).reshape(b, -1, 15))
        return out

    def forward(self, x):
        scores, boxes, points = [], [], []
        for level in self.levels(x):
            scores.append(torch.sigmoid(level[:, :, 0:1]))
            boxes.append(level[:, :, 1:5])
            points.append(level[:, :, 5:15])
        return tuple(scores + boxes + points)


def anchors(stride, height, width, dev):
    ys, xs = torch.meshgrid(torch.arange(height // stride, device=dev), torch.arange(width // stride, device=dev), indexing="ij")
    centres = torch.stack([xs, ys], -1).reshape(-1, 2).float() * stride
    return centres.repeat_interleave(ANCHORS, 0)  # [N, 2]


def targets(boxes, marks, counts, stride, centres):
    """Which anchors are positive for which face, and their regression targets."""
    b = boxes.shape[0]
    valid = torch.arange(boxes.shape[1], device=boxes.device)[None] < counts[:, None].long()  # [B, F]
    w = boxes[..., 2] - boxes[..., 0]
    h = boxes[..., 3] - boxes[..., 1]
    side = torch.maximum(w, h)
    level_ok = {8: side <= 40, 16: (side > 34) & (side <= 80), 32: side > 70}[stride]
    cx = (boxes[..., 0] + boxes[..., 2]) / 2
    cy = (boxes[..., 1] + boxes[..., 3]) / 2
    radius = torch.maximum(torch.full_like(side, float(stride)), 0.22 * torch.minimum(w, h))
    ax, ay = centres[:, 0][None, :, None], centres[:, 1][None, :, None]  # [1, N, 1]
    inside = ((ax - cx[:, None]).abs() < radius[:, None]) & ((ay - cy[:, None]).abs() < radius[:, None])
    inside &= (ax > boxes[..., 0][:, None]) & (ax < boxes[..., 2][:, None])
    inside &= (ay > boxes[..., 1][:, None]) & (ay < boxes[..., 3][:, None])
    pos = inside & (valid & level_ok)[:, None, :]  # [B, N, F]
    area = (w * h)[:, None, :].expand_as(pos)
    face = torch.where(pos, area, torch.full_like(area, 1e9)).argmin(-1)  # [B, N]
    positive = pos.any(-1)
    gb = torch.gather(boxes, 1, face[..., None].expand(b, face.shape[1], 4))
    gm = torch.gather(marks.reshape(b, -1, 10), 1, face[..., None].expand(b, face.shape[1], 10))
    c = centres[None]
    dist = torch.stack([c[..., 0] - gb[..., 0], c[..., 1] - gb[..., 1], gb[..., 2] - c[..., 0], gb[..., 3] - c[..., 1]], -1) / stride
    offs = (gm - c.repeat(1, 1, 5)) / stride
    return positive, dist, offs


def iou_loss(pred, target):
    pl, pt, pr, pb = pred.clamp_min(0).unbind(-1)
    tl, tt, tr, tb = target.unbind(-1)
    inter = (torch.minimum(pl, tl) + torch.minimum(pr, tr)) * (torch.minimum(pt, tt) + torch.minimum(pb, tb))
    union = (pl + pr) * (pt + pb) + (tl + tr) * (tt + tb) - inter
    return 1 - inter / union.clamp_min(1e-6)


def train_detector(sets, held, checkpoint, seconds, dev, seed=5, batch=64):
    name = "detector"
    images = torch.from_numpy(sets["images"]).to(dev)
    boxes = torch.from_numpy(sets["boxes"]).to(dev)
    marks = torch.from_numpy(sets["marks"]).to(dev)
    counts = torch.from_numpy(sets["counts"]).to(dev)
    n = images.shape[0]
    batch = min(batch, n)
    model = Detector().to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    gen = torch.Generator().manual_seed(seed)
    centres = {s: anchors(s, DET_SIZE, DET_SIZE, dev) for s in STRIDES}
    budget = common.Budget(300000, seconds)
    step = 0
    for pick in common.batches_of(n, batch, gen):
        if budget.done(step):
            break
        common.set_lr(opt, common.learning_rate(budget.progress(step), 2e-3))
        pick = pick.to(dev)
        x = images[pick].permute(0, 3, 1, 2).float()
        x = nets.jitter(x / 255.0, 0.6) * 255.0
        flip = torch.rand(batch, device=dev) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
        bx, mk = boxes[pick].clone(), marks[pick].clone()
        fb = torch.stack([DET_SIZE - bx[..., 2], bx[..., 1], DET_SIZE - bx[..., 0], bx[..., 3]], -1)
        fm = mk[..., [1, 0, 2, 4, 3], :].clone()
        fm[..., 0] = DET_SIZE - fm[..., 0]
        bx = torch.where(flip[:, None, None], fb, bx)
        mk = torch.where(flip[:, None, None, None], fm, mk)
        levels = model.levels((x - 127.5) / 128.0)
        loss_cls, loss_box, loss_kps, npos = 0.0, 0.0, 0.0, 0
        for stride, out in zip(STRIDES, levels):
            positive, dist, offs = targets(bx, mk, counts[pick], stride, centres[stride])
            logit = out[..., 0]
            p = torch.sigmoid(logit)
            ce = F.binary_cross_entropy_with_logits(logit, positive.float(), reduction="none")
            pt = torch.where(positive, p, 1 - p)
            alpha = torch.where(positive, 0.25, 0.75)
            loss_cls = loss_cls + (alpha * (1 - pt) ** 2 * ce).sum()
            if positive.any():
                loss_box = loss_box + iou_loss(out[..., 1:5][positive], dist[positive]).sum() \
                    + 0.2 * F.smooth_l1_loss(out[..., 1:5][positive], dist[positive], reduction="sum")
                loss_kps = loss_kps + F.smooth_l1_loss(out[..., 5:15][positive], offs[positive], reduction="sum")
            npos += int(positive.sum())
        loss = (loss_cls + 2.0 * loss_box + 0.1 * loss_kps) / max(1, npos)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        step += 1
        if step % 1000 == 0:
            common.log(name, f"step {step} loss {loss.item():.4f} positives {npos} {budget.elapsed():.0f}s")
    metrics = evaluate_detector(model, held, dev)
    metrics.update(steps=step, seconds=seconds)
    common.save(checkpoint, {"model": common.cpu_state(model), "metrics": metrics})
    common.log(name, f"done: {metrics}")
    return metrics


def decode(outputs, height, width, threshold=0.5, nms=0.4):
    """SCRFD post-processing for one image: [(score, box[4], points[5,2])]."""
    found = []
    for i, stride in enumerate(STRIDES):
        scores, dist, offs = outputs[i][0, :, 0], outputs[3 + i][0], outputs[6 + i][0]
        c = anchors(stride, height, width, scores.device)
        keep = scores >= threshold
        for s, d, o, a in zip(scores[keep], dist[keep], offs[keep], c[keep]):
            box = torch.stack([a[0] - d[0] * stride, a[1] - d[1] * stride, a[0] + d[2] * stride, a[1] + d[3] * stride])
            pts = a.repeat(5) + o * stride
            found.append((float(s), box.cpu().numpy(), pts.reshape(5, 2).cpu().numpy()))
    found.sort(key=lambda f: -f[0])
    found = found[:200]
    kept = []
    for f in found:
        if all(box_iou(f[1], k[1]) <= nms for k in kept):
            kept.append(f)
    return kept


def box_iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / max(union, 1e-6)


@torch.no_grad()
def evaluate_detector(model, held, dev):
    model.eval()
    n = min(300, held["images"].shape[0])
    x = torch.from_numpy(held["images"][:n]).to(dev).permute(0, 3, 1, 2).float()
    outputs = model((x - 127.5) / 128.0)
    faces_total, found_right, detections, point_error = 0, 0, 0, []
    for i in range(n):
        kept = decode([o[i : i + 1] for o in outputs], DET_SIZE, DET_SIZE)
        detections += len(kept)
        truth = held["boxes"][i][: held["counts"][i]]
        faces_total += len(truth)
        for j, t in enumerate(truth):
            best = max(kept, key=lambda k: box_iou(k[1], t), default=None)
            if best is not None and box_iou(best[1], t) >= 0.5:
                found_right += 1
                size = max(t[2] - t[0], t[3] - t[1])
                point_error.append(float(np.abs(best[2] - held["marks"][i][j]).mean() / size))
    model.train()
    return {"recall": found_right / max(1, faces_total), "precision": found_right / max(1, detections),
            "faces": faces_total, "landmark_error": float(np.mean(point_error)) if point_error else None}


class Embedder(nn.Module):
    def __init__(self):
        super().__init__()
        self.tower = nets.ConvTower([32, 64, 96, 128], stem_stride=2, depth=1)  # 112 -> 56 -> 7
        # MobileFaceNet's global depthwise convolution keeps where things are, unlike pooling
        self.gdc = nn.Sequential(nn.Conv2d(128, 256, 1, bias=False), nn.BatchNorm2d(256), nn.ReLU(),
                                 nn.Conv2d(256, 256, 7, groups=256, bias=False), nn.BatchNorm2d(256))
        self.drop = nn.Dropout(0.1)
        self.fc = nn.Linear(256, EMBED)
        self.out = nn.BatchNorm1d(EMBED)

    def forward(self, x):
        h = self.drop(self.gdc(self.tower(x)).flatten(1))
        return nets.l2(self.out(self.fc(h)))


def train_embedder(sets, held, checkpoint, seconds, dev, seed=6, batch=256, scale=32.0, margin=0.35):
    name = "embedder"
    images = torch.from_numpy(sets["images"]).to(dev)
    labels = torch.from_numpy(sets["labels"].astype(np.int64)).to(dev)
    n = images.shape[0]
    batch = min(batch, n)
    classes = int(labels.max()) + 1
    model = Embedder().to(dev)
    weights = nn.Parameter(torch.randn(classes, EMBED, device=dev) * 0.01)
    opt = torch.optim.AdamW(list(model.parameters()) + [weights], lr=2e-3, weight_decay=5e-4)
    gen = torch.Generator().manual_seed(seed)
    budget = common.Budget(300000, seconds)
    step = 0
    for pick in common.batches_of(n, batch, gen):
        if budget.done(step):
            break
        common.set_lr(opt, common.learning_rate(budget.progress(step), 2e-3))
        pick = pick.to(dev)
        x = images[pick].permute(0, 3, 1, 2).float() / 255.0
        x = nets.jitter(x, 0.8)
        shift = torch.randint(-3, 4, (2,))
        x = torch.roll(x, (int(shift[0]), int(shift[1])), (2, 3))
        flip = torch.rand(batch, device=dev) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
        e = model(x * 2 - 1)
        cos = e @ nets.l2(weights).T
        y = labels[pick]
        logits = scale * (cos - margin * F.one_hot(y, classes))
        loss = F.cross_entropy(logits, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        if step % 1000 == 0:
            common.log(name, f"step {step} loss {loss.item():.4f} {budget.elapsed():.0f}s")
    metrics = evaluate_embedder(model, held, dev)
    metrics.update(steps=step, seconds=seconds, identities=classes)
    common.save(checkpoint, {"model": common.cpu_state(model), "metrics": metrics})
    common.log(name, f"done: {metrics}")
    return metrics


@torch.no_grad()
def evaluate_embedder(model, held, dev):
    """Verification on unseen identities: the cosine threshold that best separates same-person
    from different-person pairs, and the accuracy there."""
    model.eval()
    x = torch.from_numpy(held["images"]).to(dev).permute(0, 3, 1, 2).float() / 127.5 - 1
    y = torch.from_numpy(held["labels"].astype(np.int64)).to(dev)
    e = torch.cat([model(x[i : i + 512]) for i in range(0, x.shape[0], 512)])
    sims = e @ e.T
    same = y[:, None] == y[None, :]
    upper = torch.triu(torch.ones_like(same), 1)
    genuine = sims[same & upper]
    impostor = sims[~same & upper]
    best, threshold = 0.0, 0.5
    for t in torch.linspace(-0.2, 0.95, 116):
        acc = 0.5 * ((genuine >= t).float().mean() + (impostor < t).float().mean()).item()
        if acc > best:
            best, threshold = acc, float(t)
    far1 = torch.quantile(impostor, 0.99).item()
    model.train()
    return {"verification_accuracy": best, "threshold": threshold,
            "true_accept_at_far_1pct": (genuine >= far1).float().mean().item(),
            "genuine_pairs": int(genuine.numel()), "impostor_pairs": int(impostor.numel())}


def load(kind, checkpoint):
    saved = torch.load(checkpoint, map_location="cpu")
    model = Detector() if kind == "detector" else Embedder()
    model.load_state_dict(saved["model"])
    return model.eval(), saved["metrics"]


def export_detector(model, out):
    os.makedirs(out, exist_ok=True)
    names = [f"{k}_{s}" for k in ("score", "bbox", "kps") for s in STRIDES]
    axes = {"input": {2: "height", 3: "width"}}
    axes.update({n: {1: "anchors"} for n in names})
    torch.onnx.export(model.eval(), (torch.randn(1, 3, DET_SIZE, DET_SIZE),), os.path.join(out, "det.onnx"),
                      input_names=["input"], output_names=names, dynamic_axes=axes, opset_version=17,
                      do_constant_folding=True)


def export_embedder(model, out):
    os.makedirs(out, exist_ok=True)
    torch.onnx.export(model.eval(), (torch.randn(1, 3, 112, 112),), os.path.join(out, "embed.onnx"),
                      input_names=["input.1"], output_names=["embedding"],
                      dynamic_axes={"input.1": {0: "batch_size"}, "embedding": {0: "batch_size"}},
                      opset_version=17, do_constant_folding=True)
