/// `help()` of the recurrent layers, MultiheadAttention, ConvTranspose1d and their functionals.
extension LayerDocs {
    static func sequence(_ path: String) -> LayerDoc? { sequenceDocs[path] }

    static let recurrentParams: [(String, String)] = [
        ("input_size", "(int) features of each time step of the input, H_in"),
        ("hidden_size", "(int) features of the hidden state h, H"),
        ("num_layers", "(int) recurrent layers stacked, each reading the outputs of the one below. Default: 1"),
    ]
    static let recurrentTail: [(String, String)] = [
        ("bias", "(bool) learnable biases b_ih and b_hh. Default: True"),
        ("batch_first", "(bool) input and output are (N, L, H) instead of (L, N, H); h_0 and h_n keep (layers, N, H). Default: False"),
        ("dropout", "(float) dropout on the outputs of every layer but the last, in training. Default: 0.0"),
        ("bidirectional", "(bool) a second pass from the last step to the first; outputs of both are concatenated. Default: False"),
    ]
    static let recurrentShape = [
        "Input:  (L, N, H_in), (N, L, H_in) with batch_first, or unbatched (L, H_in)",
        "h_0:    (D*num_layers, N, H) or (D*num_layers, H); zeros when not given (D = 2 if bidirectional else 1)",
        "Output: (L, N, D*H) (or (N, L, D*H) with batch_first): the last layer's h_t for every t",
        "h_n:    (D*num_layers, N, H): every layer's final hidden state",
    ]
    static let recurrentWeights = [
        "weight_ih_l[k], weight_hh_l[k], bias_ih_l[k], bias_hh_l[k] (and _reverse): U(-sqrt(1/H), sqrt(1/H))",
    ]
    static let noProj = ("proj_size", "(int) LSTM only: anything but 0 is a ValueError here. Default: 0")
    static let cellParams: [(String, String)] = [
        ("input_size", "(int) features of the input, H_in"),
        ("hidden_size", "(int) features of the hidden state, H"),
        ("bias", "(bool) learnable biases b_ih and b_hh. Default: True"),
    ]

    static let sequenceDocs: [String: LayerDoc] = [
        "torch.nn.RNN": LayerDoc(
            params: recurrentParams + [("nonlinearity", "(str) 'tanh' or 'relu'. Default: 'tanh'")] + recurrentTail + [noProj],
            shape: recurrentShape, attributes: recurrentWeights,
            example: [
                ">>> rnn = nn.RNN(10, 20, 2)",
                ">>> output, h_n = rnn(torch.zeros(5, 3, 10))",
                ">>> output.shape, h_n.shape",
                "(torch.Size([5, 3, 20]), torch.Size([2, 3, 20]))",
            ],
            notes: ["h_t = tanh(x_t @ W_ih.T + b_ih + h_(t-1) @ W_hh.T + b_hh); called as rnn(input, h_0=None), returns (output, h_n)."]),
        "torch.nn.LSTM": LayerDoc(
            params: recurrentParams + recurrentTail + [("proj_size", "(int) when > 0, h is projected to this size by weight_hr. Default: 0")],
            shape: recurrentShape + ["c_0, c_n: (D*num_layers, N, H): the cell state"], attributes: recurrentWeights,
            example: [
                ">>> lstm = nn.LSTM(10, 20, batch_first=True)",
                ">>> output, (h_n, c_n) = lstm(torch.zeros(3, 5, 10))",
                ">>> output.shape, h_n.shape, c_n.shape",
                "(torch.Size([3, 5, 20]), torch.Size([1, 3, 20]), torch.Size([1, 3, 20]))",
            ],
            notes: ["Gates i, f, g, o (in that order in the weights); c_t = f*c_(t-1) + i*g, h_t = o*tanh(c_t).",
                    "Called as lstm(input, (h_0, c_0)) or lstm(input); returns (output, (h_n, c_n))."]),
        "torch.nn.GRU": LayerDoc(
            params: recurrentParams + recurrentTail + [noProj],
            shape: recurrentShape, attributes: recurrentWeights,
            example: [
                ">>> gru = nn.GRU(8, 16, bidirectional=True)",
                ">>> output, h_n = gru(torch.zeros(7, 2, 8))",
                ">>> output.shape, h_n.shape",
                "(torch.Size([7, 2, 32]), torch.Size([2, 2, 16]))",
            ],
            notes: ["Gates r, z, n; n = tanh(W_in x + b_in + r*(W_hn h + b_hn)), h_t = (1 - z)*n + z*h_(t-1)."]),
        "torch.nn.RNNCell": LayerDoc(
            params: cellParams + [("nonlinearity", "(str) 'tanh' or 'relu'. Default: 'tanh'")],
            shape: ["Input: (N, H_in) or (H_in); hx: (N, H) or (H), zeros when not given", "Output: h' (N, H) or (H)"],
            attributes: ["weight_ih (H, H_in), weight_hh (H, H), bias_ih, bias_hh (H): U(-sqrt(1/H), sqrt(1/H))"],
            example: [">>> nn.RNNCell(4, 6)(torch.zeros(2, 4)).shape", "torch.Size([2, 6])"]),
        "torch.nn.LSTMCell": LayerDoc(
            params: cellParams,
            shape: ["Input: (N, H_in) or (H_in); hx: (h_0, c_0), each (N, H), zeros when not given", "Output: (h', c'), each (N, H)"],
            attributes: ["weight_ih (4*H, H_in), weight_hh (4*H, H), bias_ih, bias_hh (4*H): U(-sqrt(1/H), sqrt(1/H))"],
            example: [">>> h, c = nn.LSTMCell(4, 6)(torch.zeros(2, 4))", ">>> h.shape, c.shape", "(torch.Size([2, 6]), torch.Size([2, 6]))"]),
        "torch.nn.GRUCell": LayerDoc(
            params: cellParams,
            shape: ["Input: (N, H_in) or (H_in); hx: (N, H) or (H), zeros when not given", "Output: h' (N, H) or (H)"],
            attributes: ["weight_ih (3*H, H_in), weight_hh (3*H, H), bias_ih, bias_hh (3*H): U(-sqrt(1/H), sqrt(1/H))"],
            example: [">>> nn.GRUCell(4, 6)(torch.zeros(6, 4)).shape", "torch.Size([6, 6])"]),
        "torch.nn.MultiheadAttention": LayerDoc(
            params: [
                ("embed_dim", "(int) features of the query and of the output, E"),
                ("num_heads", "(int) heads; each attends over E/num_heads features, so E must divide by it"),
                ("dropout", "(float) dropout on the attention weights, in training. Default: 0.0"),
                ("bias", "(bool) biases on the input and output projections. Default: True"),
                ("add_bias_kv", "(bool) not available in Tensorpad (raises NotImplementedError). Default: False"),
                ("add_zero_attn", "(bool) not available in Tensorpad (raises NotImplementedError). Default: False"),
                ("kdim", "(int) features of the key. Default: None (= embed_dim)"),
                ("vdim", "(int) features of the value. Default: None (= embed_dim)"),
                ("batch_first", "(bool) query, key, value and output are (N, L, E) instead of (L, N, E). Default: False"),
            ],
            shape: [
                "query: (L, N, E) or (N, L, E) with batch_first, or unbatched (L, E); key, value: (S, N, kdim/vdim)",
                "key_padding_mask: (N, S), True = ignore that key; attn_mask: (L, S) or (N*num_heads, L, S), True or -inf = not attended",
                "attn_output: like query; attn_weights: (N, L, S) averaged over heads, (N, num_heads, L, S) with average_attn_weights=False",
            ],
            attributes: ["in_proj_weight (3*E, E): xavier_uniform_; in_proj_bias (3*E): zeros", "out_proj: Linear(E, E) with a zero bias"],
            example: [
                ">>> mha = nn.MultiheadAttention(16, 4, batch_first=True)",
                ">>> out, weights = mha(torch.zeros(2, 5, 16), torch.zeros(2, 7, 16), torch.zeros(2, 7, 16))",
                ">>> out.shape, weights.shape",
                "(torch.Size([2, 5, 16]), torch.Size([2, 5, 7]))",
            ],
            notes: ["Called as mha(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True, is_causal=False)."]),
        "torch.nn.ConvTranspose1d": LayerDoc(
            params: [
                ("in_channels", "(int) channels of the input, C_in"),
                ("out_channels", "(int) channels produced, C_out"),
                ("kernel_size", "(int or tuple) length of each filter"),
                ("stride", "(int or tuple) how far apart input samples land in the output (the upsampling factor). Default: 1"),
                ("padding", "(int or tuple) dilation*(kernel_size-1)-padding zeros are added on both ends; it undoes Conv1d's padding. Default: 0"),
                ("output_padding", "(int or tuple) extra samples on one end of the output; smaller than stride or dilation. Default: 0"),
                ("groups", "(int) channel groups. Default: 1"),
                ("bias", "(bool) adds a learnable bias per output channel. Default: True"),
                ("dilation", "(int or tuple) spacing between filter taps. Default: 1"),
                ("padding_mode", "(str) only 'zeros'. Default: 'zeros'"),
            ],
            shape: [
                "Input:  (N, C_in, L_in) or (C_in, L_in)",
                "Output: (N, C_out, L_out) or (C_out, L_out), where",
                "  L_out = (L_in - 1)*stride - 2*padding + dilation*(kernel_size - 1) + output_padding + 1",
            ],
            attributes: [
                "weight: (in_channels, out_channels/groups, kernel_size), U(-sqrt(k), sqrt(k)), k = groups / (C_out * kernel_size)",
                "bias:   (out_channels)",
            ],
            example: [
                ">>> nn.ConvTranspose1d(8, 4, 4, stride=2, padding=1)(torch.zeros(2, 8, 25)).shape",
                "torch.Size([2, 4, 50])",
            ]),
        "torch.nn.functional.conv_transpose1d": LayerDoc(
            params: [
                ("input", "(Tensor) (N, C_in, L_in) or (C_in, L_in)"),
                ("weight", "(Tensor) (C_in, C_out/groups, kernel_size)"),
                ("bias", "(Tensor or None) (C_out). Default: None"),
                ("stride", "(int or tuple) the upsampling factor. Default: 1"),
                ("padding", "(int or tuple) undoes conv1d's padding. Default: 0"),
                ("output_padding", "(int or tuple) extra samples on one end of the output. Default: 0"),
                ("groups", "(int) channel groups. Default: 1"),
                ("dilation", "(int or tuple) spacing between filter taps. Default: 1"),
            ],
            shape: [
                "Input:  (N, C_in, L_in) or (C_in, L_in)",
                "Output: (N, C_out, L_out), L_out = (L_in - 1)*stride - 2*padding + dilation*(kernel_size - 1) + output_padding + 1",
            ],
            example: [">>> F.conv_transpose1d(torch.ones(1, 1, 3), torch.ones(1, 1, 2), stride=2)", "tensor([[[1., 1., 1., 1., 1., 1.]]])"]),
        "torch.nn.functional.scaled_dot_product_attention": LayerDoc(
            params: [
                ("query", "(Tensor) (..., L, E)"),
                ("key", "(Tensor) (..., S, E)"),
                ("value", "(Tensor) (..., S, E_v)"),
                ("attn_mask", "(Tensor or None) broadcastable to (..., L, S): bool keeps the places that are True, float is added. Default: None"),
                ("dropout_p", "(float) dropout on the attention weights (always applied when > 0). Default: 0.0"),
                ("is_causal", "(bool) each query attends to keys at or before its position; not with attn_mask. Default: False"),
                ("scale", "(float or None) multiplies q @ k.T. Default: 1/sqrt(E)"),
                ("enable_gqa", "(bool) grouped-query attention: not available in Tensorpad. Default: False"),
            ],
            shape: ["Output: (..., L, E_v) = softmax(q @ k.transpose(-2, -1) * scale + mask) @ v"],
            example: [
                ">>> q = torch.zeros(2, 4, 5, 8)",
                ">>> F.scaled_dot_product_attention(q, q, torch.ones(2, 4, 5, 3), is_causal=True).shape",
                "torch.Size([2, 4, 5, 3])",
            ]),
    ]
}
