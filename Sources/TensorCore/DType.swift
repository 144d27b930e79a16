/// Element types of a tensor, named as PyTorch names them.
/// float32 is the fast path everywhere; the others may take slower generic loops.
public enum DType: String, Sendable, Equatable, CaseIterable {
    case float32
    case int64
    case bool
    case float64
    case float16
    case int32
    case uint8

    /// Bytes one element takes in storage.
    public var itemSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16: return 2
        case .bool, .uint8: return 1
        }
    }

    /// `torch.float32`, as `print(x.dtype)` shows it.
    public var torchName: String { "torch.\(rawValue)" }

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 || self == .float16 }

    /// Integer types, bool excluded.
    public var isIntegral: Bool { self == .int64 || self == .int32 || self == .uint8 }

    /// PyTorch's short type names used in messages (`Float`, `Long`, `Byte`, ...).
    public var scalarTypeName: String {
        switch self {
        case .float32: return "Float"
        case .float64: return "Double"
        case .float16: return "Half"
        case .int64: return "Long"
        case .int32: return "Int"
        case .uint8: return "Byte"
        case .bool: return "Bool"
        }
    }

    /// Position in the promotion lattice; for these seven types it is a total order.
    private var rank: Int {
        switch self {
        case .bool: return 0
        case .uint8: return 1
        case .int32: return 2
        case .int64: return 3
        case .float16: return 4
        case .float32: return 5
        case .float64: return 6
        }
    }

    /// PyTorch's `promote_types` for two tensor dtypes.
    public static func promote(_ a: DType, _ b: DType) -> DType { a.rank >= b.rank ? a : b }

    /// PyTorch's `result_type` over operands: dimensioned tensors first, then 0-dim
    /// tensors, then Python numbers, each later group counting only when it is of a
    /// higher category (bool < integer < floating); a Python float counts as float32.
    public static func resultType(_ operands: [Tensor]) -> DType {
        var dim: DType?, zero: DType?, wrapped: DType?
        for t in operands {
            if t.isWrappedNumber {
                let d: DType = t.dtype.isFloatingPoint ? .float32 : t.dtype
                wrapped = wrapped.map { promote($0, d) } ?? d
            } else if t.rank == 0 {
                zero = zero.map { promote($0, t.dtype) } ?? t.dtype
            } else {
                dim = dim.map { promote($0, t.dtype) } ?? t.dtype
            }
        }
        return combine(dim, combine(zero, wrapped)) ?? .float32
    }

    public static func resultType(_ a: Tensor, _ b: Tensor) -> DType { resultType([a, b]) }

    /// c10's `combine_categories(higher, lower)`.
    static func combine(_ higher: DType?, _ lower: DType?) -> DType? {
        guard let higher else { return lower }
        guard let lower else { return higher }
        if higher.isFloatingPoint { return higher }
        if higher == .bool || lower.isFloatingPoint { return promote(higher, lower) }
        return higher
    }
}
