import Foundation
import TensorCore

/// Bounds-checked reads over a file's bytes. Every failure is a
/// `FormatError.io("<format>: <reason> at offset N")`, never a trap.
struct ByteReader {
    let bytes: [UInt8]
    let format: String

    init(_ bytes: [UInt8], format: String) {
        self.bytes = bytes
        self.format = format
    }

    init(_ data: Data, format: String) {
        self.init([UInt8](data), format: format)
    }

    var count: Int { bytes.count }

    func fail(_ why: String, at offset: Int) -> FormatError {
        .io("\(format): \(why) at offset \(offset)")
    }

    /// Throws unless `length` bytes starting at `offset` lie inside the file.
    func need(_ offset: Int, _ length: Int, _ what: String) throws {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw fail("truncated file: \(what) needs \(length) bytes but only \(max(0, bytes.count - max(offset, 0))) remain", at: offset)
        }
    }

    func u8(_ o: Int, _ what: String = "a byte") throws -> UInt8 {
        try need(o, 1, what)
        return bytes[o]
    }

    /// Little-endian unsigned integer of `width` bytes (at most 8).
    func le(_ o: Int, _ width: Int, _ what: String) throws -> UInt64 {
        try need(o, width, what)
        var v: UInt64 = 0
        for i in 0..<width { v |= UInt64(bytes[o + i]) << (8 * UInt64(i)) }
        return v
    }

    /// Big-endian unsigned integer of `width` bytes (at most 8).
    func be(_ o: Int, _ width: Int, _ what: String) throws -> UInt64 {
        try need(o, width, what)
        var v: UInt64 = 0
        for i in 0..<width { v = (v << 8) | UInt64(bytes[o + i]) }
        return v
    }

    /// A little-endian field as a non-negative Int, or an error when it does not fit.
    func leInt(_ o: Int, _ width: Int, _ what: String) throws -> Int {
        let v = try le(o, width, what)
        guard v <= UInt64(Int.max) else { throw fail("\(what) \(v) is too large", at: o) }
        return Int(v)
    }

    func slice(_ o: Int, _ length: Int, _ what: String) throws -> ArraySlice<UInt8> {
        try need(o, length, what)
        return bytes[o..<(o + length)]
    }
}

/// Overflow-checked element counts and byte sizes.
enum Sizes {
    /// Product of `shape`, or nil when a dimension is negative or the product overflows.
    static func count(_ shape: [Int]) -> Int? {
        var n = 1
        for s in shape {
            guard s >= 0 else { return nil }
            let (r, o) = n.multipliedReportingOverflow(by: s)
            if o { return nil }
            n = r
        }
        return n
    }

    static func bytes(_ shape: [Int], itemSize: Int) -> Int? {
        guard let n = count(shape) else { return nil }
        let (r, o) = n.multipliedReportingOverflow(by: itemSize)
        return o ? nil : r
    }
}

/// Reads the file at `path` and decodes it, naming the path in any format error.
func decodeFile<T>(_ path: String, _ decode: (Data) throws -> T) throws -> T {
    let data = try FileIO.read(path: path)
    do {
        return try decode(data)
    } catch FormatError.io(let reason) {
        throw FormatError.io("\(path): \(reason)")
    }
}

/// A zero-filled tensor, with allocation failures reported as the file's fault.
func allocate(_ shape: [Int], _ dtype: DType, format: String, at offset: Int) throws -> Tensor {
    do {
        return try Tensor(zeros: shape, dtype: dtype)
    } catch let e as TensorError {
        throw FormatError.io("\(format): cannot allocate a tensor of shape \(Shape.describe(shape)): \(e.description) at offset \(offset)")
    }
}

/// A float tensor's or int tensor's row-major bytes, little-endian (the host order).
func rawBytes(_ t: Tensor) throws -> [UInt8] {
    let c = try t.contiguous()
    let n = c.numel * t.dtype.itemSize
    guard n > 0 else { return [] }
    let p = UnsafeRawPointer(c.storage.raw + c.offset * t.dtype.itemSize)
    return Array(UnsafeRawBufferPointer(start: p, count: n))
}

extension Array where Element == UInt8 {
    mutating func appendLE(_ v: UInt64, _ width: Int) {
        for i in 0..<width { append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }
}
