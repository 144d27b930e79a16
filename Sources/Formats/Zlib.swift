import CZlib
import TensorCore

/// The system zlib: inflate (raw deflate for ZIP members, gzip for `.gz`
/// files) and CRC-32. Corrupt or truncated streams throw `FormatError`.
enum Zlib {
    static let rawDeflate: Int32 = -15
    static let gzip: Int32 = 16 + 15

    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates `input`. With `expected`, the output must be exactly that long;
    /// otherwise it may grow up to `limit` bytes. `offset` is the file offset of
    /// `input`'s first byte, for messages. Gzip input may hold several members.
    static func inflate(_ input: ArraySlice<UInt8>, windowBits: Int32, expected: Int? = nil,
                        limit: Int = Storage.limitBytes, format: String, at offset: Int) throws -> [UInt8] {
        func fail(_ why: String, _ at: Int) -> FormatError { .io("\(format): \(why) at offset \(at)") }
        guard input.count <= Int(UInt32.max) else { throw fail("compressed data is too large", offset) }
        let cap = expected.map { $0 + 1 } ?? limit
        var out = [UInt8](repeating: 0, count: min(cap, max(expected.map { $0 + 1 } ?? 0, min(input.count * 4, 1 << 20), 64)))
        var produced = 0
        var s = z_stream()
        guard inflateInit2_(&s, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw fail("zlib could not start inflating", offset)
        }
        defer { inflateEnd(&s) }
        let input = Array(input)
        try input.withUnsafeBufferPointer { inp in
            s.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            s.avail_in = UInt32(inp.count)
            while true {
                var consumed: Int { inp.count - Int(s.avail_in) }
                if produced == out.count {
                    if out.count >= cap {
                        if expected != nil {
                            throw fail("compressed data inflates to more than the \(cap - 1) bytes the header says", offset + consumed)
                        }
                        throw fail("inflated data is larger than the limit of \(limit) bytes", offset + consumed)
                    }
                    let grown = min(cap, max(out.count * 2, 1 << 16))
                    out.append(contentsOf: [UInt8](repeating: 0, count: grown - out.count))
                }
                let room = min(out.count - produced, Int(UInt32.max))
                let before = s.avail_in
                let rc: Int32 = out.withUnsafeMutableBufferPointer { o in
                    guard let base = o.baseAddress else { return Z_MEM_ERROR }
                    s.next_out = base + produced
                    s.avail_out = UInt32(room)
                    return CZlib.inflate(&s, Z_NO_FLUSH)
                }
                produced += room - Int(s.avail_out)
                switch rc {
                case Z_STREAM_END:
                    let rest = Int(s.avail_in)
                    if rest == 0 { return }
                    let at = inp.count - rest
                    // Concatenated gzip members (as `cat a.gz b.gz` makes) continue the data.
                    if windowBits == gzip, rest >= 2, inp[at] == 0x1F, inp[at + 1] == 0x8B {
                        guard inflateReset(&s) == Z_OK else { throw fail("zlib could not restart", offset + at) }
                        continue
                    }
                    throw fail("\(rest) unexpected bytes after the compressed data", offset + at)
                case Z_OK:
                    if s.avail_in == 0 && s.avail_out > 0 && before == 0 {
                        throw fail("compressed data ends early", offset + consumed)
                    }
                case Z_BUF_ERROR:
                    if s.avail_in == 0 { throw fail("compressed data ends early", offset + consumed) }
                case Z_NEED_DICT:
                    throw fail("compressed data needs a preset dictionary", offset + consumed)
                case Z_MEM_ERROR:
                    throw fail("zlib ran out of memory", offset + consumed)
                default:
                    let msg = s.msg.map { String(cString: $0) } ?? "invalid data"
                    throw fail("corrupt compressed data (\(msg))", offset + consumed)
                }
            }
        }
        if let e = expected, produced != e {
            throw fail("compressed data inflates to \(produced) bytes but the header says \(e)", offset)
        }
        out.removeSubrange(produced...)
        return out
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt = 0
        bytes.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            var done = 0
            while done < p.count {
                let n = min(p.count - done, 1 << 30)
                crc = CZlib.crc32(crc, base + done, UInt32(n))
                done += n
            }
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
