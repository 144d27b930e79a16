import TensorCore
import NN

/// `torch`'s random functions: seeding (`manual_seed`, `seed`, `initial_seed`,
/// `get_rng_state`, `set_rng_state`, `torch.random.fork_rng`), `torch.Generator`,
/// sampling (`rand randn randint randperm normal bernoulli multinomial` and the
/// `_like` forms) and the in-place tensor methods (`uniform_ normal_ random_
/// bernoulli_ exponential_`). Every one takes `generator=` as PyTorch's do.
enum RandomBindings {
    static func t(_ x: Tensor) -> Value { .tensor(x) }

    /// `generator=None | torch.Generator`.
    static func generator(_ v: Value, in fn: String) throws -> TensorCore.Generator? {
        switch v {
        case .none: return nil
        case .object(let g as GeneratorObject): return g.generator
        default: throw typeError("\(fn)(): argument 'generator' must be torch.Generator, not \(v.typeName)")
        }
    }

    /// A Python int seed as PyTorch takes it (negative ints wrap to 64 bits).
    static func seed(_ v: Value, in fn: String) throws -> UInt64 {
        if case .tensor(let x) = v, x.numel == 1, x.dtype != .float32 { return UInt64(bitPattern: x.toInt64s()[0]) }
        return UInt64(bitPattern: Int64(try Convert.int(v, what: "seed", in: fn)))
    }

    static func seedValue(_ s: UInt64) -> Value { .int(Int(truncatingIfNeeded: s)) }

    /// `get_rng_state()`: the generator's bytes as a 1-D int64 tensor (Tensorpad has no uint8 dtype).
    static func stateTensor(_ g: TensorCore.Generator) throws -> Tensor {
        try Tensor(ints: g.getState().map { Int64($0) }, shape: [TensorCore.Generator.stateSize])
    }

    static func setState(_ g: TensorCore.Generator, _ v: Value, in fn: String) throws {
        let x = try TV.tensor(v, "new_state", in: fn)
        let bytes = x.toInt64s()
        guard bytes.allSatisfy({ $0 >= 0 && $0 <= 255 }) else {
            throw TensorError.runtime("RNG state must be a torch.ByteTensor")
        }
        try g.setState(bytes.map { UInt8($0) })
    }

    static func install(_ r: Registry) {
        installSeeding(r)
        installCreation(r)
        installMethods(r)
    }

    static func installSeeding(_ r: Registry) {
        for prefix in ["torch", "torch.random"] {
            r.register(path: "\(prefix).manual_seed", signature: Signature("manual_seed", [P("seed")],
                                                                           doc: "Seeds the default generator; returns it.")) { a in
                TensorCore.Generator.default.manualSeed(try seed(a[0], in: "manual_seed"))
                return .object(GeneratorObject(TensorCore.Generator.default))
            }
            r.register(path: "\(prefix).seed", signature: Signature("seed", doc: "Seeds the default generator non-deterministically; returns the seed.")) { _ in
                seedValue(TensorCore.Generator.default.seed())
            }
            r.register(path: "\(prefix).initial_seed", signature: Signature("initial_seed", doc: "The default generator's seed.")) { _ in
                seedValue(TensorCore.Generator.default.initialSeed)
            }
            r.register(path: "\(prefix).get_rng_state", signature: Signature("get_rng_state", doc: "The default generator's state.")) { _ in
                t(try stateTensor(TensorCore.Generator.default))
            }
            r.register(path: "\(prefix).set_rng_state", signature: Signature("set_rng_state", [P("new_state")],
                                                                             doc: "Restores the default generator's state.")) { a in
                try setState(TensorCore.Generator.default, a[0], in: "set_rng_state"); return .none
            }
        }
        r.register(path: "torch.random.fork_rng", signature: Signature("fork_rng", [P("devices", .none), P("enabled", .bool(true))],
                   doc: "Context manager: the default generator's state is restored on exit.")) { a in
            .object(ForkRNG(enabled: TV.bool(a[1])))
        }
        r.register(path: "torch.random.default_generator", value: .object(GeneratorObject(TensorCore.Generator.default)))
        r.register(path: "torch.default_generator", value: .object(GeneratorObject(TensorCore.Generator.default)))
        r.register(path: "torch.Generator", signature: Signature("Generator", [P("device", .str("cpu"))],
                                                                 doc: "A random generator of its own (PyTorch's CPU stream).")) { a in
            if case .str(let d) = a[0], d != "cpu" {
                throw TensorError.runtime("Device type \(d.uppercased()) is not supported for torch.Generator() api.")
            }
            return .object(GeneratorObject(TensorCore.Generator()))
        }
    }

    static func installCreation(_ r: Registry) {
        let kw = [P("generator", .none), P("dtype", .none), P("requires_grad", .bool(false)), P("size", .none)]
        for name in ["rand", "randn"] {
            r.torchFunction(name, varargs: "size", keywordOnly: kw,
                            doc: name == "rand" ? "Uniform samples on [0, 1)." : "Standard normal samples.") { a in
                let shape = a.varargs.isEmpty && !a[3].isNone ? try TV.ints(a[3], "size", in: name) : try TV.shape(a.varargs, in: name)
                try checkFloat(a[1], in: name)
                let x = try sample(name == "rand", shape, dtype: try TV.dtype(a[1], in: name) ?? .float32,
                                   generator: try generator(a[0], in: name))
                x.requiresGrad = TV.bool(a[2])
                return t(x)
            }
        }
        for name in ["rand_like", "randn_like"] {
            r.torchFunction(name, [P("input")], keywordOnly: [P("dtype", .none), P("requires_grad", .bool(false)), P("generator", .none)],
                            doc: "Random samples shaped like input.") { a in
                let x = try TV.tensor(a[0], in: name)
                try checkFloat(a[1], in: name)
                let dtype = try TV.dtype(a[1], in: name) ?? x.dtype
                if a[1].isNone { try checkFloat(.str(""), dtype: dtype, in: name) }
                let y = try sample(name == "rand_like", x.shape, dtype: dtype, generator: try generator(a[3], in: name))
                y.requiresGrad = TV.bool(a[2])
                return t(y)
            }
        }
        r.torchFunction("randint", [P("low", .none), P("high", .none), P("size", .none)],
                        keywordOnly: [P("generator", .none), P("dtype", .none), P("requires_grad", .bool(false))],
                        doc: "Random integers in [low, high); randint(high, size) starts at 0.") { a in
            var low = a[0], high = a[1], size = a[2]
            if size.isNone && !high.isNone && !TV.isNumber(high) { size = high; high = low; low = .int(0) }
            if high.isNone { high = low; low = .int(0) }
            if low.isNone { low = .int(0) }
            guard !size.isNone, !high.isNone else {
                throw typeError("randint() missing required argument 'size'")
            }
            let dt = try TV.dtype(a[4], in: "randint") ?? .int64
            let x = try Tensor.randint(low: Int64(try Convert.int(low, what: "low", in: "randint")),
                                       high: Int64(try Convert.int(high, what: "high", in: "randint")),
                                       try TV.ints(size, "size", in: "randint"), dtype: dt,
                                       generator: try generator(a[3], in: "randint"))
            return t(x)
        }
        r.torchFunction("randint_like", [P("input"), P("low", .none), P("high", .none)],
                        keywordOnly: [P("generator", .none), P("dtype", .none)], doc: "randint shaped like input.") { a in
            let x = try TV.tensor(a[0], in: "randint_like")
            var low = a[1], high = a[2]
            if high.isNone { high = low; low = .int(0) }
            let out = try Tensor.randint(low: Int64(try Convert.int(low, what: "low", in: "randint_like")),
                                         high: Int64(try Convert.int(high, what: "high", in: "randint_like")), x.shape,
                                         dtype: try TV.dtype(a[4], in: "randint_like") ?? x.dtype,
                                         generator: try generator(a[3], in: "randint_like"))
            return t(out)
        }
        r.torchFunction("randperm", [P("n")], keywordOnly: [P("generator", .none), P("dtype", .none), P("requires_grad", .bool(false))],
                        doc: "A random permutation of 0..<n.") { a in
            t(try TorchRandom.randperm(try a.int(0), dtype: try TV.dtype(a[2], in: "randperm") ?? .int64,
                                       generator: try generator(a[1], in: "randperm")))
        }
        r.torchFunction("normal", [P("mean", .float(0)), P("std", .float(1)), P("size", .none)],
                        keywordOnly: [P("generator", .none), P("dtype", .none), P("requires_grad", .bool(false))],
                        doc: "Normal samples: normal(mean, std) with tensors or numbers, or normal(mean, std, size).") { a in
            let g = try generator(a[3], in: "normal")
            switch (a[0], a[1]) {
            case (.tensor(let m), .tensor(let s)): return t(try TorchRandom.normal(mean: m, std: s, generator: g))
            case (.tensor(let m), _): return t(try TorchRandom.normal(mean: m, std: try a.double(1), generator: g))
            case (_, .tensor(let s)): return t(try TorchRandom.normal(mean: try a.double(0), std: s, generator: g))
            default:
                guard !a[2].isNone else {
                    throw typeError("normal() received an invalid combination of arguments - got (float, float), but expected a size")
                }
                let x = try Tensor(uninitialized: try TV.ints(a[2], "size", in: "normal"))
                try TorchRandom.normal_(x, mean: try a.double(0), std: try a.double(1), generator: g)
                x.requiresGrad = TV.bool(a[5])
                return t(x)
            }
        }
        r.torchFunction("bernoulli", [P("input"), P("p", .none)], keywordOnly: [P("generator", .none)],
                        doc: "0/1 samples with the probabilities in input (or p).") { a in
            let x = try TV.tensor(a[0], in: "bernoulli")
            return t(try bernoulli(x, p: a[1], generator: try generator(a[2], in: "bernoulli")))
        }
        r.torchFunction("multinomial", [P("input"), P("num_samples"), P("replacement", .bool(false))],
                        keywordOnly: [P("generator", .none)], doc: "Indices sampled from the rows of input as weights.") { a in
            t(try TorchRandom.multinomial(try TV.tensor(a[0], in: "multinomial"), numSamples: try a.int(1),
                                          replacement: TV.bool(a[2]), generator: try generator(a[3], in: "multinomial")))
        }
    }

    /// `rand`/`randn` of a dtype (float32, float64): PyTorch's draws for that dtype.
    static func sample(_ uniform: Bool, _ shape: [Int], dtype: DType, generator g: TensorCore.Generator?) throws -> Tensor {
        let x = try Tensor(zeros: shape, dtype: dtype)
        if uniform { try TorchRandom.uniform_(x, generator: g) } else { try TorchRandom.normal_(x, generator: g) }
        return x
    }

    static func checkFloat(_ dtype: Value, dtype known: DType? = nil, in fn: String) throws {
        if let d = try known ?? TV.dtype(dtype, in: fn), d != .float32, d != .float64 {
            throw TensorError.runtime("\"\(fn == "rand" || fn == "rand_like" ? "check_uniform_bounds" : "normal_kernel_cpu")\" not implemented for '\(d.scalarTypeName)'")
        }
    }

    static func bernoulli(_ x: Tensor, p: Value, generator g: TensorCore.Generator?) throws -> Tensor {
        if p.isNone { return try TorchRandom.bernoulli(x, generator: g) }
        let out = try Tensor(zeros: x.shape, dtype: x.dtype)
        try bernoulliInPlace(out, p, generator: g)
        return out
    }

    static func bernoulliInPlace(_ x: Tensor, _ p: Value, generator g: TensorCore.Generator?) throws {
        if case .tensor(let pt) = p { try TorchRandom.bernoulli_(x, p: pt, generator: g) }
        else { try TorchRandom.bernoulli_(x, p: try Convert.double(p, what: "p", in: "bernoulli_"), generator: g) }
    }

    static func installMethods(_ r: Registry) {
        func method(_ name: String, _ params: [Param], doc: String, _ body: @escaping (Tensor, BoundArgs) throws -> Value) {
            r.registerMethod(type: "Tensor", signature: Signature(name, [P("self")] + params, keywordOnly: [P("generator", .none)], doc: doc)) { a in
                try body(try TV.tensor(a[0], "self", in: name), a)
            }
        }
        func gen(_ a: BoundArgs, _ name: String) throws -> TensorCore.Generator? {
            try generator(a["generator"], in: name)
        }
        method("uniform_", [P("from", .float(0)), P("to", .float(1))], doc: "Fills with U(from, to) samples.") { x, a in
            try Autograd.checkInPlace(x)
            try TorchRandom.uniform_(x, from: try a.double(1), to: try a.double(2), generator: try gen(a, "uniform_")); return t(x)
        }
        method("normal_", [P("mean", .float(0)), P("std", .float(1))], doc: "Fills with N(mean, std²) samples.") { x, a in
            try Autograd.checkInPlace(x)
            try TorchRandom.normal_(x, mean: try a.double(1), std: try a.double(2), generator: try gen(a, "normal_")); return t(x)
        }
        method("random_", [P("from", .none), P("to", .none)], doc: "Fills with integers in [from, to); random_(to) starts at 0.") { x, a in
            try Autograd.checkInPlace(x)
            let g = try gen(a, "random_")
            switch (a[1], a[2]) {
            case (.none, .none): try TorchRandom.random_(x, generator: g)
            case (let to, .none) where !to.isNone:
                try TorchRandom.random_(x, from: 0, to: Int64(try Convert.int(to, what: "to", in: "random_")), generator: g)
            default:
                let from = a[1].isNone ? 0 : Int64(try a.int(1))
                try TorchRandom.random_(x, from: from, to: Int64(try a.int(2)), generator: g)
            }
            return t(x)
        }
        method("bernoulli_", [P("p", .float(0.5))], doc: "Fills with 0/1 samples of probability p (a number or a tensor).") { x, a in
            try Autograd.checkInPlace(x)
            try bernoulliInPlace(x, a[1], generator: try gen(a, "bernoulli_")); return t(x)
        }
        method("bernoulli", [P("p", .none)], doc: "0/1 samples with the probabilities in self (or p).") { x, a in
            t(try bernoulli(x, p: a[1], generator: try gen(a, "bernoulli")))
        }
        method("exponential_", [P("lambd", .float(1))], doc: "Fills with Exp(lambd) samples.") { x, a in
            try Autograd.checkInPlace(x)
            try TorchRandom.exponential_(x, lambd: try a.double(1), generator: try gen(a, "exponential_")); return t(x)
        }
        method("cauchy_", [P("median", .float(0)), P("sigma", .float(1))], doc: "Fills with Cauchy(median, sigma) samples.") { x, a in
            try Autograd.checkInPlace(x)
            try TorchRandom.cauchy_(x, median: try a.double(1), sigma: try a.double(2), generator: try gen(a, "cauchy_")); return t(x)
        }
        method("log_normal_", [P("mean", .float(1)), P("std", .float(2))], doc: "Fills with exp(N(mean, std²)) samples.") { x, a in
            try Autograd.checkInPlace(x)
            try TorchRandom.log_normal_(x, mean: try a.double(1), std: try a.double(2), generator: try gen(a, "log_normal_")); return t(x)
        }
        method("geometric_", [P("p")], doc: "Fills with Geometric(p) samples (trials to the first success).") { x, a in
            try Autograd.checkInPlace(x)
            try TorchRandom.geometric_(x, p: try a.double(1), generator: try gen(a, "geometric_")); return t(x)
        }
        r.tensorOp("erfinv", doc: "The inverse error function.") { x, _ in
            guard x.dtype == .float32 else { throw TensorError.runtime("\"erfinv_vml_cpu\" not implemented for '\(TorchRandom.typeName(x.dtype))'") }
            return t(try x.mapFloat { Erfinv.erfinv($0) })
        }
        r.tensorOp("erfinv_", doc: "The inverse error function, in place.", torch: false) { x, _ in
            try Autograd.checkInPlace(x)
            guard x.dtype == .float32 else { throw TensorError.runtime("\"erfinv_vml_cpu\" not implemented for '\(TorchRandom.typeName(x.dtype))'") }
            try x.copy_(try x.mapFloat { Erfinv.erfinv($0) }); return t(x)
        }
        method("multinomial", [P("num_samples"), P("replacement", .bool(false))], doc: "Indices sampled with self's rows as weights.") { x, a in
            t(try TorchRandom.multinomial(x, numSamples: try a.int(1), replacement: TV.bool(a[2]), generator: try gen(a, "multinomial")))
        }
    }
}

/// A `torch.Generator`: its own MT19937 stream, or the default one.
final class GeneratorObject: HostObject {
    let generator: TensorCore.Generator
    init(_ g: TensorCore.Generator) { generator = g }
    var typeName: String { "Generator" }

    func repr() -> String {
        let address = UInt(bitPattern: ObjectIdentifier(generator).hashValue)
        return "<torch._C.Generator object at 0x\(String(address, radix: 16))>"
    }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        let g = generator
        func m(_ params: [Param] = [], _ doc: String, _ body: @escaping (BoundArgs) throws -> Value) -> Value {
            .builtin(Builtin(path: "Generator.\(name)", signature: Signature(name, params, doc: doc), body: body))
        }
        switch name {
        case "manual_seed":
            return m([P("seed")], "Seeds this generator; returns it.") { [self] a in
                g.manualSeed(try RandomBindings.seed(a[0], in: "manual_seed")); return .object(self)
            }
        case "seed": return m([], "Seeds non-deterministically; returns the seed.") { _ in RandomBindings.seedValue(g.seed()) }
        case "initial_seed": return m([], "This generator's seed.") { _ in RandomBindings.seedValue(g.initialSeed) }
        case "get_state": return m([], "This generator's state.") { _ in .tensor(try RandomBindings.stateTensor(g)) }
        case "set_state":
            return m([P("new_state")], "Restores this generator's state.") { [self] a in
                try RandomBindings.setState(g, a[0], in: "set_state"); return .object(self)
            }
        case "device": return .object(DeviceObject.cpu)
        default: return nil
        }
    }
}

/// `with torch.random.fork_rng():` — the default generator's state is put back on exit.
final class ForkRNG: HostObject {
    let enabled: Bool
    var saved: [([UInt8])] = []
    init(enabled: Bool) { self.enabled = enabled }
    var typeName: String { "_GeneratorContextManager" }
    func enter(_ interp: Interpreter) throws -> Value? {
        saved.append(enabled ? TensorCore.Generator.default.getState() : [])
        return Value.none
    }
    func exit(_ interp: Interpreter) throws {
        if let s = saved.popLast(), !s.isEmpty { try TensorCore.Generator.default.setState(s) }
    }
}
