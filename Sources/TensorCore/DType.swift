/// Element types of a tensor, named as PyTorch names them.
public enum DType: String, Sendable, Equatable, CaseIterable {
    case float32
    case int64
    case bool

    /// Bytes one element takes in storage.
    public var itemSize: Int {
        switch self {
        case .float32: return 4
        case .int64: return 8
        case .bool: return 1
        }
    }

    /// `torch.float32`, as `print(x.dtype)` shows it.
    public var torchName: String { "torch.\(rawValue)" }

    public var isFloatingPoint: Bool { self == .float32 }

    /// PyTorch's type promotion for two tensor operands.
    public static func promote(_ a: DType, _ b: DType) -> DType {
        if a == .float32 || b == .float32 { return .float32 }
        if a == .int64 || b == .int64 { return .int64 }
        return .bool
    }
}
