# PyTorch (Debian's python3-torch, CPU) side of scripts/bench-cifar.ts: the CIFAR-shaped network of
# scripts/bench/cifar.ts on seeded synthetic 32x32x3 data, plain SGD; training ms/step and batch-256
# inference at 1 and 2 threads, and the cost-growth grid at 1 thread. Prints one "BENCH_RESULT {json}" line.
# Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/bench/torch_cifar.py '<config json>'
import json
import statistics
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F


def cifar_net(width):
    a, b = 32 * width, 64 * width
    return nn.Sequential(
        nn.Conv2d(3, a, 3, padding=1), nn.BatchNorm2d(a, momentum=0.1, eps=1e-5), nn.ReLU(),
        nn.Conv2d(a, a, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(a, b, 3, padding=1), nn.ReLU(),
        nn.Conv2d(b, b, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(b * 64, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10),
    )


def timed(fn, steps, budget):
    """Median ms of fn() over up to `steps` calls (after 2 warm-ups), stopping early after `budget` seconds."""
    fn()
    fn()
    times, start = [], time.perf_counter()
    while len(times) < steps and (not times or time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def train_ms(width, batch, steps, budget):
    torch.manual_seed(1)
    net = cifar_net(width)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x, t = torch.rand(batch, 3, 32, 32), torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad()
        F.cross_entropy(net(x), t).backward()
        opt.step()
    net.train()
    return timed(step, steps, budget)


def infer_ms(width, batch, steps, budget):
    torch.manual_seed(1)
    net = cifar_net(width).eval()
    x = torch.rand(batch, 3, 32, 32)
    with torch.no_grad():
        return timed(lambda: torch.softmax(net(x), 1), steps, budget)


def main():
    cfg = json.loads(sys.argv[1])
    out = {"version": torch.__version__, "train": {}, "infer": {}, "growth": {}}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        out["train"][str(threads)] = train_ms(1, cfg["batch"], cfg["steps"], cfg["budget"])
        out["infer"][str(threads)] = infer_ms(1, cfg["inferBatch"], cfg["steps"], cfg["budget"])
    torch.set_num_threads(1)
    for width, batch in cfg["grid"]:
        out["growth"][f"{width}x{batch}"] = train_ms(width, batch, cfg["growthSteps"], cfg["growthBudget"])
    print("BENCH_RESULT " + json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
