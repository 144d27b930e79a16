import TensorCore
import NN

/// `nn.` layer constructors with PyTorch's positional order, keyword names
/// and defaults (torch.nn 2.15). Each is also callable bare (`Conv2d(...)`).
enum NNLayers {
    static func m(_ x: Module) -> Value { .module(x) }

    static func layer(_ r: Registry, _ name: String, _ params: [Param], varargs: String? = nil,
                      keywordOnly: [Param] = [], doc: String, _ body: @escaping (BoundArgs) throws -> Module) {
        r.register(path: "torch.nn.\(name)", aliases: [name],
                   signature: Signature(name, params, varargs: varargs, keywordOnly: keywordOnly, doc: doc),
                   typeName: name) { a in .module(try body(a)) }
    }

    static func convPadding(_ v: Value, in fn: String) throws -> ConvPadding {
        switch v {
        case .str("same"): return .same
        case .str("valid"): return .valid
        case .str(let s):
            throw valueError("Invalid padding string '\(s)', should be one of {'valid', 'same'}")
        default: return .sizes(try TV.ints(v, "padding", in: fn))
        }
    }

    static func adaptiveSize(_ v: Value, in fn: String) throws -> AdaptiveSize {
        switch v {
        case .int(let i): return .int(i)
        case .tuple(let items):
            return .tuple(try items.map { try TV.optionalInt($0, "output_size", in: fn) })
        case .list(let l):
            return .tuple(try l.items.map { try TV.optionalInt($0, "output_size", in: fn) })
        case .size(let s): return .tuple(s.map { $0 })
        default: throw typeError("\(fn)(): argument 'output_size' must be int or tuple, not \(v.typeName)")
        }
    }

    static func install(_ r: Registry) {
        let convParams = [P("in_channels"), P("out_channels"), P("kernel_size"), P("stride", .int(1)), P("padding", .int(0)),
                          P("dilation", .int(1)), P("groups", .int(1)), P("bias", .bool(true)), P("padding_mode", .str("zeros"))]
        for (name, dims) in [("Conv2d", 2), ("Conv1d", 1)] {
            layer(r, name, convParams, doc: "\(dims)-D convolution (cross-correlation) over an input of several planes.") { a in
                let args = (try a.int(0), try a.int(1), try TV.intOrTuple(a[2], "kernel_size", in: name),
                            try TV.intOrTuple(a[3], "stride", in: name), try convPadding(a[4], in: name),
                            try TV.intOrTuple(a[5], "dilation", in: name), try a.int(6), TV.bool(a[7]),
                            try Convert.string(a[8], what: "padding_mode", in: name))
                if dims == 2 {
                    return try Conv2d(args.0, args.1, kernelSize: args.2, stride: args.3, padding: args.4, dilation: args.5,
                                      groups: args.6, bias: args.7, paddingMode: args.8)
                }
                return try Conv1d(args.0, args.1, kernelSize: args.2, stride: args.3, padding: args.4, dilation: args.5,
                                  groups: args.6, bias: args.7, paddingMode: args.8)
            }
        }
        layer(r, "ConvTranspose2d", [P("in_channels"), P("out_channels"), P("kernel_size"), P("stride", .int(1)), P("padding", .int(0)),
                                     P("output_padding", .int(0)), P("groups", .int(1)), P("bias", .bool(true)), P("dilation", .int(1)),
                                     P("padding_mode", .str("zeros"))],
              doc: "2-D transposed convolution (the gradient of Conv2d with respect to its input).") { a in
            let n = "ConvTranspose2d"
            return try ConvTranspose2d(try a.int(0), try a.int(1), kernelSize: try TV.intOrTuple(a[2], "kernel_size", in: n),
                                       stride: try TV.intOrTuple(a[3], "stride", in: n), padding: try TV.intOrTuple(a[4], "padding", in: n),
                                       outputPadding: try TV.intOrTuple(a[5], "output_padding", in: n), groups: try a.int(6),
                                       bias: TV.bool(a[7]), dilation: try TV.intOrTuple(a[8], "dilation", in: n),
                                       paddingMode: try Convert.string(a[9], what: "padding_mode", in: n))
        }
        layer(r, "MaxPool2d", [P("kernel_size"), P("stride", .none), P("padding", .int(0)), P("dilation", .int(1)),
                               P("return_indices", .bool(false)), P("ceil_mode", .bool(false))],
              doc: "2-D max pooling; stride defaults to kernel_size.") { a in
            let n = "MaxPool2d"
            return try MaxPool2d(kernelSize: try TV.intOrTuple(a[0], "kernel_size", in: n),
                                 stride: try TV.optionalIntOrTuple(a[1], "stride", in: n),
                                 padding: try TV.intOrTuple(a[2], "padding", in: n), dilation: try TV.intOrTuple(a[3], "dilation", in: n),
                                 returnIndices: TV.bool(a[4]), ceilMode: TV.bool(a[5]))
        }
        layer(r, "AvgPool2d", [P("kernel_size"), P("stride", .none), P("padding", .int(0)), P("ceil_mode", .bool(false)),
                               P("count_include_pad", .bool(true)), P("divisor_override", .none)],
              doc: "2-D average pooling; stride defaults to kernel_size.") { a in
            let n = "AvgPool2d"
            return try AvgPool2d(kernelSize: try TV.intOrTuple(a[0], "kernel_size", in: n),
                                 stride: try TV.optionalIntOrTuple(a[1], "stride", in: n),
                                 padding: try TV.intOrTuple(a[2], "padding", in: n), ceilMode: TV.bool(a[3]),
                                 countIncludePad: TV.bool(a[4]), divisorOverride: try TV.optionalInt(a[5], "divisor_override", in: n))
        }
        layer(r, "MaxUnpool2d", [P("kernel_size"), P("stride", .none), P("padding", .int(0))],
              doc: "Inverse of MaxPool2d: called as (input, indices, output_size=None).") { a in
            let n = "MaxUnpool2d"
            return try MaxUnpool2d(kernelSize: try TV.intOrTuple(a[0], "kernel_size", in: n),
                                   stride: try TV.optionalIntOrTuple(a[1], "stride", in: n), padding: try TV.intOrTuple(a[2], "padding", in: n))
        }
        layer(r, "AdaptiveAvgPool2d", [P("output_size")], doc: "Average pooling to a fixed output size.") { a in
            AdaptiveAvgPool2d(outputSize: try adaptiveSize(a[0], in: "AdaptiveAvgPool2d"))
        }
        layer(r, "AdaptiveMaxPool2d", [P("output_size"), P("return_indices", .bool(false))], doc: "Max pooling to a fixed output size.") { a in
            AdaptiveMaxPool2d(outputSize: try adaptiveSize(a[0], in: "AdaptiveMaxPool2d"), returnIndices: TV.bool(a[1]))
        }
        layer(r, "Linear", [P("in_features"), P("out_features"), P("bias", .bool(true))], doc: "y = x Wᵀ + b.") { a in
            try Linear(try a.int(0), try a.int(1), bias: TV.bool(a[2]))
        }
        layer(r, "Flatten", [P("start_dim", .int(1)), P("end_dim", .int(-1))], doc: "Flattens dims start_dim..end_dim.") { a in
            Flatten(startDim: try a.int(0), endDim: try a.int(1))
        }
        layer(r, "Identity", [], varargs: "args", doc: "Returns its input.") { _ in Identity() }
        for name in ["Dropout", "Dropout2d"] {
            layer(r, name, [P("p", .float(0.5)), P("inplace", .bool(false))],
                  doc: name == "Dropout" ? "Zeroes elements with probability p in training." : "Zeroes whole channels with probability p in training.") { a in
                name == "Dropout" ? try Dropout(p: try a.double(0), inplace: TV.bool(a[1]))
                                  : try Dropout2d(p: try a.double(0), inplace: TV.bool(a[1]))
            }
        }
        for name in ["BatchNorm2d", "BatchNorm1d"] {
            layer(r, name, [P("num_features"), P("eps", .float(1e-5)), P("momentum", .float(0.1)), P("affine", .bool(true)),
                            P("track_running_stats", .bool(true))], keywordOnly: [P("bias", .bool(true))],
                  doc: "Batch normalisation with running statistics.") { a in
                let args = (try a.int(0), try a.double(1), try TV.optionalDouble(a[2], "momentum", in: name), TV.bool(a[3]), TV.bool(a[4]), TV.bool(a[5]))
                if name == "BatchNorm2d" {
                    return try BatchNorm2d(args.0, eps: args.1, momentum: args.2, affine: args.3, trackRunningStats: args.4, bias: args.5)
                }
                return try BatchNorm1d(args.0, eps: args.1, momentum: args.2, affine: args.3, trackRunningStats: args.4, bias: args.5)
            }
        }
        installActivations(r)
        installContainers(r)
        installLosses(r)
    }

    static func installActivations(_ r: Registry) {
        layer(r, "ReLU", [P("inplace", .bool(false))], doc: "max(x, 0).") { a in ReLU(inplace: TV.bool(a[0])) }
        layer(r, "LeakyReLU", [P("negative_slope", .float(0.01)), P("inplace", .bool(false))], doc: "x if x > 0 else negative_slope * x.") { a in
            LeakyReLU(negativeSlope: try a.double(0), inplace: TV.bool(a[1]))
        }
        layer(r, "PReLU", [P("num_parameters", .int(1)), P("init", .float(0.25))], doc: "LeakyReLU with a learnable slope.") { a in
            try PReLU(numParameters: try a.int(0), initValue: try a.double(1))
        }
        layer(r, "RReLU", [P("lower", .float(1.0 / 8)), P("upper", .float(1.0 / 3)), P("inplace", .bool(false))],
              doc: "Random slopes in [lower, upper] in training; their mean in eval.") { a in
            RReLU(lower: try a.double(0), upper: try a.double(1), inplace: TV.bool(a[2]))
        }
        layer(r, "ELU", [P("alpha", .float(1.0)), P("inplace", .bool(false))], doc: "x if x > 0 else alpha * (exp(x) - 1).") { a in
            ELU(alpha: try a.double(0), inplace: TV.bool(a[1]))
        }
        layer(r, "GELU", [P("approximate", .str("none"))], doc: "x * Φ(x).") { a in
            try GELU(approximate: try Convert.string(a[0], what: "approximate", in: "GELU"))
        }
        layer(r, "Sigmoid", [], doc: "1 / (1 + exp(-x)).") { _ in Sigmoid() }
        layer(r, "Tanh", [], doc: "Hyperbolic tangent.") { _ in Tanh() }
        layer(r, "Softmax", [P("dim", .none)], doc: "Softmax along dim.") { a in Softmax(dim: try TV.optionalInt(a[0], "dim", in: "Softmax")) }
        layer(r, "LogSoftmax", [P("dim", .none)], doc: "Log-softmax along dim.") { a in LogSoftmax(dim: try TV.optionalInt(a[0], "dim", in: "LogSoftmax")) }
    }

    static func modules(_ v: Value, in fn: String) throws -> [Module] {
        let items: [Value]
        switch v {
        case .none: return []
        case .list(let l): items = l.items
        case .tuple(let t): items = t
        default: throw typeError("\(fn)(): expected an iterable of modules, not \(v.typeName)")
        }
        return try items.map { try module($0, in: fn) }
    }

    static func module(_ v: Value, in fn: String) throws -> Module {
        if case .module(let m) = v { return m }
        throw typeError("\(fn)(): \(v.typeName) is not a Module subclass")
    }

    static func installContainers(_ r: Registry) {
        layer(r, "Module", [], doc: "Base class for models: subclass it with __init__ and forward.") { _ in Module() }
        r.register(path: "torch.nn.Parameter", aliases: ["Parameter"],
                   signature: Signature("Parameter", [P("data", .none), P("requires_grad", .bool(true))],
                                        doc: "Marks a tensor as a module parameter (registered when assigned to self.NAME)."),
                   typeName: "Parameter") { a in
            let t = a[0].isNone ? try Tensor.zeros([0]) : try TV.tensor(a[0], "data", in: "Parameter")
            t.isParameter = true
            t.requiresGrad = TV.bool(a[1])
            return .tensor(t)
        }
        layer(r, "Sequential", [], varargs: "args", doc: "Runs modules in order.") { a in
            if a.varargs.count == 1, case .dict(let d) = a.varargs[0] {
                return Sequential(named: try d.items.map { (k, v) in
                    (try Convert.string(k, what: "key", in: "Sequential"), try module(v, in: "Sequential")) })
            }
            return Sequential(try a.varargs.map { try module($0, in: "Sequential") })
        }
        layer(r, "ModuleList", [P("modules", .none)], doc: "Holds modules in a list.") { a in
            ModuleList(try modules(a[0], in: "ModuleList"))
        }
        layer(r, "Residual", [P("body"), P("shortcut", .none), P("activation", .none)],
              doc: "activation(body(x) + (shortcut(x) if shortcut else x)).") { a in
            Residual(body: try module(a[0], in: "Residual"),
                     shortcut: a[1].isNone ? nil : try module(a[1], in: "Residual"),
                     activation: a[2].isNone ? nil : try module(a[2], in: "Residual"))
        }
    }

    static func installLosses(_ r: Registry) {
        layer(r, "CrossEntropyLoss", [P("weight", .none), P("size_average", .none), P("ignore_index", .int(-100)), P("reduce", .none),
                                      P("reduction", .str("mean")), P("label_smoothing", .float(0))],
              doc: "Cross entropy between logits and class indices.") { a in
            try CrossEntropyLoss(weight: try TV.optionalTensor(a[0], "weight", in: "CrossEntropyLoss"), ignoreIndex: try a.int(2),
                                 reduction: try Convert.string(a[4], what: "reduction", in: "CrossEntropyLoss"),
                                 labelSmoothing: try a.double(5))
        }
        layer(r, "NLLLoss", [P("weight", .none), P("size_average", .none), P("ignore_index", .int(-100)), P("reduce", .none),
                             P("reduction", .str("mean"))], doc: "Negative log likelihood of class indices.") { a in
            try NLLLoss(weight: try TV.optionalTensor(a[0], "weight", in: "NLLLoss"), ignoreIndex: try a.int(2),
                        reduction: try Convert.string(a[4], what: "reduction", in: "NLLLoss"))
        }
        layer(r, "MSELoss", [P("size_average", .none), P("reduce", .none), P("reduction", .str("mean"))], doc: "Mean squared error.") { a in
            try MSELoss(reduction: try Convert.string(a[2], what: "reduction", in: "MSELoss"))
        }
        func red(_ a: BoundArgs, _ i: Int, _ name: String) throws -> String { try Convert.string(a[i], what: "reduction", in: name) }
        layer(r, "L1Loss", [P("size_average", .none), P("reduce", .none), P("reduction", .str("mean"))], doc: "Mean absolute error.") { a in
            try OptionLoss("L1Loss", reduction: try red(a, 2, "L1Loss")) { try Functional.l1Loss($0, $1, reduction: $2) }
        }
        layer(r, "SmoothL1Loss", [P("size_average", .none), P("reduce", .none), P("reduction", .str("mean")), P("beta", .float(1))],
              doc: "Squared error below beta, absolute error above.") { a in
            let beta = try a.double(3)
            return try OptionLoss("SmoothL1Loss", reduction: try red(a, 2, "SmoothL1Loss")) { try Functional.smoothL1Loss($0, $1, reduction: $2, beta: beta) }
        }
        layer(r, "HuberLoss", [P("reduction", .str("mean")), P("delta", .float(1))], doc: "Squared error below delta, delta-scaled absolute error above.") { a in
            let delta = try a.double(1)
            return try OptionLoss("HuberLoss", reduction: try red(a, 0, "HuberLoss")) { try Functional.huberLoss($0, $1, reduction: $2, delta: delta) }
        }
        layer(r, "BCELoss", [P("weight", .none), P("size_average", .none), P("reduce", .none), P("reduction", .str("mean"))],
              doc: "Binary cross entropy between probabilities and targets.") { a in
            let w = try TV.optionalTensor(a[0], "weight", in: "BCELoss")
            return try OptionLoss("BCELoss", reduction: try red(a, 3, "BCELoss")) { try Functional.binaryCrossEntropy($0, $1, weight: w, reduction: $2) }
        }
        layer(r, "BCEWithLogitsLoss", [P("weight", .none), P("size_average", .none), P("reduce", .none), P("reduction", .str("mean")),
                                       P("pos_weight", .none)], doc: "Sigmoid and binary cross entropy in one stable step.") { a in
            let w = try TV.optionalTensor(a[0], "weight", in: "BCEWithLogitsLoss"), pw = try TV.optionalTensor(a[4], "pos_weight", in: "BCEWithLogitsLoss")
            return try OptionLoss("BCEWithLogitsLoss", reduction: try red(a, 3, "BCEWithLogitsLoss")) {
                try Functional.binaryCrossEntropyWithLogits($0, $1, weight: w, reduction: $2, posWeight: pw)
            }
        }
        layer(r, "KLDivLoss", [P("size_average", .none), P("reduce", .none), P("reduction", .str("mean")), P("log_target", .bool(false))],
              doc: "Kullback-Leibler divergence; input holds log-probabilities.") { a in
            let logTarget = TV.bool(a[3])
            return try OptionLoss("KLDivLoss", reduction: try red(a, 2, "KLDivLoss"), validReductions: ["mean", "sum", "none", "batchmean"]) {
                try Functional.klDiv($0, $1, reduction: $2, logTarget: logTarget)
            }
        }
    }
}

extension NNLayers {
    /// LayerNorm, GroupNorm, Embedding, Upsample.
    static func installMore(_ r: Registry) {
        layer(r, "LayerNorm", [P("normalized_shape"), P("eps", .float(1e-5)), P("elementwise_affine", .bool(true)), P("bias", .bool(true))],
              doc: "Normalises over the last dims, with a learnable scale and shift.") { a in
            let shape = TV.isNumber(a[0]) ? [try a.int(0)] : try TV.ints(a[0], "normalized_shape", in: "LayerNorm")
            return try LayerNorm(shape, eps: try a.double(1), elementwiseAffine: TV.bool(a[2]), bias: TV.bool(a[3]))
        }
        layer(r, "GroupNorm", [P("num_groups"), P("num_channels"), P("eps", .float(1e-5)), P("affine", .bool(true))],
              doc: "Normalises each group of channels, with a learnable scale and shift per channel.") { a in
            try GroupNorm(try a.int(0), try a.int(1), eps: try a.double(2), affine: TV.bool(a[3]))
        }
        layer(r, "Embedding", [P("num_embeddings"), P("embedding_dim"), P("padding_idx", .none)], doc: "A lookup table of learnable vectors.") { a in
            try Embedding(try a.int(0), try a.int(1), paddingIdx: try TV.optionalInt(a[2], "padding_idx", in: "Embedding"))
        }
        layer(r, "Upsample", [P("size", .none), P("scale_factor", .none), P("mode", .str("nearest")), P("align_corners", .none)],
              doc: "F.interpolate as a layer.") { a in
            guard case .str(let mode) = a[2] else { throw typeError("Upsample(): mode must be a string") }
            return Upsample(size: a[0].isNone ? nil : TV.isNumber(a[0]) ? [try a.int(0)] : try TV.ints(a[0], "size", in: "Upsample"),
                            scaleFactor: a[1].isNone ? nil : TV.isNumber(a[1]) ? [try a.double(1)] : try FunctionalExtras.scaleList(a[1]),
                            mode: mode, alignCorners: a[3].isNone ? nil : TV.bool(a[3]))
        }
    }
}
