import TensorCore

extension Module {
    /// `module.to(dtype)`, `.double()`, `.float()`, `.half()`: every floating parameter
    /// and buffer converted (integer buffers such as `num_batches_tracked` stay). A
    /// parameter shared by several layers stays shared; `requires_grad` and gradients
    /// carry over.
    @discardableResult
    public func convert(to dtype: DType) throws -> Module {
        guard dtype.isFloatingPoint else {
            throw TensorError.type("nn.Module.to only accepts floating point dtypes, but got desired dtype=\(dtype.torchName)")
        }
        var done: [ObjectIdentifier: Tensor] = [:]
        func converted(_ t: Tensor) throws -> Tensor {
            if let c = done[ObjectIdentifier(t)] { return c }
            guard t.dtype.isFloatingPoint, t.dtype != dtype else { return t }
            let c = try t.detach().to(dtype)
            c.requiresGrad = t.requiresGrad
            c.isParameter = t.isParameter
            c.grad = try t.grad.map { try $0.to(dtype) }
            done[ObjectIdentifier(t)] = c
            return c
        }
        for (_, m) in namedModules() {
            for n in m.parameterNames { if let p = m.parameter(n) { m.registerParameter(n, try converted(p)) } }
            for n in m.bufferNames { if let b = m.buffer(n) { m.registerBuffer(n, try converted(b)) } }
        }
        return self
    }
}
