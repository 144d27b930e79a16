import TensorCore

/// Python's `random` module (`import random`) and `random.Random(seed)`: the
/// functions of random.py on CPython's Mersenne Twister, so that seeded programs
/// draw Python's numbers.
enum RandomModule {
    typealias Method = (name: String, params: [Param], keywordOnly: [Param], doc: String,
                        body: (PythonRandom, BoundArgs) throws -> Value)

    static func install(_ r: Registry) {
        for m in methods {
            r.register(path: "random.\(m.name)", signature: Signature(m.name, m.params, keywordOnly: m.keywordOnly, doc: m.doc)) { a in
                try m.body(PythonRandom.global, a)
            }
        }
        r.register(path: "random.Random", signature: Signature("Random", [P("x", .none)], doc: "A random generator of its own.")) { a in
            let g = PythonRandom()
            try seed(g, a[0])
            return .object(RandomObject(g))
        }
    }

    /// `seed(a)`: None (the OS), an int or a bool.
    static func seed(_ g: PythonRandom, _ v: Value) throws {
        switch v {
        case .none: g.seedFromSystem()
        case .int(let i): g.seed(i)
        case .bool(let b): g.seed(b ? 1 : 0)
        default:
            throw typeError("random.seed(): Tensorpad seeds with None or an int, not \(v.typeName)")
        }
    }

    static func int(_ a: BoundArgs, _ i: Int) throws -> Int { try a.int(i) }

    /// A sequence argument's items (list, tuple, range, str, tensor rows).
    static func items(_ v: Value, _ interp: Interpreter, in fn: String) throws -> [Value] {
        switch v {
        case .dict: throw typeError("Population must be a sequence.  For dicts or sets, use sorted(d).")
        default: return try interp.toArray(v)
        }
    }

    static let methods: [Method] = [
        ("seed", [P("a", .none), P("version", .int(2))], [], "Seeds the generator (None: from the OS).", { g, a in
            try seed(g, a[0]); return .none
        }),
        ("random", [], [], "A float in [0, 1).", { g, _ in .float(g.random()) }),
        ("getrandbits", [P("k")], [], "An int with k random bits.", { g, a in
            let bits = try g.getrandbits(try a.int(0))
            guard bits <= UInt64(Int.max) else { throw LangError(.OverflowError, "getrandbits(64) does not fit Tensorpad's 64-bit ints") }
            return .int(Int(bits))
        }),
        ("randrange", [P("start"), P("stop", .none), P("step", .int(1))], [], "A random element of range(start, stop, step).", { g, a in
            .int(try g.randrange(try a.int(0), a[1].isNone ? nil : try a.int(1), step: try a.int(2)))
        }),
        ("randint", [P("a"), P("b")], [], "A random int in [a, b], both included.", { g, a in
            .int(try g.randint(try a.int(0), try a.int(1)))
        }),
        ("uniform", [P("a"), P("b")], [], "A float between a and b.", { g, a in .float(g.uniform(try a.double(0), try a.double(1))) }),
        ("triangular", [P("low", .float(0)), P("high", .float(1)), P("mode", .none)], [], "Triangular distribution.", { g, a in
            .float(g.triangular(try a.double(0), try a.double(1), mode: a[2].isNone ? nil : try a.double(2)))
        }),
        ("gauss", [P("mu", .float(0)), P("sigma", .float(1))], [], "Normal distribution (Box–Muller, not thread-safe).", { g, a in
            .float(g.gauss(try a.double(0), try a.double(1)))
        }),
        ("normalvariate", [P("mu", .float(0)), P("sigma", .float(1))], [], "Normal distribution.", { g, a in
            .float(g.normalvariate(try a.double(0), try a.double(1)))
        }),
        ("expovariate", [P("lambd", .float(1))], [], "Exponential distribution.", { g, a in .float(try g.expovariate(try a.double(0))) }),
        ("choice", [P("seq")], [], "A random element of a non-empty sequence.", { g, a in
            let n = try a.interpreter.length(a[0])
            return try a.interpreter.getItem(a[0], .int(try g.choiceIndex(n)))
        }),
        ("choices", [P("population"), P("weights", .none)], [P("cum_weights", .none), P("k", .int(1))],
         "k elements chosen with replacement, optionally weighted.", { g, a in
            let pop = try items(a[0], a.interpreter, in: "choices")
            var cum: [Double]?
            if !a[2].isNone {
                guard a[1].isNone else { throw typeError("Cannot specify both weights and cumulative weights") }
                cum = try a.interpreter.toArray(a[2]).map { try Convert.double($0, what: "cum_weights", in: "choices") }
            } else if !a[1].isNone {
                var s = 0.0
                cum = try a.interpreter.toArray(a[1]).map { s += try Convert.double($0, what: "weights", in: "choices"); return s }
            }
            let idx = try g.choicesIndices(pop.count, cumWeights: cum, k: try a.int(3))
            return .list(ListBox(idx.map { pop[$0] }))
        }),
        ("shuffle", [P("x")], [], "Shuffles a list in place.", { g, a in
            guard case .list(let box) = a[0] else {
                throw typeError("'\(a[0].typeName)' object does not support item assignment")
            }
            g.shuffle(&box.items)
            return .none
        }),
        ("sample", [P("population"), P("k")], [P("counts", .none)], "k unique elements of a sequence.", { g, a in
            var pop = try items(a[0], a.interpreter, in: "sample")
            if !a[2].isNone {
                let counts = try a.interpreter.toArray(a[2]).map { try Convert.int($0, what: "counts", in: "sample") }
                guard counts.count == pop.count else { throw valueError("The number of counts does not match the population") }
                pop = zip(pop, counts).flatMap { Array(repeating: $0, count: Swift.max($1, 0)) }
            }
            let idx = try g.sampleIndices(pop.count, try a.int(1))
            return .list(ListBox(idx.map { pop[$0] }))
        }),
        ("getstate", [], [], "The generator's state, for setstate().", { g, _ in
            let s = g.state
            let words = s.words.map { Value.int(Int($0)) } + [.int(s.index)]
            return .tuple([.int(3), .tuple(words), s.gaussNext.map { .float($0) } ?? .none])
        }),
        ("setstate", [P("state")], [], "Restores a state from getstate().", { g, a in
            guard case .tuple(let t) = a[0], t.count == 3, case .tuple(let words) = t[1], words.count == MT19937.n + 1 else {
                throw valueError("state with version \(a[0].typeName) passed to Random.setstate() of version 3")
            }
            let ints = try words.map { try Convert.int($0, what: "state", in: "setstate") }
            try g.setState(words: ints.prefix(MT19937.n).map { UInt32(truncatingIfNeeded: $0) }, index: ints[MT19937.n],
                           gaussNext: t[2].isNone ? nil : try Convert.double(t[2], what: "state", in: "setstate"))
            return .none
        }),
    ]
}

/// A `random.Random` instance.
final class RandomObject: HostObject {
    let generator: PythonRandom
    init(_ g: PythonRandom) { generator = g }
    var typeName: String { "Random" }
    func repr() -> String { "<random.Random object at 0x\(String(UInt(bitPattern: ObjectIdentifier(self).hashValue), radix: 16))>" }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        guard let m = RandomModule.methods.first(where: { $0.name == name }) else { return nil }
        let g = generator
        return .builtin(Builtin(path: "Random.\(name)", signature: Signature(name, m.params, keywordOnly: m.keywordOnly, doc: m.doc)) { a in
            try m.body(g, a)
        })
    }
}
