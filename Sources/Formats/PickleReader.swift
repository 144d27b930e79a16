import Foundation
import TensorCore

/// Reads the pickles `torch.save` writes (protocols 2 to 5), allowing only
/// what `torch.load(weights_only=True)` allows: containers, numbers,
/// strings, `collections.OrderedDict`, and tensors rebuilt by
/// `torch._utils._rebuild_tensor_v2` / `_rebuild_parameter` from storages
/// named by persistent ids. Any other global is refused by name.
struct PickleReader {
    /// A value on the unpickler's stack: a Python value, or one of the callables
    /// and storages it may apply.
    enum Item {
        case value(PickleValue)
        case mark
    }

    let r: ByteReader
    /// Resolves a persistent id `('storage', type, key, location, numel)` to a flat tensor.
    let storage: (_ type: String, _ key: String, _ numel: Int) throws -> Tensor

    init(_ bytes: [UInt8], format: String, storage: @escaping (String, String, Int) throws -> Tensor) {
        r = ByteReader(bytes, format: format)
        self.storage = storage
    }

    func read() throws -> PickleValue {
        var stack: [Item] = []
        var memo: [Int: Item] = [:]
        var p = 0
        func pop(_ at: Int) throws -> Item {
            guard let x = stack.popLast() else { throw r.fail("pickle stack underflow", at: at) }
            return x
        }
        func popValue(_ at: Int) throws -> PickleValue {
            guard case .value(let v) = try pop(at) else { throw r.fail("unexpected object on the pickle stack", at: at) }
            return v
        }
        func popMark(_ at: Int) throws -> [Item] {
            guard let m = stack.lastIndex(where: { if case .mark = $0 { return true }; return false }) else {
                throw r.fail("pickle MARK missing", at: at)
            }
            let items = Array(stack[(m + 1)...])
            stack.removeSubrange(m...)
            return items
        }
        func values(_ items: [Item], _ at: Int) throws -> [PickleValue] {
            try items.map { x in
                guard case .value(let v) = x else { throw r.fail("unexpected object in a pickled container", at: at) }
                return v
            }
        }
        func line(_ at: Int) throws -> String {
            var e = at
            while e < r.count && r.bytes[e] != 0x0A { e += 1 }
            guard e < r.count else { throw r.fail("unterminated line in pickle", at: at) }
            defer { p = e + 1 }
            return String(decoding: r.bytes[at..<e], as: UTF8.self)
        }
        func addItems(_ pairs: [PickleValue], _ at: Int) throws {
            guard pairs.count % 2 == 0 else { throw r.fail("odd number of items for SETITEMS", at: at) }
            guard case .value(let target) = try pop(at) else { throw r.fail("SETITEMS on a non-dict", at: at) }
            var kv: [(key: PickleValue, value: PickleValue)] = []
            for i in stride(from: 0, to: pairs.count, by: 2) { kv.append((pairs[i], pairs[i + 1])) }
            switch target {
            case .dict(let d): stack.append(.value(.dict(d + kv)))
            case .orderedDict(let d): stack.append(.value(.orderedDict(d + kv)))
            default: throw r.fail("SETITEMS on a non-dict", at: at)
            }
        }
        func addList(_ xs: [PickleValue], _ at: Int) throws {
            guard case .value(.list(let l)) = try pop(at) else { throw r.fail("APPENDS on a non-list", at: at) }
            stack.append(.value(.list(l + xs)))
        }
        // Memoised containers are copies here (values, not references): torch.save's
        // pickles only get them back from the memo for shared tensors' storages and tuples.
        while true {
            let at = p
            let op = try r.u8(p, "pickle opcode")
            p += 1
            switch op {
            case 0x80: p += 1                                   // PROTO
            case 0x95: p += 8                                   // FRAME
            case 0x2E:                                          // STOP
                guard case .value(let v)? = stack.last else { throw r.fail("pickle ends without a value", at: at) }
                return v
            case 0x28: stack.append(.mark)
            case 0x4E: stack.append(.value(.none))
            case 0x88: stack.append(.value(.bool(true)))
            case 0x89: stack.append(.value(.bool(false)))
            case 0x4B: stack.append(.value(.int(Int(try r.u8(p))))); p += 1
            case 0x4D: stack.append(.value(.int(try r.leInt(p, 2, "BININT2")))); p += 2
            case 0x4A:
                stack.append(.value(.int(Int(Int32(bitPattern: UInt32(try r.le(p, 4, "BININT")))))))
                p += 4
            case 0x8A:                                          // LONG1
                let n = Int(try r.u8(p)); p += 1
                guard n <= 8 else { throw r.fail("integer of \(n) bytes is too large", at: at) }
                try r.need(p, n, "LONG1")
                var v: UInt64 = 0
                for i in 0..<n { v |= UInt64(r.bytes[p + i]) << UInt64(8 * i) }
                if n > 0 && n < 8 && r.bytes[p + n - 1] & 0x80 != 0 { v |= ~0 << UInt64(8 * n) }
                stack.append(.value(.int(Int(Int64(bitPattern: v))))); p += n
            case 0x47:                                          // BINFLOAT
                try r.need(p, 8, "BINFLOAT")
                var bits: UInt64 = 0
                for i in 0..<8 { bits = bits << 8 | UInt64(r.bytes[p + i]) }
                stack.append(.value(.float(Double(bitPattern: bits)))); p += 8
            case 0x58, 0x8C, 0x8D:                              // BINUNICODE, SHORT_BINUNICODE, BINUNICODE8
                let w = op == 0x8C ? 1 : op == 0x58 ? 4 : 8
                let n = try r.leInt(p, w, "string length"); p += w
                stack.append(.value(.string(String(decoding: try r.slice(p, n, "string"), as: UTF8.self)))); p += n
            case 0x55, 0x54, 0x43, 0x42:                        // SHORT_BINSTRING, BINSTRING, SHORT_BINBYTES, BINBYTES
                let w = (op == 0x55 || op == 0x43) ? 1 : 4
                let n = try r.leInt(p, w, "bytes length"); p += w
                let b = Array(try r.slice(p, n, "bytes")); p += n
                stack.append(.value(op == 0x42 || op == 0x43 ? .bytes(b) : .string(String(decoding: b, as: UTF8.self))))
            case 0x7D: stack.append(.value(.dict([])))
            case 0x5D: stack.append(.value(.list([])))
            case 0x29: stack.append(.value(.tuple([])))
            case 0x85, 0x86, 0x87:
                let n = Int(op - 0x84)
                guard stack.count >= n else { throw r.fail("pickle stack underflow", at: at) }
                let items = try values(Array(stack.suffix(n)), at)
                stack.removeLast(n)
                stack.append(.value(.tuple(items)))
            case 0x74: stack.append(.value(.tuple(try values(try popMark(at), at))))
            case 0x6C: stack.append(.value(.list(try values(try popMark(at), at))))
            case 0x64:                                          // DICT
                let items = try values(try popMark(at), at)
                stack.append(.value(.dict([])))
                try addItems(items, at)
            case 0x61: let x = try popValue(at); try addList([x], at)
            case 0x65: let xs = try values(try popMark(at), at); try addList(xs, at)
            case 0x73:
                let v = try popValue(at), k = try popValue(at)
                try addItems([k, v], at)
            case 0x75: try addItems(try values(try popMark(at), at), at)
            case 0x71: memo[Int(try r.u8(p))] = stack.last; p += 1
            case 0x72: memo[try r.leInt(p, 4, "memo key")] = stack.last; p += 4
            case 0x94: memo[memo.count] = stack.last            // MEMOIZE
            case 0x68, 0x6A:                                    // BINGET, LONG_BINGET
                let w = op == 0x68 ? 1 : 4
                let k = try r.leInt(p, w, "memo key"); p += w
                guard let x = memo[k] else { throw r.fail("memo key \(k) was never stored", at: at) }
                stack.append(x)
            case 0x63:                                          // GLOBAL
                let module = try line(p)
                let name = try line(p)
                stack.append(.value(.global(try PickleReader.allowed(module, name, r, at))))
            case 0x93:                                          // STACK_GLOBAL
                guard case .value(.string(let name)) = try pop(at), case .value(.string(let module)) = try pop(at) else {
                    throw r.fail("STACK_GLOBAL needs two strings", at: at)
                }
                stack.append(.value(.global(try PickleReader.allowed(module, name, r, at))))
            case 0x51:                                          // BINPERSID
                guard case .value(.tuple(let pid)) = try pop(at), pid.count == 5,
                      case .string("storage") = pid[0], case .string(let key) = pid[2], case .int(let numel) = pid[4] else {
                    throw r.fail("unsupported persistent id (expected ('storage', type, key, location, numel))", at: at)
                }
                guard case .global(let type) = pid[1] else { throw r.fail("storage type missing in persistent id", at: at) }
                stack.append(.value(.tensor(try storage(String(type.dropFirst("torch.".count)), key, numel))))
            case 0x52, 0x81:                                    // REDUCE, NEWOBJ
                guard case .value(.tuple(let args)) = try pop(at) else { throw r.fail("REDUCE without an argument tuple", at: at) }
                guard case .value(.global(let f)) = try pop(at) else { throw r.fail("REDUCE of a non-callable", at: at) }
                stack.append(.value(try PickleReader.apply(f, args, r, at)))
            case 0x62:                                          // BUILD: state of an OrderedDict (_metadata) or a tensor
                _ = try pop(at)
            default:
                throw r.fail("unsupported pickle opcode 0x\(String(op, radix: 16))", at: at)
            }
        }
    }
}

extension PickleReader {
    /// The globals `weights_only=True` allows and Tensorpad rebuilds; storage types become strings.
    static func allowed(_ module: String, _ name: String, _ r: ByteReader, _ at: Int) throws -> String {
        let full = "\(module).\(name)"
        switch full {
        case "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
             "torch._utils._rebuild_parameter_with_state", "builtins.set", "builtins.frozenset", "_codecs.encode":
            return full
        default:
            if module == "torch", TorchStorageType.kind(name) != nil { return full }
            throw r.fail("unsupported global '\(full)': Tensorpad loads what torch.load(weights_only=True) allows (tensors, numbers, strings, lists, tuples, dicts)", at: at)
        }
    }

    static func apply(_ f: String, _ args: [PickleValue], _ r: ByteReader, _ at: Int) throws -> PickleValue {
        switch f {
        case "collections.OrderedDict": return .orderedDict([])
        case "builtins.set", "builtins.frozenset":
            if case .list(let xs)? = args.first { return .list(xs) }
            return .list([])
        case "_codecs.encode":
            guard case .string(let s)? = args.first else { throw r.fail("_codecs.encode needs a string", at: at) }
            return .bytes(s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        case "torch._utils._rebuild_tensor_v2":
            guard args.count >= 4, case .tensor(let flat) = args[0], case .int(let offset) = args[1],
                  case .tuple(let sizeV) = args[2], case .tuple(let strideV) = args[3] else {
                throw r.fail("_rebuild_tensor_v2 needs (storage, offset, size, stride, ...)", at: at)
            }
            var shape: [Int] = [], strides: [Int] = []
            for v in sizeV { guard case .int(let i) = v, i >= 0 else { throw r.fail("bad tensor size", at: at) }; shape.append(i) }
            for v in strideV { guard case .int(let i) = v, i >= 0 else { throw r.fail("bad tensor stride", at: at) }; strides.append(i) }
            guard shape.count == strides.count, offset >= 0 else { throw r.fail("tensor size and stride differ in length", at: at) }
            // The last element the view reaches must lie inside the storage.
            var last = offset
            if !shape.contains(0) {
                for (n, s) in zip(shape, strides) {
                    let (m, o1) = (n - 1).multipliedReportingOverflow(by: s)
                    let (sum, o2) = last.addingReportingOverflow(m)
                    guard !o1, !o2 else { throw r.fail("tensor view overflows", at: at) }
                    last = sum
                }
                guard last < flat.numel else {
                    throw r.fail("tensor of size \(Shape.describe(shape)) at offset \(offset) runs past its storage of \(flat.numel) elements", at: at)
                }
            }
            let t = flat.view(shape: shape, strides: strides, offset: offset)
            if case .bool(true)? = args.dropFirst(4).first { t.requiresGrad = true }
            return .tensor(t)
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
            guard case .tensor(let t)? = args.first else { throw r.fail("_rebuild_parameter needs a tensor", at: at) }
            if case .bool(let g)? = args.dropFirst().first { t.requiresGrad = g }
            return .tensor(t)
        default:
            throw r.fail("'\(f)' cannot be called here", at: at)
        }
    }
}
