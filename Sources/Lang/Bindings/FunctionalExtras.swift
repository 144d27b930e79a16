import TensorCore
import NN

/// More of `torch.nn.functional` and `torch.` that tutorials use: `one_hot`,
/// `interpolate` (nearest, linear, bilinear), `normalize`, `cosine_similarity`,
/// `silu`, `softplus`, `hardtanh`, `relu6`, `embedding`, `layer_norm`,
/// `group_norm`, `torch.einsum`, `torch.meshgrid`, `torch.linalg.norm`.
/// All are compositions of differentiable Functional ops.
enum FunctionalExtras {
    static func t(_ x: Tensor) -> Value { .tensor(x) }
    static let all = IndexItem.slice(start: nil, stop: nil, step: nil)

    static func fn(_ r: Registry, _ name: String, _ params: [Param], doc: String, _ body: @escaping (BoundArgs) throws -> Value) {
        FunctionalBindings.fn(r, name, params, doc: doc, body)
    }

    static func scalar(_ v: Double, like x: Tensor) -> Tensor { Tensor.scalar(v, dtype: x.dtype.isFloatingPoint ? x.dtype : .float32) }

    static func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try Functional.binary(.mul, a, b) }
    static func add(_ a: Tensor, _ b: Tensor) throws -> Tensor { try Functional.binary(.add, a, b) }

    // MARK: interpolate

    /// Source positions and weights along one dim of size `inSize` resized to `outSize`.
    static func linearTaps(_ inSize: Int, _ outSize: Int, scaleFactor: Double?, alignCorners: Bool) -> ([Int64], [Int64], [Float], [Float]) {
        let scale: Float
        if alignCorners { scale = outSize > 1 ? Float(inSize - 1) / Float(outSize - 1) : 0 }
        else { scale = scaleFactor.map { Float(1 / $0) } ?? Float(inSize) / Float(outSize) }
        var i0s: [Int64] = [], i1s: [Int64] = [], l0s: [Float] = [], l1s: [Float] = []
        for d in 0..<outSize {
            var src = alignCorners ? scale * Float(d) : scale * (Float(d) + 0.5) - 0.5
            if src < 0 { src = 0 }
            let i0 = Swift.min(Int(src), inSize - 1)
            let i1 = i0 + (i0 < inSize - 1 ? 1 : 0)
            let l1 = src - Float(i0)
            i0s.append(Int64(i0)); i1s.append(Int64(i1)); l0s.append(1 - l1); l1s.append(l1)
        }
        return (i0s, i1s, l0s, l1s)
    }

    /// x resized along dim d by linear interpolation (PyTorch's order: w0 * x0 + w1 * x1).
    static func linearAlong(_ x: Tensor, dim d: Int, to outSize: Int, scaleFactor: Double?, alignCorners: Bool) throws -> Tensor {
        let (i0, i1, l0, l1) = linearTaps(x.shape[d], outSize, scaleFactor: scaleFactor, alignCorners: alignCorners)
        let lead = [IndexItem](repeating: all, count: d)
        var wshape = [Int](repeating: 1, count: x.rank - d); wshape[0] = outSize
        let w0 = try Tensor(l0, shape: wshape).to(x.dtype), w1 = try Tensor(l1, shape: wshape).to(x.dtype)
        let x0 = try Functional.index(x, lead + [.tensor(try Tensor(ints: i0, shape: [outSize]))])
        let x1 = try Functional.index(x, lead + [.tensor(try Tensor(ints: i1, shape: [outSize]))])
        return try add(try mul(w0, x0), try mul(w1, x1))
    }

    static func nearestAlong(_ x: Tensor, dim d: Int, to outSize: Int, scaleFactor: Double?) throws -> Tensor {
        let inSize = x.shape[d]
        let scale = scaleFactor.map { Float(1 / $0) } ?? Float(inSize) / Float(outSize)
        let idx = (0..<outSize).map { Int64(Swift.min(Int((Float($0) * scale).rounded(.down)), inSize - 1)) }
        return try Functional.index(x, [IndexItem](repeating: all, count: d) + [.tensor(try Tensor(ints: idx, shape: [outSize]))])
    }

    static func scaleList(_ v: Value) throws -> [Double] {
        switch v {
        case .tuple(let items): return try items.map { try Convert.double($0, what: "scale_factor", in: "interpolate") }
        case .list(let box): return try box.items.map { try Convert.double($0, what: "scale_factor", in: "interpolate") }
        default: throw typeError("interpolate(): scale_factor must be a number or a tuple of numbers, not \(v.typeName)")
        }
    }

    static func isTensor(_ v: Value) -> Bool { if case .tensor = v { return true }; return false }

    static func interpolate(_ x: Tensor, size: Value, scaleFactor: Value, mode: String, alignCorners: Value) throws -> Tensor {
        let spatial = x.rank - 2
        guard spatial >= 1 && spatial <= 3 else {
            throw valueError("Input Error: Only 3D, 4D and 5D input Tensors supported (got \(x.rank)D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got \(mode))")
        }
        var sizes: [Int] = [], scales: [Double?] = []
        if !size.isNone {
            guard scaleFactor.isNone else { throw valueError("only one of size or scale_factor should be defined") }
            sizes = TV.isNumber(size) ? Array(repeating: try Convert.int(size, what: "size", in: "interpolate"), count: spatial) : try TV.ints(size, "size", in: "interpolate")
            scales = Array(repeating: nil, count: spatial)
        } else if !scaleFactor.isNone {
            let f: [Double] = TV.isNumber(scaleFactor) ? Array(repeating: try Convert.double(scaleFactor, what: "scale_factor", in: "interpolate"), count: spatial)
                : try scaleList(scaleFactor)
            guard f.count == spatial else { throw valueError("Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of \(Array(x.shape[2...])) and scale_factor of shape \(f).") }
            sizes = zip(x.shape[2...], f).map { Int((Double($0) * $1).rounded(.down)) }
            scales = f.map { Optional($0) }
        } else {
            throw valueError("either size or scale_factor should be defined")
        }
        guard sizes.count == spatial else { throw valueError("Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of \(Array(x.shape[2...])) and output size of \(sizes).") }
        var y = x
        switch mode {
        case "nearest":
            guard alignCorners.isNone else { throw valueError("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear") }
            for k in 0..<spatial { y = try nearestAlong(y, dim: 2 + k, to: sizes[k], scaleFactor: scales[k]) }
            return TensorEveryday.named(y, "UpsampleNearest\(spatial)DBackward0")
        case "linear", "bilinear", "trilinear":
            let want = ["linear": 1, "bilinear": 2, "trilinear": 3][mode] ?? 0
            guard want == spatial else { throw LangError(.NotImplementedError, "Got \(x.rank)D input, but \(mode) mode needs \(want + 2)D input") }
            let ac = TV.bool(alignCorners)
            for k in (0..<spatial).reversed() { y = try linearAlong(y, dim: 2 + k, to: sizes[k], scaleFactor: scales[k], alignCorners: ac) }
            let names = ["linear": "UpsampleLinear1DBackward0", "bilinear": "UpsampleBilinear2DBackward0", "trilinear": "UpsampleTrilinear3DBackward0"]
            return TensorEveryday.named(y, names[mode] ?? "")
        default:
            throw LangError(.NotImplementedError, "interpolate(mode='\(mode)') is not available in Tensorpad; use 'nearest', 'linear', 'bilinear' or 'trilinear'")
        }
    }

    // MARK: normalisation

    static func normalized(_ x: Tensor, dims: [Int], eps: Double) throws -> Tensor {
        let mean = try Functional.mean(x, dims: dims, keepdim: true)
        let centred = try Functional.binary(.sub, x, mean)
        let v = try Functional.variance(x, dims: dims, correction: 0, keepdim: true)
        let rstd = try Functional.binary(.div, scalar(1, like: x), try Functional.sqrt(try add(v, scalar(eps, like: x))), aIsNumber: true)
        return try mul(centred, rstd)
    }

    static func layerNorm(_ x: Tensor, _ shape: [Int], weight: Tensor?, bias: Tensor?, eps: Double) throws -> Tensor {
        let k = shape.count
        guard k <= x.rank, Array(x.shape[(x.rank - k)...]) == shape else {
            throw LangError(.RuntimeError, "Given normalized_shape=\(shape), expected input with shape [*, \(shape.map(String.init).joined(separator: ", "))], but got input of size\(x.shape)")
        }
        var y = try normalized(x, dims: Array((x.rank - k)..<x.rank), eps: eps)
        if let weight { y = try mul(y, weight) }
        if let bias { y = try add(y, bias) }
        return TensorEveryday.named(y, "NativeLayerNormBackward0")
    }

    static func groupNorm(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Double) throws -> Tensor {
        guard x.rank >= 2, groups > 0, x.shape[1] % groups == 0 else {
            throw LangError(.RuntimeError, "Expected number of channels in input to be divisible by num_groups, but got input of shape \(x.shape) and num_groups=\(groups)")
        }
        let n = x.shape[0]
        let g = try Functional.reshape(x, [n, groups, -1])
        var y = try Functional.reshape(try normalized(g, dims: [2], eps: eps), x.shape)
        let affine = [x.shape[1]] + [Int](repeating: 1, count: x.rank - 2)
        if let weight { y = try mul(y, try Functional.reshape(weight, affine)) }
        if let bias { y = try add(y, try Functional.reshape(bias, affine)) }
        return TensorEveryday.named(y, "NativeGroupNormBackward0")
    }

    // MARK: einsum

    static func einsum(_ equation: String, _ operands: [Tensor]) throws -> Tensor {
        let eq = equation.filter { !$0.isWhitespace }
        guard !eq.contains(".") else { throw LangError(.NotImplementedError, "einsum(): '...' is not available in Tensorpad") }
        let sides = eq.components(separatedBy: "->")
        let inputs = sides[0].split(separator: ",", omittingEmptySubsequences: false).map { Array($0) }
        guard inputs.count == operands.count else {
            throw LangError(.RuntimeError, "einsum(): more operands were provided than specified in the equation")
        }
        var counts: [Character: Int] = [:], order: [Character] = []
        for s in inputs { for c in s { if counts[c] == nil { order.append(c) }; counts[c, default: 0] += 1 } }
        let output: [Character] = sides.count > 1 ? Array(sides[1]) : order.filter { counts[$0] == 1 }.sorted()
        var sizes: [Character: Int] = [:]
        var full: Tensor?
        for (var letters, var x) in zip(inputs, operands) {
            guard letters.count == x.rank else {
                throw LangError(.RuntimeError, "einsum(): the number of subscripts in the equation (\(letters.count)) does not match the number of dimensions (\(x.rank)) for operand \(full == nil ? 0 : 1) and no ellipsis was given")
            }
            // A letter repeated in one operand takes that operand's diagonal.
            while let c = letters.first(where: { ch in letters.filter { $0 == ch }.count > 1 }) {
                let p = letters.firstIndex(of: c) ?? 0, q = letters.lastIndex(of: c) ?? 0
                let rest = (0..<x.rank).filter { $0 != p && $0 != q }
                x = try Functional.permute(x, [p, q] + rest)
                let n = x.shape[0]
                let ar = try TensorEveryday.arange(n)
                x = try Functional.index(x, [.tensor(ar), .tensor(ar)])
                letters = [c] + rest.map { letters[$0] }
            }
            for (c, s) in zip(letters, x.shape) {
                if let old = sizes[c], old != s, old != 1, s != 1 {
                    throw LangError(.RuntimeError, "einsum(): operands do not broadcast with remapped shapes (original->remapped)")
                }
                sizes[c] = Swift.max(sizes[c] ?? 1, s)
            }
            let present = order.filter { letters.contains($0) }
            x = try Functional.permute(x, present.map { c in letters.firstIndex(of: c) ?? 0 })
            x = try Functional.reshape(x, order.map { c in letters.contains(c) ? x.shape[present.firstIndex(of: c) ?? 0] : 1 })
            full = try full.map { try mul($0, x) } ?? x
        }
        guard var y = full else { throw LangError(.RuntimeError, "einsum(): must provide at least one operand") }
        let summed = order.enumerated().filter { !output.contains($0.element) }.map { $0.offset }
        if !summed.isEmpty { y = try Functional.sum(y, dims: summed, keepdim: false) }
        let kept = order.filter { output.contains($0) }
        return try Functional.permute(y, try output.map { c in
            guard let i = kept.firstIndex(of: c) else { throw LangError(.RuntimeError, "einsum(): output subscript \(c) does not appear in the equation for any input operand") }
            return i
        })
    }

    static func install(_ r: Registry) {
        fn(r, "one_hot", [P("tensor"), P("num_classes", .int(-1))], doc: "Class indices as one-hot int64 rows.") { a in
            let x = try TV.tensor(a[0], "tensor", in: "one_hot")
            guard x.dtype == .int64 else { throw LangError(.RuntimeError, "one_hot is only applicable to index tensor of type LongTensor.") }
            var n = try a.int(1)
            let vals = x.toInt64s()
            if n == -1 { n = Int(vals.max() ?? -1) + 1 }
            guard vals.allSatisfy({ $0 >= 0 }) else { throw LangError(.RuntimeError, "Class values must be non-negative.") }
            guard vals.allSatisfy({ $0 < n }) else { throw LangError(.RuntimeError, "Class values must be smaller than num_classes.") }
            return t(try Tensor.compare(.eq, try x.unsqueeze(x.rank), try TensorEveryday.arange(n)).to(.int64))
        }
        fn(r, "interpolate", [P("input"), P("size", .none), P("scale_factor", .none), P("mode", .str("nearest")), P("align_corners", .none),
                              P("recompute_scale_factor", .none), P("antialias", .bool(false))],
           doc: "Resizes by nearest, linear, bilinear or trilinear interpolation.") { a in
            guard case .str(let mode) = a[3] else { throw typeError("interpolate(): mode must be a string") }
            return t(try interpolate(try TV.tensor(a[0], "input", in: "interpolate"), size: a[1], scaleFactor: a[2], mode: mode, alignCorners: a[4]))
        }
        fn(r, "normalize", [P("input"), P("p", .float(2)), P("dim", .int(1)), P("eps", .float(1e-12))], doc: "x / max(‖x‖_p, eps) along dim.") { a in
            let x = try TV.tensor(a[0], "input", in: "normalize")
            let n = try Functional.norm(x, p: try a.double(1), dims: [try a.int(2)], keepdim: true)
            let d = try Functional.clamp(n, min: try a.double(3), max: nil)
            return t(try Functional.binary(.div, x, try Functional.expand(d, x.shape)))
        }
        fn(r, "cosine_similarity", [P("x1"), P("x2"), P("dim", .int(1)), P("eps", .float(1e-8))], doc: "Cosine of the angle between x1 and x2 along dim.") { a in
            let x1 = try TV.tensor(a[0], "x1", in: "cosine_similarity"), x2 = try TV.tensor(a[1], "x2", in: "cosine_similarity")
            let d = try a.int(2), eps = try a.double(3)
            let n1 = try Functional.clamp(try Functional.norm(x1, p: 2, dims: [d], keepdim: true), min: eps, max: nil)
            let n2 = try Functional.clamp(try Functional.norm(x2, p: 2, dims: [d], keepdim: true), min: eps, max: nil)
            return t(try Functional.sum(try mul(try Functional.binary(.div, x1, n1), try Functional.binary(.div, x2, n2)), dims: [d]))
        }
        fn(r, "silu", [P("input"), P("inplace", .bool(false))], doc: "x * sigmoid(x).") { a in
            let x = try TV.tensor(a[0], "input", in: "silu")
            return t(TensorEveryday.named(try mul(x, try Functional.sigmoid(x)), "SiluBackward0"))
        }
        fn(r, "softplus", [P("input"), P("beta", .float(1)), P("threshold", .float(20))], doc: "log(1 + exp(beta x)) / beta (x where beta x > threshold).") { a in
            let x = try TV.tensor(a[0], "input", in: "softplus")
            let beta = try a.double(1), th = try a.double(2)
            let bx = try mul(x, scalar(beta, like: x))
            let soft = try Functional.binary(.div, try Functional.log(try add(try Functional.exp(bx), scalar(1, like: x))), scalar(beta, like: x))
            let big = try Tensor.compare(.gt, bx.detach(), scalar(th, like: x))
            let y = try add(try Functional.maskedFill(soft, big, scalar(0, like: x)),
                            try Functional.maskedFill(x, try Tensor.compare(.eq, big, Tensor.scalar(bool: false)), scalar(0, like: x)))
            return t(TensorEveryday.named(y, "SoftplusBackward0"))
        }
        fn(r, "hardtanh", [P("input"), P("min_val", .float(-1)), P("max_val", .float(1)), P("inplace", .bool(false))], doc: "x clamped to [min_val, max_val].") { a in
            t(TensorEveryday.named(try Functional.clamp(try TV.tensor(a[0], "input", in: "hardtanh"), min: try a.double(1), max: try a.double(2)), "HardtanhBackward0"))
        }
        fn(r, "relu6", [P("input"), P("inplace", .bool(false))], doc: "min(max(x, 0), 6).") { a in
            t(TensorEveryday.named(try Functional.clamp(try TV.tensor(a[0], "input", in: "relu6"), min: 0, max: 6), "HardtanhBackward0"))
        }
        fn(r, "embedding", [P("input"), P("weight"), P("padding_idx", .none)], doc: "Rows of weight picked by the indices in input.") { a in
            let idx = try TV.tensor(a[0], "input", in: "embedding"), w = try TV.tensor(a[1], "weight", in: "embedding")
            guard idx.dtype == .int64 || idx.dtype == .int32 else {
                throw LangError(.RuntimeError, "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)")
            }
            return t(TensorEveryday.named(try Functional.index(w, [.tensor(idx)]), "EmbeddingBackward0"))
        }
        fn(r, "layer_norm", [P("input"), P("normalized_shape"), P("weight", .none), P("bias", .none), P("eps", .float(1e-5))],
           doc: "Normalises over the last dims (mean 0, variance 1), then weight and bias.") { a in
            let x = try TV.tensor(a[0], "input", in: "layer_norm")
            let shape = TV.isNumber(a[1]) ? [try a.int(1)] : try TV.ints(a[1], "normalized_shape", in: "layer_norm")
            return t(try layerNorm(x, shape, weight: try TV.optionalTensor(a[2], "weight", in: "layer_norm"),
                                   bias: try TV.optionalTensor(a[3], "bias", in: "layer_norm"), eps: try a.double(4)))
        }
        fn(r, "group_norm", [P("input"), P("num_groups"), P("weight", .none), P("bias", .none), P("eps", .float(1e-5))],
           doc: "Normalises each group of channels, then weight and bias per channel.") { a in
            t(try groupNorm(try TV.tensor(a[0], "input", in: "group_norm"), groups: try a.int(1),
                            weight: try TV.optionalTensor(a[2], "weight", in: "group_norm"),
                            bias: try TV.optionalTensor(a[3], "bias", in: "group_norm"), eps: try a.double(4)))
        }
        r.torchFunction("einsum", [P("equation")], varargs: "operands", doc: "Einstein summation: 'ij,jk->ik' and the like.") { a in
            guard case .str(let eq) = a[0] else { throw typeError("einsum(): argument 'equation' must be str, not \(a[0].typeName)") }
            var ops = a.varargs
            if ops.count == 1, !isTensor(ops[0]) { ops = try a.interpreter.toArray(ops[0]) }
            return t(try einsum(eq, try ops.map { try TV.tensor($0, "operands", in: "einsum") }))
        }
        r.torchFunction("meshgrid", varargs: "tensors", keywordOnly: [P("indexing", .str("ij"))], doc: "Coordinate grids from 1-D tensors.") { a in
            var ts = try a.varargs.map { try TV.tensor($0, "tensors", in: "meshgrid") }
            if a.varargs.count == 1, !isTensor(a.varargs[0]) { ts = try a.interpreter.toArray(a.varargs[0]).map { try TV.tensor($0, "tensors", in: "meshgrid") } }
            guard case .str(let ix) = a[0], ix == "ij" || ix == "xy" else { throw LangError(.RuntimeError, "torch.meshgrid: indexing must be one of \"xy\" or \"ij\"") }
            var sizes = ts.map { $0.numel }
            if ix == "xy" && ts.count >= 2 { sizes.swapAt(0, 1) }
            return .tuple(try ts.enumerated().map { i, x in
                var shape = [Int](repeating: 1, count: ts.count)
                let at = ix == "xy" && ts.count >= 2 && i < 2 ? 1 - i : i
                shape[at] = x.numel
                return t(try Functional.expand(try Functional.reshape(x, shape), sizes))
            })
        }
        r.register(path: "torch.linalg.norm", signature: Signature("norm", [P("input"), P("ord", .none), P("dim", .none), P("keepdim", .bool(false))],
                                                                  doc: "The vector 2-norm (or ord-norm) over all or some dims.")) { a in
            let x = try TV.tensor(a[0], "input", in: "norm")
            return t(try Functional.norm(x, p: a[1].isNone ? 2 : try a.double(1), dims: try TV.dims(a[2], in: "norm"), keepdim: TV.bool(a[3])))
        }
        r.register(path: "torch.linalg.vector_norm", signature: Signature("vector_norm", [P("x"), P("ord", .float(2)), P("dim", .none), P("keepdim", .bool(false))],
                                                                         doc: "The vector ord-norm over all or some dims.")) { a in
            let x = try TV.tensor(a[0], "x", in: "vector_norm")
            return t(try Functional.norm(x, p: try a.double(1), dims: try TV.dims(a[2], in: "vector_norm"), keepdim: TV.bool(a[3])))
        }
    }
}
