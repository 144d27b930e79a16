import TensorCore
import NN

/// `torch.` functions that are not tensor methods: creation, joining, dtypes,
/// grad mode (random ones: `RandomBindings`).
enum TorchFunctions {
    static func t(_ x: Tensor) -> Value { .tensor(x) }

    /// A factory's result with its `requires_grad=` applied (PyTorch's check included).
    static func grad(_ x: Tensor, _ flag: Value) throws -> Value {
        if TV.bool(flag) {
            guard x.dtype.isFloatingPoint else { throw LangError(.RuntimeError, "Only Tensors of floating point and complex dtype can require gradients") }
            x.requiresGrad = true
        }
        return .tensor(x)
    }

    static func install(_ r: Registry) {
        for (name, d) in [("float32", DType.float32), ("float", .float32), ("int64", .int64), ("long", .int64),
                          ("int32", .int32), ("int", .int32), ("bool", .bool), ("float64", .float64), ("double", .float64),
                          ("float16", .float16), ("half", .float16), ("uint8", .uint8)] {
            r.register(path: "torch.\(name)", value: .object(DTypeObject.of(d)))
        }
        let sizeKw = [P("dtype", .none), P("requires_grad", .bool(false))]
        /// `zeros(2, 3)` or `zeros(size=(2, 3))`.
        func shapeArg(_ a: BoundArgs, _ name: String) throws -> [Int] {
            if a.varargs.isEmpty, case let size = a["size"], !size.isNone { return try TV.ints(size, "size", in: name) }
            return try TV.shape(a.varargs, in: name)
        }
        r.torchFunction("tensor", [P("data")], keywordOnly: sizeKw, doc: "A tensor from nested lists of numbers.") { a in
            let x = try TV.fromNested(a[0], dtype: try TV.dtype(a[1], in: "tensor"))
            x.requiresGrad = TV.bool(a[2])
            return t(x)
        }
        for (name, value) in [("zeros", 0.0), ("ones", 1.0), ("empty", 0.0)] {
            r.torchFunction(name, varargs: "size", keywordOnly: sizeKw + [P("size", .none)], doc: name == "empty" ? "A tensor whose values are to be written (zeros here)." : "A tensor filled with \(Int(value))s.") { a in
                let size = try shapeArg(a, name)
                // PyTorch's zeros checks the sizes itself, in its own words (ones and empty do not).
                if name == "zeros", size.contains(where: { $0 < 0 }) {
                    throw LangError(.RuntimeError, "zeros: Dimension size must be non-negative.")
                }
                let x = try Tensor.full(size, value, dtype: try TV.dtype(a[0], in: name) ?? .float32)
                x.requiresGrad = TV.bool(a[1])
                return t(x)
            }
        }
        r.torchFunction("full", [P("size"), P("fill_value")], keywordOnly: sizeKw, doc: "A tensor filled with fill_value.") { a in
            var dt = try TV.dtype(a[2], in: "full")
            if dt == nil { if case .int = a[1] { dt = .int64 } else if case .bool = a[1] { dt = .bool } }
            return try grad(try Tensor.full(try TV.ints(a[0], "size", in: "full"), try TensorMethods.numberOrItem(a[1], "fill_value", in: "full"),
                                            dtype: dt ?? .float32), a[3])
        }
        r.torchFunction("eye", [P("n"), P("m", .none)], keywordOnly: sizeKw, doc: "The identity matrix.") { a in
            try grad(try Tensor.eye(try a.int(0), try TV.optionalInt(a[1], "m", in: "eye"), dtype: try TV.dtype(a[2], in: "eye") ?? .float32), a[3])
        }
        r.torchFunction("arange", [P("start", .int(0)), P("end", .none), P("step", .int(1))], keywordOnly: sizeKw,
                        doc: "Values from start to end (exclusive) by step; int64 when all are ints.") { a in
            var start = a[0], end = a[1]
            if case .none = end { end = start; start = .int(0) }
            let allInts = [start, end, a[2]].allSatisfy { if case .int = $0 { return true }; return false }
            let dt = try TV.dtype(a[3], in: "arange") ?? (allInts ? .int64 : .float32)
            return try grad(try Tensor.arange(start: try Convert.double(start, what: "start", in: "arange"),
                                              end: try Convert.double(end, what: "end", in: "arange"),
                                              step: try a.double(2), dtype: dt), a[4])
        }
        r.torchFunction("linspace", [P("start"), P("end"), P("steps")], keywordOnly: sizeKw, doc: "steps evenly spaced values from start to end.") { a in
            try grad(try Tensor.linspace(try a.double(0), try a.double(1), steps: try a.int(2), dtype: try TV.dtype(a[3], in: "linspace") ?? .float32), a[4])
        }
        let likes: [(String, (Tensor) throws -> Tensor)] = [
            ("zeros_like", { try Tensor.zeros($0.shape, dtype: $0.dtype) }),
            ("ones_like", { try Tensor.ones($0.shape, dtype: $0.dtype) }),
        ]
        for (name, f) in likes {
            r.torchFunction(name, [P("input")], keywordOnly: [P("dtype", .none)], doc: "Like input's shape.") { a in
                let x = try f(try TV.tensor(a[0], in: name))
                return t(try TV.dtype(a[1], in: name).map { try x.to($0) } ?? x)
            }
        }
        r.torchFunction("full_like", [P("input"), P("fill_value")], keywordOnly: [P("dtype", .none)], doc: "Like input, filled.") { a in
            let x = try TV.tensor(a[0], in: "full_like")
            return t(try Tensor.full(x.shape, try a.double(1), dtype: try TV.dtype(a[2], in: "full_like") ?? x.dtype))
        }
        for name in ["cat", "stack"] {
            r.torchFunction(name, [P("tensors"), P("dim", .int(0))], doc: name == "cat" ? "Joins tensors along an existing dim." : "Joins tensors along a new dim.") { a in
                let items: [Value]
                switch a[0] {
                case .list(let l): items = l.items
                case .tuple(let x): items = x
                default: throw typeError("\(name)(): argument 'tensors' must be tuple of Tensors, not \(a[0].typeName)")
                }
                let ts = try items.map { try TV.tensor($0, "tensors", in: name) }
                return .tensor(name == "cat" ? try Functional.cat(ts, dim: try a.int(1)) : try Functional.stack(ts, dim: try a.int(1)))
            }
        }
        r.torchFunction("where", [P("condition"), P("input"), P("other")], doc: "input where condition, else other.") { a in
            let x = try TV.tensor(a[1], in: "where"), y = try TV.tensor(a[2], "other", in: "where")
            return .tensor(try Functional.where(try TV.tensor(a[0], "condition", in: "where"), x, y))
        }
        r.torchFunction("is_tensor", [P("obj")], doc: "True for tensors.") { a in
            if case .tensor = a[0] { return .bool(true) }
            return .bool(false)
        }
        r.torchFunction("get_num_threads", doc: "Threads used by kernels.") { _ in .int(Parallel.threads) }
        r.torchFunction("set_num_threads", [P("int")], doc: "Sets the threads used by kernels.") { a in
            Parallel.setThreads(try a.int(0)); return .none
        }
    }
}
