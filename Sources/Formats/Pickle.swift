import Foundation
import TensorCore

/// The values `torch.save` pickles for state dicts, optimiser state and
/// tensors, as Python objects: the pickle writer and reader speak only these.
public indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([PickleValue])
    case tuple([PickleValue])
    /// A `dict`, keys in order.
    case dict([(key: PickleValue, value: PickleValue)])
    /// A `collections.OrderedDict` (what `state_dict()` returns in PyTorch).
    case orderedDict([(key: PickleValue, value: PickleValue)])
    case tensor(Tensor)
    /// A reference to a Python class or function (only while unpickling: `torch.FloatStorage`).
    case global(String)
}

/// Pickle protocol 2, written as Python's pickler writes these values:
/// tensors as `torch._utils._rebuild_tensor_v2(storage, offset, size,
/// stride, requires_grad, OrderedDict())` with each storage as a persistent
/// id `('storage', torch.FloatStorage, '<key>', 'cpu', numel)`; every
/// storage is written once, however many tensors share it.
public struct PickleWriter {
    public private(set) var out: [UInt8] = []
    /// The storages in key order ("0", "1", ...).
    public private(set) var storages: [Storage] = []
    var storageKeys: [ObjectIdentifier: Int] = [:]
    var memo = 0

    public init() {}

    /// The whole pickle of `value`: PROTO 2 ... STOP.
    public static func pickle(_ value: PickleValue) throws -> (bytes: [UInt8], storages: [Storage]) {
        var w = PickleWriter()
        w.out = [0x80, 2]
        try w.write(value)
        w.out.append(0x2E)   // STOP
        return (w.out, w.storages)
    }

    mutating func put() {
        if memo < 256 { out += [0x71, UInt8(memo)] }            // BINPUT
        else { out.append(0x72); out.appendLE(UInt64(memo), 4) } // LONG_BINPUT
        memo += 1
    }

    mutating func global(_ module: String, _ name: String) {
        out.append(0x63)   // GLOBAL
        out += Array("\(module)\n\(name)\n".utf8)
        put()
    }

    mutating func string(_ s: String) {
        let b = Array(s.utf8)
        out.append(0x58); out.appendLE(UInt64(b.count), 4); out += b   // BINUNICODE
        put()
    }

    mutating func int(_ i: Int) {
        if i >= 0 && i < 256 { out += [0x4B, UInt8(i)] }                      // BININT1
        else if i >= 0 && i < 65536 { out.append(0x4D); out.appendLE(UInt64(i), 2) }   // BININT2
        else if i >= Int(Int32.min) && i <= Int(Int32.max) {
            out.append(0x4A); out.appendLE(UInt64(UInt32(bitPattern: Int32(i))), 4)    // BININT
        } else {
            // LONG1: little-endian two's complement, as short as Python's encode_long.
            var bytes: [UInt8] = []
            var v = i
            while true {
                let b = UInt8(truncatingIfNeeded: v)
                bytes.append(b)
                v >>= 8
                if (v == 0 && b & 0x80 == 0) || (v == -1 && b & 0x80 != 0) { break }
            }
            out += [0x8A, UInt8(bytes.count)] + bytes
        }
    }

    mutating func emptyOrderedDict() {
        global("collections", "OrderedDict")
        out.append(0x29)   // EMPTY_TUPLE
        out.append(0x52)   // REDUCE
        put()
    }

    mutating func setItems(_ pairs: [(key: PickleValue, value: PickleValue)]) throws {
        // Python batches SETITEMS by 1000 (a single pair uses SETITEM).
        var i = 0
        while i < pairs.count {
            let chunk = pairs[i..<min(i + 1000, pairs.count)]
            if chunk.count == 1 {
                try write(chunk.first!.key); try write(chunk.first!.value); out.append(0x73)   // SETITEM
            } else {
                out.append(0x28)   // MARK
                for (k, v) in chunk { try write(k); try write(v) }
                out.append(0x75)   // SETITEMS
            }
            i += chunk.count
        }
    }

    mutating func write(_ v: PickleValue) throws {
        switch v {
        case .none: out.append(0x4E)
        case .bool(let b): out.append(b ? 0x88 : 0x89)
        case .int(let i): int(i)
        case .float(let d):
            out.append(0x47)   // BINFLOAT, big-endian
            let bits = d.bitPattern
            for k in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(k))) }
        case .string(let s): string(s)
        case .bytes(let b):
            // Protocol 2 pickles bytes as _codecs.encode(str, 'latin1').
            global("_codecs", "encode")
            string(String(decoding: b.map { UInt16($0) }, as: UTF16.self))
            string("latin1")
            out.append(0x86)   // TUPLE2
            put()
            out.append(0x52)
            put()
        case .list(let items):
            out.append(0x5D); put()   // EMPTY_LIST
            var i = 0
            while i < items.count {
                let chunk = items[i..<min(i + 1000, items.count)]
                if chunk.count == 1 { try write(chunk.first!); out.append(0x61) }   // APPEND
                else { out.append(0x28); for x in chunk { try write(x) }; out.append(0x65) }   // MARK ... APPENDS
                i += chunk.count
            }
        case .tuple(let items):
            try tuple(items)
        case .dict(let pairs):
            out.append(0x7D); put()   // EMPTY_DICT
            try setItems(pairs)
        case .orderedDict(let pairs):
            emptyOrderedDict()
            try setItems(pairs)
        case .tensor(let t):
            try tensor(t)
        case .global(let path):
            guard let dot = path.lastIndex(of: ".") else { throw FormatError.io("torch.save: bad global '\(path)'") }
            global(String(path[..<dot]), String(path[path.index(after: dot)...]))
        }
    }

    mutating func tuple(_ items: [PickleValue]) throws {
        switch items.count {
        case 0: out.append(0x29); return   // EMPTY_TUPLE (not memoised)
        case 1...3:
            for x in items { try write(x) }
            out.append([0x85, 0x86, 0x87][items.count - 1])   // TUPLE1..3
        default:
            out.append(0x28)
            for x in items { try write(x) }
            out.append(0x74)   // TUPLE
        }
        put()
    }

    mutating func tensor(_ t: Tensor) throws {
        guard let typeName = TorchStorageType.name(t.dtype) else {
            throw FormatError.io("torch.save: tensors of \(t.dtype.torchName) cannot be saved")
        }
        global("torch._utils", "_rebuild_tensor_v2")
        out.append(0x28)   // MARK: the argument tuple
        // The storage's persistent id.
        let id = ObjectIdentifier(t.storage)
        let key: Int
        if let k = storageKeys[id] { key = k } else {
            key = storages.count
            storageKeys[id] = key
            storages.append(t.storage)
        }
        out.append(0x28)
        string("storage")
        global("torch", typeName)
        string("\(key)")
        string("cpu")
        int(t.storage.count)
        out.append(0x74); put()   // TUPLE
        out.append(0x51)          // BINPERSID
        int(t.offset)
        try tuple(t.shape.map { .int($0) })
        try tuple(t.strides.map { .int($0) })
        out.append(t.requiresGrad ? 0x88 : 0x89)
        emptyOrderedDict()
        out.append(0x74); put()   // TUPLE
        out.append(0x52); put()   // REDUCE
    }
}

/// PyTorch's storage classes by dtype (`torch.FloatStorage`, ...).
public enum TorchStorageType {
    static func name(_ d: DType) -> String? {
        switch d {
        case .float32: return "FloatStorage"
        case .float64: return "DoubleStorage"
        case .float16: return "HalfStorage"
        case .int64: return "LongStorage"
        case .int32: return "IntStorage"
        case .uint8: return "ByteStorage"
        case .bool: return "BoolStorage"
        }
    }

    /// The dtype a storage keeps in Tensorpad: its own where Tensorpad has it
    /// (bytes copied as they are), else what `ElementKind` converts it to.
    static func nativeDType(_ kind: ElementKind) -> DType? {
        switch kind {
        case .f32: return .float32
        case .f64: return .float64
        case .f16: return .float16
        case .i64: return .int64
        case .i32: return .int32
        case .u8: return .uint8
        case .bool: return .bool
        case .bf16, .i16, .i8: return nil
        }
    }

    /// The element kind of a storage class, for reading.
    static func kind(_ name: String) -> ElementKind? {
        switch name {
        case "FloatStorage": return .f32
        case "DoubleStorage": return .f64
        case "HalfStorage": return .f16
        case "BFloat16Storage": return .bf16
        case "LongStorage": return .i64
        case "IntStorage": return .i32
        case "ShortStorage": return .i16
        case "CharStorage": return .i8
        case "ByteStorage": return .u8
        case "BoolStorage": return .bool
        default: return nil
        }
    }
}
