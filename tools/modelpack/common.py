"""What every trainer of the pack shares: the device, a step-or-time budget with its learning-rate
schedule, an exponential moving average of weights, checkpoints written atomically."""

import math
import os
import time

import numpy as np
import torch


def device(name=None):
    if name:
        return torch.device(name)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def setup(seed, threads=None):
    torch.manual_seed(seed)
    np.random.seed(seed)
    if threads:
        torch.set_num_threads(threads)
    if torch.cuda.is_available():
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True


class Budget:
    """Training ends after `steps` steps or `seconds` seconds, whichever comes first; `progress`
    (0 to 1) drives the learning rate, so a run cut short by time still anneals."""

    def __init__(self, steps, seconds):
        self.steps = max(1, steps)
        self.seconds = max(1e-3, seconds)
        self.start = time.time()

    def elapsed(self):
        return time.time() - self.start

    def progress(self, step):
        return min(1.0, max(step / self.steps, self.elapsed() / self.seconds))

    def done(self, step):
        return self.progress(step) >= 1.0


def learning_rate(progress, base, warmup=0.04, floor=0.05):
    """Linear warm-up, then cosine decay to floor * base."""
    if progress < warmup:
        return base * max(progress / warmup, 0.02)
    t = (progress - warmup) / (1 - warmup)
    return base * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def set_lr(opt, lr):
    for group in opt.param_groups:
        group["lr"] = lr


class Ema:
    """An exponential moving average of a module's parameters and buffers."""

    def __init__(self, module, decay=0.999):
        self.decay = decay
        self.shadow = {k: v.detach().clone() for k, v in module.state_dict().items()}
        self.updates = 0

    @torch.no_grad()
    def update(self, module):
        self.updates += 1
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for k, v in module.state_dict().items():
            if v.dtype.is_floating_point:
                self.shadow[k].mul_(d).add_(v.detach(), alpha=1 - d)
            else:
                self.shadow[k].copy_(v)

    def state_dict(self):
        return {k: v.detach().cpu() for k, v in self.shadow.items()}


def cpu_state(module):
    return {k: v.detach().cpu() for k, v in module.state_dict().items()}


def save(path, value):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    torch.save(value, path + ".tmp")
    os.replace(path + ".tmp", path)


def log(name, message):
    print(f"[{name} {time.strftime('%H:%M:%S')}] {message}", flush=True)


def batches_of(n, size, generator):
    """Random index batches of `size` drawn without replacement per epoch."""
    while True:
        order = torch.randperm(n, generator=generator)
        for i in range(0, n - size + 1, size):
            yield order[i : i + size]
