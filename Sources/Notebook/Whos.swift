import Lang
import TensorCore
import NN

/// `%whos`: name, type, and for tensors shape, dtype and memory, for modules the parameter count.
enum Whos {
    static func table(_ s: Session) -> String {
        let names = s.userNames.sorted()
        if names.isEmpty { return "Interactive namespace is empty." }
        var rows: [(String, String, String)] = []
        for n in names {
            guard let v = s.interpreter.global(n) else { continue }
            rows.append((n, v.typeName, info(v, s)))
        }
        let w0 = max(8, rows.map { $0.0.count }.max() ?? 0) + 3
        let w1 = max(4, rows.map { $0.1.count }.max() ?? 0) + 3
        var out = pad("Variable", w0) + pad("Type", w1) + "Data/Info\n"
        out += String(repeating: "-", count: w0 + w1 + 9) + "\n"
        for r in rows { out += pad(r.0, w0) + pad(r.1, w1) + r.2 + "\n" }
        return String(out.dropLast())
    }

    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }

    static func info(_ v: Value, _ s: Session) -> String {
        switch v {
        case .tensor(let t):
            return "\(Shape.torchSize(t.shape)) \(t.dtype.rawValue) \(bytes(t.numel * t.dtype.itemSize))"
        case .module(let m):
            return "\(TimeText.grouped(m.parameterCount())) parameters"
        case .function: return "<function>"
        default:
            let r = s.interpreter.repr(v)
            return r.count > 60 ? String(r.prefix(57)) + "..." : r
        }
    }

    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1 << 20 { return String(format: "%.1f KiB", Double(n) / 1024) }
        if n < 1 << 30 { return String(format: "%.1f MiB", Double(n) / 1_048_576) }
        return String(format: "%.2f GiB", Double(n) / 1_073_741_824)
    }
}

import Foundation
