# Programs with recurrent layers, attention and ConvTranspose1d, run under Python +
# PyTorch to produce the expected output of SequenceProgramTests. Regenerate with:
#   /work/venv-torch/bin/python gen_sequence.py > ../SequenceProgramTests.swift
PROGRAMS = {
"reprs": r'''
import torch
import torch.nn as nn
print(nn.LSTM(10, 20, batch_first=True))
print(nn.RNN(10, 20, 2, nonlinearity='relu', bias=False, dropout=0.5, bidirectional=True))
print(nn.GRU(3, 4, num_layers=3))
print(nn.LSTM(3, 5, proj_size=2))
print(nn.LSTMCell(3, 4), nn.RNNCell(3, 4, nonlinearity='relu', bias=False), nn.GRUCell(3, 4))
print(nn.MultiheadAttention(8, 2, batch_first=True))
print(nn.ConvTranspose1d(3, 4, 3, stride=2, padding=1, output_padding=1))
print([(n, tuple(p.shape)) for n, p in nn.LSTM(3, 4, 2, bidirectional=True).named_parameters()][:5])
print([(n, tuple(p.shape)) for n, p in nn.MultiheadAttention(6, 3).named_parameters()])
print(sum(p.numel() for p in nn.GRU(10, 20, 2).parameters()))
''',
"seeded_weights": r'''
import torch
import torch.nn as nn
torch.manual_seed(0)
lstm = nn.LSTM(2, 3)
print(lstm.weight_ih_l0)
print(lstm.bias_hh_l0)
torch.manual_seed(0)
mha = nn.MultiheadAttention(4, 2)
print(mha.in_proj_weight[:2])
print(mha.out_proj.weight[0], mha.out_proj.bias)
''',
"shapes": r'''
import torch
import torch.nn as nn
torch.manual_seed(1)
lstm = nn.LSTM(10, 20, 2, batch_first=True, bidirectional=True)
x = torch.randn(3, 7, 10)
out, (h, c) = lstm(x)
print(out.shape, h.shape, c.shape)
out, (h, c) = lstm(x, (h, c))
print(out.shape, out.grad_fn is not None)
gru = nn.GRU(4, 6)
y, h = gru(torch.randn(5, 4))
print(y.shape, h.shape)
rnn = nn.RNN(4, 6, nonlinearity='relu')
y, h = rnn(torch.randn(5, 2, 4), torch.zeros(1, 2, 6))
print(y.shape, h.shape, bool((y >= 0).all()))
cell = nn.LSTMCell(4, 6)
h, c = cell(torch.randn(3, 4))
h, c = cell(torch.randn(3, 4), (h, c))
print(h.shape, c.shape)
print(nn.GRUCell(4, 6)(torch.randn(4)).shape)
mha = nn.MultiheadAttention(8, 2, batch_first=True)
q = torch.randn(2, 5, 8)
out, w = mha(q, q, q)
print(out.shape, w.shape, torch.allclose(w.sum(-1), torch.ones(2, 5)))
out, w = mha(q, q, q, need_weights=False)
print(out.shape, w)
out, w = mha(q, q, q, average_attn_weights=False, key_padding_mask=torch.tensor([[False] * 4 + [True]] * 2))
print(w.shape, w[0, 0, 0, 4].item())
up = nn.ConvTranspose1d(4, 2, 3, stride=2)
print(up(torch.randn(1, 4, 6)).shape, up(torch.randn(4, 6)).shape, up(torch.randn(1, 4, 6), output_size=[14]).shape)
lstm.flatten_parameters()
''',
"attributes": r'''
import torch.nn as nn
lstm = nn.LSTM(4, 8, 2, batch_first=True, dropout=0.25, bidirectional=True)
print(lstm.input_size, lstm.hidden_size, lstm.num_layers, lstm.bias, lstm.batch_first, lstm.dropout, lstm.bidirectional, lstm.proj_size, lstm.mode)
rnn = nn.RNN(3, 5, nonlinearity='relu')
print(rnn.nonlinearity, rnn.mode, nn.GRU(2, 3).mode)
cell = nn.RNNCell(3, 4, bias=False, nonlinearity='relu')
print(cell.input_size, cell.hidden_size, cell.bias, cell.nonlinearity)
mha = nn.MultiheadAttention(12, 3, dropout=0.1, batch_first=True, kdim=6)
print(mha.embed_dim, mha.num_heads, mha.head_dim, mha.dropout, mha.batch_first, mha.kdim, mha.vdim, mha.in_proj_weight)
print([n for n, _ in mha.named_parameters()], mha.k_proj_weight.shape)
''',
"dropout_streams": r'''
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
lstm = nn.LSTM(3, 4, num_layers=2, dropout=0.5, bidirectional=True)
x = torch.randn(5, 2, 3)
out, (h, c) = lstm(x)
print(out[:, 0])
lstm.eval()
out2, _ = lstm(x)
print(out2[:, 0])
mha = nn.MultiheadAttention(4, 2, dropout=0.5)
q = torch.randn(3, 2, 4)
o, w = mha(q, q, q)
print(w)
print(F.scaled_dot_product_attention(q, q, q, dropout_p=0.3))
''',
"pad_sequence": r'''
import torch
from torch.nn.utils.rnn import pad_sequence
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([4.0])
c = torch.tensor([5.0, 6.0])
print(pad_sequence([a, b, c]))
p = pad_sequence([a, b, c], batch_first=True, padding_value=-1)
print(p)
print(pad_sequence((a, c), batch_first=True, padding_side='left'))
(p * torch.arange(9.0).view(3, 3)).sum().backward()
print(a.grad)
x = pad_sequence([torch.ones(2, 4), torch.zeros(5, 4)])
print(x.shape, torch.nn.utils.rnn.pad_sequence([torch.ones(2, 4)], batch_first=True).shape)
''',
"packed_sequences": r'''
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pack_sequence, pad_sequence
torch.manual_seed(6)
seqs = [torch.randn(5, 3), torch.randn(2, 3), torch.randn(4, 3)]
lengths = [5, 2, 4]
padded = pad_sequence(seqs, batch_first=True)
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
print(packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices, packed.data.shape)
small = pack_padded_sequence(torch.arange(6.0).view(3, 2, 1), [3, 1])
print(small)
for kind in ["LSTM", "GRU", "RNN"]:
    m = getattr(nn, kind)(3, 4, num_layers=2, bidirectional=True, batch_first=True)
    out, h = m(packed)
    if kind == "LSTM":
        h, c = h
    y, lens = pad_packed_sequence(out, batch_first=True, padding_value=-1.0)
    print(kind, type(out).__name__, y.shape, lens)
    print(y[1].detach())
    print(h[:, 1].detach())
    loss = y.sum() + h.sum()
    loss.backward()
    print(f"{sum(p.grad.abs().sum().item() for p in m.parameters()):.1f}")
gru = nn.GRU(3, 2)
out, h = gru(pack_sequence([torch.randn(4, 3), torch.randn(3, 3)]), torch.zeros(1, 2, 2))
y, lens = pad_packed_sequence(out, total_length=6)
print(y.shape, lens, y[4:].abs().sum().item(), h.shape)
''',
"functional_values": r'''
import torch
import torch.nn.functional as F
q = torch.tensor([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]])
v = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])
print(F.scaled_dot_product_attention(q, q, v, is_causal=True))
mask = torch.tensor([[True, False, True], [True, True, False], [False, False, True]])
print(F.scaled_dot_product_attention(q, q, v, attn_mask=mask, scale=1.0))
x = torch.tensor([[[1.0, 2.0, 3.0]]])
w = torch.tensor([[[1.0, 10.0, 100.0]]])
print(F.conv_transpose1d(x, w, stride=2))
print(F.conv_transpose1d(x, w, torch.tensor([0.5]), padding=1))
''',
"char_lstm_training": r'''
import torch
import torch.nn as nn
torch.manual_seed(0)
text = "hello world, hello tensors"
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text])
x = data[:-1].view(1, -1)
y = data[1:]

class CharLSTM(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embed = nn.Embedding(vocab, 8)
        self.lstm = nn.LSTM(8, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x):
        out, (h, c) = self.lstm(self.embed(x))
        return self.head(out)

model = CharLSTM(len(chars), 16)
print(model)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
for step in range(3):
    opt.zero_grad()
    logits = model(x)
    loss = loss_fn(logits.view(-1, len(chars)), y)
    loss.backward()
    opt.step()
    print(f"step {step}: loss {loss.item():.4f}")
''',
"gru_classifier_training": r'''
import torch
import torch.nn as nn
torch.manual_seed(3)

class Classifier(nn.Module):
    def __init__(self):
        super(Classifier, self).__init__()
        self.gru = nn.GRU(5, 8, num_layers=2, bidirectional=True)
        self.attn = nn.MultiheadAttention(16, 2)
        self.fc = nn.Linear(16, 3)

    def forward(self, x):
        out, h = self.gru(x)
        a, _ = self.attn(out, out, out)
        return self.fc(a.mean(0))

model = Classifier()
x = torch.randn(6, 4, 5)
target = torch.tensor([0, 2, 1, 2])
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for step in range(3):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), target)
    loss.backward()
    opt.step()
    print(f"{loss.item():.4f}")
print(sum(p.numel() for p in model.parameters()))
''',
}

ERRORS = {
"conv_transpose_suggestion": ("import torch.nn as nn\nnn.ConvTranspose(1, 2, 3)\n",
    "AttributeError: module 'torch.nn' has no attribute 'ConvTranspose'. Did you mean: 'ConvTranspose1d'?"),
"lstm_input_size": ("import torch\nimport torch.nn as nn\nnn.LSTM(3, 4)(torch.zeros(2, 3, 5))\n",
    "RuntimeError: input.size(-1) must be equal to input_size. Expected 3, got 5"),
"lstm_hidden_size": ("import torch\nimport torch.nn as nn\nnn.LSTM(3, 4)(torch.zeros(2, 3, 3), (torch.zeros(2, 3, 4), torch.zeros(1, 3, 4)))\n",
    "RuntimeError: Expected hidden[0] size (1, 3, 4), got [2, 3, 4]"),
"gru_hidden_size": ("import torch\nimport torch.nn as nn\nnn.GRU(3, 4)(torch.zeros(2, 3, 3), torch.zeros(2, 3, 4))\n",
    "RuntimeError: Expected hidden size (1, 3, 4), got [2, 3, 4]"),
"gru_input_rank": ("import torch\nimport torch.nn as nn\nnn.GRU(3, 4)(torch.zeros(2, 3, 3, 3))\n",
    "ValueError: GRU: Expected input to be 2D or 3D, got 4D instead"),
"rnn_unbatched_hx": ("import torch\nimport torch.nn as nn\nnn.RNN(3, 4)(torch.zeros(2, 3), torch.zeros(1, 1, 4))\n",
    "RuntimeError: For unbatched 2-D input, hx should also be 2-D but got 3-D tensor"),
"cell_input_rank": ("import torch\nimport torch.nn as nn\nnn.LSTMCell(3, 4)(torch.zeros(2, 1, 3))\n",
    "ValueError: LSTMCell: Expected input to be 1D or 2D, got 3D instead"),
"cell_input_size": ("import torch\nimport torch.nn as nn\nnn.GRUCell(3, 4)(torch.zeros(2, 5))\n",
    "RuntimeError: input has inconsistent input_size: got 5 expected 3"),
"cell_hidden_batch": ("import torch\nimport torch.nn as nn\nnn.GRUCell(3, 4)(torch.zeros(2, 3), torch.zeros(4))\n",
    "RuntimeError: Input batch size 2 doesn't match hidden0 batch size 4"),
"cell_unbatched_hidden": ("import torch\nimport torch.nn as nn\nnn.LSTMCell(3, 4)(torch.zeros(3), (torch.zeros(4), torch.zeros(2, 4)))\n",
    "RuntimeError: hidden1 has inconsistent hidden_size: got 2, expected 4"),
"conv_transpose1d_output_size": ("import torch\nimport torch.nn as nn\nnn.ConvTranspose1d(2, 3, 3, stride=2)(torch.zeros(1, 2, 5), output_size=[14])\n",
    "ValueError: requested an output size of [14], but valid sizes range from [11] to [12] (for an input of torch.Size([5]))"),
"conv_transpose2d_output_size": ("import torch\nimport torch.nn as nn\nnn.ConvTranspose2d(1, 1, 3, stride=2)(torch.ones(1, 1, 5, 5), output_size=[14, 14])\n",
    "ValueError: requested an output size of [14, 14], but valid sizes range from [11, 11] to [12, 12] (for an input of torch.Size([5, 5]))"),
"pad_sequence_sizes": ("import torch\nfrom torch.nn.utils.rnn import pad_sequence\npad_sequence([torch.ones(2, 3, 5), torch.ones(2, 3, 4)])\n",
    "RuntimeError: The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 2"),
"pad_sequence_scalar": ("import torch\nfrom torch.nn.utils.rnn import pad_sequence\npad_sequence([torch.ones(2), torch.tensor(1.0)])\n",
    "IndexError: Dimension specified as 0 but tensor has no dimensions"),
"pack_unsorted": ("import torch\nfrom torch.nn.utils.rnn import pack_padded_sequence\npack_padded_sequence(torch.zeros(4, 2, 3), [2, 4])\n",
    "RuntimeError: `lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability."),
"pad_packed_total_length": ("import torch\nfrom torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence\npad_packed_sequence(pack_padded_sequence(torch.zeros(4, 2, 3), [4, 2]), total_length=3)\n",
    "ValueError: Expected total_length to be at least the length of the longest sequence in input, but got total_length=3 and max sequence length being 4"),
"mha_heads": ("import torch.nn as nn\nnn.MultiheadAttention(8, 3)\n",
    "AssertionError: embed_dim must be divisible by num_heads"),
"rnn_nonlinearity": ("import torch.nn as nn\nnn.RNN(3, 4, nonlinearity='sigmoid')\n",
    "ValueError: Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'."),
"proj_size_gru": ("import torch.nn as nn\nnn.GRU(3, 4, proj_size=2)\n",
    "ValueError: proj_size argument is only supported for LSTM, not RNN or GRU"),
"sdpa_causal_and_mask": ("import torch\nimport torch.nn.functional as F\nq = torch.zeros(2, 3, 4)\nF.scaled_dot_product_attention(q, q, q, attn_mask=torch.ones(3, 3, dtype=torch.bool), is_causal=True)\n",
    "RuntimeError: _scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True"),
"mha_mask_shape": ("import torch\nimport torch.nn as nn\nq = torch.zeros(4, 2, 8)\nnn.MultiheadAttention(8, 2)(q, q, q, attn_mask=torch.zeros(3, 4))\n",
    "RuntimeError: The shape of the 2D attn_mask is torch.Size([3, 4]), but should be (4, 4)."),
}
