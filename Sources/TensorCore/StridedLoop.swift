/// Walks the storage offsets of a strided view in row-major order with an
/// odometer over the outer dimensions and a tight loop over the innermost.
enum StridedLoop {
    @inline(__always)
    static func run(shape: [Int], strides: [Int], offset: Int, _ body: (Int) -> Void) {
        let rank = shape.count
        if rank == 0 { body(offset); return }
        let total = Shape.count(shape)
        if total == 0 { return }
        let inner = shape[rank - 1], innerStride = strides[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var base = offset
        while true {
            var o = base
            for _ in 0..<inner { body(o); o += innerStride }
            // advance the odometer over dims 0..<rank-1
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                base += strides[d]
                if index[d] < shape[d] { break }
                base -= strides[d] * shape[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }

    /// Walks two views of the same shape together: (offsetA, offsetB).
    @inline(__always)
    static func run2(shape: [Int], stridesA: [Int], offsetA: Int, stridesB: [Int], offsetB: Int,
                     _ body: (Int, Int) -> Void) {
        let rank = shape.count
        if rank == 0 { body(offsetA, offsetB); return }
        if Shape.count(shape) == 0 { return }
        let inner = shape[rank - 1], sa = stridesA[rank - 1], sb = stridesB[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var baseA = offsetA, baseB = offsetB
        while true {
            var a = baseA, b = baseB
            for _ in 0..<inner { body(a, b); a += sa; b += sb }
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                baseA += stridesA[d]; baseB += stridesB[d]
                if index[d] < shape[d] { break }
                baseA -= stridesA[d] * shape[d]; baseB -= stridesB[d] * shape[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }

    /// Walks three views of the same shape together.
    @inline(__always)
    static func run3(shape: [Int], stridesA: [Int], offsetA: Int, stridesB: [Int], offsetB: Int,
                     stridesC: [Int], offsetC: Int, _ body: (Int, Int, Int) -> Void) {
        let rank = shape.count
        if rank == 0 { body(offsetA, offsetB, offsetC); return }
        if Shape.count(shape) == 0 { return }
        let inner = shape[rank - 1], sa = stridesA[rank - 1], sb = stridesB[rank - 1], sc = stridesC[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var baseA = offsetA, baseB = offsetB, baseC = offsetC
        while true {
            var a = baseA, b = baseB, c = baseC
            for _ in 0..<inner { body(a, b, c); a += sa; b += sb; c += sc }
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                baseA += stridesA[d]; baseB += stridesB[d]; baseC += stridesC[d]
                if index[d] < shape[d] { break }
                baseA -= stridesA[d] * shape[d]; baseB -= stridesB[d] * shape[d]; baseC -= stridesC[d] * shape[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }
}

/// Copies src's elements (any view) into dst (any view of the same shape and dtype).
func copyStrided(from src: Tensor, into dst: Tensor) {
    switch (src.dtype, dst.dtype) {
    case (.float32, .float32):
        let s = src.storage.floats, d = dst.storage.floats
        if src.isContiguous && dst.isContiguous {
            (d + dst.offset).update(from: s + src.offset, count: src.numel); return
        }
        StridedLoop.run2(shape: dst.shape, stridesA: dst.strides, offsetA: dst.offset,
                         stridesB: src.strides, offsetB: src.offset) { a, b in d[a] = s[b] }
    case (.int64, .int64):
        let s = src.storage.ints, d = dst.storage.ints
        StridedLoop.run2(shape: dst.shape, stridesA: dst.strides, offsetA: dst.offset,
                         stridesB: src.strides, offsetB: src.offset) { a, b in d[a] = s[b] }
    case (.bool, .bool):
        let s = src.storage.bools, d = dst.storage.bools
        StridedLoop.run2(shape: dst.shape, stridesA: dst.strides, offsetA: dst.offset,
                         stridesB: src.strides, offsetB: src.offset) { a, b in d[a] = s[b] }
    case (_, _) where !src.dtype.isFloatingPoint && !dst.dtype.isFloatingPoint:
        // Integer to integer: exact, wrapping as C casts do.
        StridedLoop.run2(shape: dst.shape, stridesA: dst.strides, offsetA: dst.offset,
                         stridesB: src.strides, offsetB: src.offset) { a, b in
            dst.setInt64(src.int64(atStorageOffset: b), atStorageOffset: a)
        }
    case (.float64, .float64):
        let s = src.storage.doubles, d = dst.storage.doubles
        StridedLoop.run2(shape: dst.shape, stridesA: dst.strides, offsetA: dst.offset,
                         stridesB: src.strides, offsetB: src.offset) { a, b in d[a] = s[b] }
    case (.float16, .float16):
        let s = src.storage.halves, d = dst.storage.halves
        StridedLoop.run2(shape: dst.shape, stridesA: dst.strides, offsetA: dst.offset,
                         stridesB: src.strides, offsetB: src.offset) { a, b in d[a] = s[b] }
    default:
        // Cross-dtype copy converts element by element.
        StridedLoop.run2(shape: dst.shape, stridesA: dst.strides, offsetA: dst.offset,
                         stridesB: src.strides, offsetB: src.offset) { a, b in
            dst.setDouble(src.double(atStorageOffset: b), atStorageOffset: a)
        }
    }
}

extension Tensor {
    /// Writes a value at a storage offset, converting to this tensor's dtype.
    public func setDouble(_ v: Double, atStorageOffset o: Int) {
        switch dtype {
        case .float32: storage.floats[o] = Float(v)
        case .int64: storage.ints[o] = v.isFinite ? Int64(clamping: Int(exactly: v.rounded(.towardZero)) ?? 0) : 0
        case .bool: storage.bools[o] = v != 0
        case .float64: storage.doubles[o] = v
        case .float16: storage.halves[o] = Float16(Float(v))
        case .int32: storage.int32s[o] = Int32(truncatingIfNeeded: Tensor.wrappingInt(v))
        case .uint8: storage.uint8s[o] = UInt8(truncatingIfNeeded: Tensor.wrappingInt(v))
        }
    }

    /// A double truncated toward zero as C's cast does on x86 (out of range: Int64.min).
    @inline(__always) public static func wrappingInt(_ v: Double) -> Int64 {
        let t = v.rounded(.towardZero)
        return t.isFinite && t >= -9.223372036854775e18 && t < 9.223372036854775e18 ? Int64(t) : Int64.min
    }

    /// Writes an integer at a storage offset, wrapping to narrow integer dtypes as a C cast does.
    public func setInt64(_ v: Int64, atStorageOffset o: Int) {
        switch dtype {
        case .int64: storage.ints[o] = v
        case .int32: storage.int32s[o] = Int32(truncatingIfNeeded: v)
        case .uint8: storage.uint8s[o] = UInt8(truncatingIfNeeded: v)
        case .bool: storage.bools[o] = v != 0
        default: setDouble(Double(v), atStorageOffset: o)
        }
    }
}
