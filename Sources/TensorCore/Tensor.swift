/// An n-dimensional array: a window (shape, strides, offset) onto a shared
/// `Storage`. Tensors have reference semantics like PyTorch's: views share
/// storage, and in-place writes through one view are seen through all.
public final class Tensor: @unchecked Sendable {
    public let storage: Storage
    public let shape: [Int]
    public let strides: [Int]
    public let offset: Int

    // Autograd state. The graph itself lives in NN; TensorCore only carries it.
    public var requiresGrad: Bool = false
    public var grad: Tensor?
    public var gradFn: GradNode?
    /// A name for leaf tensors that are parameters (`weight`, `bias`), used in messages.
    public var isParameter: Bool = false
    /// `retain_grad()`: a non-leaf keeps its gradient in `grad` after backward.
    public var retainsGrad: Bool = false
    /// `register_hook(fn)`: called with this tensor's gradient during backward; a
    /// non-nil result replaces it.
    public var gradHooks: [(Tensor) throws -> Tensor?] = []

    /// True for tensors no recorded op produced (`is_leaf`).
    public var isLeaf: Bool { gradFn == nil }
    /// The storage's version counter (`x._version`).
    public var version: Int { storage.version }
    /// Records an in-place write (every view of the storage sees the new version).
    @inline(__always) public func bumpVersion() { storage.version &+= 1 }

    public var dtype: DType { storage.dtype }
    public var rank: Int { shape.count }
    public var numel: Int { Shape.count(shape) }

    public init(storage: Storage, shape: [Int], strides: [Int], offset: Int = 0) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
    }

    /// A new zero-filled contiguous tensor.
    public convenience init(zeros shape: [Int], dtype: DType = .float32) throws {
        let n = try Shape.numel(shape)
        self.init(storage: try Storage(count: n, dtype: dtype), shape: shape, strides: Shape.contiguousStrides(shape))
    }

    /// A new contiguous tensor whose contents are unspecified: only for kernels
    /// that write every element before the tensor is seen.
    public convenience init(uninitialized shape: [Int], dtype: DType = .float32) throws {
        let n = try Shape.numel(shape)
        self.init(storage: try Storage(count: n, dtype: dtype, zeroed: false), shape: shape,
                  strides: Shape.contiguousStrides(shape))
    }

    /// A float tensor holding `values` in row-major order.
    public convenience init(_ values: [Float], shape: [Int]) throws {
        try self.init(zeros: shape, dtype: .float32)
        guard values.count == numel else {
            throw TensorError.shape("shape '\(Shape.describe(shape))' is invalid for input of size \(values.count)")
        }
        values.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { storage.floats.update(from: b, count: values.count) }
        }
    }

    /// An int64 tensor holding `values` in row-major order.
    public convenience init(ints values: [Int64], shape: [Int]) throws {
        try self.init(zeros: shape, dtype: .int64)
        guard values.count == numel else {
            throw TensorError.shape("shape '\(Shape.describe(shape))' is invalid for input of size \(values.count)")
        }
        values.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { storage.ints.update(from: b, count: values.count) }
        }
    }

    /// A bool tensor holding `values` in row-major order.
    public convenience init(bools values: [Bool], shape: [Int]) throws {
        try self.init(zeros: shape, dtype: .bool)
        guard values.count == numel else {
            throw TensorError.shape("shape '\(Shape.describe(shape))' is invalid for input of size \(values.count)")
        }
        for i in 0..<values.count { storage.bools[i] = values[i] }
    }

    /// A zero-dimensional float tensor.
    public static func scalar(_ v: Float) -> Tensor {
        // One element never exceeds the memory limit.
        let t = Tensor(storage: Storage(scalarOf: .float32), shape: [], strides: [])
        t.storage.floats[0] = v
        return t
    }

    public static func scalar(int v: Int64) -> Tensor {
        let t = Tensor(storage: Storage(scalarOf: .int64), shape: [], strides: [])
        t.storage.ints[0] = v
        return t
    }

    public static func scalar(bool v: Bool) -> Tensor {
        let t = Tensor(storage: Storage(scalarOf: .bool), shape: [], strides: [])
        t.storage.bools[0] = v
        return t
    }

    /// True when the elements lie in row-major order with no gaps.
    public var isContiguous: Bool {
        var expected = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] != 1 {
            if strides[i] != expected { return false }
            expected &*= shape[i]
        }
        return true
    }

    /// Pointer to the first float element; valid only for contiguous float tensors.
    @inline(__always) public var floatPtr: UnsafeMutablePointer<Float> { storage.floats + offset }
    @inline(__always) public var intPtr: UnsafeMutablePointer<Int64> { storage.ints + offset }
    @inline(__always) public var boolPtr: UnsafeMutablePointer<Bool> { storage.bools + offset }

    /// A view with another shape and strides onto the same storage.
    public func view(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
    }

    /// This tensor if contiguous, otherwise a contiguous copy.
    public func contiguous() throws -> Tensor {
        if isContiguous { return self }
        // An expanded view can be far larger than its storage: the copy is checked.
        return try copyContiguous()
    }

    /// A new contiguous tensor with the same values (never shares storage).
    public func copyContiguous() throws -> Tensor {
        let out = try Tensor(zeros: shape, dtype: dtype)
        copyStrided(from: self, into: out)
        return out
    }

    /// Storage offsets of every element, in row-major order of this view.
    public func forEachOffset(_ body: (Int) -> Void) {
        StridedLoop.run(shape: shape, strides: strides, offset: offset, body)
    }

    /// Element at a linear row-major position, as Double (any dtype).
    public func double(atStorageOffset o: Int) -> Double {
        switch dtype {
        case .float32: return Double(storage.floats[o])
        case .int64: return Double(storage.ints[o])
        case .bool: return storage.bools[o] ? 1 : 0
        }
    }

    /// Elements in row-major order as Float.
    public func toFloats() -> [Float] {
        var out = [Float](); out.reserveCapacity(numel)
        switch dtype {
        case .float32: let p = storage.floats; forEachOffset { out.append(p[$0]) }
        case .int64: let p = storage.ints; forEachOffset { out.append(Float(p[$0])) }
        case .bool: let p = storage.bools; forEachOffset { out.append(p[$0] ? 1 : 0) }
        }
        return out
    }

    /// Elements in row-major order as Double.
    public func toDoubles() -> [Double] {
        var out = [Double](); out.reserveCapacity(numel)
        forEachOffset { out.append(double(atStorageOffset: $0)) }
        return out
    }

    /// Elements in row-major order as Int64 (floats truncated toward zero).
    public func toInt64s() -> [Int64] {
        var out = [Int64](); out.reserveCapacity(numel)
        switch dtype {
        case .float32: let p = storage.floats; forEachOffset { out.append(Int64(exactly: p[$0].rounded(.towardZero)) ?? 0) }
        case .int64: let p = storage.ints; forEachOffset { out.append(p[$0]) }
        case .bool: let p = storage.bools; forEachOffset { out.append(p[$0] ? 1 : 0) }
        }
        return out
    }

    /// The value of a one-element tensor (`item()`).
    public func item() throws -> Double {
        guard numel == 1 else {
            throw TensorError.value("a Tensor with \(numel) elements cannot be converted to Scalar")
        }
        return double(atStorageOffset: offset + 0)
    }

    /// A new tensor that shares this one's storage but not its autograd history (`detach()`, `.data`).
    public func detach() -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
    }

    /// True when two tensors look at the same storage.
    public func sharesStorage(with other: Tensor) -> Bool { storage === other.storage }
}

/// A node of the autograd graph; NN implements it.
public protocol GradNode: AnyObject {
    /// PyTorch's name for the backward function, e.g. `ConvolutionBackward0`.
    var name: String { get }
}
