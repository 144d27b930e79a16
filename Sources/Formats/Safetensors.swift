import Foundation
import TensorCore

/// Hugging Face's safetensors format: an 8-byte little-endian header length,
/// a JSON header `{"__metadata__": {...}, "name": {"dtype", "shape",
/// "data_offsets": [begin, end]}, ...}` padded with spaces to a multiple of 8
/// bytes, then the little-endian data. Reading accepts F64 F32 F16 BF16 (as
/// float32), I64 I32 I16 I8 U8 (as int64) and BOOL, and checks the offsets as
/// the Rust library does: they must tile the data exactly, without gaps or
/// overlaps. Writing produces F32, I64 and BOOL.
public enum Safetensors {
    static let format = "safetensors"
    /// The Python library refuses headers over 100 MB.
    static let maxHeader = 100_000_000
    static let maxRank = 64

    /// A decoded file: tensors in header order, and the `__metadata__` strings.
    public struct Contents {
        public var tensors: [(String, Tensor)]
        public var metadata: [(String, String)]
    }

    static let kinds: [String: ElementKind] = [
        "F64": .f64, "F32": .f32, "F16": .f16, "BF16": .bf16, "I64": .i64, "I32": .i32,
        "I16": .i16, "I8": .i8, "U8": .u8, "BOOL": .bool,
    ]

    // MARK: Reading

    public static func load(path: String) throws -> [(String, Tensor)] {
        try decodeFile(path, decode).tensors
    }

    public static func loadContents(path: String) throws -> Contents {
        try decodeFile(path, decode)
    }

    public static func decode(_ data: Data) throws -> Contents {
        let r = ByteReader(data, format: format)
        guard r.count >= 8 else { throw r.fail("file too short for the 8-byte header length", at: 0) }
        let n64 = try r.le(0, 8, "header length")
        guard n64 <= UInt64(maxHeader) else { throw r.fail("header length \(n64) is over the 100 MB limit", at: 0) }
        let n = Int(n64)
        guard n <= r.count - 8 else {
            throw r.fail("header length \(n) runs past the end of the file (\(r.count) bytes)", at: 0)
        }
        guard n >= 2, r.bytes[8] == UInt8(ascii: "{") else { throw r.fail("header does not start with '{'", at: 8) }
        var parser = JSONParser(bytes: Array(r.bytes[8..<(8 + n)]), base: 8, format: format)
        guard case .object(let entries) = try parser.parseTop() else { throw r.fail("header is not a JSON object", at: 8) }
        let dataStart = 8 + n
        let dataLength = r.count - dataStart

        struct Entry { var name: String; var kind: ElementKind; var shape: [Int]; var begin: Int; var end: Int }
        var list: [Entry] = []
        var metadata: [(String, String)] = []
        for (name, value) in entries {
            func bad(_ why: String) -> FormatError { r.fail("tensor \"\(name)\": \(why)", at: 8) }
            if name == "__metadata__" {
                guard case .object(let kv) = value else { throw r.fail("__metadata__ is not an object", at: 8) }
                for (k, v) in kv {
                    guard case .string(let s) = v else { throw r.fail("__metadata__ value for \"\(k)\" is not a string", at: 8) }
                    metadata.append((k, s))
                }
                continue
            }
            guard case .object(let fields) = value else { throw bad("entry is not an object") }
            func field(_ key: String) throws -> JSONValue {
                guard let v = fields.first(where: { $0.0 == key })?.1 else { throw bad("missing \"\(key)\"") }
                return v
            }
            guard case .string(let dt) = try field("dtype") else { throw bad("\"dtype\" is not a string") }
            guard let kind = kinds[dt] else {
                throw bad("unsupported dtype \(dt) (supported: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL)")
            }
            guard case .array(let dims) = try field("shape") else { throw bad("\"shape\" is not an array") }
            guard dims.count <= maxRank else { throw bad("shape has \(dims.count) dimensions") }
            var shape: [Int] = []
            for d in dims {
                guard case .int(let v) = d, v >= 0 else { throw bad("shape holds something other than a non-negative integer") }
                shape.append(v)
            }
            guard case .array(let offs) = try field("data_offsets"), offs.count == 2,
                  case .int(let b) = offs[0], case .int(let e) = offs[1], b >= 0, e >= b else {
                throw bad("\"data_offsets\" is not [begin, end] with 0 <= begin <= end")
            }
            guard let bytes = Sizes.bytes(shape, itemSize: kind.size) else { throw bad("shape \(Shape.describe(shape)) is too large") }
            guard bytes == e - b else {
                throw bad("shape \(Shape.describe(shape)) of \(dt) needs \(bytes) bytes but data_offsets [\(b), \(e)] span \(e - b)")
            }
            guard e <= dataLength else {
                throw r.fail("tensor \"\(name)\": data_offsets [\(b), \(e)] run past the end of the file", at: dataStart + min(b, dataLength))
            }
            list.append(Entry(name: name, kind: kind, shape: shape, begin: b, end: e))
        }
        // The data must be tiled exactly, as the Rust library requires.
        var expect = 0
        for e in list.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            if e.begin < expect { throw r.fail("tensor \"\(e.name)\" overlaps the previous tensor's data", at: dataStart + e.begin) }
            if e.begin > expect { throw r.fail("gap in the data before tensor \"\(e.name)\"", at: dataStart + expect) }
            expect = e.end
        }
        guard expect == dataLength else {
            throw r.fail("tensors cover \(expect) bytes of data but the file holds \(dataLength)", at: dataStart + expect)
        }
        var tensors: [(String, Tensor)] = []
        for e in list {
            let t = try allocate(e.shape, e.kind.dtype, format: format, at: dataStart + e.begin)
            decodeElements(r.bytes, from: dataStart + e.begin, kind: e.kind, bigEndian: false, into: t)
            tensors.append((e.name, t))
        }
        return Contents(tensors: tensors, metadata: metadata)
    }

    // MARK: Writing

    public static func encode(_ tensors: [(String, Tensor)], metadata: [(String, String)] = []) throws -> Data {
        var header: [(String, JSONValue)] = []
        if !metadata.isEmpty {
            header.append(("__metadata__", .object(metadata.map { ($0.0, .string($0.1)) })))
        }
        var seen = Set<String>()
        var offset = 0
        var payload: [UInt8] = []
        for (name, t) in tensors {
            guard name != "__metadata__", seen.insert(name).inserted else {
                throw FormatError.io("\(format): duplicate or reserved tensor name \"\(name)\"")
            }
            let dt: String
            switch t.dtype {
            case .float32: dt = "F32"
            case .int64: dt = "I64"
            case .bool: dt = "BOOL"
            case .float64: dt = "F64"
            case .float16: dt = "F16"
            case .int32: dt = "I32"
            case .uint8: dt = "U8"
            }
            let bytes = try rawBytes(t)
            payload += bytes
            header.append((name, .object([
                ("dtype", .string(dt)),
                ("shape", .array(t.shape.map { .int($0) })),
                ("data_offsets", .array([.int(offset), .int(offset + bytes.count)])),
            ])))
            offset += bytes.count
        }
        var text = Array(JSONValue.object(header).text.utf8)
        text += [UInt8](repeating: 0x20, count: (8 - text.count % 8) % 8)
        var out: [UInt8] = []
        out.appendLE(UInt64(text.count), 8)
        out += text
        out += payload
        return Data(out)
    }

    /// Writes `tensors` in the given order, atomically.
    public static func save(_ tensors: [(String, Tensor)], path: String, metadata: [(String, String)] = []) throws {
        try FileIO.writeAtomically(try encode(tensors, metadata: metadata), path: path)
    }
}
