"""The PyTorch side of bench/train-throughput.ts: the same GPT and training step, or this
machine's sgemm ceiling measured with numpy. Prints one JSON line.

Needs Debian's packages (no pip, no downloads):  apt-get install -y python3-torch python3-numpy
Usage: /usr/bin/python3 bench/train_throughput_torch.py '{"layers":4,"width":256,...}'
       python3 bench/train_throughput_torch.py sgemm
"""
import json
import math
import os
import sys
import time

import numpy as np


def sgemm(n, repeats=5):
    a = np.random.rand(n, n).astype(np.float32)
    b = np.random.rand(n, n).astype(np.float32)
    a @ b
    t = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * n**3 / ((time.perf_counter() - t) / repeats) / 1e9


if sys.argv[1] == "sgemm":
    # The ceiling: whichever numpy/BLAS this interpreter has, at its best size.
    print(json.dumps({"numpy": np.__version__, "sgemmGflops": max(sgemm(n) for n in (512, 1024, 2048))}))
    sys.exit(0)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

cfg = json.loads(sys.argv[1])
threads = int(cfg.get("threads", os.cpu_count() or 1))
torch.set_num_threads(threads)
torch.manual_seed(1)
V, C, L, D, H = cfg["vocabSize"], cfg["contextLength"], cfg["layers"], cfg["width"], cfg["heads"]
B, STEPS = cfg["batchSize"], cfg["steps"]


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(D)
        self.wq = nn.Linear(D, D, bias=False)
        self.wk = nn.Linear(D, D, bias=False)
        self.wv = nn.Linear(D, D, bias=False)
        self.wo = nn.Linear(D, D, bias=False)
        self.ln2 = nn.LayerNorm(D)
        self.w1 = nn.Linear(D, 4 * D, bias=False)
        self.w2 = nn.Linear(4 * D, D, bias=False)

    def forward(self, x, mask):
        b, t, _ = x.shape
        a = self.ln1(x)
        split = lambda y: y.view(b, t, H, D // H).transpose(1, 2)
        q, k, v = split(self.wq(a)), split(self.wk(a)), split(self.wv(a))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(D // H)
        att = att.masked_fill(mask[:t, :t], float("-inf")).softmax(-1)
        x = x + self.wo((att @ v).transpose(1, 2).reshape(b, t, D))
        h = self.ln2(x)
        w = self.w1(h)
        return x + self.w2(w * torch.sigmoid(1.702 * w))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(V, D)
        self.wpe = nn.Embedding(C, D)
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.lnf = nn.LayerNorm(D)
        self.register_buffer("mask", torch.triu(torch.ones(C, C, dtype=torch.bool), 1))

    def forward(self, ids):
        x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for block in self.blocks:
            x = block(x, self.mask)
        return self.lnf(x) @ self.wte.weight.T  # tied LM head, as in Feedloop's model


model = GPT()
params = sum(p.numel() for p in model.parameters())
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.01)
ids = torch.randint(0, V, (B, C + 1))


def step():
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, V), ids[:, 1:].reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()


step()
start = time.perf_counter()
for _ in range(STEPS):
    step()
seconds = (time.perf_counter() - start) / STEPS

print(json.dumps({
    "torch": torch.__version__,
    "threads": threads,
    "parameters": params,
    "secondsPerStep": seconds,
    "tokensPerSecond": B * C / seconds,
}))
