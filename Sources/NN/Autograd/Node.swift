import TensorCore

/// One node of the autograd graph, micrograd's shape: the op's inputs, the
/// tensors its backward reads (with the version each had when saved), and the
/// backward closure, which maps the output's gradient to one gradient per input
/// (nil where an input gets none). PyTorch's name (`AddmmBackward0`) comes from
/// the op that records the node, in `Functional`.
public final class Node: GradNode {
    public let name: String
    /// The op's tensor inputs, in order; nil for optional inputs not given.
    public let inputs: [Tensor?]
    /// Tensors the backward reads and the versions they had: an in-place write since
    /// then makes the backward refuse, as PyTorch's saved-variable check does.
    let saved: [(tensor: Tensor, version: Int, maker: String?)]
    private(set) var backwardFn: ((Tensor) throws -> [Tensor?])?
    /// The tensor this node made (weakly: the tensor owns the node), so a saved output
    /// modified in place is named in the error as PyTorch names it.
    weak var output: Tensor?

    init(name: String, inputs: [Tensor?], saved: [Tensor], backward: @escaping (Tensor) throws -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.saved = saved.map { ($0, $0.version, $0.gradFn?.name) }
        self.backwardFn = backward
    }

    /// Frees what the backward holds (after a backward without `retain_graph`).
    /// Nodes that saved nothing stay usable, as in PyTorch.
    func release() { if !saved.isEmpty { backwardFn = nil } }

    /// `SigmoidBackward0` → `Sigmoid`.
    static func forwardName(_ node: String) -> String {
        let digits = node.reversed().prefix { $0.isNumber }.count
        let stem = node.dropLast(digits)
        return stem.hasSuffix("Backward") ? String(stem.dropLast(8)) : node
    }

    func apply(_ grad: Tensor) throws -> [Tensor?] {
        guard let backwardFn else {
            throw TensorError.runtime("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.")
        }
        for (t, v, savedMaker) in saved where t.version != v {
            // PyTorch names the op that made the saved tensor, without its `Backward0`.
            let maker = savedMaker ?? (output.map { $0.storage === t.storage } == true ? name : nil)
            let what = maker.map { ", which is output 0 of \(Node.forwardName($0))," } ?? ""
            throw TensorError.runtime("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor \(Shape.describe(t.shape))]\(what) is at version \(t.version); expected version \(v) instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
        }
        return try backwardFn(grad)
    }
}

/// Recording: every differentiable op in `Functional` calls `record` once with its
/// result, inputs, what it saved and its backward; the rest is the engine's.
public enum Autograd {
    /// True when an op on these inputs must record history.
    @inline(__always)
    public static func needsGrad(_ inputs: Tensor?...) -> Bool {
        guard GradMode.enabled else { return false }
        for case let t? in inputs where t.requiresGrad { return true }
        return false
    }

    @inline(__always)
    public static func needsGrad(_ inputs: [Tensor?]) -> Bool {
        guard GradMode.enabled else { return false }
        for case let t? in inputs where t.requiresGrad { return true }
        return false
    }

    /// Marks `out` as made by `name` from `inputs` when grad mode is on and an input
    /// requires grad: it gets a node holding the inputs, the saved tensors and the
    /// backward closure. Returns `out` (a view of an input is given its own tensor
    /// object first, so the input's history is untouched).
    @discardableResult
    public static func record(_ out: Tensor, _ name: String, _ inputs: [Tensor?], saving saved: [Tensor] = [],
                              _ backward: @escaping (Tensor) throws -> [Tensor?]) -> Tensor {
        guard out.dtype.isFloatingPoint, needsGrad(inputs) else { return out }
        var result = out
        for case let t? in inputs where t === out { result = out.detach(); break }
        result.requiresGrad = true
        let node = Node(name: name, inputs: inputs, saved: saved, backward: backward)
        node.output = result
        result.gradFn = node
        return result
    }

    /// An in-place op on `target` (`x += y`, `x[idx] = v`, `relu_`): when history must
    /// be kept, the old value's history moves to a new tensor object that becomes the
    /// node's first input, and `target` takes the new node, as PyTorch rebases history.
    /// Refuses leaves that require grad, in PyTorch's words. Call before writing.
    public static func checkInPlace(_ target: Tensor) throws {
        guard GradMode.enabled && target.requiresGrad else { return }
        if target.gradFn == nil {
            throw TensorError.runtime("a leaf Variable that requires grad is being used in an in-place operation.")
        }
        if let node = target.gradFn as? Node, node.inputs.count == 1, let base = node.inputs[0],
           base.isLeaf, base.requiresGrad, base.storage === target.storage {
            throw TensorError.runtime("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        }
    }

    /// Writing through a basic index (`x[0] = v`) writes into a view of x, as PyTorch words it.
    public static func checkViewInPlace(_ target: Tensor) throws {
        if GradMode.enabled && target.requiresGrad && target.gradFn == nil {
            throw TensorError.runtime("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        }
        try checkInPlace(target)
    }

    /// After an in-place write to `target`: records `name` with inputs (old target, others).
    /// `backward` maps the gradient to (grad for the old value, grads for `others`...).
    public static func recordInPlace(_ target: Tensor, _ name: String, _ others: [Tensor?], saving saved: [Tensor] = [],
                                     _ backward: @escaping (Tensor) throws -> [Tensor?]) {
        guard target.dtype.isFloatingPoint, needsGrad([target] + others) else { return }
        var old: Tensor? = nil
        if target.requiresGrad {
            let o = target.detach()
            o.requiresGrad = true
            o.gradFn = target.gradFn
            old = o
        }
        target.requiresGrad = true
        let node = Node(name: name, inputs: [old] + others, saved: saved, backward: backward)
        node.output = target
        target.gradFn = node
    }
}
