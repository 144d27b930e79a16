extension LayerDocs {
    static let others: [String: LayerDoc] = [
        "torch.nn.Linear": LayerDoc(
            params: [
                ("in_features", "(int) size of each input sample, H_in"),
                ("out_features", "(int) size of each output sample, H_out"),
                ("bias", "(bool) adds a learnable bias. Default: True"),
            ],
            shape: [
                "Input:  (*, H_in), any number of leading dims",
                "Output: (*, H_out), y = x @ weight.T + bias",
            ],
            attributes: [
                "weight: (out_features, in_features), U(-sqrt(k), sqrt(k)), k = 1/in_features",
                "bias:   (out_features), same range",
            ],
            example: [
                ">>> fc = nn.Linear(20, 30)",
                ">>> fc(torch.zeros(128, 20)).shape",
                "torch.Size([128, 30])",
            ]),
        "torch.nn.Flatten": LayerDoc(
            params: [
                ("start_dim", "(int) first dim to flatten. Default: 1 (keeps the batch)"),
                ("end_dim", "(int) last dim to flatten. Default: -1"),
            ],
            shape: [
                "Input:  (*, S_start, ..., S_end, *)",
                "Output: (*, S_start*...*S_end, *)",
            ],
            example: [
                ">>> nn.Flatten()(torch.zeros(32, 64, 7, 7)).shape",
                "torch.Size([32, 3136])",
            ]),
        "torch.nn.Identity": LayerDoc(
            params: [("args", "anything; ignored")],
            shape: ["Input: (*), Output: (*), the same tensor"],
            example: [
                ">>> nn.Identity()(torch.ones(2))",
                "tensor([1., 1.])",
            ],
            notes: ["Arguments are accepted and ignored, so it can stand in for any layer."]),
        "torch.nn.Dropout": LayerDoc(
            params: [
                ("p", "(float) probability that an element is zeroed. Default: 0.5"),
                ("inplace", "(bool) change the input itself. Default: False"),
            ],
            shape: ["Input: (*), Output: (*), the same shape"],
            example: [
                ">>> d = nn.Dropout(0.5)",
                ">>> d.eval()(torch.ones(3))",
                "tensor([1., 1., 1.])",
            ],
            notes: ["In training the kept elements are scaled by 1/(1-p), so eval() (an identity) needs no rescaling."]),
        "torch.nn.Dropout2d": LayerDoc(
            params: [
                ("p", "(float) probability that a whole channel is zeroed. Default: 0.5"),
                ("inplace", "(bool) change the input itself. Default: False"),
            ],
            shape: ["Input: (N, C, H, W) or (C, H, W), Output: the same shape"],
            example: [
                ">>> nn.Dropout2d(0.2).eval()(torch.ones(1, 2, 1, 1)).shape",
                "torch.Size([1, 2, 1, 1])",
            ],
            notes: ["Kept channels are scaled by 1/(1-p) in training."]),
        "torch.nn.BatchNorm2d": LayerDoc(
            params: [
                ("num_features", "(int) C, the channels of the input"),
                ("eps", "(float) added to the variance for stability. Default: 1e-5"),
                ("momentum", "(float or None) weight of the new batch in the running statistics; None: a plain average. Default: 0.1"),
                ("affine", "(bool) learnable scale (weight) and shift (bias). Default: True"),
                ("track_running_stats", "(bool) keep running_mean/running_var for eval(). Default: True"),
                ("bias", "(bool) the learnable shift, when affine. Default: True"),
            ],
            shape: [
                "Input:  (N, C, H, W), Output: (N, C, H, W)",
                "  y = (x - mean) / sqrt(var + eps) * weight + bias, per channel over (N, H, W);",
                "  training uses the batch's statistics (biased var), eval() the running ones.",
            ],
            attributes: [
                "weight, bias: (C), ones and zeros at first",
                "running_mean, running_var: (C) buffers, zeros and ones at first; num_batches_tracked",
            ],
            example: [
                ">>> bn = nn.BatchNorm2d(3)",
                ">>> bn(torch.arange(12.).reshape(2, 3, 2, 1)).shape",
                "torch.Size([2, 3, 2, 1])",
                ">>> bn.running_mean",
                "tensor([0.3500, 0.5500, 0.7500])",
            ]),
        "torch.nn.BatchNorm1d": LayerDoc(
            params: [
                ("num_features", "(int) C, the features (channels) of the input"),
                ("eps", "(float) added to the variance for stability. Default: 1e-5"),
                ("momentum", "(float or None) weight of the new batch in the running statistics. Default: 0.1"),
                ("affine", "(bool) learnable scale and shift. Default: True"),
                ("track_running_stats", "(bool) keep running statistics for eval(). Default: True"),
                ("bias", "(bool) the learnable shift, when affine. Default: True"),
            ],
            shape: ["Input: (N, C) or (N, C, L), Output: the same shape; statistics per C over N (and L)"],
            attributes: ["weight, bias: (C); running_mean, running_var: (C) buffers"],
            example: [
                ">>> nn.BatchNorm1d(4)(torch.zeros(8, 4)).shape",
                "torch.Size([8, 4])",
            ]),
        "torch.nn.ReLU": LayerDoc(
            params: [("inplace", "(bool) change the input itself. Default: False")],
            shape: ["Input: (*), Output: (*), max(x, 0) elementwise"],
            example: [">>> nn.ReLU()(torch.tensor([-1., 0., 2.]))", "tensor([0., 0., 2.])"]),
        "torch.nn.LeakyReLU": LayerDoc(
            params: [
                ("negative_slope", "(float) slope for x < 0. Default: 0.01"),
                ("inplace", "(bool) change the input itself. Default: False"),
            ],
            shape: ["Input: (*), Output: (*), x if x >= 0 else negative_slope*x"],
            example: [">>> nn.LeakyReLU(0.1)(torch.tensor([-2., 3.]))", "tensor([-0.2000,  3.0000])"]),
        "torch.nn.PReLU": LayerDoc(
            params: [
                ("num_parameters", "(int) 1 (one slope) or C (one per channel, dim 1). Default: 1"),
                ("init", "(float) starting slope. Default: 0.25"),
            ],
            shape: ["Input: (*), channels at dim 1 when num_parameters > 1; Output: the same shape"],
            attributes: ["weight: (num_parameters), the learnable slopes"],
            example: [">>> nn.PReLU()(torch.tensor([-4., 4.]))", "tensor([-1.,  4.], grad_fn=<PreluKernelBackward0>)"]),
        "torch.nn.RReLU": LayerDoc(
            params: [
                ("lower", "(float) lower bound of the random slope. Default: 1/8"),
                ("upper", "(float) upper bound of the random slope. Default: 1/3"),
                ("inplace", "(bool) change the input itself. Default: False"),
            ],
            shape: ["Input: (*), Output: (*); slope drawn from U(lower, upper) per element in training, (lower+upper)/2 in eval()"],
            example: [">>> nn.RReLU(0.1, 0.3).eval()(torch.tensor([-10., 1.]))", "tensor([-2.,  1.])"]),
        "torch.nn.ELU": LayerDoc(
            params: [
                ("alpha", "(float) the value approached for very negative x is -alpha. Default: 1.0"),
                ("inplace", "(bool) change the input itself. Default: False"),
            ],
            shape: ["Input: (*), Output: (*), x if x > 0 else alpha*(exp(x) - 1)"],
            example: [">>> nn.ELU()(torch.tensor([0., 1.]))", "tensor([0., 1.])"]),
        "torch.nn.GELU": LayerDoc(
            params: [("approximate", "(str) 'none': x*Phi(x) with the exact normal CDF; 'tanh': the tanh approximation. Default: 'none'")],
            shape: ["Input: (*), Output: (*)"],
            example: [">>> nn.GELU()(torch.tensor([0., 1.]))", "tensor([0.0000, 0.8413])"]),
        "torch.nn.Sigmoid": LayerDoc(
            params: [],
            shape: ["Input: (*), Output: (*), 1 / (1 + exp(-x)) in (0, 1)"],
            example: [">>> nn.Sigmoid()(torch.tensor([0.]))", "tensor([0.5000])"]),
        "torch.nn.Tanh": LayerDoc(
            params: [],
            shape: ["Input: (*), Output: (*), in (-1, 1)"],
            example: [">>> nn.Tanh()(torch.tensor([0.]))", "tensor([0.])"]),
        "torch.nn.Softmax": LayerDoc(
            params: [("dim", "(int) the dim whose slices sum to 1; give it (None guesses, with a warning in PyTorch). Default: None")],
            shape: ["Input: (*), Output: (*), exp(x_i) / sum_j exp(x_j) along dim, each in [0, 1]"],
            example: [">>> nn.Softmax(dim=1)(torch.zeros(1, 4))", "tensor([[0.2500, 0.2500, 0.2500, 0.2500]])"]),
        "torch.nn.LogSoftmax": LayerDoc(
            params: [("dim", "(int) the dim to normalise along. Default: None")],
            shape: ["Input: (*), Output: (*), log(softmax(x)) along dim, computed stably; pair it with NLLLoss"],
            example: [">>> nn.LogSoftmax(dim=0)(torch.zeros(2))", "tensor([-0.6931, -0.6931])"]),
        "torch.nn.Sequential": LayerDoc(
            params: [("args", "modules (or one OrderedDict-like list of them) run one after another")],
            shape: ["The input of the first module; the output of the last"],
            example: [
                ">>> net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten())",
                ">>> net(torch.zeros(2, 1, 5, 5)).shape",
                "torch.Size([2, 36])",
                ">>> net[0]",
                "Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1))",
            ],
            notes: ["Index it (net[0]), slice it, len(net); children are named '0', '1', ... in state_dict()."]),
        "torch.nn.ModuleList": LayerDoc(
            params: [("modules", "(iterable) modules to hold; their parameters belong to the owner. Default: None")],
            shape: ["Not callable: loop over it in forward"],
            example: [
                ">>> layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])",
                ">>> len(layers)",
                "3",
            ]),
        "torch.nn.Residual": LayerDoc(
            params: [
                ("body", "(Module) the main branch"),
                ("shortcut", "(Module or None) applied to x on the skip path (e.g. a 1x1 conv); None: x itself. Default: None"),
                ("activation", "(Module or None) applied after the sum. Default: None"),
            ],
            shape: ["body(x) and shortcut(x) must have the same shape; Output: that shape"],
            example: [
                ">>> block = nn.Residual(nn.Conv2d(8, 8, 3, padding=1), activation=nn.ReLU())",
                ">>> block(torch.zeros(1, 8, 6, 6)).shape",
                "torch.Size([1, 8, 6, 6])",
            ],
            notes: ["Tensorpad's own layer (not in torch.nn): a ResNet block without writing a class."]),
        "torch.nn.CrossEntropyLoss": LayerDoc(
            params: [
                ("weight", "(Tensor or None) a weight per class, shape (C). Default: None"),
                ("size_average", "deprecated (use reduction). Default: None"),
                ("ignore_index", "(int) a target value that adds nothing to the loss. Default: -100"),
                ("reduce", "deprecated (use reduction). Default: None"),
                ("reduction", "(str) 'none', 'mean' or 'sum'. Default: 'mean'"),
                ("label_smoothing", "(float) in [0, 1]: share of the target spread evenly over all classes. Default: 0.0"),
            ],
            shape: [
                "Input (logits, not probabilities): (C), (N, C) or (N, C, d1, ...)",
                "Target: class indices (), (N) or (N, d1, ...) in [0, C); or class probabilities shaped as the input",
                "Output: a scalar; with reduction='none', the shape of the target",
                "  loss = -log(softmax(input)[target]), the mean over the batch (weighted by weight[target])",
            ],
            example: [
                ">>> loss = nn.CrossEntropyLoss()",
                ">>> loss(torch.zeros(2, 3), torch.tensor([0, 2]))",
                "tensor(1.0986)",
            ]),
        "torch.nn.NLLLoss": LayerDoc(
            params: [
                ("weight", "(Tensor or None) a weight per class, shape (C). Default: None"),
                ("size_average", "deprecated (use reduction). Default: None"),
                ("ignore_index", "(int) a target value that adds nothing. Default: -100"),
                ("reduce", "deprecated (use reduction). Default: None"),
                ("reduction", "(str) 'none', 'mean' or 'sum'. Default: 'mean'"),
            ],
            shape: [
                "Input (log-probabilities, e.g. from LogSoftmax): (C), (N, C) or (N, C, d1, ...)",
                "Target: class indices (), (N) or (N, d1, ...) in [0, C)",
                "Output: a scalar; with reduction='none', the shape of the target",
            ],
            example: [
                ">>> nn.NLLLoss()(torch.tensor([[-1., -2.]]), torch.tensor([1]))",
                "tensor(2.)",
            ]),
        "torch.nn.MSELoss": LayerDoc(
            params: [
                ("size_average", "deprecated (use reduction). Default: None"),
                ("reduce", "deprecated (use reduction). Default: None"),
                ("reduction", "(str) 'none', 'mean' or 'sum'. Default: 'mean'"),
            ],
            shape: ["Input: (*), Target: the same shape; Output: a scalar, or (*) with reduction='none'"],
            example: [
                ">>> nn.MSELoss()(torch.tensor([1., 2.]), torch.tensor([1., 4.]))",
                "tensor(2.)",
            ]),
    ]
}
