#!/usr/bin/env python3
"""PyTorch counterpart of scripts/bench-net.ts: LeNet-5 training steps (forward, backward, SGD) on one
CPU thread, batch 64, random 28×28 inputs; prints images/s (wall and per CPU-second) for comparison.
Run: /usr/bin/python3 scripts/bench-net-torch.py [batch] [steps]"""
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)


class LeNet5(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = torch.nn.Conv2d(6, 16, 5)
        self.dense1 = torch.nn.Linear(400, 120)
        self.dense2 = torch.nn.Linear(120, 84)
        self.dense3 = torch.nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.dense1(x.flatten(1)))
        x = F.relu(self.dense2(x))
        return self.dense3(x)


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    net = LeNet5()
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.rand(16, batch, 1, 28, 28)
    t = torch.randint(0, 10, (16, batch))

    def step(i):
        opt.zero_grad()
        loss = F.cross_entropy(net(x[i % 16]), t[i % 16])
        loss.backward()
        opt.step()
        return loss.item()

    for i in range(5):
        step(i)
    w0, c0 = time.perf_counter(), time.process_time()
    for i in range(steps):
        loss = step(i)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    print(f'PyTorch {torch.__version__} LeNet-5 batch {batch}, 1 thread: train {steps * batch / wall:.0f} images/s wall, '
          f'{steps * batch / cpu:.0f} per CPU-second ({wall / steps * 1000:.1f} ms/step); last loss {loss:.3f}')


if __name__ == '__main__':
    main()
