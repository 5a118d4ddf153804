"""Building blocks shared by the pack's networks, written with plain operations so that every
graph exports to ONNX opset 17 with PyTorch 1.13 (no fused attention)."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBlock(nn.Module):
    """Two 3x3 convolutions with batch norm and a residual path; stride 2 halves the size."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.skip = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                     if stride != 1 or cin != cout else nn.Identity())

    def forward(self, x):
        h = F.relu(self.b1(self.c1(x)))
        return F.relu(self.skip(x) + self.b2(self.c2(h)))


class ConvTower(nn.Module):
    """A small ResNet: a stem, then one block per width, each halving the size after the first."""

    def __init__(self, widths, stem_stride=1, depth=2):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, stem_stride, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        blocks = []
        cin = widths[0]
        for i, w in enumerate(widths):
            blocks.append(ConvBlock(cin, w, 1 if i == 0 else 2))
            blocks += [ConvBlock(w, w) for _ in range(depth - 1)]
            cin = w
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x):
        return self.blocks(self.stem(x))


class SelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, mask=None):
        b, n, d = x.shape
        h = self.heads
        q, k, v = self.qkv(x).reshape(b, n, 3, h, d // h).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // h)
        if mask is not None:
            scores = scores + mask
        return self.out((torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, n, d))


class Layer(nn.Module):
    """A pre-norm transformer layer."""

    def __init__(self, dim, heads):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, mask=None):
        x = x + self.attn(self.n1(x), mask)
        return x + self.mlp(self.n2(x))


class TextTower(nn.Module):
    """Token and position embeddings, transformer layers, a final norm. Returns the hidden states."""

    def __init__(self, vocab_size, length, dim, layers, heads=4):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, dim)
        self.positions = nn.Parameter(torch.randn(length, dim) * 0.02)
        self.layers = nn.ModuleList([Layer(dim, heads) for _ in range(layers)])
        self.norm = nn.LayerNorm(dim)

    def forward(self, input_ids, mask=None):
        x = self.tokens(input_ids.long()) + self.positions
        for layer in self.layers:
            x = layer(x, mask)
        return self.norm(x)


def l2(x):
    return x / x.norm(dim=-1, keepdim=True).clamp_min(1e-6)


def blur(x, sigma):
    """Gaussian blur of [B, C, H, W] with a per-image sigma [B] (0 leaves the image alone)."""
    radius = 4
    t = torch.arange(-radius, radius + 1, device=x.device, dtype=x.dtype)
    s = sigma.clamp_min(1e-3)[:, None]
    k = torch.exp(-0.5 * (t[None] / s) ** 2)
    k = k / k.sum(1, keepdim=True)  # [B, K]
    b, c, h, w = x.shape
    y = F.pad(x.reshape(1, b * c, h, w), (radius, radius, radius, radius), mode="replicate")
    kk = k.repeat_interleave(c, 0)
    y = F.conv2d(y, kk[:, None, None, :], groups=b * c)
    y = F.conv2d(y, kk[:, None, :, None], groups=b * c)
    return y.reshape(b, c, h, w)


def jitter(x, amount=1.0):
    """Photometric jitter of images in [0, 1]: brightness, contrast, a little noise and blur."""
    b = x.shape[0]
    dev = x.device
    x = (x - 0.5) * (1 + amount * 0.2 * (torch.rand(b, 1, 1, 1, device=dev) - 0.5)) + 0.5
    x = x + amount * 0.08 * (torch.rand(b, 1, 1, 1, device=dev) - 0.5)
    x = blur(x, torch.where(torch.rand(b, device=dev) < 0.4, torch.rand(b, device=dev) * amount * 0.9, torch.zeros(b, device=dev)))
    x = x + torch.randn_like(x) * amount * 0.02 * torch.rand(b, 1, 1, 1, device=dev)
    return x.clamp(0, 1)
