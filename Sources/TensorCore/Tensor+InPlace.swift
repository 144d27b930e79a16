/// In-place ops (`fill_`, `zero_`, `add_`, `mul_`, `copy_`). They write
/// through this view into shared storage, so every view sees them.
extension Tensor {
    public func fill_(_ value: Double) throws {
        bumpVersion()
        switch dtype {
        case .float32:
            let p = storage.floats, v = Float(value)
            if isContiguous { (p + offset).update(repeating: v, count: numel) }
            else { forEachOffset { p[$0] = v } }
        case .int64:
            let p = storage.ints, v = Tensor.wrappingInt(value)
            forEachOffset { p[$0] = v }
        case .bool:
            let p = storage.bools, v = value != 0
            forEachOffset { p[$0] = v }
        default:
            forEachOffset { setDouble(value, atStorageOffset: $0) }
        }
    }

    public func zero_() throws { try fill_(0) }

    /// `copy_(src)`: src broadcast to this shape, converted to this dtype.
    public func copy_(_ src: Tensor) throws {
        try checkNoInternalOverlap()
        let e = try src.expand(shape)
        bumpVersion()
        // Source and destination may overlap (x[1:] = x[:-1]); copy through a temporary.
        let s = src.sharesStorage(with: self) ? try e.copyContiguous() : e
        copyStrided(from: s, into: self)
    }

    /// `add_(other, alpha=1)`.
    public func add_(_ other: Tensor, alpha: Double = 1) throws {
        let scaled = alpha == 1 ? other : try Tensor.binary(.mul, other, .scalar(Float(alpha)))
        try applyInPlace(.add, scaled)
    }

    /// `mul_(other)`.
    public func mul_(_ other: Tensor) throws { try applyInPlace(.mul, other) }

    /// Writes `self op other` back into this view (result cast to this dtype).
    public func applyInPlace(_ op: BinaryOp, _ other: Tensor) throws {
        let outShape = try Shape.broadcast(shape, other.shape)
        guard outShape == shape else {
            throw TensorError.shape("output with shape \(Shape.describe(shape)) doesn't match the broadcast shape \(Shape.describe(outShape))")
        }
        var result = DType.resultType(self, other)
        if op == .div && !result.isFloatingPoint { result = .float32 }
        if !dtype.isFloatingPoint && (result.isFloatingPoint || (dtype == .bool && result != .bool)) {
            throw TensorError.type("result type \(result.scalarTypeName) can't be cast to the desired output type \(dtype.scalarTypeName)")
        }
        try checkNoInternalOverlap()
        bumpVersion()
        if dtype == .float32 && other.dtype == .float32 && isContiguous && other.isContiguous && other.shape == shape {
            let o = floatPtr, x = other.floatPtr, n = numel
            switch op {
            case .add: for i in 0..<n { o[i] += x[i] }
            case .sub: for i in 0..<n { o[i] -= x[i] }
            case .mul: for i in 0..<n { o[i] *= x[i] }
            default: let f = Tensor.floatFunction(op); for i in 0..<n { o[i] = f(o[i], x[i]) }
            }
            return
        }
        let r = try Tensor.binary(op, self, other)
        copyStrided(from: r.dtype == dtype ? r : try r.to(dtype), into: self)
    }
}

extension Tensor {
    /// PyTorch's `assert_no_internal_overlap`: a view whose elements share memory (a
    /// stride-0 dimension of size > 1, as `expand` makes) refuses in-place writes other
    /// than `fill_`/`zero_` and index assignment.
    public func checkNoInternalOverlap() throws {
        for (n, s) in zip(shape, strides) where n > 1 && s == 0 {
            throw TensorError.runtime("unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.")
        }
    }
}
