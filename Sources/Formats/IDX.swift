import Foundation
import TensorCore

/// The IDX format of MNIST and Fashion-MNIST (`train-images-idx3-ubyte`,
/// optionally `.gz`): bytes 0, 0, a type code, the number of dimensions, then
/// each dimension as a big-endian UInt32, then the big-endian data.
///
/// Type codes: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64.
/// Integer types come back as int64 tensors holding the raw values (pixels
/// 0...255, labels 0...9), as torchvision's reader gives them (it uses uint8,
/// which Tensorpad does not have); f32 and f64 come back as float32. Divide
/// images by 255 to scale them. The data must be exactly as long as the
/// dimensions say, as torchvision requires.
public enum IDX {
    static let format = "idx"

    public static func load(path: String) throws -> Tensor {
        try decodeFile(path, decode)
    }

    /// Decodes plain or gzipped (detected by the 1f 8b magic) IDX bytes.
    public static func decode(_ data: Data) throws -> Tensor {
        let (r, kind, shape, start) = try header(data)
        let t = try allocate(shape, kind.dtype, format: format, at: start)
        decodeElements(r.bytes, from: start, kind: kind, bigEndian: true, into: t)
        return t
    }

    /// An unsigned-byte IDX file (images, labels) as its dimensions and raw
    /// bytes, for data sets that keep pixels as bytes.
    public static func loadBytes(path: String) throws -> (shape: [Int], bytes: [UInt8]) {
        try decodeFile(path) { data in
            let (r, kind, shape, start) = try header(data)
            guard kind == .u8 else {
                throw r.fail("expected unsigned bytes (type code 0x08), found \(kind.rawValue)", at: 2)
            }
            return (shape, start == 0 ? r.bytes : Array(r.bytes[start...]))
        }
    }

    /// Checks the header; returns the reader over the (inflated) bytes, the
    /// element kind, the dimensions and the offset of the data.
    static func header(_ data: Data) throws -> (ByteReader, ElementKind, [Int], Int) {
        var bytes = [UInt8](data)
        if Zlib.isGzip(bytes) {
            bytes = try Zlib.inflate(bytes[...], windowBits: Zlib.gzip, format: "idx (gzip)", at: 0)
        }
        let r = ByteReader(bytes, format: format)
        guard r.count >= 4 else { throw r.fail("file too short for the 4-byte magic number", at: 0) }
        guard r.bytes[0] == 0, r.bytes[1] == 0 else { throw r.fail("wrong magic number (must start with two zero bytes)", at: 0) }
        let kind: ElementKind
        switch r.bytes[2] {
        case 0x08: kind = .u8
        case 0x09: kind = .i8
        case 0x0B: kind = .i16
        case 0x0C: kind = .i32
        case 0x0D: kind = .f32
        case 0x0E: kind = .f64
        default:
            let hex = String(r.bytes[2], radix: 16, uppercase: true)
            throw r.fail("unknown data type code 0x\(hex.count == 1 ? "0" + hex : hex) (expected 08 09 0B 0C 0D 0E)", at: 2)
        }
        let rank = Int(r.bytes[3])
        var shape: [Int] = []
        for i in 0..<rank {
            shape.append(Int(try r.be(4 + 4 * i, 4, "dimension \(i)")))
        }
        let start = 4 + 4 * rank
        let available = r.count - start
        guard let need = Sizes.bytes(shape, itemSize: kind.size) else {
            throw r.fail("dimensions \(Shape.describe(shape)) are too large", at: 4)
        }
        guard need == available else {
            throw r.fail("dimensions \(Shape.describe(shape)) need \(need) bytes of data but \(available) follow the header", at: start)
        }
        return (r, kind, shape, start)
    }
}
