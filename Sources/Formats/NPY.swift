import Foundation
import TensorCore

/// NumPy's `.npy` format: versions 1, 2 and 3, C order, little-endian
/// `<f4 <f8 <i8 <i4 |u1 |i1 |b1` on read (f8 becomes float32; i4, u1, i1
/// become int64), and `<f4 <i8 |b1` on write.
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]   // \x93NUMPY
    static let align = 64

    /// Element types a file may hold.
    enum Element: String {
        case f4, f8, i8, i4, u1, i1, b1
        var size: Int {
            switch self {
            case .f8, .i8: return 8
            case .f4, .i4: return 4
            case .u1, .i1, .b1: return 1
            }
        }
        var dtype: DType {
            switch self {
            case .f4, .f8: return .float32
            case .i8, .i4, .u1, .i1: return .int64
            case .b1: return .bool
            }
        }
    }

    /// What a header promises.
    struct Header {
        var element: Element
        var shape: [Int]
        var dataOffset: Int
    }

    // MARK: Reading

    /// `native`: keep NumPy's own dtypes (f8 as float64, i4 as int32, u1 as uint8) for `np.load`.
    public static func load(path: String, native: Bool = false) throws -> Tensor {
        let data = try FileIO.read(path: path)
        do {
            return try read(data, native: native)
        } catch FormatError.io(let reason) {
            throw FormatError.io("\(path): \(reason)")
        }
    }

    public static func read(_ data: Data, native: Bool = false) throws -> Tensor {
        if native {
            let header = try parseHeader(data)
            let dt: DType? = header.element == .f8 ? .float64 : header.element == .i4 ? .int32 : header.element == .u1 ? .uint8 : nil
            if let dt {
                let count = try elementCount(header.shape, at: header.dataOffset)
                let (bytes, overflow) = count.multipliedReportingOverflow(by: header.element.size)
                guard !overflow && bytes <= data.count - header.dataOffset else {
                    throw FormatError.io("truncated data: shape \(describe(header.shape)) of \(header.element.rawValue) at offset \(header.dataOffset)")
                }
                let t = try Tensor(zeros: header.shape, dtype: dt)
                data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                    guard let base = raw.baseAddress, bytes > 0 else { return }
                    t.storage.raw.copyMemory(from: base + header.dataOffset, byteCount: bytes)
                }
                return t
            }
        }
        let header = try parseHeader(data)
        let count = try elementCount(header.shape, at: header.dataOffset)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: header.element.size)
        let available = data.count - header.dataOffset
        if overflow || bytes > available {
            throw FormatError.io("truncated data: shape \(describe(header.shape)) of \(header.element.rawValue) needs \(overflow ? "too many" : String(bytes)) bytes at offset \(header.dataOffset), but only \(available) remain")
        }
        let t = try Tensor(zeros: header.shape, dtype: header.element.dtype)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress, count > 0 else { return }
            let src = base + header.dataOffset
            switch header.element {
            case .f4:
                UnsafeMutableRawPointer(t.floatPtr).copyMemory(from: src, byteCount: bytes)
            case .i8:
                UnsafeMutableRawPointer(t.intPtr).copyMemory(from: src, byteCount: bytes)
            case .f8:
                let o = t.floatPtr
                for i in 0..<count { o[i] = Float(src.loadUnaligned(fromByteOffset: i * 8, as: Double.self)) }
            case .i4:
                let o = t.intPtr
                for i in 0..<count { o[i] = Int64(Int32(littleEndian: src.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
            case .u1:
                let o = t.intPtr, p = src.assumingMemoryBound(to: UInt8.self)
                for i in 0..<count { o[i] = Int64(p[i]) }
            case .i1:
                let o = t.intPtr, p = src.assumingMemoryBound(to: Int8.self)
                for i in 0..<count { o[i] = Int64(p[i]) }
            case .b1:
                let o = t.boolPtr, p = src.assumingMemoryBound(to: UInt8.self)
                for i in 0..<count { o[i] = p[i] != 0 }
            }
        }
        return t
    }

    static func parseHeader(_ data: Data) throws -> Header {
        let bytes = [UInt8](data.prefix(12))
        if bytes.count < 6 || Array(bytes[0..<6]) != magic {
            throw FormatError.io("not a .npy file: wrong magic string at offset 0")
        }
        guard bytes.count >= 8 else { throw FormatError.io("truncated header: no format version at offset 6") }
        let major = Int(bytes[6]), minor = Int(bytes[7])
        guard (1...3).contains(major) else {
            throw FormatError.io("unsupported .npy format version \(major).\(minor) at offset 6")
        }
        let lenSize = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lenSize else {
            throw FormatError.io("truncated header: no header length at offset 8")
        }
        var headerLen = 0
        for i in 0..<lenSize { headerLen |= Int(bytes[8 + i]) << (8 * i) }
        let start = 8 + lenSize
        guard headerLen <= data.count - start else {
            throw FormatError.io("truncated header: header length \(headerLen) at offset 8 runs past the end of the file (\(data.count) bytes)")
        }
        let text = [UInt8](data.dropFirst(start).prefix(headerLen))
        var parser = LiteralParser(bytes: text, base: start)
        let literal = try parser.parseTop()
        guard case .dict(let entries) = literal else {
            throw FormatError.io("header is not a dictionary at offset \(start)")
        }
        func value(_ key: String) throws -> PyLiteral {
            guard let v = entries.first(where: { $0.0 == key })?.1 else {
                throw FormatError.io("header has no '\(key)' key at offset \(start)")
            }
            return v
        }
        guard case .string(let descr) = try value("descr") else {
            throw FormatError.io("structured dtypes are not supported ('descr' is not a string) at offset \(start)")
        }
        let element = try parseDescr(descr, at: start)
        guard case .bool(let fortran) = try value("fortran_order") else {
            throw FormatError.io("'fortran_order' is not True or False at offset \(start)")
        }
        if fortran {
            throw FormatError.io("Fortran-order arrays are not supported (save with C order, e.g. np.ascontiguousarray) at offset \(start)")
        }
        guard case .tuple(let dims) = try value("shape") else {
            throw FormatError.io("'shape' is not a tuple at offset \(start)")
        }
        var shape: [Int] = []
        for d in dims {
            guard case .int(let n) = d else { throw FormatError.io("'shape' holds a non-integer at offset \(start)") }
            guard n >= 0 else { throw FormatError.io("negative dimension \(n) in shape at offset \(start)") }
            shape.append(n)
        }
        return Header(element: element, shape: shape, dataOffset: start + headerLen)
    }

    static func parseDescr(_ d: String, at offset: Int) throws -> Element {
        let chars = Array(d)
        guard chars.count >= 3, let order = chars.first else {
            throw FormatError.io("unsupported dtype '\(d)' at offset \(offset)")
        }
        let code = String(chars.dropFirst())
        guard let e = Element(rawValue: code) else {
            throw FormatError.io("unsupported dtype '\(d)' (supported: <f4 <f8 <i8 <i4 |u1 |b1) at offset \(offset)")
        }
        switch order {
        case "<", "|": return e
        case "=": return e                   // native order on a little-endian host
        case ">":
            if e.size == 1 { return e }
            throw FormatError.io("big-endian dtype '\(d)' is not supported (only little-endian '<') at offset \(offset)")
        default:
            throw FormatError.io("unsupported dtype '\(d)' at offset \(offset)")
        }
    }

    static func elementCount(_ shape: [Int], at offset: Int) throws -> Int {
        var n = 1
        for s in shape {
            let (r, o) = n.multipliedReportingOverflow(by: s)
            if o { throw FormatError.io("shape \(describe(shape)) is too large at offset \(offset)") }
            n = r
        }
        return n
    }

    static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    // MARK: Writing

    public static func encode(_ t: Tensor) throws -> Data {
        let descr: String
        switch t.dtype {
        case .float32: descr = "<f4"
        case .int64: descr = "<i8"
        case .bool: descr = "|b1"
        case .float64: descr = "<f8"
        case .float16: descr = "<f2"
        case .int32: descr = "<i4"
        case .uint8: descr = "|u1"
        }
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(describe(t.shape)), }"
        let utf8Count = header.utf8.count + 1
        var version: UInt8 = 1, lenSize = 2
        if 8 + 2 + utf8Count + align > 65535 { version = 2; lenSize = 4 }
        let pad = (align - (8 + lenSize + utf8Count) % align) % align
        header += String(repeating: " ", count: pad) + "\n"
        let hlen = header.utf8.count
        var out = Data(magic)
        out.append(version); out.append(0)
        for i in 0..<lenSize { out.append(UInt8((hlen >> (8 * i)) & 0xFF)) }
        out.append(contentsOf: Array(header.utf8))
        let c = try t.contiguous()
        let n = c.numel * t.dtype.itemSize
        if n > 0 {
            let p = UnsafeRawPointer(c.storage.raw + c.offset * t.dtype.itemSize)
            out.append(p.assumingMemoryBound(to: UInt8.self), count: n)
        }
        return out
    }

    /// Writes `t` atomically (temporary file in the same directory, then rename).
    public static func save(_ t: Tensor, path: String) throws {
        try FileIO.writeAtomically(try encode(t), path: path)
    }
}
