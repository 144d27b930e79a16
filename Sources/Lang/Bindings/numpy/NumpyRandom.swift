import TensorCore

/// `np.random`: the legacy functions on one global `RandomState` (NumPy's
/// Mersenne Twister, the polar method with its cached value), `RandomState(seed)`
/// objects with the same methods, and `default_rng(seed)` (PCG64 seeded through
/// SeedSequence). The streams are TensorCore's (`NumPyRandomState`,
/// `NumPyGenerator`), bit for bit NumPy's.
enum NumpyRandom {
    typealias Method = (name: String, params: [Param], varargs: String?, doc: String,
                        body: (NumPyRandomState, BoundArgs) throws -> Value)

    static func install(_ r: Registry) {
        for m in legacy {
            r.register(path: "numpy.random.\(m.name)", signature: Signature(m.name, m.params, varargs: m.varargs, doc: m.doc)) { a in
                try m.body(NumPyRandomState.global, a)
            }
        }
        r.register(path: "numpy.random.RandomState", signature: Signature("RandomState", [P("seed", .none)],
                                                                         doc: "A legacy Mersenne Twister generator of its own."),
                   typeName: "RandomState") { a in
            let g = NumPyRandomState(entropy: ())
            try seed(g, a[0])
            return .object(RandomStateObject(g))
        }
        r.register(path: "numpy.random.default_rng", signature: Signature("default_rng", [P("seed", .none)],
                                                                         doc: "A Generator on PCG64, seeded through SeedSequence.")) { a in
            if a[0].isNone { return .object(NPGeneratorObject(NumPyGenerator())) }
            return .object(NPGeneratorObject(NumPyGenerator(seed: try NumPyGenerator.checkedSeed(try a.int(0)))))
        }
    }

    static func seed(_ g: NumPyRandomState, _ v: Value) throws {
        switch v {
        case .none: g.mt = NumPyRandomState(entropy: ()).mt; g.hasGauss = false
        case .int, .bool: g.seed(try NumPyRandomState.checkedSeed(try Convert.int(v, what: "seed", in: "seed")))
        default:
            let words = try NP.array(v, in: "seed", dtype: .int64)
            let ints = try words.flatten().toInt64s()
            guard ints.allSatisfy({ $0 >= 0 && $0 <= Int64(UInt32.max) }) else {
                throw valueError("Seed must be between 0 and 2**32 - 1")
            }
            g.seed(key: ints.map { UInt32($0) })
        }
    }

    /// `size=`: None (one value), an int or a tuple of ints.
    static func size(_ v: Value, in fn: String) throws -> [Int]? {
        if v.isNone { return nil }
        let s = try NumpyBindings.shape(v, in: fn)
        guard s.allSatisfy({ $0 >= 0 }) else { throw valueError("negative dimensions are not allowed") }
        return s
    }

    static func count(_ shape: [Int]?) -> Int { shape.map { $0.reduce(1, *) } ?? 1 }

    /// Floats as an array of `shape`, or one Python float when `shape` is nil.
    static func floats(_ values: [Double], _ shape: [Int]?) throws -> Value {
        guard let shape else { return .float(values.first ?? 0) }
        let t = try Tensor(zeros: shape, dtype: .float64)
        for (i, v) in values.enumerated() { t.storage.doubles[i] = v }
        return NDArray.array(t)
    }

    static func ints(_ values: [Int64], _ shape: [Int]?, scalar: Bool = false) throws -> Value {
        guard let shape else {
            let v = values.first ?? 0
            return scalar ? .object(NDArray(.scalar(int: v), scalar: true)) : .int(Int(v))
        }
        return NDArray.array(try Tensor(ints: values, shape: shape))
    }

    /// The population of `choice`/`permutation`: an int n (arange(n)) or a 1-D+ array.
    static func population(_ v: Value, in fn: String) throws -> Tensor? {
        switch v {
        case .int, .bool: return nil
        default: return try NP.array(v, in: fn)
        }
    }

    /// Rows of `t` in the order of `order` (a copy).
    static func rows(_ t: Tensor, _ order: [Int64]) throws -> Tensor {
        try t.index([.tensor(try Tensor(ints: order, shape: [order.count]))])
    }

    /// `shuffle(x)`: a list, or an array along its first axis, in place.
    static func shuffle(_ v: Value, shuffleIndices: (inout [Int]) -> Void, in fn: String) throws {
        switch v {
        case .list(let box):
            var idx = Array(box.items.indices); shuffleIndices(&idx)
            box.items = idx.map { box.items[$0] }
        case .object(let a as NDArray) where a.t.rank > 0 && !a.isScalar:
            var idx = Array(0..<a.t.shape[0]); shuffleIndices(&idx)
            let copy = try rows(a.t, idx.map { Int64($0) })
            try a.t.indexAssign([.ellipsis], copy)
        default:
            throw typeError("\(fn)(): x must be a list or an array with at least one dimension, not \(v.typeName)")
        }
    }

    static func permutation(_ v: Value, perm: (Int) -> [Int64], in fn: String) throws -> Value {
        guard let t = try population(v, in: fn) else {
            return NDArray.array(try Tensor(ints: perm(try Convert.int(v, what: "x", in: fn)), shape: [try Convert.int(v, what: "x", in: fn)]))
        }
        guard t.rank > 0 else { throw LangError(.IndexError, "x must be an integer or at least 1-dimensional") }
        return NDArray.array(try rows(t, perm(t.shape[0])))
    }

    static let legacy: [Method] = [
        ("seed", [P("seed", .none)], nil, "Seeds the global generator (None: from the OS).", { g, a in try seed(g, a[0]); return .none }),
        ("rand", [], "d", "Uniform floats in [0, 1) of shape d0, d1, ...", { g, a in
            let s = a.varargs.isEmpty ? nil : try TV.ints(.tuple(a.varargs), "d", in: "rand")
            return try floats(g.random(count(s)), s)
        }),
        ("randn", [], "d", "Standard normal floats of shape d0, d1, ...", { g, a in
            let s = a.varargs.isEmpty ? nil : try TV.ints(.tuple(a.varargs), "d", in: "randn")
            return try floats(g.randn(count(s)), s)
        }),
        ("random", [P("size", .none)], nil, "Uniform floats in [0, 1).", { g, a in
            let s = try size(a[0], in: "random"); return try floats(g.random(count(s)), s)
        }),
        ("random_sample", [P("size", .none)], nil, "Uniform floats in [0, 1).", { g, a in
            let s = try size(a[0], in: "random_sample"); return try floats(g.random(count(s)), s)
        }),
        ("standard_normal", [P("size", .none)], nil, "Standard normal floats.", { g, a in
            let s = try size(a[0], in: "standard_normal"); return try floats(g.randn(count(s)), s)
        }),
        ("normal", [P("loc", .float(0)), P("scale", .float(1)), P("size", .none)], nil, "Normal floats with mean loc and standard deviation scale.", { g, a in
            let s = try size(a[2], in: "normal")
            return try floats(try g.normal(loc: try a.double(0), scale: try a.double(1), count(s)), s)
        }),
        ("uniform", [P("low", .float(0)), P("high", .float(1)), P("size", .none)], nil, "Uniform floats in [low, high).", { g, a in
            let s = try size(a[2], in: "uniform")
            return try floats(try g.uniform(low: try a.double(0), high: try a.double(1), count(s)), s)
        }),
        ("randint", [P("low"), P("high", .none), P("size", .none), P("dtype", .none)], nil, "Random ints in [low, high).", { g, a in
            if !a[3].isNone, let d = try NP.dtype(a[3], in: "randint"), d != .int64 {
                throw typeError("randint(): Tensorpad draws int64 only, not \(d.rawValue)")
            }
            var low = try a.int(0), high = a[1].isNone ? 0 : try a.int(1)
            if a[1].isNone { high = low; low = 0 }
            let s = try size(a[2], in: "randint")
            return try ints(try g.randint(low: Int64(low), high: Int64(high), count(s)), s)
        }),
        ("choice", [P("a"), P("size", .none), P("replace", .bool(true)), P("p", .none)], nil, "A random sample from a 1-D array or arange(a).", { g, a in
            let pop = try population(a[0], in: "choice")
            let n = try pop.map { t -> Int in
                guard t.rank == 1 else { throw valueError("a must be 1-dimensional") }
                return t.shape[0]
            } ?? Convert.int(a[0], what: "a", in: "choice")
            guard pop != nil || n >= 0 else { throw valueError("a must be greater than 0 unless no samples are taken") }
            let p = a[3].isNone ? nil : try NP.array(a[3], in: "choice", dtype: .float64).flatten().toDoubles()
            let s = try size(a[1], in: "choice")
            let idx = try g.choice(n, size: count(s), replace: TV.bool(a[2]), p: p)
            guard let pop else { return try ints(idx, s) }
            let picked = try pop.index([.tensor(try Tensor(ints: idx, shape: s ?? []))])
            return .object(NDArray(picked, scalar: s == nil))
        }),
        ("shuffle", [P("x")], nil, "Shuffles a list or an array's first axis in place.", { g, a in
            try shuffle(a[0], shuffleIndices: { g.shuffle(&$0) }, in: "shuffle"); return .none
        }),
        ("permutation", [P("x")], nil, "A shuffled arange(x), or a shuffled copy of an array.", { g, a in
            try permutation(a[0], perm: { g.permutation($0) }, in: "permutation")
        }),
    ]
}

/// `np.random.RandomState(seed)`.
final class RandomStateObject: HostObject {
    let g: NumPyRandomState
    init(_ g: NumPyRandomState) { self.g = g }
    var typeName: String { "RandomState" }
    func repr() -> String { "RandomState(MT19937)" }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        guard let m = NumpyRandom.legacy.first(where: { $0.name == name }) else { return nil }
        let g = self.g
        return .builtin(Builtin(path: "RandomState.\(name)", signature: Signature(name, m.params, varargs: m.varargs, doc: m.doc)) { a in
            try m.body(g, a)
        })
    }
}

/// `np.random.default_rng(seed)`: a Generator on PCG64.
final class NPGeneratorObject: HostObject {
    let g: NumPyGenerator
    init(_ g: NumPyGenerator) { self.g = g }
    var typeName: String { "Generator" }
    func repr() -> String { "Generator(PCG64)" }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        let g = self.g
        func m(_ params: [Param], _ doc: String, _ body: @escaping (BoundArgs) throws -> Value) -> Value {
            .builtin(Builtin(path: "Generator.\(name)", signature: Signature(name, params, doc: doc), body: body))
        }
        switch name {
        case "random":
            return m([P("size", .none)], "Uniform floats in [0, 1).") { a in
                let s = try NumpyRandom.size(a[0], in: name); return try NumpyRandom.floats(g.random(NumpyRandom.count(s)), s)
            }
        case "standard_normal":
            return m([P("size", .none)], "Standard normal floats (NumPy's ziggurat).") { a in
                let s = try NumpyRandom.size(a[0], in: name); return try NumpyRandom.floats(g.standardNormal(NumpyRandom.count(s)), s)
            }
        case "normal":
            return m([P("loc", .float(0)), P("scale", .float(1)), P("size", .none)], "Normal floats.") { a in
                let s = try NumpyRandom.size(a[2], in: name)
                return try NumpyRandom.floats(try g.normal(loc: try a.double(0), scale: try a.double(1), NumpyRandom.count(s)), s)
            }
        case "uniform":
            return m([P("low", .float(0)), P("high", .float(1)), P("size", .none)], "Uniform floats in [low, high).") { a in
                let s = try NumpyRandom.size(a[2], in: name)
                return try NumpyRandom.floats(try g.uniform(low: try a.double(0), high: try a.double(1), NumpyRandom.count(s)), s)
            }
        case "integers":
            return m([P("low"), P("high", .none), P("size", .none), P("dtype", .none), P("endpoint", .bool(false))], "Random ints in [low, high).") { a in
                if !a[3].isNone, let d = try NP.dtype(a[3], in: name), d != .int64 {
                    throw typeError("integers(): Tensorpad draws int64 only, not \(d.rawValue)")
                }
                var low = try a.int(0), high = a[1].isNone ? 0 : try a.int(1)
                if a[1].isNone { high = low; low = 0 }
                let s = try NumpyRandom.size(a[2], in: name)
                let v = try g.integers(low: Int64(low), high: Int64(high), NumpyRandom.count(s), endpoint: TV.bool(a[4]))
                return try NumpyRandom.ints(v, s, scalar: true)
            }
        case "permutation":
            return m([P("x")], "A shuffled arange(x), or a shuffled copy of an array.") { a in
                try NumpyRandom.permutation(a[0], perm: { g.permutation($0) }, in: name)
            }
        case "shuffle":
            return m([P("x")], "Shuffles a list or an array's first axis in place.") { a in
                try NumpyRandom.shuffle(a[0], shuffleIndices: { g.shuffle(&$0) }, in: name); return .none
            }
        default: return nil
        }
    }
}
