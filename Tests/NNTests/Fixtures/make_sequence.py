#!/usr/bin/env python3
"""Writes sequence.json: nn.RNN/LSTM/GRU, their cells, nn.MultiheadAttention,
F.scaled_dot_product_attention and nn.ConvTranspose1d as PyTorch computes them.
Each case: the layer built after torch.manual_seed(seed) (its parameters, in
named_parameters() order, are the weights Tensorpad must draw), its inputs, its
outputs, and the gradients of sum(out_i * grad_out_i) over every output with
respect to every floating input and every parameter.

    /work/venv-torch/bin/python Tests/NNTests/Fixtures/make_sequence.py
"""
import json, os
import torch
import torch.nn as nn
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
g = torch.Generator().manual_seed(1234)
cases = []


def flat(t):
    return {"shape": list(t.shape), "values": [float(v) for v in t.detach().flatten().tolist()]}


def rnd(*s):
    return torch.randn(s, generator=g)


def run(name, kind, args, seed, build, inputs, call, masks=None):
    torch.manual_seed(seed)
    m = build()
    params = [(n, p) for n, p in m.named_parameters()] if m is not None else []
    ins = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    outs = call(m, ins)
    outs = [o for o in outs if o is not None]
    gos = [rnd(*o.shape) for o in outs]
    loss = sum((o * go).sum() for o, go in zip(outs, gos))
    wrt = list(ins.values()) + [p for _, p in params]
    grads = torch.autograd.grad(loss, wrt, allow_unused=True)
    names = list(ins.keys()) + [n for n, _ in params]
    cases.append({
        "name": name, "kind": kind, "args": args, "seed": seed,
        "params": [{"name": n, **flat(p)} for n, p in params],
        "inputs": {k: flat(v) for k, v in inputs.items()},
        "masks": {k: {"shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", ""),
                      "values": [float(x) for x in v.flatten().tolist()]} for k, v in (masks or {}).items()},
        "outputs": [flat(o) for o in outs],
        "grad_outs": [flat(go) for go in gos],
        "grads": {n: flat(gv) for n, gv in zip(names, grads) if gv is not None},
    })


# ---- recurrent layers ---------------------------------------------------
RECURRENT = [
    ("lstm_basic", "LSTM", dict(input_size=3, hidden_size=4), False),
    ("lstm_h0", "LSTM", dict(input_size=3, hidden_size=4), True),
    ("lstm_2layer_bidir_bf", "LSTM", dict(input_size=3, hidden_size=5, num_layers=2, bidirectional=True, batch_first=True), True),
    ("lstm_2layer_bidir", "LSTM", dict(input_size=4, hidden_size=3, num_layers=2, bidirectional=True), False),
    ("lstm_nobias", "LSTM", dict(input_size=3, hidden_size=4, bias=False, batch_first=True), False),
    ("lstm_proj", "LSTM", dict(input_size=3, hidden_size=5, proj_size=2, num_layers=2), True),
    ("gru_basic", "GRU", dict(input_size=3, hidden_size=4), False),
    ("gru_2layer_bidir_bf_h0", "GRU", dict(input_size=3, hidden_size=4, num_layers=2, bidirectional=True, batch_first=True), True),
    ("rnn_tanh_2layer", "RNN", dict(input_size=3, hidden_size=4, num_layers=2), True),
    ("rnn_relu_bidir_bf", "RNN", dict(input_size=3, hidden_size=4, nonlinearity="relu", bidirectional=True, batch_first=True), False),
]
for i, (name, kind, kw, with_h0) in enumerate(RECURRENT):
    L, N = 5, 2
    kw_full = dict(kw)
    cls = getattr(nn, kind)
    shape = (N, L, kw["input_size"]) if kw.get("batch_first") else (L, N, kw["input_size"])
    inputs = {"input": rnd(*shape)}
    d = 2 if kw.get("bidirectional") else 1
    layers = kw.get("num_layers", 1)
    hout = kw.get("proj_size", 0) or kw["hidden_size"]
    if with_h0:
        inputs["h0"] = rnd(layers * d, N, hout)
        if kind == "LSTM":
            inputs["c0"] = rnd(layers * d, N, kw["hidden_size"])

    def call(m, ins, kind=kind):
        if "h0" not in ins:
            out, h = m(ins["input"])
        elif kind == "LSTM":
            out, h = m(ins["input"], (ins["h0"], ins["c0"]))
        else:
            out, h = m(ins["input"], ins["h0"])
        return [out, *h] if kind == "LSTM" else [out, h]
    run(name, kind, kw_full, 10 + i, lambda cls=cls, kw=kw: cls(**kw), inputs, call)

# Unbatched 2-D input (with and without h0).
run("lstm_unbatched_h0", "LSTM", dict(input_size=3, hidden_size=4), 30, lambda: nn.LSTM(3, 4),
    {"input": rnd(6, 3), "h0": rnd(1, 4), "c0": rnd(1, 4)},
    lambda m, i: [m(i["input"], (i["h0"], i["c0"]))[0], *m(i["input"], (i["h0"], i["c0"]))[1]])
run("gru_unbatched", "GRU", dict(input_size=3, hidden_size=4, num_layers=2), 31, lambda: nn.GRU(3, 4, 2),
    {"input": rnd(6, 3)}, lambda m, i: list(m(i["input"])))

# Cells.
for j, (kind, kw, with_h) in enumerate([("LSTMCell", dict(input_size=3, hidden_size=4), True),
                                        ("LSTMCell", dict(input_size=3, hidden_size=4), False),
                                        ("GRUCell", dict(input_size=3, hidden_size=4), True),
                                        ("RNNCell", dict(input_size=3, hidden_size=4, nonlinearity="relu"), True),
                                        ("RNNCell", dict(input_size=3, hidden_size=4, bias=False), False)]):
    inputs = {"input": rnd(2, 3)}
    if with_h:
        inputs["h0"] = rnd(2, 4)
        if kind == "LSTMCell":
            inputs["c0"] = rnd(2, 4)

    def call(m, ins, kind=kind):
        if kind == "LSTMCell":
            return list(m(ins["input"], (ins["h0"], ins["c0"])) if "h0" in ins else m(ins["input"]))
        return [m(ins["input"], ins["h0"]) if "h0" in ins else m(ins["input"])]
    run(f"cell_{j}_{kind}", kind, kw, 40 + j, lambda kind=kind, kw=kw: getattr(nn, kind)(**kw), inputs, call)
run("lstmcell_unbatched", "LSTMCell", dict(input_size=3, hidden_size=4), 47, lambda: nn.LSTMCell(3, 4),
    {"input": rnd(3), "h0": rnd(4), "c0": rnd(4)}, lambda m, i: list(m(i["input"], (i["h0"], i["c0"]))))

# ---- attention ----------------------------------------------------------
E, H, L, S, N = 8, 2, 4, 5, 3
causal = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
float_mask = rnd(L, S)
kpm = torch.tensor([[False] * S, [False, False, False, True, True], [False, True, False, False, True]])
run("mha_self", "MultiheadAttention", dict(embed_dim=E, num_heads=H), 50, lambda: nn.MultiheadAttention(E, H),
    {"query": rnd(L, N, E)}, lambda m, i: list(m(i["query"], i["query"], i["query"])))
run("mha_cross_masks", "MultiheadAttention", dict(embed_dim=E, num_heads=H), 51, lambda: nn.MultiheadAttention(E, H),
    {"query": rnd(L, N, E), "key": rnd(S, N, E), "value": rnd(S, N, E)},
    lambda m, i: list(m(i["query"], i["key"], i["value"], key_padding_mask=kpm, attn_mask=float_mask)),
    masks={"key_padding_mask": kpm, "attn_mask": float_mask})
run("mha_bf_causal_heads", "MultiheadAttention", dict(embed_dim=E, num_heads=4, batch_first=True), 52,
    lambda: nn.MultiheadAttention(E, 4, batch_first=True),
    {"query": rnd(N, L, E)}, lambda m, i: list(m(i["query"], i["query"], i["query"], attn_mask=causal, average_attn_weights=False)),
    masks={"attn_mask": causal})
run("mha_kdim_vdim_nobias", "MultiheadAttention", dict(embed_dim=E, num_heads=H, kdim=6, vdim=3, bias=False), 53,
    lambda: nn.MultiheadAttention(E, H, kdim=6, vdim=3, bias=False),
    {"query": rnd(L, N, E), "key": rnd(S, N, 6), "value": rnd(S, N, 3)},
    lambda m, i: [m(i["query"], i["key"], i["value"], need_weights=False)[0]])
run("mha_unbatched", "MultiheadAttention", dict(embed_dim=E, num_heads=H), 54, lambda: nn.MultiheadAttention(E, H),
    {"query": rnd(L, E), "key": rnd(S, E), "value": rnd(S, E)},
    lambda m, i: list(m(i["query"], i["key"], i["value"], key_padding_mask=kpm[1])),
    masks={"key_padding_mask": kpm[1]})

keep = torch.tensor([[True, False, True, True, False]] * L)
run("sdpa_plain", "sdpa", {}, 60, lambda: None, {"query": rnd(2, 3, L, 6), "key": rnd(2, 3, S, 6), "value": rnd(2, 3, S, 7)},
    lambda m, i: [F.scaled_dot_product_attention(i["query"], i["key"], i["value"])])
run("sdpa_causal_scale", "sdpa", {"is_causal": True, "scale": 0.3}, 61, lambda: None,
    {"query": rnd(2, L, 6), "key": rnd(2, L, 6), "value": rnd(2, L, 6)},
    lambda m, i: [F.scaled_dot_product_attention(i["query"], i["key"], i["value"], is_causal=True, scale=0.3)])
run("sdpa_bool_mask", "sdpa", {}, 62, lambda: None, {"query": rnd(3, L, 6), "key": rnd(3, S, 6), "value": rnd(3, S, 6)},
    lambda m, i: [F.scaled_dot_product_attention(i["query"], i["key"], i["value"], attn_mask=keep)], masks={"attn_mask": keep})
run("sdpa_float_mask", "sdpa", {}, 63, lambda: None, {"query": rnd(3, L, 6), "key": rnd(3, S, 6), "value": rnd(3, S, 6)},
    lambda m, i: [F.scaled_dot_product_attention(i["query"], i["key"], i["value"], attn_mask=float_mask)],
    masks={"attn_mask": float_mask})

# ---- ConvTranspose1d ----------------------------------------------------
for j, kw in enumerate([dict(in_channels=4, out_channels=6, kernel_size=3),
                        dict(in_channels=4, out_channels=6, kernel_size=3, stride=2, padding=1, output_padding=1),
                        dict(in_channels=4, out_channels=6, kernel_size=2, stride=3, groups=2, dilation=2, bias=False)]):
    run(f"conv_transpose1d_{j}", "ConvTranspose1d", kw, 70 + j, lambda kw=kw: nn.ConvTranspose1d(**kw),
        {"input": rnd(2, 4, 7)}, lambda m, i: [m(i["input"])])
run("conv_transpose1d_unbatched", "ConvTranspose1d", dict(in_channels=4, out_channels=2, kernel_size=3, stride=2), 74,
    lambda: nn.ConvTranspose1d(4, 2, 3, stride=2), {"input": rnd(4, 5)}, lambda m, i: [m(i["input"])])

with open(os.path.join(here, "sequence.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
print(len(cases), "cases")
