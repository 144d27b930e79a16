/// Errors raised while reading or writing files. The language layer shows
/// them as `IOError: <reason>`.
public enum FormatError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A file that cannot be read or written, or whose bytes are not what its format promises.
    case io(String)

    public var description: String {
        switch self {
        case .io(let m): return m
        }
    }
}
