import Foundation
import Crypto

/// A JSON object as JSONSerialization reads and writes it.
public typealias JSONObject = [String: Any]

/// One Jupyter message (messaging protocol 5.3): the routing identities,
/// then header, parent header, metadata, content and extra buffers.
public struct Message {
    public var identities: [Data] = []
    public var header: JSONObject
    public var parentHeader: JSONObject = [:]
    public var metadata: JSONObject = [:]
    public var content: JSONObject = [:]
    public var buffers: [Data] = []

    public var type: String { header["msg_type"] as? String ?? "" }
    public var id: String { header["msg_id"] as? String ?? "" }
}

/// HMAC-SHA256 over the four JSON frames, hex-encoded, with the connection
/// file's key (swift-crypto). An empty key means signing is off, as in Jupyter:
/// the signature frame is then empty.
public struct Signer {
    let key: SymmetricKey?

    public init(key: String) {
        self.key = key.isEmpty ? nil : SymmetricKey(data: Data(key.utf8))
    }

    public func sign(_ frames: [Data]) -> Data {
        guard let key else { return Data() }
        var mac = HMAC<SHA256>(key: key)
        for f in frames { mac.update(data: f) }
        return Data(hex(Data(mac.finalize())).utf8)
    }

    /// Constant-time check of a received signature.
    public func verify(_ signature: Data, _ frames: [Data]) -> Bool {
        guard let key else { return signature.isEmpty }
        guard let given = unhex(signature) else { return false }
        var mac = HMAC<SHA256>(key: key)
        for f in frames { mac.update(data: f) }
        let expected = Data(mac.finalize())
        guard given.count == expected.count else { return false }
        var diff: UInt8 = 0
        for (a, b) in zip(given, expected) { diff |= a ^ b }
        return diff == 0
    }

    func hex(_ d: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(d.count * 2)
        for b in d { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    func unhex(_ d: Data) -> Data? {
        guard d.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var out = Data(capacity: d.count / 2)
        var it = d.makeIterator()
        while let hi = it.next(), let lo = it.next() {
            guard let h = nibble(hi), let l = nibble(lo) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }
}

/// Why a received message was dropped.
public enum WireError: Error, Equatable {
    case noDelimiter, tooFewFrames, badSignature, badJSON
}

/// The wire format: `[identities…, "<IDS|MSG>", signature, header, parent, metadata, content, buffers…]`.
public enum Wire {
    static let delimiter = Data("<IDS|MSG>".utf8)

    public static func decode(_ frames: [Data], signer: Signer) throws -> Message {
        guard let d = frames.firstIndex(of: delimiter) else { throw WireError.noDelimiter }
        guard frames.count >= d + 6 else { throw WireError.tooFewFrames }
        let body = Array(frames[(d + 2)..<(d + 6)])
        guard signer.verify(frames[d + 1], body) else { throw WireError.badSignature }
        func object(_ f: Data) throws -> JSONObject {
            guard let o = try? JSONSerialization.jsonObject(with: f), let j = o as? JSONObject else { throw WireError.badJSON }
            return j
        }
        var m = Message(header: try object(body[0]))
        m.identities = Array(frames[..<d])
        m.parentHeader = try object(body[1])
        m.metadata = try object(body[2])
        m.content = try object(body[3])
        m.buffers = Array(frames[(d + 6)...])
        return m
    }

    public static func encode(_ m: Message, signer: Signer) throws -> [Data] {
        let body = try [m.header, m.parentHeader, m.metadata, m.content].map { try json($0) }
        return m.identities + [delimiter, signer.sign(body)] + body + m.buffers
    }

    static func json(_ o: JSONObject) throws -> Data {
        try JSONSerialization.data(withJSONObject: o, options: [.withoutEscapingSlashes])
    }
}
