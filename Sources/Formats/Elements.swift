import TensorCore

/// Element types found in files, and how they become Tensorpad's dtypes:
/// floating types become float32, integer types int64, bool stays bool.
enum ElementKind: String {
    case f64, f32, f16, bf16, i64, i32, i16, i8, u8, bool

    var size: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        case .i8, .u8, .bool: return 1
        }
    }

    var dtype: DType {
        switch self {
        case .f64, .f32, .f16, .bf16: return .float32
        case .i64, .i32, .i16, .i8, .u8: return .int64
        case .bool: return .bool
        }
    }
}

/// Decodes `t.numel` elements starting at `bytes[start]` into the contiguous
/// tensor `t` (whose dtype is `kind.dtype`). The caller has checked that
/// `start + t.numel * kind.size <= bytes.count`.
func decodeElements(_ bytes: [UInt8], from start: Int, kind: ElementKind, bigEndian: Bool, into t: Tensor) {
    let n = t.numel
    guard n > 0 else { return }
    bytes.withUnsafeBytes { raw in
        guard let b = raw.baseAddress else { return }
        let src = b + start
        func u16(_ i: Int) -> UInt16 {
            let v = src.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)
            return bigEndian ? UInt16(bigEndian: v) : UInt16(littleEndian: v)
        }
        func u32(_ i: Int) -> UInt32 {
            let v = src.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
            return bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
        }
        func u64(_ i: Int) -> UInt64 {
            let v = src.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
            return bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
        }
        switch kind {
        case .f32:
            let o = t.floatPtr
            if !bigEndian { UnsafeMutableRawPointer(o).copyMemory(from: src, byteCount: n * 4); return }
            for i in 0..<n { o[i] = Float(bitPattern: u32(i)) }
        case .f64:
            let o = t.floatPtr
            for i in 0..<n { o[i] = Float(Double(bitPattern: u64(i))) }
        case .f16:
            let o = t.floatPtr
            for i in 0..<n { o[i] = halfToFloat(u16(i)) }
        case .bf16:
            let o = t.floatPtr
            for i in 0..<n { o[i] = Float(bitPattern: UInt32(u16(i)) << 16) }
        case .i64:
            let o = t.intPtr
            for i in 0..<n { o[i] = Int64(bitPattern: u64(i)) }
        case .i32:
            let o = t.intPtr
            for i in 0..<n { o[i] = Int64(Int32(bitPattern: u32(i))) }
        case .i16:
            let o = t.intPtr
            for i in 0..<n { o[i] = Int64(Int16(bitPattern: u16(i))) }
        case .i8:
            let o = t.intPtr, p = src.assumingMemoryBound(to: Int8.self)
            for i in 0..<n { o[i] = Int64(p[i]) }
        case .u8:
            let o = t.intPtr, p = src.assumingMemoryBound(to: UInt8.self)
            for i in 0..<n { o[i] = Int64(p[i]) }
        case .bool:
            let o = t.boolPtr, p = src.assumingMemoryBound(to: UInt8.self)
            for i in 0..<n { o[i] = p[i] != 0 }
        }
    }
}

/// IEEE half precision to single, without relying on `Float16` being available.
func halfToFloat(_ h: UInt16) -> Float {
    let sign: Float = h & 0x8000 != 0 ? -1 : 1
    let exp = Int((h >> 10) & 0x1F), frac = Float(h & 0x3FF)
    if exp == 0 { return sign * frac * 0x1p-24 }
    if exp == 31 { return frac == 0 ? sign * .infinity : .nan }
    return sign * (1 + frac / 1024) * Float(sign: .plus, exponent: exp - 15, significand: 1)
}
