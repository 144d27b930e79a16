import Syntax
import TensorCore

/// NumPy arrays of strings (`np.array(['a', 'bc'])`, dtype `<U2`): kept apart from the
/// numeric `NDArray` (they have no tensor storage), with NumPy 2's printing, indexing by
/// ints and slices, `==`/`!=` against a str, `np.unique`, `tolist`, `len`, iteration, and
/// NumPy's TypeError for arithmetic. An element comes back as a plain `str` (NumPy's
/// `np.str_`, whose repr differs).
final class StringArray: HostObject, HostStr, HostIterable {
    let shape: [Int]
    let items: [String]
    var typeName: String { "ndarray" }

    init(shape: [Int], items: [String]) { self.shape = shape; self.items = items }

    /// `<U` and the longest string's length (at least 1, as NumPy's).
    var dtypeText: String { "<U\(max(1, items.map { $0.unicodeScalars.count }.max() ?? 0))" }

    /// The array a nested list or tuple of strings makes, or nil when it holds anything else.
    static func make(_ v: Value, _ interp: Interpreter) throws -> StringArray? {
        var shape: [Int] = [], items: [String] = [], sawString = false
        func walk(_ x: Value, depth: Int) throws -> Bool {
            switch x {
            case .str(let s):
                guard depth == shape.count else { throw valueError("setting an array element with a sequence. The requested array has an inhomogeneous shape after \(depth) dimensions.") }
                items.append(s)
                sawString = true
                return true
            case .list, .tuple:
                let parts = try interp.toArray(x)
                if depth == shape.count { shape.append(parts.count) } else if depth > shape.count || shape[depth] != parts.count {
                    throw valueError("setting an array element with a sequence. The requested array has an inhomogeneous shape after \(depth) dimensions.")
                }
                for p in parts { guard try walk(p, depth: depth + 1) else { return false } }
                return true
            default:
                return false
            }
        }
        guard case .list = v, try walk(v, depth: 0), sawString else {
            if case .tuple = v, try walk(v, depth: 0), sawString { return StringArray(shape: shape, items: items) }
            return nil
        }
        return StringArray(shape: shape, items: items)
    }

    // MARK: printing (NumPy 2: repr `array(['a', 'bc'], dtype='<U2')`, str `['a' 'bc']`)

    func body(_ separator: String, _ indent: Int) -> String {
        func quoted(_ s: String) -> String { Printing.repr(.str(s)) }
        func level(_ dim: Int, _ start: Int, _ count: Int) -> String {
            if dim == shape.count - 1 {
                return "[" + items[start..<(start + count)].map(quoted).joined(separator: separator) + "]"
            }
            let inner = count / max(shape[dim], 1)
            let rows = (0..<shape[dim]).map { level(dim + 1, start + $0 * inner, inner) }
            let pad = String(repeating: " ", count: indent + dim + 1)
            let gap = String(repeating: "\n", count: shape.count - dim - 1)
            return "[" + rows.joined(separator: separator.trimmingCharacters(in: .whitespaces) + gap + pad) + "]"
        }
        if shape.isEmpty { return quoted(items.first ?? "") }
        return level(0, 0, items.count)
    }

    func repr() -> String { "array(\(body(", ", 6)), dtype='\(dtypeText)')" }

    func str() -> String { body(" ", 0) }

    // MARK: access

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "shape": return .tuple(shape.map { .int($0) })
        case "ndim": return .int(shape.count)
        case "size": return .int(items.count)
        case "dtype": return .str(dtypeText)
        case "tolist":
            return .builtin(Builtin(path: "ndarray.tolist", signature: Signature("tolist", doc: "The array as nested lists of str.")) { [self] _ in
                tolist()
            })
        default: return nil
        }
    }

    func tolist() -> Value {
        func level(_ dim: Int, _ start: Int, _ count: Int) -> Value {
            if dim == shape.count { return .str(items[start]) }
            let inner = count / max(shape[dim], 1)
            return .list(ListBox((0..<shape[dim]).map { level(dim + 1, start + $0 * inner, inner) }))
        }
        return level(0, 0, items.count)
    }

    /// Row `i` along the first axis: a str for 1-D arrays, else an array.
    func row(_ i: Int) -> Value {
        let inner = items.count / max(shape[0], 1)
        let part = Array(items[(i * inner)..<((i + 1) * inner)])
        return shape.count == 1 ? .str(part[0]) : adopt(StringArray(shape: Array(shape.dropFirst()), items: part))
    }

    func adopt(_ a: StringArray) -> Value {
        a.interpreter = interpreter
        return .object(a)
    }

    func item(_ key: Value, _ interp: Interpreter) throws -> Value {
        guard let n = shape.first else { throw LangError(.IndexError, "too many indices for array: array is 0-dimensional, but 1 were indexed") }
        switch key {
        case .int(var i):
            if i < 0 { i += n }
            guard i >= 0 && i < n else { throw LangError(.IndexError, "index \(i < 0 ? i - n : i) is out of bounds for axis 0 with size \(n)") }
            return row(i)
        case .bool(let b):
            return try item(.int(b ? 1 : 0), interp)
        case .tuple(let keys):
            var v: Value = .object(self)
            for (k, key) in keys.enumerated() {
                guard case .object(let a as StringArray) = v else {
                    throw LangError(.IndexError, "too many indices for array: array is \(shape.count)-dimensional, but \(keys.count) were indexed")
                }
                if case .slice = key, k < keys.count - 1 {
                    throw LangError(.NotImplementedError, "a slice before another index of a string array is not available in Tensorpad")
                }
                v = try a.item(key, interp)
            }
            return v
        case .slice(let s):
            let (start, _, step, count) = try interp.sliceIndices(s, n)
            let picked = (0..<count).map { start + $0 * step }
            let inner = items.count / max(n, 1)
            let part = picked.flatMap { items[($0 * inner)..<(($0 + 1) * inner)] }
            return adopt(StringArray(shape: [picked.count] + shape.dropFirst(), items: part))
        default:
            throw LangError(.IndexError, "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices")
        }
    }

    func makeIterator() throws -> IteratorBox {
        var i = 0
        let n = shape.first ?? 0
        return IteratorBox(typeName: "iterator") { [self] in
            guard i < n else { return nil }
            defer { i += 1 }
            return row(i)
        }
    }

    /// `a == 'x'`: a bool array (NDArray) of the same shape.
    func compare(_ op: Syntax.CompareOp, _ other: Value) throws -> Value? {
        guard op == .eq || op == .ne else { return nil }
        let flags: [Bool]
        switch other {
        case .str(let s): flags = items.map { ($0 == s) == (op == .eq) }
        case .object(let o as StringArray) where o.shape == shape:
            flags = zip(items, o.items).map { ($0 == $1) == (op == .eq) }
        default: flags = items.map { _ in op == .ne }
        }
        return NDArray.result(try Tensor(bools: flags, shape: shape))
    }

    static func install(_ r: Registry) {
        let hooks = r.hooks
        let getItem = hooks.getItem, length = hooks.length, compare = hooks.compare, binary = hooks.binary
        hooks.getItem = { v, k in
            if case .object(let a as StringArray) = v, let interp = a.interpreter { return try a.item(k, interp) }
            return try getItem?(v, k)
        }
        hooks.length = { v in
            if case .object(let a as StringArray) = v {
                guard let n = a.shape.first else { throw typeError("len() of unsized object") }
                return n
            }
            return try length?(v)
        }
        hooks.compare = { op, x, y in
            if case .object(let a as StringArray) = x { return try a.compare(op, y) }
            if case .object(let a as StringArray) = y { return try a.compare(op, x) }
            return try compare?(op, x, y)
        }
        hooks.binary = { op, x, y in
            if case .object(let a as StringArray) = x { throw Self.noLoop(op, "dtype('\(a.dtypeText)')", Self.dtypeName(y)) }
            if case .object(let a as StringArray) = y { throw Self.noLoop(op, Self.dtypeName(x), "dtype('\(a.dtypeText)')") }
            return try binary?(op, x, y)
        }
        // np.array / np.asarray of strings, np.unique of a string array.
        for name in ["array", "asarray"] {
            guard case .builtin(let b)? = r.lookup("numpy.\(name)") else { continue }
            r.register(path: "numpy.\(name)", signature: b.signature) { a in
                if a[1].isNone, let s = try make(a[0], a.interpreter) { s.interpreter = a.interpreter; return .object(s) }
                if case .object(let s as StringArray) = a[0] { return .object(s) }
                return try b.body(a)
            }
        }
        if case .builtin(let b)? = r.lookup("numpy.unique") {
            r.register(path: "numpy.unique", signature: b.signature) { a in
                guard case .object(let s as StringArray) = a[0] else { return try b.body(a) }
                let u = Array(Set(s.items)).sorted { $0.unicodeScalars.map(\.value).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
                return s.adopt(StringArray(shape: [u.count], items: u))
            }
        }
    }

    /// NumPy's TypeError for arithmetic on strings.
    static func noLoop(_ op: Syntax.BinaryOp, _ a: String, _ b: String) -> LangError {
        let names: [Syntax.BinaryOp: String] = [.add: "add", .sub: "subtract", .mul: "multiply", .div: "divide",
                                         .floorDiv: "floor_divide", .mod: "remainder", .pow: "power", .matmul: "matmul"]
        if op == .mul {
            return LangError(.TypeError, "The 'out' kwarg is necessary when using the string multiply ufunc directly. Use numpy.strings.multiply to multiply strings without specifying 'out'.")
        }
        return LangError(.TypeError, "ufunc '\(names[op] ?? op.rawValue)' did not contain a loop with signature matching types (\(a), \(b)) -> None")
    }

    static func dtypeName(_ v: Value) -> String {
        switch v {
        case .int: return "dtype('int64')"
        case .float: return "dtype('float64')"
        case .bool: return "dtype('bool')"
        case .str(let s): return "dtype('<U\(max(1, s.unicodeScalars.count))')"
        case .object(let a as StringArray): return "dtype('\(a.dtypeText)')"
        default: return "dtype('O')"
        }
    }

    /// The session that made the array (indexing needs its slice rules).
    weak var interpreter: Interpreter?
}
