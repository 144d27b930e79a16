/// The subset of Python literals a `.npy` header uses: a dict of strings,
/// booleans, `None`, integers and tuples/lists.
indirect enum PyLiteral: Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([PyLiteral])
    case dict([(String, PyLiteral)])

    static func == (a: PyLiteral, b: PyLiteral) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.none, .none): return true
        case (.tuple(let x), .tuple(let y)): return x == y
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

/// A recursive-descent parser over header bytes. `base` is the file offset of
/// the first byte, so errors name positions in the file.
struct LiteralParser {
    let bytes: [UInt8]
    let base: Int
    var pos = 0
    var depth = 0

    init(bytes: [UInt8], base: Int) {
        self.bytes = bytes
        self.base = base
    }

    mutating func parseTop() throws -> PyLiteral {
        let v = try parseValue()
        skipSpace()
        if pos < bytes.count { throw fail("unexpected '\(char(bytes[pos]))' after the header dictionary") }
        return v
    }

    func fail(_ why: String) -> FormatError {
        .io("malformed .npy header: \(why) at offset \(base + pos)")
    }

    func char(_ b: UInt8) -> String { String(UnicodeScalar(b)) }

    mutating func skipSpace() {
        while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x0A || bytes[pos] == 0x09 || bytes[pos] == 0x0D {
            pos += 1
        }
    }

    mutating func parseValue() throws -> PyLiteral {
        skipSpace()
        guard pos < bytes.count else { throw fail("unexpected end of header") }
        depth += 1
        defer { depth -= 1 }
        if depth > 32 { throw fail("nesting too deep") }
        let c = bytes[pos]
        switch c {
        case UInt8(ascii: "{"): return try parseDict()
        case UInt8(ascii: "("): return .tuple(try parseSequence(close: UInt8(ascii: ")")))
        case UInt8(ascii: "["): return .tuple(try parseSequence(close: UInt8(ascii: "]")))
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .int(try parseInt())
        default:
            for (word, value) in [("True", PyLiteral.bool(true)), ("False", .bool(false)), ("None", .none)] {
                let w = Array(word.utf8)
                if pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w {
                    pos += w.count
                    return value
                }
            }
            throw fail("unexpected '\(char(c))'")
        }
    }

    mutating func parseDict() throws -> PyLiteral {
        pos += 1   // {
        var entries: [(String, PyLiteral)] = []
        while true {
            skipSpace()
            guard pos < bytes.count else { throw fail("unterminated dictionary") }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .dict(entries) }
            guard bytes[pos] == UInt8(ascii: "'") || bytes[pos] == UInt8(ascii: "\"") else {
                throw fail("expected a string key")
            }
            let key = try parseString()
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("expected ':' after '\(key)'") }
            pos += 1
            let v = try parseValue()
            if entries.contains(where: { $0.0 == key }) { throw fail("duplicate key '\(key)'") }
            entries.append((key, v))
            skipSpace()
            guard pos < bytes.count else { throw fail("unterminated dictionary") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .dict(entries) }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func parseSequence(close: UInt8) throws -> [PyLiteral] {
        pos += 1
        var items: [PyLiteral] = []
        while true {
            skipSpace()
            guard pos < bytes.count else { throw fail("unterminated tuple") }
            if bytes[pos] == close { pos += 1; return items }
            items.append(try parseValue())
            skipSpace()
            guard pos < bytes.count else { throw fail("unterminated tuple") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == close { pos += 1; return items }
            throw fail("expected ',' or '\(char(close))'")
        }
    }

    mutating func parseString() throws -> String {
        let quote = bytes[pos]
        pos += 1
        var out: [UInt8] = []
        while pos < bytes.count {
            let c = bytes[pos]
            if c == quote { pos += 1; return String(decoding: out, as: UTF8.self) }
            if c == UInt8(ascii: "\\") {
                pos += 1
                guard pos < bytes.count else { break }
            }
            out.append(bytes[pos])
            pos += 1
        }
        throw fail("unterminated string")
    }

    mutating func parseInt() throws -> Int {
        var negative = false
        if bytes[pos] == UInt8(ascii: "-") || bytes[pos] == UInt8(ascii: "+") {
            negative = bytes[pos] == UInt8(ascii: "-")
            pos += 1
        }
        let start = pos
        var value = 0
        while pos < bytes.count, bytes[pos] >= UInt8(ascii: "0"), bytes[pos] <= UInt8(ascii: "9") {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(bytes[pos] - UInt8(ascii: "0")))
            if o1 || o2 { throw fail("integer too large") }
            value = a
            pos += 1
        }
        if pos == start { throw fail("expected digits") }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "L") { pos += 1 }   // Python 2 longs
        return negative ? -value : value
    }
}
