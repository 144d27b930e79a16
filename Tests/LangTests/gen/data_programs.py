# Programs run under Python with PyTorch and torchvision to produce the expected output of
# LangTests/DataProgramTests.swift: `python gen_data.py > ../DataProgramTests.swift` (a python
# with torch, torchvision and Debian's dataset-fashion-mnist installed).
PROGRAMS = {
"tensor_dataset": r'''
import torch
from torch.utils.data import DataLoader, TensorDataset
X = torch.arange(20).reshape(10, 2).float()
y = torch.arange(10) % 3
ds = TensorDataset(X, y)
print(len(ds), ds[3], ds[-1])
dl = DataLoader(ds, batch_size=4, num_workers=2, pin_memory=True, persistent_workers=False)
print(len(dl), dl.batch_size, dl.drop_last)
for epoch in range(2):
    for xb, yb in dl:
        print(epoch, xb.shape, yb.tolist())
print(len(DataLoader(ds, batch_size=4, drop_last=True)), [b[1].tolist() for b in DataLoader(ds, batch_size=4, drop_last=True)])
xb, yb = next(iter(dl))
print(xb)
print(type(next(iter(dl))).__name__, len(ds.tensors))
''',
"custom_dataset_collate": r'''
import torch
from torch.utils import data
class Squares(data.Dataset):
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        return {'x': torch.tensor([i, i * i]), 'label': i % 2, 'name': 'item' + str(i)}
ds = Squares(5)
for b in data.DataLoader(ds, batch_size=2):
    print(b)
print(data.default_collate([(torch.zeros(2), 1), (torch.ones(2), 2)]))
print(data.default_collate([[1, 2], [3, 4]]), data.default_collate([True, False]), data.default_collate([0.5, 1.5]))
print(data.DataLoader(ds, batch_size=None).batch_size, next(iter(data.DataLoader(ds, batch_size=None))))
print(list(data.DataLoader(ds, batch_size=3, collate_fn=lambda items: [it['name'] for it in items])))
''',
"samplers": r'''
import torch
import torch.utils.data
from torch.utils.data import DataLoader, TensorDataset, SequentialSampler, BatchSampler, RandomSampler, Subset, random_split
ds = TensorDataset(torch.arange(7))
print(list(SequentialSampler(ds)))
print(list(BatchSampler(SequentialSampler(ds), batch_size=3, drop_last=False)))
print(len(BatchSampler(SequentialSampler(ds), 3, True)))
print([b[0].tolist() for b in DataLoader(ds, batch_sampler=[[6, 0], [1, 2, 3]])])
print([b[0].tolist() for b in DataLoader(ds, sampler=[5, 4, 3], batch_size=2)])
print(len(RandomSampler(ds)), len(RandomSampler(ds, num_samples=20, replacement=True)))
print(sorted(list(RandomSampler(ds))))
sub = Subset(ds, [4, 2, 0])
print(len(sub), sub[1], [b[0].tolist() for b in DataLoader(sub, batch_size=2)])
a, b = random_split(ds, [5, 2])
print(len(a), len(b), sorted(a.indices + b.indices))
print([len(s) for s in torch.utils.data.random_split(range(11), [0.3, 0.3, 0.4])])
g = torch.Generator().manual_seed(0)
order = [x.item() for (x,) in DataLoader(ds, shuffle=True, generator=g)]
print(sorted(order), len(DataLoader(ds, batch_size=2, shuffle=True)))
''',
"transforms_repr": r'''
import torch
import torchvision
from torchvision import transforms
t = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.2860,), (0.3530,)), transforms.Resize(32),
                        transforms.RandomCrop(28, padding=4), transforms.RandomHorizontalFlip(), transforms.Lambda(lambda x: x * 2)])
print(t)
print(transforms.Resize((20, 33)), transforms.RandomHorizontalFlip(p=0.25), transforms.Normalize([0.5, 0.5, 0.5], [0.2, 0.2, 0.2]))
x = transforms.Resize((3, 4))(torch.arange(24.0).reshape(1, 4, 6))
print(x)
print(transforms.Normalize((1.0, 2.0), (2.0, 4.0))(torch.ones(2, 1, 2)))
''',
"fashion_mnist": r'''
import torch
import torchvision
from torchvision import datasets, transforms
from torch.utils.data import DataLoader
train = datasets.FashionMNIST('data', train=True, transform=transforms.ToTensor())
test = datasets.FashionMNIST(root='data', train=False, download=True)
print(len(train), len(test))
print(train)
print(train.classes)
print(train.data.shape, train.data.dtype, train.targets[:12], train.data[0, 10, 10:20])
x, y = train[0]
print(x.shape, x.dtype, y, round(x.sum().item(), 3), x.max().item())
loader = DataLoader(train, batch_size=256)
print(len(loader))
X, Y = next(iter(loader))
print(X.shape, X.dtype, Y.shape, Y.dtype, Y[:10])
print(test)
norm = datasets.FashionMNIST('data', train=False, transform=transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]), target_transform=lambda t: t + 100)
x, y = norm[0]
print(round(x.mean().item(), 4), y)
''',
"seeded_shuffles": r'''
import torch
from torch.utils.data import DataLoader, TensorDataset, RandomSampler, SubsetRandomSampler, random_split
from torchvision import transforms
ds = TensorDataset(torch.arange(10) * 10, torch.arange(10))
torch.manual_seed(0)
print([b[1].tolist() for b in DataLoader(ds, batch_size=4, shuffle=True)])
print(torch.rand(2))
g = torch.Generator().manual_seed(42)
loader = DataLoader(ds, batch_size=3, shuffle=True, generator=g)
print([b[1].tolist() for b in loader], [b[1].tolist() for b in loader])
a, b = random_split(range(10), [0.7, 0.3], generator=torch.Generator().manual_seed(1))
print(a.indices, b.indices)
torch.manual_seed(3)
print(list(RandomSampler(range(6))), list(RandomSampler(range(5), replacement=True, num_samples=7)))
print(list(SubsetRandomSampler([10, 20, 30, 40], generator=torch.Generator().manual_seed(5))))
a, b = random_split(ds, [6, 4])
print(a.indices, b.indices)
torch.manual_seed(7)
img = torch.arange(16.0).reshape(1, 4, 4)
flip = transforms.RandomHorizontalFlip()
print([flip(img)[0, 0, 0].item() for _ in range(8)])
crop = transforms.RandomCrop(3, padding=1)
print(crop(img))
print(torch.randint(0, 100, (3,)))
''',
}

# Programs that write files: @TMP@ stands for a temporary directory.
FILE_PROGRAMS = {
"epoch_left_early": r'''
import torch
from torch.utils.data import DataLoader, TensorDataset, RandomSampler
ds = TensorDataset(torch.arange(10))
dl = DataLoader(ds, batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(0))
print(next(iter(dl))[0].tolist())
for epoch in range(2):
    print(epoch, [b[0].tolist() for b in dl])
it = iter(dl)
print(next(it)[0].tolist(), next(it)[0].tolist())
print([b[0].tolist() for b in dl])
dl = DataLoader(ds, batch_size=5, shuffle=True, generator=torch.Generator().manual_seed(1))
print([b[0].tolist() for b in dl], [b[0].tolist() for b in dl])
torch.manual_seed(3)
s = RandomSampler(ds, replacement=True, num_samples=40)
it = iter(s)
print([next(it) for _ in range(33)], list(s)[:5])
''',
"save_load": r'''
import torch
from torch import nn
torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3))
sd = net.state_dict()
print(list(sd.keys()))
print(sd['1.num_batches_tracked'], sd['1.running_var'], sd['0.bias'].requires_grad, net[0].bias.requires_grad)
torch.save(sd, '@TMP@/net.pt')
net2 = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3))
print(net2.load_state_dict(torch.load('@TMP@/net.pt', weights_only=True)))
print(torch.equal(net2[0].weight, net[0].weight), torch.equal(net2[4].bias, net[4].bias), net2[4].bias.requires_grad)
state = {'epoch': 3, 'lr': [0.1, 0.01], 'best': (0.91, 'ok'), 'w': torch.arange(6).reshape(2, 3), 'none': None, 'big': -2 ** 40}
torch.save(state, '@TMP@/state.pt')
print(torch.load('@TMP@/state.pt'))
torch.save(torch.linspace(0, 1, 5)[1:4], '@TMP@/t.pt')
print(torch.load('@TMP@/t.pt', map_location='cpu'))
small = nn.Sequential(nn.Linear(8, 3))
print(small.load_state_dict({'0.weight': torch.zeros(3, 8), '0.bias': torch.zeros(3), 'extra': torch.zeros(1)}, strict=False))
print(small.load_state_dict({'0.weight': torch.ones(3, 8)}, strict=False).missing_keys, small[0].weight.sum().item())
names = []
net.apply(lambda m: names.append(type(m).__name__))
print(names)
print([n for n, _ in net.named_modules()], [n for n, _ in net.named_children()])
''',
}

ERRORS = {
"sampler_and_shuffle": ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\nDataLoader(TensorDataset(torch.zeros(3)), shuffle=True, sampler=[0])",
                        "ValueError: sampler option is mutually exclusive with shuffle"),
"collate_none": ("from torch.utils.data import default_collate\ndefault_collate([None, None])",
                 "TypeError: default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'NoneType'>"),
"batch_sampler_size": ("from torch.utils.data import BatchSampler\nBatchSampler([0, 1], 0, False)",
                       "ValueError: batch_size should be a positive integer value, but got batch_size=0"),
"loader_batch_size": ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\nDataLoader(TensorDataset(torch.zeros(3)), batch_size=0)",
                      "ValueError: batch_size should be a positive integer value, but got batch_size=0"),
"persistent_workers": ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\nDataLoader(TensorDataset(torch.zeros(3)), persistent_workers=True)",
                       "ValueError: persistent_workers option needs num_workers > 0"),
"size_mismatch": ("import torch\nfrom torch.utils.data import TensorDataset\nTensorDataset(torch.zeros(3), torch.zeros(4))",
                  "AssertionError: Size mismatch between tensors"),
"split_sum": ("from torch.utils.data import random_split\nrandom_split(range(5), [2, 2])",
              "ValueError: Sum of input lengths does not equal the length of the input dataset!"),
"index": ("import torch\nfrom torch.utils.data import TensorDataset\nTensorDataset(torch.zeros(10))[10]",
          "IndexError: index 10 is out of bounds for dimension 0 with size 10"),
"to_tensor_of_tensor": ("import torch\nfrom torchvision import transforms\ntransforms.ToTensor()(torch.zeros(2, 2))",
                        "TypeError: pic should be PIL Image or ndarray. Got <class 'torch.Tensor'>"),
"normalize_2d": ("import torch\nfrom torchvision import transforms\ntransforms.Normalize((0.5,), (0.5,))(torch.zeros(2, 2))",
                 "ValueError: Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = torch.Size([2, 2])"),
"load_state_dict_keys": ("import torch\nfrom torch import nn\nnn.Sequential(nn.Linear(8, 3)).load_state_dict({'0.weight': torch.zeros(3, 8), 'x': torch.zeros(1)})",
                         'RuntimeError: Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: "0.bias". \n\tUnexpected key(s) in state_dict: "x". '),
"load_state_dict_shape": ("import torch\nfrom torch import nn\nnn.Sequential(nn.Linear(8, 3)).load_state_dict({'0.weight': torch.zeros(2, 8), '0.bias': torch.zeros(3)})",
                          "RuntimeError: Error(s) in loading state_dict for Sequential:\n\tsize mismatch for 0.weight: copying a param with shape torch.Size([2, 8]) from checkpoint, the shape in current model is torch.Size([3, 8])."),
"save_module": ("import torch\ntorch.save(torch.nn.Linear(2, 2), '/nonexistent/x.pt')", None),
}
