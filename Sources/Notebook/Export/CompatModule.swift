/// `tensorpad_compat.py`, the module `tensorpad export --to pytorch` writes beside
/// the script: every Tensorpad-only name (Residual, summary, shapes, table, show,
/// save_pgm, save_grid, feature_maps, load_pgm, the file functions) on torch and
/// NumPy alone, printing the same text and writing the same bytes as Tensorpad's
/// builtins (Render's `table`, `show`, `summary`, `makeGrid`; Formats' writers).
/// Kept here as text so the one binary carries it; `make test-pytorch` runs it.
enum CompatModule {
    static var source: String { visual + inspection }

    /// The module's docstring and imports, `display`, `Residual`, the terminal,
    /// `table`, `show`, the image files and `feature_maps`.
    static let visual = #"""
"""Tensorpad's own names on PyTorch and NumPy alone, written by `tensorpad export`.

Each function prints the same text and writes the same bytes as Tensorpad's
builtin of the same name, so an exported notebook behaves under Python as it
did in Tensorpad: Residual, summary, shapes, table, show, save_pgm, save_grid,
feature_maps, load_pgm, load_npy, save_npy, load_npz, save_npz, save_weights,
load_weights, load_idx. `display(value)` shows a cell's last value as Jupyter
does. torchvision's FashionMNIST finds Debian's dataset-fashion-mnist files
as Tensorpad does (see _fashion_mnist_from_debian).
"""
import gzip
import json
import math
import os
import struct
import sys
import zipfile

import numpy as np
import torch
import torch.nn as nn

__all__ = ["Residual", "summary", "shapes", "table", "show", "save_pgm", "save_grid", "feature_maps",
           "load_pgm", "load_npy", "save_npy", "load_npz", "save_npz", "save_weights", "load_weights",
           "load_idx", "display"]


def display(value):
    """A cell's last expression, shown as Jupyter (and Tensorpad) show it."""
    if value is not None:
        print(repr(value))


class Residual(nn.Module):
    """activation(body(x) + (shortcut(x) if shortcut else x))."""
    def __init__(self, body, shortcut=None, activation=None):
        super().__init__()
        self.body = body
        if shortcut is not None:
            self.shortcut = shortcut
        if activation is not None:
            self.activation = activation

    def forward(self, x):
        y = self.body(x)
        s = self.shortcut(x) if hasattr(self, "shortcut") else x
        if y.shape != s.shape:
            raise RuntimeError(f"Residual: body output {y.shape} and shortcut output {s.shape} differ; give the Residual "
                               f"a shortcut (e.g. a 1x1 Conv2d with the body's stride) that maps the input to {y.shape}")
        z = y + s
        if _SUMMARY and not hasattr(self, "activation"):
            _SUMMARY[-1].show_add(self, list(z.shape))
        return self.activation(z) if hasattr(self, "activation") else z


# ---------------------------------------------------------------- the terminal

def _tty():
    return sys.stdout.isatty()


def _columns():
    if _tty():
        try:
            c = os.get_terminal_size(sys.stdout.fileno()).columns
            if c > 0:
                return c
        except OSError:
            pass
    try:
        c = int(os.environ.get("COLUMNS", ""))
        if c > 0:
            return c
    except ValueError:
        pass
    return 80


def _rows():
    if _tty():
        try:
            r = os.get_terminal_size(sys.stdout.fileno()).lines
            if r > 0:
                return r
        except OSError:
            pass
    try:
        r = int(os.environ.get("LINES", ""))
        return r if r > 0 else None
    except ValueError:
        return None


def _floats(t):
    return torch.as_tensor(t).detach().to(torch.float32).contiguous().reshape(-1).tolist()


def _extremes(values):
    finite = [v for v in values if v == v]
    return (min(finite), max(finite)) if finite else None


def _f32(x):
    return float(np.float32(x))


# ---------------------------------------------------------------- table

def _cell(t, v, precision):
    if t.dtype == torch.bool:
        return "True" if v else "False"
    if t.dtype.is_floating_point:
        if v != v:
            return "nan"
        if v in (math.inf, -math.inf):
            return "-inf" if v < 0 else "inf"
        return "%.*f" % (max(0, precision), v)
    return str(int(v))


def _keep(n, k):
    if k >= n:
        return list(range(n))
    left, right = (k + 1) // 2, k // 2
    return list(range(left)) + [None] + list(range(n - right, n))


def _table2(t, row_indices, precision, max_width, max_rows=40):
    rows, cols = (t.shape[0], t.shape[1]) if row_indices else (1, t.shape[0])
    data = t.tolist() if row_indices else [t.tolist()]
    if rows == 0 or cols == 0:
        return "(empty table, shape %s)" % _tuple([rows, cols] if row_indices else [cols])
    row_sel = _keep(rows, max(2, max_rows))
    candidates = {c for c in _keep(cols, max(1, max_width // 4)) if c is not None}
    texts = [None if r is None else [(_cell(t, data[r][c], precision) if c in candidates else "") for c in range(cols)]
             for r in row_sel]
    col_width = [max([len(str(c))] + [1 if row is None else len(row[c]) for row in texts]) for c in range(cols)]
    label_width = max([1] + [len(str(r)) if r is not None else 1 for r in row_sel])

    def total(sel):
        body = sum((col_width[c] if c is not None else 1) + 3 for c in sel)
        return 1 + body + (label_width + 3 if row_indices else 0)

    col_sel = _keep(cols, cols)
    if total(col_sel) > max_width:
        k = min(cols - 1, max(1, max_width // 4))
        col_sel = _keep(cols, k)
        while k > 1 and total(col_sel) > max_width:
            k -= 1
            col_sel = _keep(cols, k)
    widths = [col_width[c] if c is not None else 1 for c in col_sel]
    if row_indices:
        widths.insert(0, label_width)

    def rule(l, m, r):
        return l + m.join("─" * (w + 2) for w in widths) + r

    def line(cells):
        return "│" + "".join(" " + " " * max(0, w - len(s)) + s + " │" for w, s in zip(widths, cells))

    out = [rule("┌", "┬", "┐")]
    header = [str(c) if c is not None else "…" for c in col_sel]
    out.append(line([""] + header if row_indices else header))
    out.append(rule("├", "┼", "┤"))
    for i, r in enumerate(row_sel):
        cells = ["…" if c is None or texts[i] is None else texts[i][c] for c in col_sel]
        label = str(r) if r is not None else "…"
        out.append(line([label] + cells if row_indices else cells))
    out.append(rule("└", "┴", "┘"))
    return "\n".join(out)


def _tuple(shape):
    shape = list(shape)
    return "(%s,)" % shape[0] if len(shape) == 1 else "(" + ", ".join(str(s) for s in shape) + ")"


def table(t, precision=4):
    """A 1-D or 2-D tensor as a table with row and column indices (3-D: one table per channel)."""
    t = torch.as_tensor(t).detach()
    width = _columns() if _tty() else 100
    if t.dim() == 1:
        text = _table2(t, False, precision, width)
    elif t.dim() == 2:
        text = _table2(t, True, precision, width)
    elif t.dim() == 3:
        parts = ["channel %d\n" % c + _table2(t[c], True, precision, width) for c in range(t.shape[0])]
        text = "\n\n".join(parts) if parts else "(no channels, shape %s)" % _tuple(t.shape)
    else:
        raise ValueError("table() expects a 1-D, 2-D or 3-D tensor, but got a %d-D tensor of shape %s"
                         % (t.dim(), _tuple(t.shape)))
    print(text)


# ---------------------------------------------------------------- show

_RAMP = " .:-=+*#%@"


def _heat_map(values, h, w, title, width, height, color):
    f = (w + width - 1) // width
    if height is not None:
        f = max(f, (h + 2 * height - 1) // (2 * height))
    fy = f if color else 2 * f
    if f == 1 and fy == 1:
        rows, cols, cells = h, w, values
    else:
        rows, cols = (h + fy - 1) // fy, (w + f - 1) // f
        cells = []
        for r in range(rows):
            for c in range(cols):
                s, n = 0.0, 0
                for y in range(r * fy, min(h, (r + 1) * fy)):
                    for x in range(c * f, min(w, (c + 1) * f)):
                        v = values[y * w + x]
                        if v == v:
                            s += v
                            n += 1
                cells.append(_f32(s / n) if n else math.nan)
    ext = _extremes(values)
    lo, hi = ext if ext else (0.0, 0.0)
    levels = 24 if color else len(_RAMP)
    span = float(np.float32(hi) - np.float32(lo))

    def level(v):
        if not hi > lo or v != v:
            return 0
        with np.errstate(all="ignore"):
            x = float(np.float32(v) - np.float32(lo)) / span * (levels - 1) + 0.5
        if not math.isfinite(x):
            return levels - 1 if x == math.inf else 0
        return min(max(int(math.floor(x)), 0), levels - 1)

    lines = [title + (", shown at 1/%d" % f if f > 1 else "")]
    if color:
        for r in range(0, rows, 2):
            line, fg, bg = "", -1, -1
            for x in range(cols):
                up = level(cells[r * cols + x])
                if up != fg:
                    line += "\x1b[38;5;%dm" % (232 + up)
                    fg = up
                if r + 1 < rows:
                    down = level(cells[(r + 1) * cols + x])
                    if down != bg:
                        line += "\x1b[48;5;%dm" % (232 + down)
                        bg = down
                elif bg != -2:
                    line += "\x1b[49m"
                    bg = -2
                line += "▀"
            lines.append(line + "\x1b[0m")
        bar = "".join("\x1b[48;5;%dm " % (232 + i) for i in range(24)) + "\x1b[0m"
        lines.append("min %.4g %s max %.4g" % (lo, bar, hi))
    else:
        for r in range(rows):
            lines.append("".join(_RAMP[level(cells[r * cols + x])] for x in range(cols)))
        lines.append("min %.4g [%s] max %.4g" % (lo, _RAMP, hi))
    return "\n".join(lines)


def show(t, *, width=None, color=None, height=None):
    """A 2-D map (each channel of a 3-D one, each image of a 4-D batch) as a grey heat map."""
    t = torch.as_tensor(t).detach()
    if not 1 <= t.dim() <= 4:
        raise ValueError("show expects a 2-D tensor, a 3-D one (C, H, W) drawn channel by channel, or a 4-D batch "
                         "(N, C, H, W), but got shape %s" % _describe(t.shape))
    if t.numel() == 0:
        raise ValueError("show got an empty tensor of shape %s" % _describe(t.shape))
    width = _columns() if width is None else width
    if width < 1:
        raise ValueError("show(): width must be positive, but got %d" % width)
    color = (_tty() and not os.environ.get("NO_COLOR")) if color is None else bool(color)
    if height is None:
        rows = _rows()
        height = max(8, rows - 4) if rows is not None else None
    elif height < 1:
        raise ValueError("show(): height must be positive, but got %d" % height)
    h = 1 if t.dim() == 1 else t.shape[-2]
    w = t.shape[-1]
    channels = t.shape[-3] if t.dim() >= 3 else 1
    images = t.shape[0] if t.dim() == 4 else 1
    values = _floats(t)
    parts = []
    for n in range(images):
        for c in range(channels):
            k = n * channels + c
            title = "image %d " % n if t.dim() == 4 else ""
            if t.dim() == 3 or (t.dim() == 4 and channels > 1):
                title += "channel %d " % c
            parts.append(_heat_map(values[k * h * w:(k + 1) * h * w], h, w, title + "[%d×%d]" % (h, w),
                                   max(width, 1), None if height is None else max(height, 1), color))
    print("\n\n".join(parts))


def _describe(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


# ---------------------------------------------------------------- images

def _write(path, data):
    """Written to a temporary name and renamed, as Tensorpad writes every file."""
    tmp = os.path.join(os.path.dirname(path) or ".", ".%s.tmp-%d" % (os.path.basename(path), os.getpid()))
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _pgm_bytes(width, height, maxval, samples):
    head = b"P5\n%d %d\n%d\n" % (width, height, maxval)
    if maxval > 255:
        return head + np.asarray(samples, dtype=">u2").tobytes()
    return head + np.asarray(samples, dtype=np.uint8).tobytes()


def _upscale(px, w, h, scale):
    if scale == 1:
        return px
    a = np.asarray(px).reshape(h, w)
    return np.repeat(np.repeat(a, scale, axis=0), scale, axis=1).reshape(-1)


def _maps(t, what):
    if t.dim() < 1:
        raise ValueError("%s needs a tensor with at least one dimension, got a scalar" % what)
    if t.numel() == 0:
        raise ValueError("%s got an empty tensor of shape %s" % (what, _describe(t.shape)))
    if t.dim() == 1:
        return 1, 1, t.shape[0]
    h, w = t.shape[-2], t.shape[-1]
    return t.numel() // (h * w), h, w


def save_pgm(t, path, normalize=True, value_range=None, scale=1, bits=8):
    """A 2-D or (1, H, W) tensor as a binary PGM (8 or 16 bits); returns the path."""
    t = torch.as_tensor(t).detach()
    if not (t.dim() == 2 or (t.dim() == 3 and t.shape[0] == 1)):
        raise ValueError("save_pgm expects a 2-D tensor or one of shape (1, H, W), but got shape %s" % _describe(t.shape))
    if bits not in (8, 16):
        raise ValueError("bits must be 8 or 16, but got %d" % bits)
    if scale < 1:
        raise ValueError("scale must be a positive integer, but got %d" % scale)
    _, h, w = _maps(t, "save_pgm")
    maxval = 255 if bits == 8 else 65535
    values = _floats(t)
    low, high = 0.0, 1.0
    if normalize:
        ext = _extremes(values)
        if ext:
            low, high = ext
    elif value_range is not None:
        if not value_range[1] > value_range[0]:
            raise ValueError("value_range must be (low, high) with low < high, but got (%s, %s)" % tuple(value_range))
        low, high = float(value_range[0]), float(value_range[1])
    span = high - low
    samples = []
    for v in values:
        x = min(max(v, low), high)
        if not (span > 0 and math.isfinite(span)) or x != x:
            samples.append(0)
        else:
            samples.append(int(min(float(maxval), math.floor((x - low) / span * maxval + 0.5))))
    _write(path, _pgm_bytes(w * scale, h * scale, maxval, _upscale(samples, w, h, scale)))
    return path


def _quantise(values):
    v = values * np.float32(255) + np.float32(0.5)
    v = np.where(np.isnan(v), np.float32(0), v)
    return np.clip(v, 0, 255).astype(np.uint8)


def _make_grid(t, nrow=8, padding=2, normalize=True, scale_each=False, pad_value=0):
    if nrow < 1:
        raise ValueError("nrow must be a positive integer, but got %d" % nrow)
    if padding < 0:
        raise ValueError("padding must be non-negative, but got %d" % padding)
    n, h, w = _maps(t, "make_grid")
    values = t.detach().to(torch.float32).contiguous().reshape(-1).numpy().copy()
    if normalize:
        def norm(a, b):
            ext = _extremes(values[a:b].tolist())
            if ext is None:
                return
            lo, hi = np.float32(ext[0]), np.float32(ext[1])
            d = np.float32(max(float(ext[1]) - float(ext[0]), 1e-5))
            values[a:b] = (np.minimum(np.maximum(values[a:b], lo), hi) - lo) / d
        if scale_each:
            for k in range(n):
                norm(k * h * w, (k + 1) * h * w)
        else:
            norm(0, values.size)
    if n == 1:
        return w, h, _quantise(values)
    xmaps = min(nrow, n)
    ymaps = (n + xmaps - 1) // xmaps
    cell_h, cell_w = h + padding, w + padding
    width, height = cell_w * xmaps + padding, cell_h * ymaps + padding
    pixels = np.full(width * height, _quantise(np.array([pad_value], dtype=np.float32))[0], dtype=np.uint8)
    grid = pixels.reshape(height, width)
    q = _quantise(values).reshape(n, h, w)
    for k in range(n):
        top, left = (k // xmaps) * cell_h + padding, (k % xmaps) * cell_w + padding
        grid[top:top + h, left:left + w] = q[k]
    return width, height, pixels


def save_grid(t, path, nrow=8, padding=2, normalize=True, scale_each=False, pad_value=0, scale=1):
    """The 2-D maps of a (C, H, W) or (N, C, H, W) tensor tiled into an 8-bit PGM; returns the path."""
    t = torch.as_tensor(t).detach()
    w, h, px = _make_grid(t, nrow, padding, normalize, scale_each, pad_value)
    if scale < 1:
        raise ValueError("scale must be a positive integer, but got %d" % scale)
    _write(path, _pgm_bytes(w * scale, h * scale, 255, _upscale(px, w, h, scale)))
    return path


class _Quiet:
    """Eval mode and no grad for an inspection run; training flags and buffers restored afterwards."""
    def __init__(self, model):
        self.model = model

    def __enter__(self):
        self.modules = list(self.model.modules())
        self.flags = [m.training for m in self.modules]
        self.buffers = [(b, b.detach().clone()) for b in self.model.buffers()]
        self.model.eval()
        self.grad = torch.no_grad()
        self.grad.__enter__()

    def __exit__(self, *exc):
        self.grad.__exit__(*exc)
        for m, f in zip(self.modules, self.flags):
            m.train(f)
        with torch.no_grad():
            for b, saved in self.buffers:
                b.copy_(saved)
        return False


def feature_maps(model, x, dir):
    """Runs x through the model and writes one grid PGM per top-level layer into dir; returns the paths."""
    os.makedirs(dir, exist_ok=True)
    children = list(model.children())
    top = children if children else [model]
    outputs, handles = [], []
    for m in top:
        handles.append(m.register_forward_hook(lambda m, i, o: outputs.append((m, o[0] if isinstance(o, tuple) else o))))
    try:
        with _Quiet(model):
            model(x)
    finally:
        for hd in handles:
            hd.remove()
    paths = []
    for i, (m, o) in enumerate(outputs):
        name = type(m).__name__.replace("/", "_").replace("\0", "_")
        paths.append(save_grid(o, os.path.join(dir, "%02d_%s.pgm" % (i + 1, name))))
    return paths


def load_pgm(path):
    """A P2 or P5 PGM (8 or 16 bits) as a float tensor (1, H, W) in 0..1."""
    data = open(path, "rb").read()
    if data[:2] not in (b"P2", b"P5"):
        raise OSError("pgm: not a PGM file (magic must be P2 or P5) (at byte 0)")
    pos = 2
    fields = []
    while len(fields) < 3:
        while pos < len(data):
            if data[pos:pos + 1] == b"#":
                while pos < len(data) and data[pos] not in (10, 13):
                    pos += 1
            elif data[pos] in b" \t\n\v\f\r":
                pos += 1
            else:
                break
        start = pos
        while pos < len(data) and 48 <= data[pos] <= 57:
            pos += 1
        fields.append(int(data[start:pos]))
    width, height, maxval = fields
    if data[:2] == b"P2":
        samples = np.array(data[pos:].split()[:width * height], dtype=np.float32)
    else:
        pos += 1
        dt = np.uint8 if maxval <= 255 else np.dtype(">u2")
        samples = np.frombuffer(data, dtype=dt, count=width * height, offset=pos).astype(np.float32)
    return torch.from_numpy((samples / np.float32(maxval)).astype(np.float32).reshape(1, height, width))


"""#
}
