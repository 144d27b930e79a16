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

    static func scaleList(_ v: Value) throws -> [Double] {
        switch v {
        case .tuple(let items): return try items.map { try Convert.double($0, what: "scale_factor", in: "interpolate") }
        case .list(let box): return try box.items.map { try Convert.double($0, what: "scale_factor", in: "interpolate") }
        default: throw typeError("interpolate(): scale_factor must be a number or a tuple of numbers, not \(v.typeName)")
        }
    }

    static func isTensor(_ v: Value) -> Bool { if case .tensor = v { return true }; return false }

    // MARK: einsum

    /// `...` in an equation: each operand's ellipsis becomes fresh letters for its own
    /// dimensions, right-aligned so that they broadcast as PyTorch's do; the output's
    /// (written or implicit: the ellipsis first) takes all of them.
    static func expandEllipsis(_ equation: String, _ operands: [Tensor]) throws -> String {
        let sides = equation.components(separatedBy: "->")
        let inputs = sides[0].components(separatedBy: ",")
        var widths: [Int] = []
        for (k, term) in inputs.enumerated() {
            guard term.contains("...") else { widths.append(0); continue }
            let explicit = term.replacingOccurrences(of: "...", with: "").count
            let rank = k < operands.count ? operands[k].rank : 0
            guard explicit <= rank else {
                throw LangError(.RuntimeError, "einsum(): the number of subscripts in the equation (\(explicit)) is more than the number of dimensions (\(rank)) for operand \(k)")
            }
            widths.append(rank - explicit)
        }
        let width = widths.max() ?? 0
        let fresh = (0..<width).map { Character(UnicodeScalar(0xE000 + $0) ?? "?") }
        func filled(_ term: String, _ n: Int) -> String {
            term.replacingOccurrences(of: "...", with: String(fresh.suffix(n)))
        }
        let lhs = zip(inputs, widths).map { filled($0, $1) }.joined(separator: ",")
        if sides.count > 1 { return lhs + "->" + filled(sides[1], width) }
        var counts: [Character: Int] = [:]
        for c in inputs.joined() where c != "." { counts[c, default: 0] += 1 }
        return lhs + "->" + String(fresh) + String(counts.keys.filter { counts[$0] == 1 }.sorted())
    }

    static func einsum(_ equation: String, _ operands: [Tensor]) throws -> Tensor {
        var eq = equation.filter { !$0.isWhitespace }
        if eq.contains("...") { eq = try expandEllipsis(eq, operands) }
        guard !eq.contains(".") else { throw LangError(.ValueError, "einsum(): invalid subscript given at index \(eq.firstIndex(of: ".").map { eq.distance(from: eq.startIndex, to: $0) } ?? 0) in the equation string, subscripts must be in [a-zA-Z]") }
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

    /// `einsum(a, [0, 1], b, [1, 2], [0, 2])`: the sublist form, written as an equation
    /// (0-25 are a-z, 26-51 A-Z, `...` the ellipsis).
    static func sublistEinsum(_ args: [Value], _ interp: Interpreter) throws -> Tensor {
        func letters(_ v: Value) throws -> String {
            try interp.toArray(v).map { item -> String in
                if case .ellipsis = item { return "..." }
                guard case .int(let i) = item, i >= 0, i < 52 else {
                    throw LangError(.ValueError, "einsum(): expected subscript to be within the range [0, 52), but got \(interp.repr(item))")
                }
                return String(UnicodeScalar(UInt8(i < 26 ? 97 + i : 39 + i)))
            }.joined()
        }
        var operands: [Tensor] = [], terms: [String] = [], k = 0
        while k + 1 < args.count, isTensor(args[k]) {
            operands.append(try TV.tensor(args[k], "operands", in: "einsum"))
            terms.append(try letters(args[k + 1]))
            k += 2
        }
        var equation = terms.joined(separator: ",")
        if k < args.count { equation += "->" + (try letters(args[k])) }
        return try einsum(equation, operands)
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
            return t(try Functional.interpolate(try TV.tensor(a[0], "input", in: "interpolate"),
                                                size: a[1].isNone ? nil : TV.isNumber(a[1]) ? [try a.int(1)] : try TV.ints(a[1], "size", in: "interpolate"),
                                                scaleFactor: a[2].isNone ? nil : TV.isNumber(a[2]) ? [try a.double(2)] : try scaleList(a[2]),
                                                mode: mode, alignCorners: a[4].isNone ? nil : TV.bool(a[4])))
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
            return t(Functional.named(try mul(x, try Functional.sigmoid(x)), "SiluBackward0"))
        }
        fn(r, "softplus", [P("input"), P("beta", .float(1)), P("threshold", .float(20))], doc: "log(1 + exp(beta x)) / beta (x where beta x > threshold).") { a in
            let x = try TV.tensor(a[0], "input", in: "softplus")
            let beta = try a.double(1), th = try a.double(2)
            let bx = try mul(x, scalar(beta, like: x))
            let soft = try Functional.binary(.div, try Functional.log(try add(try Functional.exp(bx), scalar(1, like: x))), scalar(beta, like: x))
            let big = try Tensor.compare(.gt, bx.detach(), scalar(th, like: x))
            let y = try add(try Functional.maskedFill(soft, big, scalar(0, like: x)),
                            try Functional.maskedFill(x, try Tensor.compare(.eq, big, Tensor.scalar(bool: false)), scalar(0, like: x)))
            return t(Functional.named(y, "SoftplusBackward0"))
        }
        fn(r, "hardtanh", [P("input"), P("min_val", .float(-1)), P("max_val", .float(1)), P("inplace", .bool(false))], doc: "x clamped to [min_val, max_val].") { a in
            t(Functional.named(try Functional.clamp(try TV.tensor(a[0], "input", in: "hardtanh"), min: try a.double(1), max: try a.double(2)), "HardtanhBackward0"))
        }
        fn(r, "relu6", [P("input"), P("inplace", .bool(false))], doc: "min(max(x, 0), 6).") { a in
            t(Functional.named(try Functional.clamp(try TV.tensor(a[0], "input", in: "relu6"), min: 0, max: 6), "HardtanhBackward0"))
        }
        fn(r, "embedding", [P("input"), P("weight"), P("padding_idx", .none)], doc: "Rows of weight picked by the indices in input.") { a in
            let idx = try TV.tensor(a[0], "input", in: "embedding"), w = try TV.tensor(a[1], "weight", in: "embedding")
            guard idx.dtype == .int64 || idx.dtype == .int32 else {
                throw LangError(.RuntimeError, "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)")
            }
            return t(Functional.named(try Functional.index(w, [.tensor(idx)]), "EmbeddingBackward0"))
        }
        fn(r, "layer_norm", [P("input"), P("normalized_shape"), P("weight", .none), P("bias", .none), P("eps", .float(1e-5))],
           doc: "Normalises over the last dims (mean 0, variance 1), then weight and bias.") { a in
            let x = try TV.tensor(a[0], "input", in: "layer_norm")
            let shape = TV.isNumber(a[1]) ? [try a.int(1)] : try TV.ints(a[1], "normalized_shape", in: "layer_norm")
            return t(try Functional.layerNorm(x, shape, weight: try TV.optionalTensor(a[2], "weight", in: "layer_norm"),
                                   bias: try TV.optionalTensor(a[3], "bias", in: "layer_norm"), eps: try a.double(4)))
        }
        fn(r, "group_norm", [P("input"), P("num_groups"), P("weight", .none), P("bias", .none), P("eps", .float(1e-5))],
           doc: "Normalises each group of channels, then weight and bias per channel.") { a in
            t(try Functional.groupNorm(try TV.tensor(a[0], "input", in: "group_norm"), groups: try a.int(1),
                            weight: try TV.optionalTensor(a[2], "weight", in: "group_norm"),
                            bias: try TV.optionalTensor(a[3], "bias", in: "group_norm"), eps: try a.double(4)))
        }
        r.torchFunction("einsum", [P("equation")], varargs: "operands", doc: "Einstein summation: 'ij,jk->ik' and the like.") { a in
            if isTensor(a[0]) { return t(try sublistEinsum([a[0]] + a.varargs, a.interpreter)) }
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
