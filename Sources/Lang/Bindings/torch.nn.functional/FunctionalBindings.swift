import TensorCore
import NN

/// `torch.nn.functional` (as `F.`) and `nn.init`.
enum FunctionalBindings {
    static func t(_ x: Tensor) -> Value { .tensor(x) }

    static func fn(_ r: Registry, _ name: String, _ params: [Param], doc: String, _ body: @escaping (BoundArgs) throws -> Value) {
        let bare = r.lookup(name) == nil ? [name] : []
        r.register(path: "torch.nn.functional.\(name)", aliases: bare, signature: Signature(name, params, doc: doc), body: body)
    }

    static func x(_ a: BoundArgs, _ i: Int = 0, _ what: String = "input") throws -> Tensor {
        try TV.tensor(a[i], what, in: a.signature.name)
    }

    static func ints(_ a: BoundArgs, _ i: Int, _ what: String) throws -> [Int] { try TV.ints(a[i], what, in: a.signature.name) }
    static func optInts(_ a: BoundArgs, _ i: Int, _ what: String) throws -> [Int]? {
        a[i].isNone ? nil : try ints(a, i, what)
    }

    static func install(_ r: Registry) {
        let conv = [P("input"), P("weight"), P("bias", .none), P("stride", .int(1)), P("padding", .int(0)), P("dilation", .int(1)), P("groups", .int(1))]
        fn(r, "conv2d", conv, doc: "2-D convolution.") { a in
            t(try Functional.conv2d(try x(a), try x(a, 1, "weight"), try TV.optionalTensor(a[2], "bias", in: "conv2d"),
                                    stride: try ints(a, 3, "stride"), padding: try NNLayers.convPadding(a[4], in: "conv2d"),
                                    dilation: try ints(a, 5, "dilation"), groups: try a.int(6)))
        }
        fn(r, "conv1d", conv, doc: "1-D convolution.") { a in
            t(try Functional.conv1d(try x(a), try x(a, 1, "weight"), try TV.optionalTensor(a[2], "bias", in: "conv1d"),
                                    stride: try ints(a, 3, "stride"), padding: try NNLayers.convPadding(a[4], in: "conv1d"),
                                    dilation: try ints(a, 5, "dilation"), groups: try a.int(6)))
        }
        fn(r, "conv_transpose2d", [P("input"), P("weight"), P("bias", .none), P("stride", .int(1)), P("padding", .int(0)),
                                   P("output_padding", .int(0)), P("groups", .int(1)), P("dilation", .int(1))],
           doc: "2-D transposed convolution.") { a in
            t(try Functional.convTranspose2d(try x(a), try x(a, 1, "weight"), try TV.optionalTensor(a[2], "bias", in: "conv_transpose2d"),
                                             stride: try ints(a, 3, "stride"), padding: try ints(a, 4, "padding"),
                                             outputPadding: try ints(a, 5, "output_padding"), groups: try a.int(6),
                                             dilation: try ints(a, 7, "dilation")))
        }
        fn(r, "max_pool2d", [P("input"), P("kernel_size"), P("stride", .none), P("padding", .int(0)), P("dilation", .int(1)),
                             P("ceil_mode", .bool(false)), P("return_indices", .bool(false))], doc: "2-D max pooling.") { a in
            let (v, i) = try Functional.maxPool2d(try x(a), kernelSize: try ints(a, 1, "kernel_size"), stride: try optInts(a, 2, "stride"),
                                                  padding: try ints(a, 3, "padding"), dilation: try ints(a, 4, "dilation"),
                                                  ceilMode: TV.bool(a[5]))
            return TV.bool(a[6]) ? .tuple([t(v), t(i)]) : t(v)
        }
        fn(r, "avg_pool2d", [P("input"), P("kernel_size"), P("stride", .none), P("padding", .int(0)), P("ceil_mode", .bool(false)),
                             P("count_include_pad", .bool(true)), P("divisor_override", .none)], doc: "2-D average pooling.") { a in
            t(try Functional.avgPool2d(try x(a), kernelSize: try ints(a, 1, "kernel_size"), stride: try optInts(a, 2, "stride"),
                                       padding: try ints(a, 3, "padding"), ceilMode: TV.bool(a[4]), countIncludePad: TV.bool(a[5]),
                                       divisorOverride: try TV.optionalInt(a[6], "divisor_override", in: "avg_pool2d")))
        }
        fn(r, "max_unpool2d", [P("input"), P("indices"), P("kernel_size"), P("stride", .none), P("padding", .int(0)), P("output_size", .none)],
           doc: "Inverse of max_pool2d.") { a in
            t(try Functional.maxUnpool2d(try x(a), indices: try x(a, 1, "indices"), kernelSize: try ints(a, 2, "kernel_size"),
                                         stride: try optInts(a, 3, "stride"), padding: try ints(a, 4, "padding"),
                                         outputSize: try optInts(a, 5, "output_size")))
        }
        fn(r, "adaptive_avg_pool2d", [P("input"), P("output_size")], doc: "Average pooling to a fixed size.") { a in
            t(try Functional.adaptiveAvgPool2d(try x(a), outputSize: try NNLayers.adaptiveSize(a[1], in: "adaptive_avg_pool2d")))
        }
        fn(r, "adaptive_max_pool2d", [P("input"), P("output_size"), P("return_indices", .bool(false))], doc: "Max pooling to a fixed size.") { a in
            let (v, i) = try Functional.adaptiveMaxPool2d(try x(a), outputSize: try NNLayers.adaptiveSize(a[1], in: "adaptive_max_pool2d"))
            return TV.bool(a[2]) ? .tuple([t(v), t(i)]) : t(v)
        }
        fn(r, "linear", [P("input"), P("weight"), P("bias", .none)], doc: "x Wᵀ + b.") { a in
            t(try Functional.linear(try x(a), try x(a, 1, "weight"), try TV.optionalTensor(a[2], "bias", in: "linear")))
        }
        installActivations(r)
        installLosses(r)
        installInit(r)
    }

    static func installActivations(_ r: Registry) {
        fn(r, "relu", [P("input"), P("inplace", .bool(false))], doc: "max(x, 0).") { a in t(try Functional.relu(try x(a))) }
        fn(r, "leaky_relu", [P("input"), P("negative_slope", .float(0.01)), P("inplace", .bool(false))], doc: "Leaky ReLU.") { a in
            t(try Functional.leakyRelu(try x(a), negativeSlope: try a.double(1)))
        }
        fn(r, "prelu", [P("input"), P("weight")], doc: "PReLU with the given slopes.") { a in
            t(try Functional.prelu(try x(a), weight: try x(a, 1, "weight")))
        }
        fn(r, "rrelu", [P("input"), P("lower", .float(1.0 / 8)), P("upper", .float(1.0 / 3)), P("training", .bool(false)),
                        P("inplace", .bool(false))], doc: "Randomized leaky ReLU.") { a in
            t(try Functional.rrelu(try x(a), lower: try a.double(1), upper: try a.double(2), training: TV.bool(a[3])))
        }
        fn(r, "elu", [P("input"), P("alpha", .float(1.0)), P("inplace", .bool(false))], doc: "ELU.") { a in
            t(try Functional.elu(try x(a), alpha: try a.double(1)))
        }
        fn(r, "gelu", [P("input"), P("approximate", .str("none"))], doc: "GELU.") { a in
            t(try Functional.gelu(try x(a), approximate: try Convert.string(a[1], what: "approximate", in: "gelu")))
        }
        fn(r, "sigmoid", [P("input")], doc: "Sigmoid.") { a in t(try Functional.sigmoid(try x(a))) }
        fn(r, "tanh", [P("input")], doc: "Tanh.") { a in t(try Functional.tanh(try x(a))) }
        for name in ["softmax", "log_softmax"] {
            fn(r, name, [P("input"), P("dim", .none), P("_stacklevel", .int(3)), P("dtype", .none)], doc: "\(name) along dim.") { a in
                let input = try x(a)
                let dim = try TV.optionalInt(a[1], "dim", in: name) ?? Functional.implicitSoftmaxDim(input.rank)
                return t(name == "softmax" ? try Functional.softmax(input, dim: dim) : try Functional.logSoftmax(input, dim: dim))
            }
        }
        fn(r, "dropout", [P("input"), P("p", .float(0.5)), P("training", .bool(true)), P("inplace", .bool(false))], doc: "Dropout.") { a in
            t(try Functional.dropout(try x(a), p: try a.double(1), training: TV.bool(a[2])))
        }
        fn(r, "dropout2d", [P("input"), P("p", .float(0.5)), P("training", .bool(true)), P("inplace", .bool(false))], doc: "Channel dropout.") { a in
            t(try Functional.dropout2d(try x(a), p: try a.double(1), training: TV.bool(a[2])))
        }
        fn(r, "batch_norm", [P("input"), P("running_mean"), P("running_var"), P("weight", .none), P("bias", .none),
                             P("training", .bool(false)), P("momentum", .float(0.1)), P("eps", .float(1e-5))], doc: "Batch normalisation.") { a in
            let n = "batch_norm"
            return t(try Functional.batchNorm(try x(a), runningMean: try TV.optionalTensor(a[1], "running_mean", in: n),
                                              runningVar: try TV.optionalTensor(a[2], "running_var", in: n),
                                              weight: try TV.optionalTensor(a[3], "weight", in: n), bias: try TV.optionalTensor(a[4], "bias", in: n),
                                              training: TV.bool(a[5]), momentum: try a.double(6), eps: try a.double(7)))
        }
        fn(r, "pad", [P("input"), P("pad"), P("mode", .str("constant")), P("value", .none)], doc: "Pads the last dims.") { a in
            t(try Functional.pad(try x(a), try ints(a, 1, "pad"), mode: try Convert.string(a[2], what: "mode", in: "pad"),
                                 value: try TV.optionalDouble(a[3], "value", in: "pad") ?? 0))
        }
    }

    static func installLosses(_ r: Registry) {
        fn(r, "cross_entropy", [P("input"), P("target"), P("weight", .none), P("size_average", .none), P("ignore_index", .int(-100)),
                                P("reduce", .none), P("reduction", .str("mean")), P("label_smoothing", .float(0))], doc: "Cross entropy.") { a in
            t(try Functional.crossEntropy(try x(a), try x(a, 1, "target"), weight: try TV.optionalTensor(a[2], "weight", in: "cross_entropy"),
                                          ignoreIndex: try a.int(4), reduction: try Convert.string(a[6], what: "reduction", in: "cross_entropy"),
                                          labelSmoothing: try a.double(7)))
        }
        fn(r, "nll_loss", [P("input"), P("target"), P("weight", .none), P("size_average", .none), P("ignore_index", .int(-100)),
                           P("reduce", .none), P("reduction", .str("mean"))], doc: "Negative log likelihood.") { a in
            t(try Functional.nllLoss(try x(a), try x(a, 1, "target"), weight: try TV.optionalTensor(a[2], "weight", in: "nll_loss"),
                                     ignoreIndex: try a.int(4), reduction: try Convert.string(a[6], what: "reduction", in: "nll_loss")))
        }
        fn(r, "mse_loss", [P("input"), P("target"), P("size_average", .none), P("reduce", .none), P("reduction", .str("mean"))],
           doc: "Mean squared error.") { a in
            t(try Functional.mseLoss(try x(a), try x(a, 1, "target"), reduction: try Convert.string(a[4], what: "reduction", in: "mse_loss")))
        }
        func red(_ a: BoundArgs, _ i: Int) throws -> String { try Convert.string(a[i], what: "reduction", in: a.signature.name) }
        let common = [P("input"), P("target"), P("size_average", .none), P("reduce", .none), P("reduction", .str("mean"))]
        fn(r, "l1_loss", common, doc: "Mean absolute error.") { a in
            t(try Functional.l1Loss(try x(a), try x(a, 1, "target"), reduction: try red(a, 4)))
        }
        fn(r, "smooth_l1_loss", common + [P("beta", .float(1))], doc: "Squared error below beta, absolute error above.") { a in
            t(try Functional.smoothL1Loss(try x(a), try x(a, 1, "target"), reduction: try red(a, 4), beta: try a.double(5)))
        }
        fn(r, "huber_loss", [P("input"), P("target"), P("reduction", .str("mean")), P("delta", .float(1)), P("weight", .none)],
           doc: "Squared error below delta, delta-scaled absolute error above.") { a in
            t(try Functional.huberLoss(try x(a), try x(a, 1, "target"), reduction: try red(a, 2), delta: try a.double(3)))
        }
        fn(r, "binary_cross_entropy", [P("input"), P("target"), P("weight", .none), P("size_average", .none), P("reduce", .none),
                                       P("reduction", .str("mean"))], doc: "Binary cross entropy between probabilities and targets.") { a in
            t(try Functional.binaryCrossEntropy(try x(a), try x(a, 1, "target"), weight: try TV.optionalTensor(a[2], "weight", in: "binary_cross_entropy"),
                                                reduction: try red(a, 5)))
        }
        fn(r, "binary_cross_entropy_with_logits", [P("input"), P("target"), P("weight", .none), P("size_average", .none), P("reduce", .none),
                                                   P("reduction", .str("mean")), P("pos_weight", .none)],
           doc: "Sigmoid and binary cross entropy in one stable step.") { a in
            t(try Functional.binaryCrossEntropyWithLogits(try x(a), try x(a, 1, "target"),
                                                          weight: try TV.optionalTensor(a[2], "weight", in: a.signature.name),
                                                          reduction: try red(a, 5), posWeight: try TV.optionalTensor(a[6], "pos_weight", in: a.signature.name)))
        }
        fn(r, "kl_div", common + [P("log_target", .bool(false))], doc: "Kullback-Leibler divergence; input holds log-probabilities.") { a in
            t(try Functional.klDiv(try x(a), try x(a, 1, "target"), reduction: try red(a, 4), logTarget: TV.bool(a[5])))
        }
    }

    static func installInit(_ r: Registry) {
        func initFn(_ name: String, _ params: [Param], doc: String, _ body: @escaping (Tensor, BoundArgs) throws -> Void) {
            r.register(path: "torch.nn.init.\(name)", signature: Signature(name, [P("tensor")] + params, doc: doc)) { a in
                let x = try TV.tensor(a[0], "tensor", in: name)
                try GradMode.withoutGrad { try body(x, a) }
                return .tensor(x)
            }
        }
        func gen(_ a: BoundArgs, _ i: Int, _ name: String) throws -> Generator? { try RandomBindings.generator(a[i], in: name) }
        initFn("uniform_", [P("a", .float(0)), P("b", .float(1)), P("generator", .none)], doc: "U(a, b).") { x, a in
            try Init.uniform_(x, a: try a.double(1), b: try a.double(2), generator: try gen(a, 3, "uniform_"))
        }
        initFn("normal_", [P("mean", .float(0)), P("std", .float(1)), P("generator", .none)], doc: "N(mean, std²).") { x, a in
            try Init.normal_(x, mean: try a.double(1), std: try a.double(2), generator: try gen(a, 3, "normal_"))
        }
        initFn("constant_", [P("val")], doc: "Fills with val.") { x, a in try Init.constant_(x, try a.double(1)) }
        initFn("zeros_", [], doc: "Fills with 0.") { x, _ in try Init.zeros_(x) }
        initFn("ones_", [], doc: "Fills with 1.") { x, _ in try Init.ones_(x) }
        initFn("xavier_uniform_", [P("gain", .float(1)), P("generator", .none)], doc: "Glorot uniform.") { x, a in
            try Init.xavier_uniform_(x, gain: try a.double(1), generator: try gen(a, 2, "xavier_uniform_"))
        }
        initFn("xavier_normal_", [P("gain", .float(1)), P("generator", .none)], doc: "Glorot normal.") { x, a in
            try Init.xavier_normal_(x, gain: try a.double(1), generator: try gen(a, 2, "xavier_normal_"))
        }
        for name in ["kaiming_uniform_", "kaiming_normal_"] {
            initFn(name, [P("a", .float(0)), P("mode", .str("fan_in")), P("nonlinearity", .str("leaky_relu")), P("generator", .none)],
                   doc: "He initialisation.") { x, a in
                let mode = try Convert.string(a[2], what: "mode", in: name), nl = try Convert.string(a[3], what: "nonlinearity", in: name)
                let g = try gen(a, 4, name)
                if name == "kaiming_uniform_" { try Init.kaiming_uniform_(x, a: try a.double(1), mode: mode, nonlinearity: nl, generator: g) }
                else { try Init.kaiming_normal_(x, a: try a.double(1), mode: mode, nonlinearity: nl, generator: g) }
            }
        }
        initFn("trunc_normal_", [P("mean", .float(0)), P("std", .float(1)), P("a", .float(-2)), P("b", .float(2)), P("generator", .none)],
               doc: "N(mean, std²) truncated to [a, b].") { x, a in
            try Init.trunc_normal_(x, mean: try a.double(1), std: try a.double(2), a: try a.double(3), b: try a.double(4),
                                   generator: try gen(a, 5, "trunc_normal_"))
        }
        initFn("sparse_", [P("sparsity"), P("std", .float(0.01)), P("generator", .none)], doc: "Sparse N(0, std²) columns.") { x, a in
            try Init.sparse_(x, sparsity: try a.double(1), std: try a.double(2), generator: try gen(a, 3, "sparse_"))
        }
        initFn("orthogonal_", [P("gain", .float(1)), P("generator", .none)], doc: "A (semi-)orthogonal matrix, times gain.") { x, a in
            try Init.orthogonal_(x, gain: try a.double(1), generator: try gen(a, 2, "orthogonal_"))
        }
        initFn("eye_", [], doc: "The identity matrix.") { x, _ in try Init.eye_(x) }
        initFn("dirac_", [P("groups", .int(1))], doc: "Identity convolution weights.") { x, a in try Init.dirac_(x, groups: try a.int(1)) }
        r.register(path: "torch.nn.init.calculate_gain", signature: Signature("calculate_gain", [P("nonlinearity"), P("param", .none)],
                                                                              doc: "The recommended gain for a nonlinearity.")) { a in
            .float(try Init.gain(try Convert.string(a[0], what: "nonlinearity", in: "calculate_gain"),
                                 param: try TV.optionalDouble(a[1], "param", in: "calculate_gain")))
        }
    }
}
