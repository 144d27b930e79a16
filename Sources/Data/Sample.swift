import TensorCore

/// One item of a data set, or one batch, as the data pipeline sees it: the
/// values `__getitem__` returns in PyTorch (tensors, numbers, strings, and
/// tuples, lists and dicts of them). The language layer converts its values
/// to and from samples; anything else travels as `.other` untouched, so a
/// user's `collate_fn` still sees it.
public indirect enum Sample {
    case none
    case tensor(Tensor)
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    case tuple([Sample])
    case list([Sample])
    /// Keys in insertion order.
    case dict([(key: Sample, value: Sample)])
    /// A value of the language that the pipeline only carries: its Python type name, and the value.
    case other(typeName: String, value: Any)

    /// Python's `type(x).__name__` of the value this sample stands for.
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .tensor: return "Tensor"
        case .int: return "int"
        case .float: return "float"
        case .bool: return "bool"
        case .string: return "str"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .other(let t, _): return t
        }
    }

    /// `<class 'torch.Tensor'>`, as PyTorch's messages name a type.
    public var className: String {
        switch self {
        case .tensor: return "<class 'torch.Tensor'>"
        default: return "<class '\(typeName)'>"
        }
    }

    /// Equality of dict keys (strings, numbers, tuples of them).
    static func sameKey(_ a: Sample, _ b: Sample) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.int(let x), .float(let y)), (.float(let y), .int(let x)): return Double(x) == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.none, .none): return true
        case (.tuple(let x), .tuple(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameKey($0, $1) }
        default: return false
        }
    }

    /// The value under `key` in a dict sample.
    public func value(forKey key: Sample) -> Sample? {
        guard case .dict(let pairs) = self else { return nil }
        return pairs.first { Sample.sameKey($0.key, key) }?.value
    }
}
