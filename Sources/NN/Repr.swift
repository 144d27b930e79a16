import TensorCore

/// An int-or-tuple argument kept as the user gave it, because PyTorch's
/// reprs print some as given (`kernel_size=2`) and some expanded (`(2, 2)`).
public enum IntOrTuple: Equatable, CustomStringConvertible, Sendable {
    case int(Int)
    case tuple([Int])

    /// The values for n spatial dims (`_pair`, `_single`).
    public func expand(_ n: Int) -> [Int] {
        switch self {
        case .int(let v): return [Int](repeating: v, count: n)
        case .tuple(let v): return v
        }
    }

    public var description: String {
        switch self {
        case .int(let v): return "\(v)"
        case .tuple(let v): return PyFormat.tuple(v)
        }
    }

    /// Checks the length of a tuple form for n spatial dims.
    public func checked(_ n: Int, name: String) throws -> [Int] {
        let v = expand(n)
        guard v.count == n else {
            throw TensorError.value("\(name) must be an int or a tuple of \(n) ints, but got \(description)")
        }
        return v
    }
}

/// PyTorch's `_addindent`: indents every line but the first by n spaces.
func addIndent(_ s: String, _ n: Int) -> String {
    let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.count > 1 else { return s }
    let pad = String(repeating: " ", count: n)
    return lines[0] + "\n" + lines.dropFirst().map { pad + $0 }.joined(separator: "\n")
}
