# Every distinct convolution of ResNet-18 (Notebooks/03, 1×224×224 input) at batch 1 and 8, forward
# with bias under no_grad, through the language: `tensorpad run bench/ab/resnet_layers.py` beside
# `python bench/ab/resnet_layers.py` (torch). Per shape: the median ms of 7 rounds of R calls after
# R warm-up calls, and that times how often the shape occurs in the network (the last column).
import os, time, torch
import torch.nn.functional as F
torch.set_num_threads(int(os.environ.get("TENSORPAD_THREADS", "2")))
torch.manual_seed(0)
# (Cin, H, k, stride, padding, Cout, occurrences)
shapes = [(1, 224, 7, 2, 3, 64, 1), (64, 56, 3, 1, 1, 64, 4), (64, 56, 3, 2, 1, 128, 1), (64, 56, 1, 2, 0, 128, 1),
          (128, 28, 3, 1, 1, 128, 3), (128, 28, 3, 2, 1, 256, 1), (128, 28, 1, 2, 0, 256, 1),
          (256, 14, 3, 1, 1, 256, 3), (256, 14, 3, 2, 1, 512, 1), (256, 14, 1, 2, 0, 512, 1), (512, 7, 3, 1, 1, 512, 3)]
only = os.environ.get("LAYERS_BATCH")
with torch.no_grad():
    for n in ((int(only),) if only else (1, 8)):
        total = 0.0
        for (c, h, k, s, p, co, times) in shapes:
            x = torch.randn(n, c, h, h); w = torch.randn(co, c, k, k); b = torch.randn(co)
            reps = 5 if n == 8 else 20
            for _ in range(reps):
                F.conv2d(x, w, b, stride=s, padding=p)
            ts = []
            for r in range(7):
                t0 = time.perf_counter()
                for _ in range(reps):
                    F.conv2d(x, w, b, stride=s, padding=p)
                ts.append((time.perf_counter() - t0) / reps)
            ts.sort()
            total += ts[3] * times
            print(f"n{n} c{c} h{h} k{k} s{s} -> {co}: {ts[3] * 1e3:7.3f} ms  x{times} {ts[3] * times * 1e3:7.3f}")
        print(f"n{n} all convs: {total * 1e3:.2f} ms")
