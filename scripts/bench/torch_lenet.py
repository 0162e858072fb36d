# Benchmark child for PyTorch (Debian's python3-torch, CPU): the same LeNet-5, SGD momentum, batch 64,
# on Fashion-MNIST read from the Debian package's IDX files; training and batch-256 inference at 1 and 2
# threads, float32 matmul GFLOP/s, peak RSS. Prints one "BENCH_RESULT {json}" line like the JS children.
# Run by scripts/bench.ts as: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 torch_lenet.py '<config json>'
import gzip
import json
import os
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

FASHION_DIR = "/usr/share/datasets/fashion-mnist"


def load_images():
    """All 60,000 training images (uint8, N×28×28) and labels; None when the package is missing."""
    def read(name):
        path = os.path.join(FASHION_DIR, name)
        opener = open if os.path.exists(path) else gzip.open
        with opener(path if os.path.exists(path) else path + ".gz", "rb") as f:
            return f.read()
    try:
        img, lab = read("train-images-idx3-ubyte"), read("train-labels-idx1-ubyte")
    except OSError:
        return None
    # IDX: big-endian magic, dims, then raw bytes; 16-byte header for images, 8 for labels.
    x = np.frombuffer(img, dtype=np.uint8, offset=16).reshape(-1, 28, 28)
    y = np.frombuffer(lab, dtype=np.uint8, offset=8).astype(np.int64)
    order = np.random.default_rng(1).permutation(len(y))
    return x[order], y[order]


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )


def batch(x, y, start, n):
    idx = np.arange(start, start + n) % len(y)
    xb = torch.from_numpy(x[idx].astype(np.float32) / 255.0).unsqueeze(1)
    return xb, torch.from_numpy(y[idx])


class StepClock:
    """Mirror of common.ts's StepClock: warm-up, then windows cut by step count or time."""

    def __init__(self, cfg):
        self.cfg, self.windows, self.cpu_windows, self.steps, self.cpu = cfg, [], [], 0, 0.0
        self.warm, self.first, self.start, self.phase, self.timed = False, 0.0, 0.0, 0, 0.0

    def tick(self):
        t = time.perf_counter()
        self.steps += 1
        if self.steps == 1:
            self.first = t
        if not self.warm:
            if self.steps >= self.cfg["warmup"] or t - self.first >= self.cfg["warmupSeconds"]:
                self.warm, self.start, self.phase, self.timed = True, t, 0, t
                self.cpu = time.process_time()
            return False
        self.phase += 1
        secs = t - self.start
        if self.phase >= self.cfg["windowSteps"] or secs >= self.cfg["windowSeconds"]:
            c = time.process_time()  # CPU time of every thread of this process
            self.windows.append(self.phase * self.cfg["batch"] / secs)
            self.cpu_windows.append(self.phase * self.cfg["batch"] / (c - self.cpu))
            self.cpu = c
            self.start, self.phase = t, 0
        over = self.phase == 0 and t - self.timed >= self.cfg["trainSeconds"]
        return len(self.windows) >= self.cfg["windows"] or (len(self.windows) > 0 and over)


def median(xs):
    return float(np.median(xs))


def time_training(cfg, x, y):
    torch.manual_seed(cfg["seed"])
    net = lenet()
    opt = torch.optim.SGD(net.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
    loss_fn = nn.CrossEntropyLoss()
    clock, losses, cursor = StepClock(cfg), [], 0
    while True:
        xb, yb = batch(x, y, cursor, cfg["batch"])
        cursor += cfg["batch"]
        opt.zero_grad()
        loss = loss_fn(net(xb), yb)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if clock.tick():
            break
    return net, clock.windows, clock.cpu_windows, losses


def time_inference(cfg, x, y, net):
    xs, _ = batch(x, y, 0, cfg["inferImages"])
    b = cfg["inferBatch"]
    net.eval()
    with torch.no_grad():
        def run(n):
            for s in range(0, n, b):
                torch.softmax(net(xs[s:s + b]), dim=1)
        run(b)
        windows, cpu_windows = [], []
        for _ in range(cfg["inferWindows"]):
            t0, c0 = time.perf_counter(), time.process_time()
            run(cfg["inferImages"])
            windows.append(cfg["inferImages"] / (time.perf_counter() - t0))
            cpu_windows.append(cfg["inferImages"] / (time.process_time() - c0))
    return rate(windows, cpu_windows)


def matmul_rates(cfg):
    out = {}
    g = torch.Generator().manual_seed(1)
    for n in cfg["matmulSizes"]:
        a, b = torch.rand(n, n, generator=g) - 0.5, torch.rand(n, n, generator=g) - 0.5
        torch.mm(a, b)
        times = []
        for _ in range(cfg["matmulReps"]):
            t0 = time.perf_counter()
            torch.mm(a, b)
            times.append(time.perf_counter() - t0)
        out[str(n)] = 2 * n ** 3 / median(times) / 1e9
    return out


def rate(windows, cpu_windows):
    return {"median": median(windows), "windows": windows, "perCpuSecond": median(cpu_windows), "cpuWindows": cpu_windows}


def main():
    cfg = json.loads(sys.argv[1])
    data = load_images()
    result = {"peer": "torch", "label": "PyTorch", "version": torch.__version__, "maxRssMB": 0, "na": {}, "notes": [], "extra": {}}
    if data is None:
        result["na"]["all"] = "Fashion-MNIST files not found in " + FASHION_DIR
        result["data"] = "none"
        print("BENCH_RESULT " + json.dumps(result), flush=True)
        return
    x, y = data
    result["data"] = "fashion_mnist (%d train images)" % len(y)
    per_threads = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        net, windows, cpu_windows, losses = time_training(cfg, x, y)
        per_threads[threads] = {
            "train": dict(rate(windows, cpu_windows), steps=len(losses), firstLoss=losses[0], lastLoss=losses[-1]),
            "infer": time_inference(cfg, x, y, net),
            "matmul": matmul_rates(cfg),
        }
    best = max((1, 2), key=lambda t: per_threads[t]["train"]["median"])
    result["train"] = per_threads[best]["train"]
    result["infer"] = max((per_threads[t]["infer"] for t in (1, 2)), key=lambda r: r["median"])
    result["matmul"] = {k: max(per_threads[1]["matmul"][k], per_threads[2]["matmul"][k]) for k in per_threads[1]["matmul"]}
    result["extra"] = {"threads": {str(t): per_threads[t] for t in (1, 2)}, "bestTrainThreads": best}
    result["notes"].append("torch.set_num_threads 1 and 2 with OPENBLAS_NUM_THREADS=%s; train row = the better thread count (%d), infer and matmul = the better of each"
                           % (os.environ.get("OPENBLAS_NUM_THREADS", "unset"), best))
    # Linux reports ru_maxrss in kilobytes.
    result["maxRssMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("BENCH_RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
