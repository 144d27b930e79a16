/// Errors raised while reading or writing files. The language layer shows
/// them as `IOError: <reason>`.
public enum FormatError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A file that cannot be read or written, or whose bytes are not what its format promises.
    case io(String)

    /// A path with a NUL in it (Python's `ValueError: embedded null byte`): C would cut it there.
    public static let nulInPath = FormatError.io("embedded null byte")

    /// Throws `nulInPath` for a path C cannot hold.
    public static func checkPath(_ path: String) throws {
        if path.utf8.contains(0) { throw nulInPath }
    }

    public var description: String {
        switch self {
        case .io(let m): return m
        }
    }
}
