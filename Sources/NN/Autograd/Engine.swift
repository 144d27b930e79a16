import TensorCore

/// Reverse-mode differentiation over the recorded graph: `tensor.backward()` and
/// `torch.autograd.grad`. The graph is sorted once (iteratively, so a graph a
/// hundred thousand ops deep does not overflow the stack), then each node's
/// backward runs in reverse order; gradients meeting at a tensor are summed, and a
/// gradient whose shape is broadcast relative to its input is summed back to it.
public enum Engine {
    /// `root.backward(gradient, retain_graph, create_graph)`: accumulates into `.grad`
    /// of every leaf that requires grad (and of non-leaves that `retain_grad()`).
    public static func backward(_ root: Tensor, gradient: Tensor? = nil, retainGraph: Bool? = nil,
                                createGraph: Bool = false) throws {
        try backward([root], gradients: [gradient], retainGraph: retainGraph, createGraph: createGraph)
    }

    public static func backward(_ roots: [Tensor], gradients: [Tensor?], retainGraph: Bool? = nil,
                                createGraph: Bool = false) throws {
        let seeds = try seedGradients(roots, gradients)
        _ = try run(seeds, capture: nil, retainGraph: retainGraph ?? createGraph, createGraph: createGraph)
    }

    /// `torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused)`:
    /// the gradients of the outputs with respect to `inputs`, without touching `.grad`.
    public static func grad(_ outputs: [Tensor], _ inputs: [Tensor], gradOutputs: [Tensor?], retainGraph: Bool? = nil,
                            createGraph: Bool = false, allowUnused: Bool = false) throws -> [Tensor?] {
        for t in inputs where !t.requiresGrad {
            throw TensorError.runtime("One of the differentiated Tensors does not require grad")
        }
        let seeds = try seedGradients(outputs, gradOutputs)
        let got = try run(seeds, capture: inputs, retainGraph: retainGraph ?? createGraph, createGraph: createGraph)
        return try inputs.enumerated().map { i, t in
            if let g = got[ObjectIdentifier(t)] { return g }
            if !allowUnused {
                throw TensorError.runtime("The differentiated Tensor at index \(i) appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.")
            }
            return nil
        }
    }

    static func seedGradients(_ roots: [Tensor], _ gradients: [Tensor?]) throws -> [(Tensor, Tensor)] {
        var seeds: [(Tensor, Tensor)] = []
        for (i, r) in roots.enumerated() {
            guard r.requiresGrad else {
                throw TensorError.runtime("element \(i) of tensors does not require grad and does not have a grad_fn")
            }
            if let g = i < gradients.count ? gradients[i] : nil {
                guard g.shape == r.shape else {
                    throw TensorError.runtime("Mismatch in shape: grad_output[\(i)] has a shape of torch.Size(\(Shape.describe(g.shape))) and output[\(i)] has a shape of torch.Size(\(Shape.describe(r.shape))).")
                }
                seeds.append((r, g))
            } else {
                guard r.numel == 1 else { throw TensorError.runtime("grad can be implicitly created only for scalar outputs") }
                seeds.append((r, try Tensor.ones(r.shape).to(r.dtype)))
            }
        }
        return seeds
    }

    /// Tensors reachable from the roots through recorded nodes, each after every
    /// tensor that consumes it (reverse topological order of the graph).
    static func order(_ roots: [Tensor]) -> [Tensor] {
        var visited = Set<ObjectIdentifier>()
        var out: [Tensor] = []
        var stack: [(Tensor, Int)] = []
        for r in roots where visited.insert(ObjectIdentifier(r)).inserted { stack.append((r, 0)) }
        while let (t, i) = stack.popLast() {
            let inputs = (t.gradFn as? Node)?.inputs ?? []
            if i < inputs.count {
                stack.append((t, i + 1))
                if let c = inputs[i], c.requiresGrad, visited.insert(ObjectIdentifier(c)).inserted { stack.append((c, 0)) }
            } else {
                out.append(t)
            }
        }
        return out.reversed()
    }

    static func run(_ seeds: [(Tensor, Tensor)], capture: [Tensor]?, retainGraph: Bool,
                    createGraph: Bool) throws -> [ObjectIdentifier: Tensor] {
        return try GradMode.with(createGraph) {
            var grads: [ObjectIdentifier: Tensor] = [:]
            for (r, g) in seeds { try accumulate(&grads, r, createGraph ? g : g.detach()) }
            let wanted = capture.map { Set($0.map(ObjectIdentifier.init)) }
            var captured: [ObjectIdentifier: Tensor] = [:]
            let sorted = order(seeds.map { $0.0 })
            var nodes: [Node] = []
            for t in sorted {
                let id = ObjectIdentifier(t)
                guard var g = grads.removeValue(forKey: id) else { continue }
                for hook in t.gradHooks { if let h = try hook(g) { g = h } }
                if let wanted {
                    if wanted.contains(id) { captured[id] = g }
                } else if t.gradFn == nil || t.retainsGrad {
                    try accumulateGrad(t, g, createGraph: createGraph)
                }
                guard let node = t.gradFn as? Node else { continue }
                let ins = try node.apply(g)
                nodes.append(node)
                for (k, input) in node.inputs.enumerated() {
                    guard let input, input.requiresGrad, k < ins.count, let gi = ins[k] else { continue }
                    try accumulate(&grads, input, gi)
                }
            }
            if !retainGraph { for n in nodes { n.release() } }
            return captured
        }
    }

    /// Adds `g` (summed back to `t`'s shape where it was broadcast) to the pending gradient of `t`.
    static func accumulate(_ grads: inout [ObjectIdentifier: Tensor], _ t: Tensor, _ g: Tensor) throws {
        // As PyTorch's validate_outputs: a gradient takes its input's shape and dtype.
        var g = try sumTo(g, t.shape)
        if g.dtype != t.dtype && t.dtype.isFloatingPoint { g = try Functional.to(g, t.dtype) }
        let id = ObjectIdentifier(t)
        if let prev = grads[id] { grads[id] = try Functional.add(prev, g) } else { grads[id] = g }
    }

    /// `.grad += g` for a leaf (in place, so a `.grad` a user holds sees it), or a
    /// first `.grad` that owns its storage.
    static func accumulateGrad(_ t: Tensor, _ g: Tensor, createGraph: Bool) throws {
        if let existing = t.grad {
            if createGraph || existing.requiresGrad { t.grad = try Functional.add(existing, g); return }
            try existing.applyInPlace(.add, g)
            return
        }
        if createGraph { t.grad = g; return }
        // One gradient tensor may reach several leaves (`a + b`), or be a view of a saved
        // tensor: each `.grad` gets storage of its own.
        t.grad = try g.clone()
    }

    /// Sums a broadcast gradient back to `shape` (leading dims, and dims of size 1).
    public static func sumTo(_ g: Tensor, _ shape: [Int]) throws -> Tensor {
        if g.shape == shape { return g }
        let lead = g.rank - shape.count
        guard lead >= 0 else { return try Functional.reshape(g, shape) }
        var dims = Array(0..<lead)
        for (i, s) in shape.enumerated() where s == 1 && g.shape[lead + i] != 1 { dims.append(lead + i) }
        var r = dims.isEmpty ? g : try Functional.sum(g, dims: dims, keepdim: true)
        if r.shape != shape { r = try Functional.reshape(r, shape) }
        return r
    }
}
