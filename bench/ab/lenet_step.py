# LeNet training step at batch 256 (the bench's model, Adam, cross entropy), median of 9 × 5 steps; tensorpad run or python.
import time, torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool2d(kernel_size=2, stride=2),
                    nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(), nn.MaxPool2d(kernel_size=2, stride=2),
                    nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.randn(256, 1, 28, 28)
y = torch.randint(0, 10, (256,))
def step():
    opt.zero_grad()
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    opt.step()
for _ in range(3): step()
ts = []
for r in range(9):
    t0 = time.perf_counter()
    for _ in range(5): step()
    ts.append((time.perf_counter() - t0) / 5)
ts.sort()
print(f"lenet step b256: {ts[4]*1e3:.2f} ms (min {ts[0]*1e3:.2f})")
