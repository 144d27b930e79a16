# Autograd programs run under Python + PyTorch to produce the expected output of
# AutogradProgramTests. Regenerate with a Python that has torch:
#   python gen_autograd.py > ../AutogradProgramTests.swift
PROGRAMS = {
"basics": r'''
import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 2 * 3).sum()
print(y)
y.backward()
print(x.grad)
print(x.is_leaf, y.is_leaf, y.requires_grad, x.grad_fn, y.grad_fn.name())
z = x * 2
print(z.grad_fn.name(), [f[0].name() for f in z.grad_fn.next_functions if f[0] is not None])
''',
"accumulation": r'''
import torch
w = torch.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
x = torch.tensor([2.0, 1.0])
loss = (w @ x).pow(2).sum()
loss.backward(retain_graph=True)
print(w.grad)
loss.backward()
print(w.grad)
w.grad.zero_()
(w * 3).sum().backward()
print(w.grad)
w.grad = None
(w.relu() * torch.tensor([1.0, 2.0])).sum().backward()
print(w.grad)
''',
"broadcasting": r'''
import torch
a = torch.arange(6.0).reshape(2, 3).requires_grad_()
b = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
c = torch.tensor(2.0, requires_grad=True)
out = (a * b + b / c - a ** 2 / 4).sum()
out.backward()
print(a.grad)
print(b.grad)
print(c.grad)
d = torch.tensor([[1.0], [2.0]], requires_grad=True)
(d - b).mean().backward()
print(d.grad, b.grad)
''',
"views_and_indexing": r'''
import torch
x = torch.arange(12.0).reshape(3, 4).requires_grad_()
y = x[1:, ::2] * 2
z = x.view(2, 6)[0]
u = x.t()[2]
v = x.permute(1, 0).reshape(-1)[5:7]
idx = torch.tensor([0, 2, 0])
w = x[idx]
m = x[x > 8]
total = y.sum() + z.sum() + u.sum() * 3 + v.sum() + w.sum() + m.sum() * 10 + x.unsqueeze(0).squeeze().flatten()[-1]
total.backward()
print(x.grad)
print(y.grad_fn.name(), z.grad_fn.name(), w.grad_fn.name(), x.t().grad_fn.name(), x.flatten().grad_fn.name())
''',
"joins_and_setitem": r'''
import torch
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0, 5.0], requires_grad=True)
c = torch.cat([a, b]) * torch.arange(5.0)
s = torch.stack([a, b[:2]], dim=1)
(c.sum() + (s * torch.tensor([[1.0, 10.0], [100.0, 1000.0]])).sum()).backward()
print(a.grad, b.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 1
y[1] = x[0] * 5
y.sum().backward()
print(x.grad, y.grad_fn.name())
p = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
q = torch.where(p > 0, p * 2, p * p)
q.sum().backward()
print(p.grad)
''',
"splits": r'''
import torch
x = torch.arange(10.).requires_grad_()
a, b, c, d = x.split(3)
print(a, x.chunk(3), x.narrow(0, 2, 3), torch.split(x, [2, 8]))
(a.sum() * 2 + d.sum() + x.unbind()[5] + x.prod() + x.cumsum(0)[4]).backward()
print(x.grad)
y = torch.tensor([[1., 2., 3.], [4., 0., 6.]], requires_grad=True)
(y.prod(dim=1).sum() + y.cumsum(1).sum() + y.select(1, 2).sum()).backward()
print(y.grad)
''',
"reductions": r'''
import torch
x = torch.tensor([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]], requires_grad=True)
(x.max() + x.min(dim=1).values.sum() + x.mean(dim=0).sum() + x.std() + x.var(dim=1).sum()).backward()
print(x.grad)
x.grad = None
x.norm().backward()
print(x.grad)
x.grad = None
x.amax(dim=0).sum().backward()
print(x.grad)
''',
"activations": r'''
import torch
import torch.nn.functional as F
x = torch.tensor([-2.0, -0.5, 0.5, 2.0], requires_grad=True)
for f in [torch.sigmoid, torch.tanh, torch.relu, F.elu, F.gelu, lambda t: F.leaky_relu(t, 0.1), lambda t: F.softmax(t, dim=0) * torch.arange(4.0), lambda t: F.log_softmax(t, dim=0)[1]]:
    x.grad = None
    f(x).sum().backward()
    print(x.grad)
''',
"layers": r'''
import torch
import torch.nn as nn
torch.set_printoptions(precision=4)
net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8, 3))
with torch.no_grad():
    for i, p in enumerate(net.parameters()):
        p.copy_(torch.linspace(-1, 1, p.numel()).reshape(p.shape) * (i + 1) / 4)
x = torch.linspace(-2, 2, 16).reshape(1, 1, 4, 4)
loss = nn.CrossEntropyLoss()(net(x), torch.tensor([2]))
print(loss)
loss.backward()
for name, p in net.named_parameters():
    print(name, p.grad)
''',
"batchnorm": r'''
import torch
import torch.nn as nn
bn = nn.BatchNorm1d(3)
x = torch.tensor([[1.0, 2.0, 3.0], [2.0, 0.0, 1.0], [4.0, 1.0, -1.0], [0.0, 2.0, 2.0]], requires_grad=True)
y = bn(x)
(y * torch.arange(12.0).reshape(4, 3)).sum().backward()
print(x.grad)
print(bn.weight.grad, bn.bias.grad)
print(bn.running_mean, bn.running_var)
''',
"losses": r'''
import torch
import torch.nn.functional as F
logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], requires_grad=True)
t = torch.tensor([0, 2])
F.cross_entropy(logits, t, label_smoothing=0.1).backward()
print(logits.grad)
logits.grad = None
F.nll_loss(F.log_softmax(logits, dim=1), t, reduction='sum').backward()
print(logits.grad)
a = torch.tensor([1.0, 2.0], requires_grad=True)
F.mse_loss(a, torch.tensor([0.0, 4.0])).backward()
print(a.grad)
''',
"autograd_grad": r'''
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 3).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
print(g)
(h,) = torch.autograd.grad(g.sum(), x)
print(h, x.grad)
a = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(4.0, requires_grad=True)
print(torch.autograd.grad(a * b, [a, b]))
print(torch.autograd.grad(a * 2, [a, b], allow_unused=True))
''',
"hooks": r'''
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
seen = []
h = x.register_hook(lambda g: seen.append(g.tolist()))
y = x * 3
y.retain_grad()
y.register_hook(lambda g: g * 2)
(y * y).sum().backward()
print(x.grad, y.grad, seen)
h.remove()
x.grad = None
(x * 1).sum().backward()
print(x.grad, seen)
''',
"grad_modes": r'''
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x * 2
    with torch.enable_grad():
        z = x * 2
print(y.requires_grad, z.requires_grad)
def f(t):
    return t * 2
g = torch.no_grad()(f)
print(g(x).requires_grad, f(x).requires_grad)
with torch.inference_mode():
    print((x * 2).requires_grad)
torch.set_grad_enabled(False)
print((x * 2).requires_grad, torch.is_grad_enabled())
torch.set_grad_enabled(True)
with torch.set_grad_enabled(False):
    print((x + 1).requires_grad)
print((x + 1).requires_grad)
''',
"float64_and_devices": r'''
import torch
import torch.nn as nn
import torch.nn.functional as F
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device, repr(device), device.type, torch.ones(2).device == device, torch.cuda.device_count())
torch.backends.cudnn.benchmark = True
print(torch.backends.cudnn.benchmark, torch.backends.cudnn.deterministic)
torch.manual_seed(0)
x = torch.randn(5, dtype=torch.float64, requires_grad=True)
print(x)
y = (x * x).sum() + x.exp().mean() + torch.relu(x).sum() + torch.sigmoid(x).prod()
y.backward()
print(x.grad)
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double().to(device)
print(net[0].weight.dtype, net[0].weight.requires_grad)
inp = torch.rand(6, 3, dtype=torch.float64)
loss = F.cross_entropy(net(inp), torch.tensor([0, 1, 1, 0, 1, 0]))
loss.backward()
print(loss, net[2].bias.grad, net[0].weight.grad.dtype)
net.float()
print(net[0].weight.dtype, net(inp.float()).dtype)
z = torch.ones(3, requires_grad=True)
(z.double() * torch.arange(3.0, dtype=torch.float64)).sum().backward()
print(z.grad, torch.randn(17, dtype=torch.float64)[-3:], torch.ones(2).to(device, torch.float64))
''',
"in_place_and_detach": r'''
import torch
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * 2
y.add_(1)
y.mul_(x)
y.relu_()
y.sum().backward()
print(x.grad, y.grad_fn.name())
d = x.detach()
print(d.requires_grad, d.is_leaf, x.data.requires_grad)
k = torch.ones(2).requires_grad_()
print(k.requires_grad, k.is_leaf)
with torch.no_grad():
    x.add_(10)
print(x, x.requires_grad, x._version)
''',
"random_fills_bump_versions": r'''
import torch
# Random fills and nn.init write in place: each bumps the version counter, so a backward through
# a tensor that one overwrote (through a detached alias) is refused, as for fill_ or add_.
x = torch.zeros(3)
print(x._version)
x.uniform_()
x.normal_()
print(x._version)
torch.nn.init.kaiming_uniform_(x.view(3, 1))
x.bernoulli_(0.5)
x.random_(0, 4)
x.exponential_()
print(x._version)
for fill in [lambda d: d.uniform_(), lambda d: d.normal_(0, 2), lambda d: torch.nn.init.normal_(d),
             lambda d: d.bernoulli_(0.3), lambda d: d.fill_(1.0)]:
    a = torch.randn(3, requires_grad=True)
    b = a * 1
    c = b * b
    fill(b.detach())
    try:
        c.sum().backward()
        print('no error')
    except RuntimeError as e:
        print(str(e).split(';')[0])
''',
}

ERRORS = {
"no_grad_fn": ('import torch\nx = torch.ones(2)\nx.sum().backward()', "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn"),
"not_scalar": ('import torch\nx = torch.ones(2, requires_grad=True)\n(x * 2).backward()', "RuntimeError: grad can be implicitly created only for scalar outputs"),
"second_time": ('import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\ny.backward()\ny.backward()', "RuntimeError: Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward."),
"modified_output": ('import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x.sigmoid()\ny.mul_(2)\ny.sum().backward()', "RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of Sigmoid, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."),
"modified_input": ('import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\nw = torch.ones(2)\ny = x * w\nw.add_(1)\ny.sum().backward()', "RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]] is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."),
"leaf_in_place": ('import torch\nx = torch.ones(2, requires_grad=True)\nx.add_(1)', "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation."),
"leaf_setitem": ('import torch\nx = torch.ones(2, requires_grad=True)\nx[0] = 5', "RuntimeError: a view of a leaf Variable that requires grad is being used in an in-place operation."),
"leaf_mask_assign": ('import torch\nx = torch.ones(2, requires_grad=True)\nx[x > 0] = 5', "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation."),
"view_of_leaf": ('import torch\nx = torch.ones(2, 3, requires_grad=True)\nv = x[0]\nv.mul_(2)', "RuntimeError: a view of a leaf Variable that requires grad is being used in an in-place operation."),
"int_requires_grad": ('import torch\nx = torch.tensor([1, 2])\nx.requires_grad_()', "RuntimeError: only Tensors of floating point dtype can require gradients"),
"non_leaf_flag": ('import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\ny.requires_grad = False', "RuntimeError: you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."),
"unused": ('import torch\na = torch.ones(1, requires_grad=True)\nb = torch.ones(1, requires_grad=True)\ntorch.autograd.grad((a * 2).sum(), [a, b])', "RuntimeError: The differentiated Tensor at index 1 appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior."),
"grad_shape": ('import torch\nx = torch.ones(2, requires_grad=True)\n(x * 2).backward(torch.ones(3))', "RuntimeError: Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of torch.Size([2])."),
}
