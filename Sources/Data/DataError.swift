/// Errors of the data pipeline, in PyTorch's words; the language layer
/// shows each as the Python exception named by its case.
public enum DataError: Error, Equatable, CustomStringConvertible, Sendable {
    case value(String)     // ValueError
    case type(String)      // TypeError
    case index(String)     // IndexError
    case runtime(String)   // RuntimeError
    case io(String)        // IOError (files of data sets)
    case assertion(String) // AssertionError
    /// A dict key missing from a later item of a batch (`KeyError: 'x'`).
    case keyText(String)

    static func key(_ k: Sample) -> DataError {
        if case .string(let s) = k { return .keyText("'\(s)'") }
        if case .int(let i) = k { return .keyText("\(i)") }
        return .keyText(k.typeName)
    }

    public var description: String {
        switch self {
        case .value(let m), .type(let m), .index(let m), .runtime(let m), .io(let m), .assertion(let m), .keyText(let m): return m
        }
    }
}
