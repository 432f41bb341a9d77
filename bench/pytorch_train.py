"""PyTorch reference for bench/train-speed.bench.ts: the same architectures, batch sizes and
SGD steps on synthetic data, timed the same way. Run with /usr/bin/python3 (Debian's
python3-torch). Usage: pytorch_train.py '{"threads": 1, "runs": [{"model": "lenet", "batch": 256, "warmup": 2, "warmupSeconds": 3, "steps": 10}]}'
Prints one JSON object on its last stdout line."""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402
from torch import nn  # noqa: E402


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2),
        nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))


class Residual(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1)
        self.bn1 = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.bn2 = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        # The template's projection shortcut is a bare 1x1 convolution (no batch norm).
        self.proj = nn.Conv2d(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (self.proj(x) if self.proj is not None else x))


def resnet18(width=16, in_ch=3, cifar=False):
    w = [width, width * 2, width * 4, width * 8]
    if cifar:  # CIFAR's stem: one 3x3 stride-1 convolution, no max-pool
        layers = [nn.Conv2d(in_ch, w[0], 3, 1, 1), nn.BatchNorm2d(w[0]), nn.ReLU()]
    else:
        layers = [nn.Conv2d(in_ch, w[0], 7, 2, 3), nn.BatchNorm2d(w[0]), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    cin = w[0]
    for i, c in enumerate(w):
        layers += [Residual(cin, c, 1 if i == 0 else 2), Residual(c, c, 1)]
        cin = c
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 10)]
    return nn.Sequential(*layers)


class ViTBlock(nn.Module):
    def __init__(self, dim=64, heads=4, mlp=128, dropout=0.1):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp), nn.GELU(), nn.Dropout(dropout), nn.Linear(mlp, dim))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class ViT(nn.Module):
    def __init__(self, img=32, patch=4, dim=64, blocks=2, heads=4, mlp=128, in_ch=3):
        super().__init__()
        self.patch = nn.Conv2d(in_ch, dim, patch, patch)
        n = (img // patch) ** 2
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, n + 1, dim) * 0.02)
        self.drop = nn.Dropout(0.1)
        self.blocks = nn.Sequential(*[ViTBlock(dim, heads, mlp) for _ in range(blocks)])
        self.ln = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, 10)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        x = self.ln(self.blocks(self.drop(x)))
        return self.head(x[:, 0])


MODELS = {"lenet": (lenet, (1, 28, 28)), "resnet18": (resnet18, (3, 32, 32)),
          "resnet18-cifar": (lambda: resnet18(cifar=True), (3, 32, 32)), "vit-tiny": (ViT, (3, 32, 32))}


def run(spec):
    make, shape = MODELS[spec["model"]]
    torch.manual_seed(0)
    model = make()
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=spec.get("lr", 0.05))
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(spec["batch"], *shape)
    y = torch.randint(0, 10, (spec["batch"],))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    # At least `warmup` steps and `warmupSeconds`, as the tfjs side warms up.
    w0 = time.perf_counter()
    i = 0
    while i < spec["warmup"] or time.perf_counter() - w0 < spec.get("warmupSeconds", 0):
        step()
        i += 1
    c0 = time.process_time()
    t0 = time.perf_counter()
    for _ in range(spec["steps"]):
        step()
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return {"model": spec["model"], "batch": spec["batch"], "steps": spec["steps"],
            "params": sum(p.numel() for p in model.parameters()),
            "msPerStep": round(secs / spec["steps"] * 1000, 2),
            "cpuMsPerStep": round(cpu / spec["steps"] * 1000, 2),
            "examplesPerSec": round(spec["batch"] * spec["steps"] / secs, 1)}


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg["threads"])
    torch.randn(64, 64) @ torch.randn(64, 64)  # loads the BLAS library so that it shows in our maps
    with open("/proc/self/maps") as maps:
        blas = sorted({line.split()[-1] for line in maps if "blas" in line.lower()})
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "mkldnn": torch.backends.mkldnn.is_available(),
           "blas": blas[0] if blas else None, "runs": [run(r) for r in cfg["runs"]]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
