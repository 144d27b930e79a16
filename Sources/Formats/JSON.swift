/// A small strict JSON value and parser for safetensors headers. Object keys
/// keep their order (the order tensors appear in the header); duplicate keys,
/// trailing bytes and nesting deeper than 64 are errors.
public indirect enum JSONValue: Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// Integers are kept exactly; any other number is `.number`.
    case int(Int)
    case number(Double)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let x), .array(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// Compact JSON text (no spaces), as serde_json writes it.
    var text: String {
        switch self {
        case .object(let kv): return "{" + kv.map { JSONValue.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        case .array(let a): return "[" + a.map(\.text).joined(separator: ",") + "]"
        case .string(let s): return JSONValue.quote(s)
        case .int(let i): return String(i)
        case .number(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// A JSON string literal, escaped as Python's json.dumps escapes (one implementation for
    /// every writer); `asciiOnly` is json.dumps's default `ensure_ascii=True` (\uXXXX, with
    /// surrogate pairs past the BMP), off for notebooks, which keep UTF-8.
    public static func quote(_ s: String, asciiOnly: Bool = false) -> String {
        var out = "\""
        func hex(_ v: UInt32) -> String { let h = String(v, radix: 16); return "\\u" + String(repeating: "0", count: 4 - h.count) + h }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 || (asciiOnly && u.value > 0x7E) {
                    if u.value > 0xFFFF {
                        let v = u.value - 0x10000
                        out += hex(0xD800 + (v >> 10)) + hex(0xDC00 + (v & 0x3FF))
                    } else {
                        out += hex(u.value)
                    }
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

struct JSONParser {
    let bytes: [UInt8]
    let base: Int
    let format: String
    var pos = 0
    var depth = 0

    init(bytes: [UInt8], base: Int, format: String) {
        self.bytes = bytes
        self.base = base
        self.format = format
    }

    func fail(_ why: String) -> FormatError { .io("\(format): bad JSON header: \(why) at offset \(base + pos)") }

    mutating func parseTop() throws -> JSONValue {
        let v = try value()
        skip()
        guard pos == bytes.count else { throw fail("unexpected data after the JSON value") }
        return v
    }

    mutating func skip() {
        while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
    }

    mutating func literal(_ word: String, _ v: JSONValue) throws -> JSONValue {
        let w = Array(word.utf8)
        guard pos + w.count <= bytes.count, Array(bytes[pos..<(pos + w.count)]) == w else { throw fail("unexpected character") }
        pos += w.count
        return v
    }

    mutating func value() throws -> JSONValue {
        skip()
        guard pos < bytes.count else { throw fail("unexpected end of header") }
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { throw fail("nesting too deep") }
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            pos += 1
            var kv: [(String, JSONValue)] = []
            skip()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(kv) }
            while true {
                skip()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let k = try string()
                skip()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                pos += 1
                let v = try value()
                if kv.contains(where: { $0.0 == k }) { throw fail("duplicate key \"\(k)\"") }
                kv.append((k, v))
                skip()
                guard pos < bytes.count else { throw fail("unterminated object") }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(kv) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            pos += 1
            var items: [JSONValue] = []
            skip()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            while true {
                items.append(try value())
                skip()
                guard pos < bytes.count else { throw fail("unterminated array") }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character")
        }
    }

    mutating func number() throws -> JSONValue {
        let start = pos
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        var integral = true
        while pos < bytes.count {
            let c = bytes[pos]
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { pos += 1; continue }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                integral = false; pos += 1; continue
            }
            break
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if integral, let i = Int(text) { return .int(i) }
        guard let d = Double(text) else { pos = start; throw fail("bad number '\(text)'") }
        return .number(d)
    }

    mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[pos..<(pos + 4)], as: UTF8.self), radix: 16) else {
            throw fail("bad \\u escape")
        }
        pos += 4
        return v
    }

    mutating func string() throws -> String {
        pos += 1   // opening quote
        var out: [UInt8] = []
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("string is not UTF-8") }
                return s
            }
            if c < 0x20 { throw fail("control character in string") }
            pos += 1
            guard c == UInt8(ascii: "\\") else { out.append(c); continue }
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var v = try hex4()
                if (0xD800..<0xDC00).contains(v), pos + 6 <= bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                    pos += 2
                    let lo = try hex4()
                    guard (0xDC00..<0xE000).contains(lo) else { throw fail("bad surrogate pair") }
                    v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
                }
                guard let u = Unicode.Scalar(v) else { throw fail("bad \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw fail("bad escape")
            }
        }
        throw fail("unterminated string")
    }
}

extension JSONValue {
    /// Parses JSON text (`json.loads`).
    public static func parse(_ text: String) throws -> JSONValue {
        var p = JSONParser(bytes: Array(text.utf8), base: 0, format: "json")
        return try p.parseTop()
    }
}
