# One F.conv2d shape (SHAPE: index into the list below), REPS calls; run by ab.py. Runs under tensorpad and CPython + torch alike.
import os, time, torch
import torch.nn.functional as F
torch.manual_seed(0)
shapes = [(64,1,28,5,2,6),(64,6,14,5,0,16),(8,3,32,5,0,64),(1,3,224,7,3,64)]
n,c,h,k,p,co = shapes[int(os.environ["SHAPE"])]
reps = int(os.environ["REPS"])
s = 2 if k == 7 else 1
x = torch.randn(n,c,h,h); w = torch.randn(co,c,k,k); b = torch.randn(co)
F.conv2d(x,w,b,stride=s,padding=p)
t0 = time.perf_counter()
for _ in range(reps): F.conv2d(x,w,b,stride=s,padding=p)
print(f"{(time.perf_counter()-t0)/max(reps,1)*1e3:.3f} ms wall per call")
