import Foundation
import TensorCore

/// PyTorch's own file format (`torch.save` since 1.6): an uncompressed ZIP
/// whose members sit under one folder (the file's stem, as torch names it):
/// `data.pkl` (a protocol-2 pickle, see `PickleWriter`), `.format_version`,
/// `.storage_alignment`, `byteorder`, `data/0..N` (each storage's raw
/// little-endian bytes, aligned to 64 bytes by an 'FB' extra field as torch
/// aligns them), `version` and `.data/serialization_id`.
public enum TorchSave {
    static let format = "torch.load"
    static let alignment = 64

    // MARK: Writing

    public static func save(_ value: PickleValue, path: String) throws {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let name = stem.isEmpty || stem.contains(where: { $0 == "/" }) ? "archive" : stem
        try FileIO.writeAtomically(try encode(value, archiveName: name), path: path)
    }

    public static func encode(_ value: PickleValue, archiveName: String = "archive") throws -> Data {
        let (pkl, storages) = try PickleWriter.pickle(value)
        var members: [(String, [UInt8])] = [
            ("data.pkl", pkl), (".format_version", Array("1".utf8)), (".storage_alignment", Array("64".utf8)),
            ("byteorder", Array("little".utf8)),
        ]
        for (i, s) in storages.enumerated() {
            let n = s.count * s.dtype.itemSize
            members.append(("data/\(i)", Array(UnsafeRawBufferPointer(start: s.raw, count: n))))
        }
        members.append(("version", Array("3\n".utf8)))
        var id = ""
        for _ in 0..<40 { id += String(UInt8.random(in: 0...9)) }
        members.append((".data/serialization_id", Array(id.utf8)))
        return try zip(members.map { (archiveName + "/" + $0.0, $0.1) })
    }

    /// A stored (uncompressed) ZIP with each member's data aligned to 64 bytes.
    static func zip(_ members: [(String, [UInt8])]) throws -> Data {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, data) in members {
            let fname = Array(name.utf8)
            guard data.count < 0xFFFF_FFFF, out.count < 0xFFFF_FFF0 - data.count - 200 else {
                throw FormatError.io("torch.save: the file would need zip64 (over 4 GiB), which Tensorpad does not write")
            }
            let crc = UInt64(Zlib.crc32(data[...]))
            let offset = out.count
            // 'FB' extra field padding the data's start to the alignment.
            let headerEnd = offset + 30 + fname.count + 4
            let pad = (alignment - headerEnd % alignment) % alignment
            func common(_ b: inout [UInt8], extra: Int) {
                b.appendLE(20, 2); b.appendLE(0x0800, 2); b.appendLE(0, 2)   // version, UTF-8 flag, stored
                b.appendLE(0, 2); b.appendLE(0x21, 2)                         // time, date (1980-01-01)
                b.appendLE(crc, 4); b.appendLE(UInt64(data.count), 4); b.appendLE(UInt64(data.count), 4)
                b.appendLE(UInt64(fname.count), 2); b.appendLE(UInt64(extra), 2)
            }
            out.appendLE(NPZ.localSig, 4); common(&out, extra: 4 + pad)
            out += fname
            out += [0x46, 0x42]; out.appendLE(UInt64(pad), 2); out += [UInt8](repeating: 0x5A, count: pad)
            out += data
            central.appendLE(NPZ.centralSig, 4); central.appendLE(20, 2); common(&central, extra: 0)
            central.appendLE(0, 2); central.appendLE(0, 2); central.appendLE(0, 2)   // comment, disk, internal
            central.appendLE(0o644 << 16, 4); central.appendLE(UInt64(offset), 4)
            central += fname
        }
        let cdOffset = out.count
        out += central
        out.appendLE(NPZ.endSig, 4); out.appendLE(0, 2); out.appendLE(0, 2)
        out.appendLE(UInt64(members.count), 2); out.appendLE(UInt64(members.count), 2)
        out.appendLE(UInt64(central.count), 4); out.appendLE(UInt64(cdOffset), 4); out.appendLE(0, 2)
        return Data(out)
    }

    // MARK: Reading

    public static func load(path: String) throws -> PickleValue {
        try decodeFile(path, decode)
    }

    /// True when the bytes start like a ZIP that holds a `data.pkl` member.
    public static func looksLikeTorchFile(_ data: Data) -> Bool {
        guard data.count >= 4, data.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04]) else { return false }
        let r = ByteReader(data, format: format)
        return (try? NPZ.centralDirectory(r))?.contains { $0.name.hasSuffix("/data.pkl") || $0.name == "data.pkl" } ?? false
    }

    public static func decode(_ data: Data) throws -> PickleValue {
        let r = ByteReader(data, format: format)
        guard r.count >= 4, r.bytes[0] == 0x50, r.bytes[1] == 0x4B else {
            if r.count >= 2, r.bytes[0] == 0x80, r.bytes[1] == 0x02 {
                throw r.fail("a PyTorch file in the legacy format (before PyTorch 1.6, not a zip); re-save it with a current torch.save", at: 0)
            }
            throw r.fail("not a PyTorch file (torch.save writes a zip archive; this file starts with neither 'PK' nor a pickle)", at: 0)
        }
        let members = try NPZ.centralDirectory(r)
        guard let pkl = members.first(where: { $0.name.hasSuffix("/data.pkl") || $0.name == "data.pkl" }) else {
            throw r.fail("a zip archive but not a PyTorch file: no data.pkl member", at: 0)
        }
        let prefix = String(pkl.name.dropLast("data.pkl".count))
        var byName: [String: NPZ.Member] = [:]
        for m in members { byName[m.name] = m }
        if let bo = byName[prefix + "byteorder"] {
            let (b, at) = try NPZ.memberBytes(r, bo)
            let order = String(decoding: b, as: UTF8.self)
            guard order == "little" else { throw r.fail("byte order '\(order)' is not supported (only little)", at: at) }
        }
        var storages: [String: Tensor] = [:]
        let (pickle, pklStart) = try NPZ.memberBytes(r, pkl)
        let reader = PickleReader(pickle, format: format) { type, key, numel in
            if let t = storages[key] { return t }
            guard let kind = TorchStorageType.kind(type) else {
                throw r.fail("unsupported storage type torch.\(type)", at: pklStart)
            }
            guard let m = byName[prefix + "data/" + key] else {
                throw r.fail("storage '\(key)' is missing (no member \(prefix)data/\(key))", at: pklStart)
            }
            let (bytes, start) = try NPZ.memberBytes(r, m)
            guard numel >= 0, let need = Sizes.bytes([numel], itemSize: kind.size), need <= bytes.count else {
                throw r.fail("storage '\(key)' holds \(bytes.count) bytes, too few for \(numel) elements of torch.\(type)", at: start)
            }
            let t: Tensor
            if let native = TorchStorageType.nativeDType(kind) {
                t = try allocate([numel], native, format: format, at: start)
                if need > 0 { bytes.withUnsafeBytes { t.storage.raw.copyMemory(from: $0.baseAddress!, byteCount: need) } }
            } else {
                t = try allocate([numel], kind.dtype, format: format, at: start)
                decodeElements(bytes, from: 0, kind: kind, bigEndian: false, into: t)
            }
            storages[key] = t
            return t
        }
        do {
            return try reader.read()
        } catch FormatError.io(let why) {
            throw FormatError.io("\(why) (in \(pkl.name), which starts at offset \(pklStart))")
        }
    }
}
