#!/usr/bin/env python3
"""Writes print_cases.json: tensors and the exact text PyTorch prints for them.

Run with a Python that has torch (and numpy):
    python Tests/RenderTests/Fixtures/make_print_fixtures.py
Each case stores dtype, shape and the raw little-endian element bytes (base64;
float32 bit patterns keep -0.0 and nan exact), the print options set after
`set_printoptions(profile='default')`, how it was built (transposed view,
requires_grad, grad_fn, Parameter), and `expected` = repr(tensor).
"""
import base64, json, math, os
import torch

torch.manual_seed(1234)
CASES = []
NP_DTYPE = {torch.float32: "<f4", torch.int64: "<i8", torch.bool: "|b1"}


def add(name, t, opts=None, transpose=False, requires_grad=False, grad_fn=None, parameter=False):
    t = t.detach().contiguous()
    base = t
    shown = t.t() if transpose else t
    if parameter:
        shown = torch.nn.Parameter(shown.clone())
    elif requires_grad:
        shown = shown.clone().requires_grad_(True)
    elif grad_fn == "MulBackward0":
        shown = shown.clone().requires_grad_(True)  # values are base*1, so identical
        shown = shown * 1
    torch.set_printoptions(profile="default")
    if opts:
        torch.set_printoptions(**opts)
    expected = repr(shown)
    torch.set_printoptions(profile="default")
    arr = base.numpy().astype(NP_DTYPE[base.dtype], copy=False)
    CASES.append({
        "name": name,
        "dtype": str(base.dtype).replace("torch.", ""),
        "shape": list(base.shape),
        "data": base64.b64encode(arr.tobytes()).decode("ascii"),
        "options": opts or {},
        "transpose": transpose,
        "requires_grad": requires_grad or parameter,
        "grad_fn": grad_fn,
        "parameter": parameter,
        "expected": expected,
    })


f = lambda v: torch.tensor(v, dtype=torch.float32)
i64 = lambda v: torch.tensor(v, dtype=torch.int64)
nan, inf = math.nan, math.inf

# plain floats
add("randn_1d", torch.randn(5))
add("randn_2d", torch.randn(3, 4))
add("randn_3d", torch.randn(2, 3, 4))
add("randn_4d", torch.randn(2, 2, 2, 3))
add("randn_5d", torch.randn(2, 1, 2, 1, 3))
add("spec_example", f([[6.5, 12.5, 18.5, 24.5]]))
add("uniform_small", torch.rand(4, 3) * 0.01)
add("mixed_width", f([[-123.456, 0.5], [7.25, 1000.0]]))
add("half_even_rounding", f([0.125, 0.375, 2.5, -0.625]), {"precision": 2})
add("precision_0", f([0.5, 1.5, 2.4, -3.7]), {"precision": 0})
add("precision_8", f([1.0 / 3, 2.0 / 3, -0.1]), {"precision": 8})
# whole numbers (int mode)
add("whole_1d", f([1, 2, 3]))
add("whole_neg", f([[-1, 0, 2], [10, -100, 3]]))
add("whole_zeros", torch.zeros(2, 3))
add("whole_ones_3d", torch.ones(2, 2, 2))
add("whole_big_sci", f([123456789.0, 1.0]))
add("whole_ratio_sci", f([1.0, 5000.0]))
add("whole_eye", torch.eye(4))
# automatic scientific notation
add("sci_small", f([1e-5, 1.0, 100.0]))
add("sci_big", f([1e9, 2.5]))
add("sci_ratio", f([0.001, 2.0]))
add("sci_ratio_edge", f([0.002, 2.0]))
add("sci_min_edge", f([1e-4, 5e-4]))
add("sci_max_edge", f([1e8, 1.5]))
add("sci_extreme", f([1e-40, 3e38, -1.5]))
add("sci_2d", torch.randn(3, 3) * 1e5)
add("sci_mode_true", f([1.5, 2.25]), {"sci_mode": True})
add("sci_mode_false", f([1e-6, 1.0, 12345.678]), {"sci_mode": False})
add("sci_mode_false_whole_big", f([1e10, 1.0]), {"sci_mode": False})
# signed zero, nan, inf
add("neg_zero_mixed", f([-0.0, 1.5]))
add("neg_zero_only", f([-0.0, 0.0]))
add("neg_zero_whole", f([-0.0, 1.0, 2.0]))
add("nan_inf_frac", f([nan, 1.5, inf, -inf]))
add("nan_inf_whole", f([nan, 1.0, -2.0, inf]))
add("nan_inf_only", f([nan, inf, -inf]))
add("nan_sci", f([nan, 1e-6, 1.0]))
add("nan_2d", f([[nan, 0.25], [-inf, 1e3]]))
# 0-dim
add("scalar_frac", f(3.5))
add("scalar_whole", f(3.0))
add("scalar_neg_zero", f(-0.0))
add("scalar_big", f(1e10))
add("scalar_small", f(1.2345e-7))
add("scalar_nan", f(nan))
add("scalar_int", i64(7))
add("scalar_bool", torch.tensor(True))
# bool and int64
add("bool_1d", torch.tensor([True, False]))
add("bool_2d", torch.tensor([[True, False, True], [False, False, True]]))
add("bool_all_true", torch.tensor([True, True]))
add("int_arange", torch.arange(10))
add("int_mixed", i64([[-100, 5], [3, 40000]]))
add("int_extreme", i64([9223372036854775807, -9223372036854775808, 0]))
add("int_3d", torch.arange(24).reshape(2, 3, 4) - 12)
# empty
add("empty_float", torch.zeros(0))
add("empty_float_2d", torch.zeros(0, 3))
add("empty_int", torch.zeros(0, dtype=torch.int64))
add("empty_bool_3d", torch.zeros(2, 0, 3, dtype=torch.bool))
add("empty_int_2d", torch.zeros(3, 0, dtype=torch.int64))
# summarisation
add("sum_1d", torch.randn(2000))
add("sum_1001", torch.randn(1001))
add("sum_1000_not", torch.randn(1000))
add("sum_2d", torch.randn(40, 50))
add("sum_3d_whole", torch.arange(3000, dtype=torch.float32).reshape(10, 20, 15))
add("sum_2d_narrow", torch.randn(500, 3))
add("sum_int", torch.arange(2000))
add("sum_bool", torch.randn(30, 40) > 0)
add("sum_threshold_5", torch.arange(10), {"threshold": 5})
add("sum_edge_1", torch.randn(4, 5, 6), {"threshold": 10, "edgeitems": 1})
add("sum_edge_0", torch.randn(4, 5), {"threshold": 10, "edgeitems": 0})
add("sum_edge_0_1d", torch.randn(12), {"threshold": 10, "edgeitems": 0})
add("sum_edge_0_3d", torch.randn(3, 4, 5), {"threshold": 10, "edgeitems": 0})
add("sum_width_from_edges", torch.cat([f([1.5]), torch.full((1998,), 12345.5), f([2.25])]))
add("sum_profile_full", torch.arange(1500, dtype=torch.float32) / 7, {"profile": "full"})
add("sum_profile_short", torch.randn(40, 40), {"profile": "short"})
add("edge_0_small", torch.randn(3), {"edgeitems": 0})
# line wrapping
add("wrap_1d", torch.randn(30))
add("wrap_2d", torch.randn(3, 30))
add("wrap_whole", torch.arange(100, dtype=torch.float32))
add("wrap_linewidth_40", torch.randn(4, 12), {"linewidth": 40})
add("wrap_linewidth_120", torch.randn(2, 25), {"linewidth": 120})
add("wrap_linewidth_tiny", torch.randn(2, 3), {"linewidth": 5})
add("wrap_3d", torch.randn(2, 2, 20))
add("wrap_int", torch.arange(60) * 1000)
add("wrap_sci", torch.randn(20) * 1e-6)
# options
add("opt_precision_2", torch.randn(3, 3), {"precision": 2})
add("opt_precision_2_sci_off", f([1e-5, 0.5, 2.0]), {"precision": 2, "sci_mode": False})
add("opt_precision_6", torch.randn(4), {"precision": 6})
# views
add("transposed", torch.randn(3, 4), transpose=True)
add("transposed_whole", torch.arange(6, dtype=torch.float32).reshape(2, 3), transpose=True)
# autograd suffixes
add("requires_grad", torch.randn(3), requires_grad=True)
add("requires_grad_2d", torch.randn(2, 3), requires_grad=True)
add("requires_grad_long", torch.randn(8), requires_grad=True)
add("requires_grad_wrap", torch.randn(2, 9), requires_grad=True)
add("grad_fn", torch.randn(2, 2), grad_fn="MulBackward0")
add("grad_fn_long", torch.randn(7), grad_fn="MulBackward0")
add("grad_fn_scalar", f(2.5), grad_fn="MulBackward0")
add("parameter", torch.randn(2, 3), parameter=True)
add("requires_grad_empty", torch.zeros(0, 2), requires_grad=True)
add("requires_grad_edge0", torch.randn(20), {"threshold": 10, "edgeitems": 0}, requires_grad=True)

# randomised cases: shapes up to 4-D, magnitudes 1e-7..1e10, whole numbers, specials, options
gen = torch.Generator().manual_seed(99)


def rint(lo, hi):
    return int(torch.randint(lo, hi + 1, (1,), generator=gen))


for k in range(80):
    rank = rint(0, 4)
    shape = [rint(1, 7) for _ in range(rank)]
    if k % 10 == 3:
        shape = [rint(30, 60) for _ in range(max(rank, 1))][:2]   # big enough to summarise
    kind = k % 7
    if kind == 5:
        t = torch.randint(-10 ** rint(0, 12), 10 ** rint(0, 12) + 1, shape, generator=gen)
    elif kind == 6:
        t = torch.rand(shape, generator=gen) > 0.5
    else:
        t = torch.randn(shape, generator=gen) * (10.0 ** rint(-7, 10))
        if kind == 1:
            t = t.round()
        if kind == 2 and t.numel() > 2:
            flat = t.reshape(-1)
            flat[rint(0, flat.numel() - 1)] = [math.nan, math.inf, -math.inf, -0.0, 0.0][rint(0, 4)]
        if kind == 3 and t.numel() > 1:
            flat = t.reshape(-1)
            flat[0] = flat[0] * 1e-4
    opts = {}
    if k % 3 == 0:
        opts["precision"] = rint(0, 7)
    if k % 4 == 1:
        opts["linewidth"] = rint(20, 150)
    if k % 5 == 2:
        opts["threshold"] = rint(5, 60)
        opts["edgeitems"] = rint(0, 4)
    if k % 6 == 5:
        opts["sci_mode"] = bool(rint(0, 1))
    add(f"random_{k:02d}", t, opts, requires_grad=(k % 9 == 4 and t.dtype == torch.float32))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "print_cases.json")
with open(out, "w") as fh:
    json.dump({"torch": torch.__version__, "cases": CASES}, fh, indent=1)
    fh.write("\n")
print(f"wrote {len(CASES)} cases to {out}")
