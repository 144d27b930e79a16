# The four small-channel conv rows of issue 18, forward with bias, through the language:
# `tensorpad run bench/ab/conv_rows.py` beside `python bench/ab/conv_rows.py` (torch).
# Median of 9 rounds of 50 calls after 50 warm-up calls.
import torch, time
import torch.nn.functional as F
torch.manual_seed(0)
for (n,c,h,k,p,co) in [(64,1,28,5,2,6),(64,6,14,5,0,16),(8,3,32,5,0,64),(1,3,224,7,3,64)]:
    s = 2 if k == 7 else 1
    x = torch.randn(n,c,h,h); w = torch.randn(co,c,k,k); b = torch.randn(co)
    for _ in range(50): F.conv2d(x,w,b,stride=s,padding=p)
    ts=[]
    for r in range(9):
        t0=time.perf_counter()
        for _ in range(50): F.conv2d(x,w,b,stride=s,padding=p)
        ts.append((time.perf_counter()-t0)/50)
    ts.sort()
    print(f"n{n} c{c} h{h} k{k} -> {co}: {ts[4]*1e3:.3f} ms")
