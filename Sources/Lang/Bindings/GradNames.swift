import TensorCore
import NN

/// PyTorch's names for the history of tensor ops called from the language
/// (`grad_fn=<AddBackward0>`), and its rule against in-place writes to
/// leaves that require grad. The names follow PyTorch 2.15's autograd.
enum GradNames {
    @discardableResult
    static func rec(_ out: Tensor, _ name: String, _ inputs: Tensor?...) -> Value {
        .tensor(History.record(out, name, inputs))
    }

    static func binary(_ op: TensorCore.BinaryOp, leftIsNumber: Bool, rightIsNumber: Bool) -> String? {
        switch op {
        case .add: return "AddBackward0"
        case .sub: return leftIsNumber ? "RsubBackward1" : "SubBackward0"
        case .mul: return "MulBackward0"
        case .div: return leftIsNumber ? "MulBackward0" : "DivBackward0"
        case .pow: return leftIsNumber ? "PowBackward2" : (rightIsNumber ? "PowBackward0" : "PowBackward1")
        case .mod: return "RemainderBackward0"
        case .maximum: return "MaximumBackward0"
        case .minimum: return "MinimumBackward0"
        case .floorDiv: return nil
        }
    }

    static func matmul(_ a: Tensor, _ b: Tensor) -> String {
        switch (a.rank, b.rank) {
        case (2, 2): return "MmBackward0"
        case (1, 1): return "DotBackward0"
        case (2, 1): return "MvBackward0"
        case (1, 2): return "SqueezeBackward4"
        default: return "UnsafeViewBackward0"
        }
    }

    /// The last op PyTorch applies for `x[items]`.
    static func index(_ items: [IndexItem]) -> String {
        var name: String?
        var sawSlice = false
        for it in items {
            switch it {
            case .tensor: return "IndexBackward0"
            case .int: name = "SelectBackward0"
            case .newAxis: name = "UnsqueezeBackward0"
            case .slice(let a, let b, let c):
                sawSlice = true
                if a != nil || b != nil || (c != nil && c != 1) { name = "SliceBackward0" }
            case .ellipsis: break
            }
        }
        return name ?? (sawSlice ? "SliceBackward0" : "AliasBackward0")
    }

    /// PyTorch refuses in-place writes to a leaf that requires grad (outside no_grad).
    static func checkInPlace(_ t: Tensor) throws {
        if GradMode.enabled && t.requiresGrad && t.gradFn == nil {
            throw LangError(.RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation.")
        }
    }

    /// An in-place op on a tensor with history: its grad_fn becomes that op's.
    static func afterInPlace(_ t: Tensor, _ name: String, _ other: Tensor? = nil) {
        if t.requiresGrad || other?.requiresGrad == true { History.rename(t, name, extraInputs: [other]) }
    }
}
