import TensorCore
import Data

/// Values of the language as the data pipeline's samples and back, and a
/// user's `Dataset` subclass (`__len__`, `__getitem__`) as a `Data.Dataset`.
enum DataValues {
    static func sample(_ v: Value) -> Sample {
        switch v {
        case .none: return .none
        case .tensor(let t): return .tensor(t)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .bool(let b): return .bool(b)
        case .str(let s): return .string(s)
        case .tuple(let items): return .tuple(items.map(sample))
        case .list(let box): return .list(box.items.map(sample))
        case .dict(let d): return .dict(d.items.map { (sample($0.0), sample($0.1)) })
        default: return .other(typeName: v.typeName, value: v)
        }
    }

    static func value(_ s: Sample) -> Value {
        switch s {
        case .none: return .none
        case .tensor(let t): return .tensor(t)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .bool(let b): return .bool(b)
        case .string(let x): return .str(x)
        case .tuple(let items): return .tuple(items.map(value))
        case .list(let items): return .list(ListBox(items.map(value)))
        case .dict(let pairs):
            let d = DictBox()
            for (k, v) in pairs {
                let key = value(k)
                if let h = HashKey(key) { d.set(h, key, value(v)) }
            }
            return .dict(d)
        case .other(_, let v): return (v as? Value) ?? Value.none
        }
    }

    /// Any data set value: Tensorpad's own, or an object with `__len__` and `__getitem__`.
    static func dataset(_ v: Value, _ interp: Interpreter, in fn: String) throws -> Dataset {
        if case .object(let o as DatasetObject) = v { return o.dataset }
        switch v {
        case .instance, .list, .tuple, .range, .tensor, .str, .dict: return ScriptDataset(v, interp)
        default: break
        }
        throw typeError("\(fn)(): dataset must be a Dataset (with __len__ and __getitem__), not \(v.typeName)")
    }

    /// The Python value of a data set (the object the user passed, or a new wrapper).
    static func datasetValue(_ d: Dataset) -> Value {
        if let s = d as? ScriptDataset { return s.value }
        return .object(DatasetObject(d))
    }

    /// A list of ints from any iterable (a sampler's indices).
    static func ints(_ v: Value, _ interp: Interpreter, _ what: String) throws -> [Int] {
        try interp.toArray(v).map { x in
            guard let i = interp.integer(x) else {
                throw typeError("\(what) must yield ints, not \(x.typeName)")
            }
            return i
        }
    }

    static func generator(_ v: Value, in fn: String) throws -> Generator? {
        try RandomBindings.generator(v, in: fn)
    }
}

/// A data set written in the language (a `Dataset` subclass, or any object
/// with `__len__` and `__getitem__`, lists included).
final class ScriptDataset: Dataset {
    let value: Value
    unowned let interp: Interpreter
    init(_ value: Value, _ interp: Interpreter) { self.value = value; self.interp = interp }
    func count() throws -> Int { try interp.length(value) }
    func item(_ index: Int) throws -> Sample { DataValues.sample(try interp.getItem(value, .int(index))) }
}

extension LangError {
    /// The data pipeline's errors as the Python exceptions PyTorch raises.
    init(_ e: DataError) {
        switch e {
        case .value(let m): self.init(.ValueError, m)
        case .type(let m): self.init(.TypeError, m)
        case .index(let m): self.init(.IndexError, m)
        case .runtime(let m): self.init(.RuntimeError, m)
        case .io(let m): self.init(.IOError, m)
        case .assertion(let m): self.init(.AssertionError, m)
        case .keyText(let m): self.init(.KeyError, m)
        }
    }
}
