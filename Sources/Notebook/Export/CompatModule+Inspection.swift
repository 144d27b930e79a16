extension CompatModule {
    /// `summary` and `shapes` (torchinfo's rows, as Render's `Summary` builds
    /// them), the NumPy/safetensors/IDX files, and Fashion-MNIST from Debian.
    static let inspection = #"""
# ---------------------------------------------------------------- summary and shapes

_SUMMARY = []   # the recorder of a summary() in progress (Residual reports its addition to it)


class _Row:
    def __init__(self, module, class_name, depth, parent):
        self.module, self.class_name, self.depth, self.parent = module, class_name, depth, parent
        self.is_leaf = module is None or len(list(module.children())) == 0
        self.depth_index = None
        self.children = []
        self.executed = self.is_recursive = False
        self.num_params = self.trainable_params = 0
        self.params = []
        self.input_shape = None
        self.output_shape = []
        self.output_bytes = self.macs = 0

    @property
    def title(self):
        if self.depth == 0:
            return self.class_name
        return "%s: %d" % (self.class_name, self.depth) + ("-%d" % self.depth_index if self.depth_index is not None else "")

    def calculate_params(self):
        self.params = list(self.module.parameters()) if self.module is not None else []
        self.num_params = sum(p.numel() for p in self.params)
        self.trainable_params = sum(p.numel() for p in self.params if p.requires_grad)

    def calculate_macs(self, input_shape):
        if self.module is None:
            return
        out = self.output_shape
        prod = lambda c: math.prod(c)
        batch_spatial = prod(out[:1]) * prod(out[2:])
        for name, p in self.module.named_parameters(recurse=False):
            if name in ("weight", "bias"):
                if "Conv" in self.class_name:
                    if isinstance(self.module, nn.ConvTranspose2d) and name == "weight" and input_shape is not None:
                        self.macs += p.numel() * prod(input_shape[:1]) * prod(input_shape[2:])
                    else:
                        self.macs += p.numel() * batch_spatial
                else:
                    self.macs += (out[0] if out else 1) * p.numel()
            elif "weight" in name or "bias" in name:
                self.macs += prod(out[:2]) * p.numel()

    def leftover_params(self):
        return self.num_params - sum((c.num_params if c.is_leaf else c.leftover_params())
                                     for c in self.children if not c.is_recursive)


def _first_shape(v):
    if isinstance(v, torch.Tensor):
        return list(v.shape)
    if isinstance(v, (tuple, list)) and v and isinstance(v[0], torch.Tensor):
        return list(v[0].shape)
    return []


def _first_tensor(v):
    if isinstance(v, torch.Tensor):
        return v
    if isinstance(v, (tuple, list)) and v and isinstance(v[0], torch.Tensor):
        return v[0]
    return None


class _Recorder:
    def __init__(self, model):
        self.rows, self.ids, self.open, self.add_shown = [], set(), [], set()
        self.tree = {}
        stack = [(model, 0, None)]
        while stack:
            m, depth, parent = stack.pop()
            row = _Row(m, type(m).__name__, depth, parent)
            self.tree[id(m)] = row
            for _, c in reversed(list(m.named_children())):
                stack.append((c, depth + 1, row))

    def before(self, m, inputs):
        tree = self.tree.get(id(m))
        if tree is None:
            return
        if self.open and isinstance(self.open[-1].module, Residual) and getattr(self.open[-1].module, "activation", None) is m:
            self.show_add(self.open[-1].module, _first_shape(inputs))
        row = _Row(m, tree.class_name, tree.depth, tree.parent)
        row.calculate_params()
        row.is_recursive = id(m) in self.ids
        row.input_shape = _first_shape(inputs) or None
        self.rows.append(row)
        self.ids.add(id(m))
        self.open.append(row)

    def after(self, m, inputs, outputs):
        i = next((k for k in range(len(self.open) - 1, -1, -1) if self.open[k].module is m), None)
        if i is None:
            return
        row = self.open[i]
        del self.open[i:]
        row.output_shape = _first_shape(outputs)
        t = _first_tensor(outputs)
        row.output_bytes = (t.element_size() if t is not None else 0) * math.prod(row.output_shape)
        row.executed = True
        row.calculate_macs(row.input_shape)

    def show_add(self, residual, shape):
        owner = next((r for r in reversed(self.open) if r.module is residual), None)
        if owner is None or id(owner) in self.add_shown:
            return
        self.add_shown.add(id(owner))
        row = _Row(None, "(add)", owner.depth + 1, self.tree.get(id(residual)))
        row.output_shape = list(shape)
        row.output_bytes = 4 * math.prod(shape)
        row.executed = True
        self.rows.append(row)

    def finish(self):
        rows = self.rows
        ids = {id(r.module) for r in rows if r.module is not None}
        current = {}
        idx = 0
        while idx < len(rows):
            info = rows[idx]
            rel = 0
            hierarchy = {}
            p = info.parent
            while p is not None and p.depth > 0:
                hierarchy[p.depth] = p
                p = p.parent
            for d in range(1, info.depth):
                h = hierarchy.get(d)
                if h is None:
                    continue
                missing = current[d].module is not h.module if d in current else True
                prev = idx + rel - 1
                if missing and (prev < 0 or h is not rows[prev]):
                    h.calculate_params()
                    if h.module is not None and id(h.module) in ids:
                        h.is_recursive = True
                    rows.insert(idx + rel, h)
                    if h.module is not None:
                        ids.add(id(h.module))
                    current[d] = h
                    rel += 1
            current[info.depth] = info
            d = info.depth + 1
            while current.pop(d, None) is not None:
                d += 1
            idx += 1
        counters = {}
        for i, row in enumerate(rows):
            counters[row.depth] = counters.get(row.depth, 0) + 1
            row.depth_index = counters[row.depth]
            j = i + 1
            while j < len(rows) and rows[j].depth > row.depth:
                j += 1
            row.children = rows[i + 1:j]


def _grouped(n):
    return f"{n:,}"


def _readable(n):
    v = float(n)
    unit, x = ("T", v / 1e12) if v >= 1e12 else ("G", v / 1e9) if v >= 1e9 else ("M", v / 1e6)
    if x == round(x) and abs(x) < 1e15:
        return "(%s): %s" % (unit, _grouped(int(x)))
    whole, frac = ("%.2f" % x).split(".")
    return "(%s): %s.%s" % (unit, _grouped(int(whole)), frac)


def _summary_table(rows, max_depth, totals):
    col = 25
    headers = ["Output Shape", "Param #", "Trainable"]
    name_width = 40
    longest = max([len(r.title) + r.depth * 5 + 1 for r in rows] or [0])
    if longest >= name_width:
        name_width = (longest + 4) // 5 * 5
    divider = "=" * (len(headers) * col + name_width)

    def pad(s, w):
        return s if len(s) >= w else s + " " * (w - len(s))

    def line(name, values):
        return (pad(name, name_width) + " " + "".join(pad(v, col) + " " for v in values)).rstrip(" ") + "\n"

    def prefix(depth):
        return "" if depth == 0 else "├─" if depth == 1 else "│    " * (depth - 1) + "└─"

    def params(r):
        if r.num_params == 0:
            return "--"
        if r.is_recursive:
            return "(recursive)"
        if r.depth == max_depth or r.is_leaf:
            return _grouped(r.num_params) if r.trainable_params > 0 else "(%s)" % _grouped(r.num_params)
        left = r.leftover_params()
        return _grouped(left) if left > 0 else "--"

    def trainable(r):
        if r.num_params == 0:
            return "--"
        if r.trainable_params == 0:
            return "False"
        return "True" if r.trainable_params == r.num_params else "Partial"

    s = divider + "\n" + line("Layer (type:depth-idx)", headers) + divider + "\n"
    for r in rows:
        if r.depth <= max_depth:
            out = _describe(r.output_shape) if r.executed and r.output_shape else "--"
            s += line(prefix(r.depth) + r.title, [out, params(r), trainable(r)])
    s += divider + "\n"
    if totals is None:
        return s
    total, train, macs, out_b, param_b, in_b = totals
    s += "Total params: %s\n" % _grouped(total)
    s += "Trainable params: %s\n" % _grouped(train)
    s += "Non-trainable params: %s\n" % _grouped(total - train)
    s += "Total mult-adds %s\n" % _readable(macs) + divider + "\n"
    mb = lambda b: "%.2f" % (b / 1e6)
    s += "Input size (MB): %s\n" % mb(in_b)
    s += "Forward/backward pass size (MB): %s\n" % mb(out_b)
    s += "Params size (MB): %s\n" % mb(param_b)
    s += "Estimated Total Size (MB): %s\n" % mb(in_b + out_b + param_b)
    return s + divider


def _hooked(model, before, after):
    handles = []
    for m in model.modules():
        handles.append(m.register_forward_pre_hook(lambda m, i: before(m, i)))
        handles.append(m.register_forward_hook(lambda m, i, o: after(m, i, o)))
    return handles


def summary(model, input_size, depth=3):
    """A torchinfo-style table: each layer's output shape and parameters, then totals and memory estimates."""
    size = list(input_size)
    if size and isinstance(size[0], (tuple, list, torch.Size)):
        if len(size) != 1:
            raise TypeError("summary(): models with several inputs are not supported; give one input_size such as (1, 3, 32, 32)")
        size = list(size[0])
    if not size or any(s <= 0 for s in size):
        raise ValueError("Input_data is invalid, or negative size found in input_data.")
    x = torch.zeros(size)
    rec = _Recorder(model)
    handles = _hooked(model, rec.before, rec.after)
    _SUMMARY.append(rec)
    try:
        with _Quiet(model):
            model(x)
    except Exception:
        rec.finish()
        print(_summary_table(rec.rows, depth, None).rstrip("\n"))
        raise
    finally:
        _SUMMARY.pop()
        for hd in handles:
            hd.remove()
    rec.finish()
    total = sum(p.numel() for p in model.parameters())
    train = sum(p.numel() for p in model.parameters() if p.requires_grad)
    macs = out_b = param_b = 0
    seen = set()
    for r in rec.rows:
        if not r.is_leaf:
            continue
        macs += r.macs
        if r.num_params > 0:
            out_b += 2 * r.output_bytes
        if r.is_recursive:
            continue
        for p in r.params:
            if id(p) not in seen:
                seen.add(id(p))
                param_b += p.numel() * p.element_size()
    in_b = x.numel() * 4 + 64
    print(_summary_table(rec.rows, depth, (total, train, macs, out_b, param_b, in_b)))


def shapes(model, x):
    """Runs x through each top-level layer and prints its class name and output shape."""
    children = {id(c) for c in model.children()}
    lines, stack = [], []

    def before(m, inputs):
        if m is not model:
            stack.append(m)

    def after(m, inputs, outputs):
        if m is model:
            return
        stack.pop()
        if not stack and id(m) in children:
            lines.append("%s output shape:\t %s" % (type(m).__name__, torch.Size(_first_shape(outputs))))

    handles = _hooked(model, before, after)
    try:
        with _Quiet(model):
            h = model(x)
            if not children:
                lines.append("%s output shape:\t %s" % (type(model).__name__, torch.Size(_first_shape(h))))
    except Exception:
        if lines:
            print("\n".join(lines))
        raise
    finally:
        for hd in handles:
            hd.remove()
    if lines:
        print("\n".join(lines))


# ---------------------------------------------------------------- files

_NPY_DESCR = {torch.float32: "<f4", torch.int64: "<i8", torch.bool: "|b1", torch.float64: "<f8",
              torch.float16: "<f2", torch.int32: "<i4", torch.uint8: "|u1"}
_ST_DTYPE = {torch.float32: "F32", torch.int64: "I64", torch.bool: "BOOL", torch.float64: "F64",
             torch.float16: "F16", torch.int32: "I32", torch.uint8: "U8"}
_ST_TORCH = {v: k for k, v in _ST_DTYPE.items()}


def _npy_bytes(t):
    t = torch.as_tensor(t).detach().contiguous()
    shape = tuple(t.shape)
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (_NPY_DESCR[t.dtype], repr(shape))
    n = len(header.encode()) + 1
    version, len_size = (1, 2) if 8 + 2 + n + 64 <= 65535 else (2, 4)
    header += " " * ((64 - (8 + len_size + n) % 64) % 64) + "\n"
    raw = header.encode()
    size = struct.pack("<H", len(raw)) if len_size == 2 else struct.pack("<I", len(raw))
    return b"\x93NUMPY" + bytes([version, 0]) + size + raw + t.numpy().tobytes()


def load_npy(path):
    """A NumPy .npy file as a tensor."""
    return torch.from_numpy(np.ascontiguousarray(np.load(path, allow_pickle=False)))


def save_npy(t, path):
    """A tensor as a NumPy .npy file."""
    _write(path, _npy_bytes(t))


def load_npz(path):
    """A NumPy .npz archive as a dict of name to tensor."""
    with np.load(path, allow_pickle=False) as z:
        return {k: torch.from_numpy(np.ascontiguousarray(z[k])) for k in z.files}


def save_npz(path, **arrays):
    """Tensors given as name=tensor written to a NumPy .npz archive, as np.savez."""
    np.savez(path, **{k: torch.as_tensor(v).detach().numpy() for k, v in arrays.items()})


def _safetensors_bytes(state):
    header, payload, offset = {}, [], 0
    for name, t in state.items():
        t = t.detach().contiguous()
        b = t.numpy().tobytes()
        header[name] = {"dtype": _ST_DTYPE[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        payload.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(payload)


def _safetensors_load(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        dt = _ST_TORCH[info["dtype"]]
        buf = bytearray(data[8 + n + a:8 + n + b])
        out[name] = torch.frombuffer(buf, dtype=dt).reshape(info["shape"]) if buf else torch.zeros(info["shape"], dtype=dt)
    return out


def save_weights(model, path):
    """The model's state_dict (PyTorch's names) as safetensors."""
    _write(path, _safetensors_bytes(model.state_dict()))


def load_weights(model, path):
    """A safetensors (or torch.save) state_dict loaded into the model; every key and shape must match."""
    state = torch.load(path, map_location="cpu") if zipfile.is_zipfile(path) else _safetensors_load(path)
    model.load_state_dict(state, strict=True)


_IDX = {0x08: (np.uint8, torch.int64), 0x09: (np.int8, torch.int64), 0x0B: (">i2", torch.int64),
        0x0C: (">i4", torch.int64), 0x0D: (">f4", torch.float32), 0x0E: (">f8", torch.float32)}


def load_idx(path):
    """An IDX file (MNIST, Fashion-MNIST), gzipped or not, as a tensor."""
    data = open(path, "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX:
        raise OSError("idx: wrong magic number in %s" % path)
    np_dtype, dtype = _IDX[data[2]]
    dims = struct.unpack(">%dI" % data[3], data[4:4 + 4 * data[3]])
    a = np.frombuffer(data, dtype=np_dtype, count=math.prod(dims), offset=4 + 4 * data[3]).reshape(dims)
    return torch.from_numpy(a.astype(np.int64 if dtype == torch.int64 else np.float32))


# ---------------------------------------------------------------- Fashion-MNIST from Debian

_DEBIAN_FASHION = "/usr/share/datasets/fashion-mnist"


def _torchvision_datasets():
    """torchvision.datasets, or None without torchvision. PyPI's torchvision
    for Linux is built against CUDA torch: beside a CPU-only torch its
    compiled ops do not load and `import torchvision` fails while registering
    their fake kernels. The parts a notebook uses (datasets, transforms) are
    pure Python, so the import is retried with that registration skipped."""
    try:
        from torchvision import datasets
        return datasets
    except ImportError:
        return None
    except RuntimeError:
        for name in [m for m in sys.modules if m == "torchvision" or m.startswith("torchvision.")]:
            del sys.modules[name]
    import torch.library
    register_fake = torch.library.register_fake
    torch.library.register_fake = lambda *a, **k: (lambda f: f)
    try:
        from torchvision import datasets
        return datasets
    finally:
        torch.library.register_fake = register_fake


def _fashion_mnist_from_debian():
    """Tensorpad's FashionMNIST falls back to Debian's dataset-fashion-mnist
    (/usr/share/datasets/fashion-mnist/*.gz). torchvision reads only its own
    layout, root/FashionMNIST/raw/ with the files unpacked: when they are
    absent there and Debian's are present, they are unpacked there first, as
    torchvision's own download would leave them."""
    datasets = _torchvision_datasets()
    if datasets is None:
        return
    original = datasets.FashionMNIST.__init__

    def init(self, root, *args, **kwargs):
        raw = os.path.join(os.path.expanduser(str(root)), "FashionMNIST", "raw")
        names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
        if not all(os.path.isfile(os.path.join(raw, n)) for n in names) and \
                all(os.path.isfile(os.path.join(_DEBIAN_FASHION, n + ".gz")) for n in names):
            os.makedirs(raw, exist_ok=True)
            for n in names:
                target = os.path.join(raw, n)
                if not os.path.isfile(target):
                    with gzip.open(os.path.join(_DEBIAN_FASHION, n + ".gz"), "rb") as f:
                        _write(target, f.read())
        original(self, root, *args, **kwargs)

    datasets.FashionMNIST.__init__ = init


_fashion_mnist_from_debian()

# ---------------------------------------------------------------- torch.distributed outside a launcher

def _one_process_group():
    """Tensorpad runs a notebook as a world of one: init_process_group() works
    without a launcher. Under torchrun (RANK in the environment) PyTorch's own
    env:// rendezvous runs; outside it, a call with the defaults starts a
    one-process group on a free local port instead of failing for want of
    RANK and MASTER_ADDR."""
    import inspect
    import socket
    import torch.distributed as dist
    if not dist.is_available():
        return
    original = dist.init_process_group
    signature = inspect.signature(original)

    def init_process_group(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        a = bound.arguments
        if "RANK" not in os.environ and a.get("init_method") is None and a.get("store") is None \
                and a.get("world_size", -1) == -1 and a.get("rank", -1) == -1:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                a["init_method"] = "tcp://127.0.0.1:%d" % s.getsockname()[1]
            a["world_size"], a["rank"] = 1, 0
        return original(*bound.args, **bound.kwargs)

    init_process_group.__doc__ = original.__doc__
    dist.init_process_group = init_process_group


_one_process_group()

# ---------------------------------------------------------------- bare names

def _bare_names():
    """Tensorpad also answers to PyTorch's names bare (`Conv2d(...)`, `zeros(...)`,
    `relu(...)`) where Python has no builtin of that name: the torch functions,
    then the nn layers, then the functional forms not taken yet."""
    import builtins
    import types
    import torch.nn.functional as F
    taken = set(dir(builtins)) | set(__all__)
    found = {}
    for name in dir(torch):
        v = getattr(torch, name, None)
        if not name.startswith("_") and callable(v) and not isinstance(v, types.ModuleType) and name[0].islower():
            found[name] = v
    for name in dir(nn):
        v = getattr(nn, name, None)
        if isinstance(v, type) and issubclass(v, nn.Module) and not name.startswith("_"):
            found[name] = v
    for name in dir(F):
        v = getattr(F, name, None)
        if not name.startswith("_") and callable(v) and name not in found and not isinstance(v, (type, types.ModuleType)):
            found[name] = v
    for name, v in found.items():
        if name not in taken:
            globals()[name] = v
            __all__.append(name)


_bare_names()
"""#
}
