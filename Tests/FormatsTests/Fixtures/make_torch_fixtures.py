"""Makes the torch.save fixtures of TorchSaveTests with real PyTorch:
    python Tests/FormatsTests/Fixtures/make_torch_fixtures.py
"""
import collections, os
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def out(name):
    return os.path.join(HERE, name)


def torch_files():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.ReLU(),
                              torch.nn.Flatten(), torch.nn.Linear(8, 3))
    net(torch.randn(4, 1, 4, 4))  # running stats move, num_batches_tracked = 1
    sd = net.state_dict()
    torch.save(sd, out("torch_state_dict.pt"))
    expected = {"sd." + k: v.numpy() for k, v in sd.items()}

    p = torch.randn(3)
    nested = {
        "state": {0: {"step": torch.tensor(3.0), "exp_avg": p * 2, "exp_avg_sq": p * p}},
        "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0,
                          "amsgrad": False, "params": [0], "name": None}],
        "epoch": 7, "note": "héllo", "big": 2 ** 40, "neg": -123456789012,
    }
    torch.save(nested, out("torch_nested.pt"))
    expected["nested.exp_avg"] = (p * 2).numpy()
    expected["nested.exp_avg_sq"] = (p * p).numpy()

    base = torch.arange(12, dtype=torch.float32)
    views = collections.OrderedDict([("base", base), ("slice", base[2:5]), ("t", base.view(3, 4).t()),
                                     ("mask", base > 5), ("long", torch.arange(4) - 2)])
    torch.save(views, out("torch_views.pt"))
    torch.save(torch.linspace(-1, 1, 5), out("torch_tensor.pt"))
    np.savez(out("torch_expected.npz"), **expected)



if __name__ == "__main__":
    torch_files()
    print("fixtures written to", HERE)
