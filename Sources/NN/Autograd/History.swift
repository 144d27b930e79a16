import TensorCore

/// One recorded operation of the autograd graph: PyTorch's name for its
/// backward (`AddmmBackward0`, shown as `grad_fn=<AddmmBackward0>`) and the
/// tensors it read. Gradients are not computed yet; when they are, each node
/// gains its backward function here, beside the name every forward already records.
public final class OpNode: GradNode {
    public let name: String
    public let inputs: [Tensor]
    init(name: String, inputs: [Tensor]) { self.name = name; self.inputs = inputs }
}

public enum History {
    /// Marks `out` as the result of `name` applied to `inputs` when grad mode is on and
    /// an input requires grad, as PyTorch's autograd does. Returns `out`.
    /// An op that hands back one of its inputs (Identity, Dropout in eval) records nothing.
    @discardableResult
    public static func record(_ out: Tensor, _ name: String, _ inputs: [Tensor?]) -> Tensor {
        guard GradMode.enabled, out.dtype == .float32 else { return out }
        let ins = inputs.compactMap { $0 }
        guard ins.contains(where: { $0.requiresGrad }), !ins.contains(where: { $0 === out }) else { return out }
        out.requiresGrad = true
        out.gradFn = OpNode(name: name, inputs: ins)
        return out
    }

    /// Renames the last op of a tensor that already carries history (fused passes
    /// that finish an op in place: Conv→BatchNorm→ReLU, Residual add+ReLU).
    public static func rename(_ t: Tensor, _ name: String, extraInputs: [Tensor?] = []) {
        guard GradMode.enabled, t.dtype == .float32 else { return }
        let extra = extraInputs.compactMap { $0 }
        guard t.requiresGrad || extra.contains(where: { $0.requiresGrad }) else { return }
        t.requiresGrad = true
        t.gradFn = OpNode(name: name, inputs: ((t.gradFn as? OpNode)?.inputs ?? []) + extra)
    }
}
