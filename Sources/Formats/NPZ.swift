import Foundation
import TensorCore

/// NumPy's `.npz`: a ZIP archive of `.npy` members, as `np.savez` (stored) and
/// `np.savez_compressed` (deflated) write it. The reader walks the central
/// directory (zip64 records included), checks each member's local header and
/// CRC-32, and reads the members with `NPY.read`.
public enum NPZ {
    static let format = "npz"
    static let localSig: UInt64 = 0x0403_4B50
    static let centralSig: UInt64 = 0x0201_4B50
    static let endSig: UInt64 = 0x0605_4B50
    static let end64Sig: UInt64 = 0x0606_4B50
    static let locator64Sig: UInt64 = 0x0706_4B50

    /// One member as the central directory describes it.
    struct Member {
        var name: String
        var method: Int
        var flags: Int
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localOffset: Int
        var entryOffset: Int
    }

    // MARK: Reading

    /// The arrays of the archive at `path`, in archive order, named without `.npy`.
    public static func load(path: String, native: Bool = false) throws -> [(String, Tensor)] {
        try decodeFile(path) { try read($0, native: native) }
    }

    public static func read(_ data: Data, native: Bool = false) throws -> [(String, Tensor)] {
        let r = ByteReader(data, format: format)
        let members = try centralDirectory(r)
        var out: [(String, Tensor)] = []
        for m in members {
            let (bytes, start) = try memberBytes(r, m)
            let t: Tensor
            do {
                t = try NPY.read(Data(bytes), native: native)
            } catch FormatError.io(let why) {
                // NPY's offsets count from the member's first byte.
                throw FormatError.io("\(format): member '\(m.name)' (data at offset \(start)): \(why)")
            } catch let e as TensorError {
                throw FormatError.io("\(format): member '\(m.name)': \(e.description) at offset \(start)")
            }
            let name = m.name.hasSuffix(".npy") ? String(m.name.dropLast(4)) : m.name
            out.append((name, t))
        }
        return out
    }

    /// Finds the end-of-central-directory record and lists the members.
    static func centralDirectory(_ r: ByteReader) throws -> [Member] {
        guard r.count >= 22 else { throw r.fail("not a zip file: too short for an end-of-central-directory record", at: 0) }
        var eocd = -1
        var o = r.count - 22
        let lowest = max(0, r.count - 22 - 65535)
        while o >= lowest {
            if r.bytes[o] == 0x50, try r.le(o, 4, "signature") == endSig { eocd = o; break }
            o -= 1
        }
        guard eocd >= 0 else { throw r.fail("not a zip file: no end-of-central-directory record", at: r.count) }
        var entries = try r.leInt(eocd + 10, 2, "entry count")
        var cdSize = try r.leInt(eocd + 12, 4, "central directory size")
        var cdOffset = try r.leInt(eocd + 16, 4, "central directory offset")
        // A zip64 locator right before the record means the zip64 record holds the real values.
        let loc = eocd - 20
        let hasLocator = try loc >= 0 && r.le(loc, 4, "zip64 locator") == locator64Sig
        if !hasLocator && (entries == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF) {
            throw r.fail("zip64 archive without a zip64 end-of-central-directory locator", at: max(loc, 0))
        }
        if hasLocator {
            let e64 = try r.leInt(loc + 8, 8, "zip64 end record offset")
            guard try r.le(e64, 4, "zip64 end record") == end64Sig else {
                throw r.fail("bad zip64 end-of-central-directory signature", at: e64)
            }
            entries = try r.leInt(e64 + 32, 8, "zip64 entry count")
            cdSize = try r.leInt(e64 + 40, 8, "zip64 central directory size")
            cdOffset = try r.leInt(e64 + 48, 8, "zip64 central directory offset")
        }
        try r.need(cdOffset, cdSize, "central directory")
        // Each entry takes at least 46 bytes, so a lying count cannot make us loop long.
        guard entries <= cdSize / 46 else {
            throw r.fail("central directory of \(cdSize) bytes cannot hold \(entries) entries", at: eocd + 10)
        }
        var members: [Member] = []
        var p = cdOffset
        let cdEnd = cdOffset + cdSize
        for _ in 0..<entries {
            guard p <= cdEnd - 46, try r.le(p, 4, "central directory entry") == centralSig else {
                throw r.fail("bad central directory entry", at: p)
            }
            var m = Member(name: "", method: try r.leInt(p + 10, 2, "method"), flags: try r.leInt(p + 8, 2, "flags"),
                           crc: UInt32(try r.le(p + 16, 4, "crc")),
                           compressedSize: try r.leInt(p + 20, 4, "compressed size"),
                           size: try r.leInt(p + 24, 4, "size"),
                           localOffset: try r.leInt(p + 42, 4, "local header offset"), entryOffset: p)
            let nameLen = try r.leInt(p + 28, 2, "name length")
            let extraLen = try r.leInt(p + 30, 2, "extra length")
            let commentLen = try r.leInt(p + 32, 2, "comment length")
            let next = p + 46 + nameLen + extraLen + commentLen
            guard next <= cdEnd else { throw r.fail("central directory entry runs past the directory", at: p) }
            m.name = String(decoding: try r.slice(p + 46, nameLen, "member name"), as: UTF8.self)
            try readZip64Extra(r, at: p + 46 + nameLen, length: extraLen, into: &m)
            if members.contains(where: { $0.name == m.name }) {
                throw r.fail("duplicate member '\(m.name)'", at: p)
            }
            members.append(m)
            p = next
        }
        return members
    }

    /// Fills sizes and offset from a zip64 extra field where the 32-bit ones are 0xFFFFFFFF.
    static func readZip64Extra(_ r: ByteReader, at start: Int, length: Int, into m: inout Member) throws {
        var q = start
        let end = start + length
        while q + 4 <= end {
            let id = try r.le(q, 2, "extra field id")
            let size = try r.leInt(q + 2, 2, "extra field size")
            guard q + 4 + size <= end else { throw r.fail("extra field runs past its entry", at: q) }
            if id == 0x0001 {
                var f = q + 4
                func take(_ what: String) throws -> Int {
                    guard f + 8 <= q + 4 + size else { throw r.fail("zip64 extra field lacks the \(what)", at: f) }
                    defer { f += 8 }
                    return try r.leInt(f, 8, what)
                }
                if m.size == 0xFFFF_FFFF { m.size = try take("size") }
                if m.compressedSize == 0xFFFF_FFFF { m.compressedSize = try take("compressed size") }
                if m.localOffset == 0xFFFF_FFFF { m.localOffset = try take("local header offset") }
            }
            q += 4 + size
        }
    }

    /// A member's uncompressed bytes, checked against its CRC-32, and the file offset of its data.
    static func memberBytes(_ r: ByteReader, _ m: Member) throws -> ([UInt8], Int) {
        let h = m.localOffset
        guard try r.le(h, 4, "local header") == localSig else {
            throw r.fail("bad local header signature for '\(m.name)'", at: h)
        }
        if m.flags & 1 != 0 { throw r.fail("member '\(m.name)' is encrypted", at: m.entryOffset + 8) }
        let nameLen = try r.leInt(h + 26, 2, "name length")
        let extraLen = try r.leInt(h + 28, 2, "extra length")
        let start = h + 30 + nameLen + extraLen
        try r.need(start, m.compressedSize, "data of member '\(m.name)'")
        let raw = r.bytes[start..<(start + m.compressedSize)]
        let bytes: [UInt8]
        switch m.method {
        case 0:
            guard m.size == m.compressedSize else {
                throw r.fail("stored member '\(m.name)' has size \(m.size) but compressed size \(m.compressedSize)", at: m.entryOffset + 20)
            }
            bytes = Array(raw)
        case 8:
            // Deflate cannot expand data more than about 1032 times.
            let (bound, o) = m.compressedSize.multipliedReportingOverflow(by: 1032)
            guard !o, m.size <= bound + 64, m.size <= Storage.limitBytes else {
                throw r.fail("member '\(m.name)' claims an impossible size \(m.size)", at: m.entryOffset + 24)
            }
            bytes = try Zlib.inflate(raw, windowBits: Zlib.rawDeflate, expected: m.size, format: format, at: start)
        default:
            throw r.fail("member '\(m.name)' uses unsupported compression method \(m.method) (only stored and deflated)", at: m.entryOffset + 10)
        }
        let crc = Zlib.crc32(bytes[...])
        guard crc == m.crc else {
            throw r.fail("CRC-32 mismatch for '\(m.name)' (0x\(String(crc, radix: 16)) != 0x\(String(m.crc, radix: 16)))", at: start)
        }
        return (bytes, start)
    }

    // MARK: Writing

    /// An archive of `.npy` members, stored (uncompressed), in the given order.
    public static func encode(_ arrays: [(String, Tensor)]) throws -> Data {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, t) in arrays {
            let member = [UInt8](try NPY.encode(t))
            let fname = Array((name + ".npy").utf8)
            guard fname.count <= 0xFFFF else { throw FormatError.io("npz: name '\(name)' is too long") }
            guard member.count < 0xFFFF_FFFF, out.count < 0xFFFF_FFFF else {
                throw FormatError.io("npz: archive is too large for a zip without zip64")
            }
            let crc = UInt64(Zlib.crc32(member[...]))
            let offset = out.count
            func common(_ b: inout [UInt8]) {
                b.appendLE(20, 2); b.appendLE(0x0800, 2); b.appendLE(0, 2)   // version, UTF-8 flag, stored
                b.appendLE(0, 2); b.appendLE(0x21, 2)                         // time, date (1980-01-01)
                b.appendLE(crc, 4); b.appendLE(UInt64(member.count), 4); b.appendLE(UInt64(member.count), 4)
                b.appendLE(UInt64(fname.count), 2); b.appendLE(0, 2)
            }
            out.appendLE(localSig, 4); common(&out)
            out += fname; out += member
            central.appendLE(centralSig, 4); central.appendLE(20, 2); common(&central)
            central.appendLE(0, 2); central.appendLE(0, 2); central.appendLE(0, 2)   // comment, disk, internal
            central.appendLE(0o644 << 16, 4); central.appendLE(UInt64(offset), 4)
            central += fname
        }
        guard arrays.count < 0xFFFF, out.count < 0xFFFF_FFFF else {
            throw FormatError.io("npz: archive is too large for a zip without zip64")
        }
        let cdOffset = out.count
        out += central
        out.appendLE(endSig, 4); out.appendLE(0, 2); out.appendLE(0, 2)
        out.appendLE(UInt64(arrays.count), 2); out.appendLE(UInt64(arrays.count), 2)
        out.appendLE(UInt64(central.count), 4); out.appendLE(UInt64(cdOffset), 4); out.appendLE(0, 2)
        return Data(out)
    }

    /// Writes the arrays as an uncompressed `.npz` (like `np.savez`), atomically.
    public static func save(_ arrays: [(String, Tensor)], path: String) throws {
        try FileIO.writeAtomically(try encode(arrays), path: path)
    }
}
