/// What `help()` teaches about a layer beyond its signature, from the facts
/// of PyTorch's documentation, in our own words: each parameter with its
/// meaning and default, the Shape section with the output-size formulas,
/// the learnable attributes, and a short example whose output is exact
/// (tests run every example and compare).
struct LayerDoc {
    /// Every parameter of the signature, in order: (name, "(type) meaning").
    var params: [(String, String)]
    /// The Shape section's lines.
    var shape: [String]
    var attributes: [String] = []
    /// `>>> code` lines and the lines they print.
    var example: [String]
    var notes: [String] = []
}

enum LayerDocs {
    /// By registry path (`torch.nn.Conv2d`).
    static func doc(_ path: String) -> LayerDoc? { convAndPool[path] ?? others[path] ?? functional(path) ?? torchFunctions[path] ?? sequence(path) }

    static let convAndPool: [String: LayerDoc] = [
        "torch.nn.Conv2d": LayerDoc(
            params: [
                ("in_channels", "(int) channels of the input, C_in (3 for an RGB image)"),
                ("out_channels", "(int) channels the convolution produces, C_out: one filter each"),
                ("kernel_size", "(int or tuple) height and width of each filter"),
                ("stride", "(int or tuple) step of the filter over the input. Default: 1"),
                ("padding", "(int, tuple or 'valid'/'same') zeros added on both sides of each spatial dim; 'same' keeps H and W (stride 1 only). Default: 0"),
                ("dilation", "(int or tuple) spacing between filter taps (à trous). Default: 1"),
                ("groups", "(int) splits the channels into groups convolved separately; in_channels and out_channels must divide by it; groups=in_channels is a depthwise convolution. Default: 1"),
                ("bias", "(bool) adds a learnable bias per output channel. Default: True"),
                ("padding_mode", "(str) what padding adds: 'zeros', 'reflect', 'replicate' or 'circular'. Default: 'zeros'"),
            ],
            shape: [
                "Input:  (N, C_in, H_in, W_in) or (C_in, H_in, W_in)",
                "Output: (N, C_out, H_out, W_out) or (C_out, H_out, W_out), where",
                "  H_out = floor((H_in + 2*padding[0] - dilation[0]*(kernel_size[0] - 1) - 1) / stride[0] + 1)",
                "  W_out = floor((W_in + 2*padding[1] - dilation[1]*(kernel_size[1] - 1) - 1) / stride[1] + 1)",
            ],
            attributes: [
                "weight: (out_channels, in_channels/groups, kernel_size[0], kernel_size[1]), drawn from U(-sqrt(k), sqrt(k)), k = groups / (C_in * kernel_size[0] * kernel_size[1])",
                "bias:   (out_channels), drawn from the same range (when bias=True)",
            ],
            example: [
                ">>> conv = nn.Conv2d(3, 16, 3, stride=2, padding=1)",
                ">>> conv(torch.zeros(8, 3, 32, 32)).shape",
                "torch.Size([8, 16, 16, 16])",
                ">>> conv.weight.shape",
                "torch.Size([16, 3, 3, 3])",
            ],
            notes: ["It computes a cross-correlation (the filter is not flipped), as every framework does."]),
        "torch.nn.Conv1d": LayerDoc(
            params: [
                ("in_channels", "(int) channels of the input, C_in"),
                ("out_channels", "(int) channels the convolution produces, C_out"),
                ("kernel_size", "(int or tuple) length of each filter"),
                ("stride", "(int or tuple) step of the filter. Default: 1"),
                ("padding", "(int, tuple or 'valid'/'same') zeros added on both ends. Default: 0"),
                ("dilation", "(int or tuple) spacing between filter taps. Default: 1"),
                ("groups", "(int) channel groups convolved separately. Default: 1"),
                ("bias", "(bool) adds a learnable bias per output channel. Default: True"),
                ("padding_mode", "(str) 'zeros', 'reflect', 'replicate' or 'circular'. Default: 'zeros'"),
            ],
            shape: [
                "Input:  (N, C_in, L_in) or (C_in, L_in)",
                "Output: (N, C_out, L_out) or (C_out, L_out), where",
                "  L_out = floor((L_in + 2*padding - dilation*(kernel_size - 1) - 1) / stride + 1)",
            ],
            attributes: [
                "weight: (out_channels, in_channels/groups, kernel_size), U(-sqrt(k), sqrt(k)), k = groups / (C_in * kernel_size)",
                "bias:   (out_channels)",
            ],
            example: [
                ">>> nn.Conv1d(4, 8, 5, padding=2)(torch.zeros(2, 4, 100)).shape",
                "torch.Size([2, 8, 100])",
            ]),
        "torch.nn.ConvTranspose2d": LayerDoc(
            params: [
                ("in_channels", "(int) channels of the input, C_in"),
                ("out_channels", "(int) channels produced, C_out"),
                ("kernel_size", "(int or tuple) height and width of each filter"),
                ("stride", "(int or tuple) how far apart input pixels land in the output (the upsampling factor). Default: 1"),
                ("padding", "(int or tuple) dilation*(kernel_size-1)-padding zeros are added around the input; it undoes Conv2d's padding. Default: 0"),
                ("output_padding", "(int or tuple) extra rows/columns on one side of the output, to pick among the sizes a strided Conv2d maps to the same shape; smaller than stride or dilation. Default: 0"),
                ("groups", "(int) channel groups. Default: 1"),
                ("bias", "(bool) adds a learnable bias per output channel. Default: True"),
                ("dilation", "(int or tuple) spacing between filter taps. Default: 1"),
                ("padding_mode", "(str) only 'zeros'. Default: 'zeros'"),
            ],
            shape: [
                "Input:  (N, C_in, H_in, W_in) or (C_in, H_in, W_in)",
                "Output: (N, C_out, H_out, W_out) or (C_out, H_out, W_out), where",
                "  H_out = (H_in - 1)*stride[0] - 2*padding[0] + dilation[0]*(kernel_size[0] - 1) + output_padding[0] + 1",
                "  W_out = (W_in - 1)*stride[1] - 2*padding[1] + dilation[1]*(kernel_size[1] - 1) + output_padding[1] + 1",
            ],
            attributes: [
                "weight: (in_channels, out_channels/groups, kernel_size[0], kernel_size[1]), U(-sqrt(k), sqrt(k)), k = groups / (C_out * kernel_size[0] * kernel_size[1])",
                "bias:   (out_channels)",
            ],
            example: [
                ">>> up = nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)",
                ">>> up(torch.zeros(1, 16, 12, 12)).shape",
                "torch.Size([1, 8, 24, 24])",
            ]),
        "torch.nn.MaxPool2d": LayerDoc(
            params: [
                ("kernel_size", "(int or tuple) size of the window to take the max over"),
                ("stride", "(int or tuple) step of the window. Default: kernel_size"),
                ("padding", "(int or tuple) implicit -inf added on both sides; at most half the kernel. Default: 0"),
                ("dilation", "(int or tuple) spacing between window elements. Default: 1"),
                ("return_indices", "(bool) also return where each max came from (for MaxUnpool2d). Default: False"),
                ("ceil_mode", "(bool) round the output size up instead of down; a window that would start in the right-hand padding is dropped. Default: False"),
            ],
            shape: [
                "Input:  (N, C, H_in, W_in) or (C, H_in, W_in)",
                "Output: (N, C, H_out, W_out) or (C, H_out, W_out), where",
                "  H_out = floor((H_in + 2*padding[0] - dilation[0]*(kernel_size[0] - 1) - 1) / stride[0] + 1)",
                "  W_out = floor((W_in + 2*padding[1] - dilation[1]*(kernel_size[1] - 1) - 1) / stride[1] + 1)",
                "  (ceil instead of floor with ceil_mode=True)",
            ],
            example: [
                ">>> nn.MaxPool2d(2)(torch.arange(16.).reshape(1, 1, 4, 4))",
                "tensor([[[[ 5.,  7.],",
                "          [13., 15.]]]])",
                ">>> nn.MaxPool2d(3, stride=2, ceil_mode=True)(torch.zeros(1, 8, 10, 10)).shape",
                "torch.Size([1, 8, 5, 5])",
            ]),
        "torch.nn.AvgPool2d": LayerDoc(
            params: [
                ("kernel_size", "(int or tuple) size of the window to average"),
                ("stride", "(int or tuple) step of the window. Default: kernel_size"),
                ("padding", "(int or tuple) zeros added on both sides; at most half the kernel. Default: 0"),
                ("ceil_mode", "(bool) round the output size up instead of down. Default: False"),
                ("count_include_pad", "(bool) count padded zeros in the divisor. Default: True"),
                ("divisor_override", "(int or None) divide by this instead of the window size. Default: None"),
            ],
            shape: [
                "Input:  (N, C, H_in, W_in) or (C, H_in, W_in)",
                "Output: (N, C, H_out, W_out) or (C, H_out, W_out), where",
                "  H_out = floor((H_in + 2*padding[0] - kernel_size[0]) / stride[0] + 1)",
                "  W_out = floor((W_in + 2*padding[1] - kernel_size[1]) / stride[1] + 1)",
                "  (ceil instead of floor with ceil_mode=True)",
            ],
            example: [
                ">>> nn.AvgPool2d(2)(torch.arange(16.).reshape(1, 1, 4, 4))",
                "tensor([[[[ 2.5000,  4.5000],",
                "          [10.5000, 12.5000]]]])",
            ]),
        "torch.nn.MaxUnpool2d": LayerDoc(
            params: [
                ("kernel_size", "(int or tuple) the window of the MaxPool2d being undone"),
                ("stride", "(int or tuple) its stride. Default: kernel_size"),
                ("padding", "(int or tuple) its padding. Default: 0"),
            ],
            shape: [
                "Called as unpool(input, indices, output_size=None), indices from MaxPool2d(return_indices=True);",
                "every other output element is zero.",
                "Input:  (N, C, H_in, W_in) or (C, H_in, W_in)",
                "Output: (N, C, H_out, W_out) or (C, H_out, W_out), where",
                "  H_out = (H_in - 1)*stride[0] - 2*padding[0] + kernel_size[0]",
                "  W_out = (W_in - 1)*stride[1] - 2*padding[1] + kernel_size[1]",
                "  or output_size when given (several input sizes pool to the same size)",
            ],
            example: [
                ">>> pool = nn.MaxPool2d(2, return_indices=True)",
                ">>> y, idx = pool(torch.tensor([[[[1., 2], [3, 4]]]]))",
                ">>> nn.MaxUnpool2d(2)(y, idx)",
                "tensor([[[[0., 0.],",
                "          [0., 4.]]]])",
            ]),
        "torch.nn.AdaptiveAvgPool2d": LayerDoc(
            params: [
                ("output_size", "(int, tuple or None in a tuple) the H_out x W_out wanted; None keeps that input dim"),
            ],
            shape: [
                "Input:  (N, C, H_in, W_in) or (C, H_in, W_in)",
                "Output: (N, C, S0, S1) or (C, S0, S1), where (S0, S1) = output_size",
                "  Output cell i of a dim of size L_in averages input indices",
                "  floor(i*L_in/L_out) to ceil((i+1)*L_in/L_out) - 1 (windows may overlap).",
            ],
            example: [
                ">>> nn.AdaptiveAvgPool2d(1)(torch.zeros(4, 512, 7, 7)).shape",
                "torch.Size([4, 512, 1, 1])",
                ">>> nn.AdaptiveAvgPool2d((None, 3))(torch.zeros(1, 2, 5, 7)).shape",
                "torch.Size([1, 2, 5, 3])",
            ]),
        "torch.nn.AdaptiveMaxPool2d": LayerDoc(
            params: [
                ("output_size", "(int, tuple or None in a tuple) the H_out x W_out wanted; None keeps that input dim"),
                ("return_indices", "(bool) also return where each max came from. Default: False"),
            ],
            shape: [
                "Input:  (N, C, H_in, W_in) or (C, H_in, W_in)",
                "Output: (N, C, S0, S1) or (C, S0, S1), where (S0, S1) = output_size",
                "  Output cell i of a dim of size L_in takes the max over input indices",
                "  floor(i*L_in/L_out) to ceil((i+1)*L_in/L_out) - 1.",
            ],
            example: [
                ">>> nn.AdaptiveMaxPool2d((2, 2))(torch.arange(16.).reshape(1, 4, 4))",
                "tensor([[[ 5.,  7.],",
                "         [13., 15.]]])",
            ]),
    ]
}
