/// `help(F.conv2d)` and the other functionals whose output size people work
/// out: parameters, the Shape section with the formula, an example that runs.
/// The layer's parameter texts are reused where the meaning is the same.
extension LayerDocs {
    static func functional(_ path: String) -> LayerDoc? { functionals[path] }

    private static func param(_ layer: String, _ name: String) -> (String, String) {
        let text = doc("torch.nn." + layer)?.params.first { $0.0 == name }?.1 ?? ""
        return (name, text)
    }

    static let functionals: [String: LayerDoc] = [
        "torch.nn.functional.conv2d": LayerDoc(
            params: [
                ("input", "(Tensor) (N, C_in, H_in, W_in) or (C_in, H_in, W_in)"),
                ("weight", "(Tensor) the filters, (C_out, C_in/groups, kH, kW)"),
                ("bias", "(Tensor or None) (C_out). Default: None"),
                param("Conv2d", "stride"), param("Conv2d", "padding"), param("Conv2d", "dilation"), param("Conv2d", "groups"),
            ],
            shape: [
                "Input:  (N, C_in, H_in, W_in) or (C_in, H_in, W_in)",
                "Output: (N, C_out, H_out, W_out) or (C_out, H_out, W_out), where (kH, kW = the weight's last two dims)",
                "  H_out = floor((H_in + 2*padding[0] - dilation[0]*(kH - 1) - 1) / stride[0] + 1)",
                "  W_out = floor((W_in + 2*padding[1] - dilation[1]*(kW - 1) - 1) / stride[1] + 1)",
            ],
            example: [
                ">>> F.conv2d(torch.ones(1, 1, 4, 4), torch.ones(2, 1, 3, 3), padding=1).shape",
                "torch.Size([1, 2, 4, 4])",
            ]),
        "torch.nn.functional.conv1d": LayerDoc(
            params: [
                ("input", "(Tensor) (N, C_in, L_in) or (C_in, L_in)"),
                ("weight", "(Tensor) the filters, (C_out, C_in/groups, kL)"),
                ("bias", "(Tensor or None) (C_out). Default: None"),
                param("Conv1d", "stride"), param("Conv1d", "padding"), param("Conv1d", "dilation"), param("Conv1d", "groups"),
            ],
            shape: [
                "Input:  (N, C_in, L_in) or (C_in, L_in)",
                "Output: (N, C_out, L_out) or (C_out, L_out), where",
                "  L_out = floor((L_in + 2*padding - dilation*(kL - 1) - 1) / stride + 1)",
            ],
            example: [
                ">>> F.conv1d(torch.ones(1, 2, 10), torch.ones(4, 2, 3), stride=2).shape",
                "torch.Size([1, 4, 4])",
            ]),
        "torch.nn.functional.conv_transpose2d": LayerDoc(
            params: [
                ("input", "(Tensor) (N, C_in, H_in, W_in) or (C_in, H_in, W_in)"),
                ("weight", "(Tensor) (C_in, C_out/groups, kH, kW)"),
                ("bias", "(Tensor or None) (C_out). Default: None"),
                param("ConvTranspose2d", "stride"), param("ConvTranspose2d", "padding"), param("ConvTranspose2d", "output_padding"),
                param("ConvTranspose2d", "groups"), param("ConvTranspose2d", "dilation"),
            ],
            shape: [
                "Input:  (N, C_in, H_in, W_in) or (C_in, H_in, W_in)",
                "Output: (N, C_out, H_out, W_out) or (C_out, H_out, W_out), where",
                "  H_out = (H_in - 1)*stride[0] - 2*padding[0] + dilation[0]*(kH - 1) + output_padding[0] + 1",
                "  W_out = (W_in - 1)*stride[1] - 2*padding[1] + dilation[1]*(kW - 1) + output_padding[1] + 1",
            ],
            example: [
                ">>> F.conv_transpose2d(torch.ones(1, 4, 5, 5), torch.ones(4, 2, 2, 2), stride=2).shape",
                "torch.Size([1, 2, 10, 10])",
            ]),
        "torch.nn.functional.max_pool2d": LayerDoc(
            params: [("input", "(Tensor) (N, C, H_in, W_in) or (C, H_in, W_in)")]
                + ["kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"].map { param("MaxPool2d", $0) },
            shape: convAndPool["torch.nn.MaxPool2d"]?.shape ?? [],
            example: [
                ">>> F.max_pool2d(torch.zeros(1, 3, 7, 7), 2).shape",
                "torch.Size([1, 3, 3, 3])",
            ]),
        "torch.nn.functional.avg_pool2d": LayerDoc(
            params: [("input", "(Tensor) (N, C, H_in, W_in) or (C, H_in, W_in)")]
                + ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"].map { param("AvgPool2d", $0) },
            shape: convAndPool["torch.nn.AvgPool2d"]?.shape ?? [],
            example: [
                ">>> F.avg_pool2d(torch.ones(1, 1, 4, 4), 2, padding=1).shape",
                "torch.Size([1, 1, 3, 3])",
            ]),
        "torch.nn.functional.max_unpool2d": LayerDoc(
            params: [
                ("input", "(Tensor) the pooled maxima, (N, C, H_in, W_in) or (C, H_in, W_in)"),
                ("indices", "(Tensor) where each came from, from max_pool2d(..., return_indices=True)"),
                param("MaxUnpool2d", "kernel_size"), param("MaxUnpool2d", "stride"), param("MaxUnpool2d", "padding"),
                ("output_size", "(tuple or None) the size to produce, when several would do. Default: None"),
            ],
            shape: Array((convAndPool["torch.nn.MaxUnpool2d"]?.shape ?? []).dropFirst(2)),
            example: [
                ">>> y, i = F.max_pool2d(torch.arange(16.).reshape(1, 1, 4, 4), 2, return_indices=True)",
                ">>> F.max_unpool2d(y, i, 2).shape",
                "torch.Size([1, 1, 4, 4])",
            ]),
        "torch.nn.functional.adaptive_avg_pool2d": LayerDoc(
            params: [("input", "(Tensor) (N, C, H_in, W_in) or (C, H_in, W_in)"), param("AdaptiveAvgPool2d", "output_size")],
            shape: convAndPool["torch.nn.AdaptiveAvgPool2d"]?.shape ?? [],
            example: [">>> F.adaptive_avg_pool2d(torch.ones(2, 8, 9, 9), (3, 1)).shape", "torch.Size([2, 8, 3, 1])"]),
        "torch.nn.functional.adaptive_max_pool2d": LayerDoc(
            params: [("input", "(Tensor) (N, C, H_in, W_in) or (C, H_in, W_in)"), param("AdaptiveMaxPool2d", "output_size"),
                     param("AdaptiveMaxPool2d", "return_indices")],
            shape: convAndPool["torch.nn.AdaptiveMaxPool2d"]?.shape ?? [],
            example: [">>> F.adaptive_max_pool2d(torch.ones(2, 8, 9, 9), 1).shape", "torch.Size([2, 8, 1, 1])"]),
        "torch.nn.functional.linear": LayerDoc(
            params: [
                ("input", "(Tensor) (*, in_features)"),
                ("weight", "(Tensor) (out_features, in_features)"),
                ("bias", "(Tensor or None) (out_features). Default: None"),
            ],
            shape: ["Input: (*, in_features), Output: (*, out_features), input @ weight.T + bias"],
            example: [">>> F.linear(torch.ones(5, 3), torch.ones(2, 3))", "tensor([[3., 3.],", "        [3., 3.],", "        [3., 3.],",
                      "        [3., 3.],", "        [3., 3.]])"]),
        "torch.nn.functional.cross_entropy": LayerDoc(
            params: [("input", "(Tensor) logits, (C), (N, C) or (N, C, d1, ...)"), ("target", "(Tensor) class indices or probabilities")]
                + ["weight", "size_average", "ignore_index", "reduce", "reduction", "label_smoothing"].map { param("CrossEntropyLoss", $0) },
            shape: others["torch.nn.CrossEntropyLoss"]?.shape ?? [],
            example: [">>> F.cross_entropy(torch.zeros(4, 10), torch.tensor([1, 2, 3, 4]))", "tensor(2.3026)"]),
        "torch.nn.functional.pad": LayerDoc(
            params: [
                ("input", "(Tensor) any shape"),
                ("pad", "(tuple) amounts from the last dim backwards: (left, right) pads the last dim, (left, right, top, bottom) the last two, ..."),
                ("mode", "(str) 'constant', 'reflect', 'replicate' or 'circular'. Default: 'constant'"),
                ("value", "(float or None) the fill of 'constant' mode. Default: None (0)"),
            ],
            shape: ["Output: each padded dim grows by its two amounts; negative amounts crop"],
            example: [">>> F.pad(torch.ones(1, 2, 3), (1, 1, 2, 0)).shape", "torch.Size([1, 4, 5])"]),
    ]
}
