"""Reference pixels for GridTests.testMatchesTorchvisionMakeGrid.

torchvision is not installed here, so make_grid (torchvision 0.2x,
torchvision/utils.py) is copied below for the grey case, with save_image's
quantisation; run with /work/venv-torch/bin/python. Input: randn (2, 3, 5, 4)
seeded, viewed as (6, 1, 5, 4) tiles. Writes grid_input.npy and, per option
set, grid_<name>.npy holding the uint8 pixels.
"""
import math, os
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False, pad_value=0.0):
    if normalize:
        tensor = tensor.clone()

        def norm_ip(img, low, high):
            img.clamp_(min=low, max=high)
            img.sub_(low).div_(max(high - low, 1e-5))

        def norm_range(t, value_range):
            if value_range is not None:
                norm_ip(t, value_range[0], value_range[1])
            else:
                norm_ip(t, float(t.min()), float(t.max()))

        if scale_each:
            for t in tensor:
                norm_range(t, value_range)
        else:
            norm_range(tensor, value_range)
    if tensor.size(0) == 1:
        return tensor.squeeze(0)
    nmaps = tensor.size(0)
    xmaps = min(nrow, nmaps)
    ymaps = int(math.ceil(float(nmaps) / xmaps))
    height, width = int(tensor.size(2) + padding), int(tensor.size(3) + padding)
    grid = tensor.new_full((tensor.size(1), height * ymaps + padding, width * xmaps + padding), pad_value)
    k = 0
    for y in range(ymaps):
        for x in range(xmaps):
            if k >= nmaps:
                break
            grid.narrow(1, y * height + padding, height - padding).narrow(2, x * width + padding, width - padding).copy_(tensor[k])
            k = k + 1
    return grid


def pixels(grid):
    return grid.mul(255).add_(0.5).clamp_(0, 255).to(torch.uint8).numpy()


torch.manual_seed(0)
x = torch.randn(2, 3, 5, 4)
np.save(os.path.join(HERE, "grid_input.npy"), x.numpy())
tiles = x.reshape(6, 1, 5, 4)
cases = {
    "default": dict(nrow=8, padding=2, normalize=True),
    "nrow4_pad1_each": dict(nrow=4, padding=1, normalize=True, scale_each=True, pad_value=0.3),
    "range": dict(nrow=3, padding=3, normalize=True, value_range=(-1.0, 0.5)),
    "raw": dict(nrow=5, padding=0, normalize=False),
}
for name, kw in cases.items():
    np.save(os.path.join(HERE, f"grid_{name}.npy"), pixels(make_grid(tiles, **kw))[0].astype(np.int64))
