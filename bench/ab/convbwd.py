# LeNet conv1 (weight and bias gradients) and conv2 (all three) forward + backward at batch 256; tensorpad run or python.
import time, torch
import torch.nn.functional as F
torch.manual_seed(0)
for (n,c,h,k,p,co,gx) in [(256,1,28,5,2,6,False),(256,6,14,5,0,16,True)]:
    x = torch.randn(n,c,h,h, requires_grad=gx); w = torch.randn(co,c,k,k, requires_grad=True); b = torch.randn(co, requires_grad=True)
    gy = torch.randn(n, co, h + 2*p - k + 1, h + 2*p - k + 1)
    def f():
        F.conv2d(x,w,b,padding=p).backward(gy)
    for _ in range(3): f()
    ts=[]
    for r in range(7):
        t0=time.perf_counter()
        for _ in range(5): f()
        ts.append((time.perf_counter()-t0)/5)
    ts.sort()
    print(f"fwd+bwd n{n} c{c} h{h} k{k} -> {co}: {ts[3]*1e3:.3f} ms")
