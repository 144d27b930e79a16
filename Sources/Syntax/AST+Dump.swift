/// A compact prefix rendering of expressions: `(+ a (* b c))`.
enum ExprDump {
    static func dump(_ e: Expr) -> String {
        switch e {
        case .name(let n, _): return n
        case .int(let v, _): return String(v)
        case .float(let v, _): return String(v)
        case .string(let s, _): return "'\(s)'"
        case .fstring(let parts, _): return "(f " + parts.map(segment).joined(separator: " ") + ")"
        case .bool(let b, _): return b ? "True" : "False"
        case .none: return "None"
        case .ellipsis: return "..."
        case .list(let items, _): return "[" + items.map(dump).joined(separator: " ") + "]"
        case .tuple(let items, _): return "(tuple " + items.map(dump).joined(separator: " ") + ")"
        case .dict(let items, _):
            return "{" + items.map { dump($0.0) + ": " + dump($0.1) }.joined(separator: ", ") + "}"
        case .starred(let x, _): return "*" + dump(x)
        case .unary(let op, let x, _): return "(\(op.rawValue) \(dump(x)))"
        case .binary(let op, let a, let b, _): return "(\(op.rawValue) \(dump(a)) \(dump(b)))"
        case .boolean(let op, let a, let b, _): return "(\(op.rawValue) \(dump(a)) \(dump(b)))"
        case .compare(let first, let rest, _):
            return "(cmp \(dump(first))" + rest.map { " \($0.0.rawValue) \(dump($0.1))" }.joined() + ")"
        case .conditional(let c, let t, let o, _): return "(if \(dump(c)) \(dump(t)) \(dump(o)))"
        case .call(let f, let args, _):
            return "(call \(dump(f))" + args.map { " " + argument($0) }.joined() + ")"
        case .attribute(let x, let name, _): return "(. \(dump(x)) \(name))"
        case .index(let x, let i, _): return "(index \(dump(x)) \(dump(i)))"
        case .slice(let a, let b, let c, _):
            return "(slice \(a.map(dump) ?? "_") \(b.map(dump) ?? "_") \(c.map(dump) ?? "_"))"
        case .listComp(let x, let fors, _): return "(listcomp \(dump(x))" + fors.map(comp).joined() + ")"
        case .dictComp(let k, let v, let fors, _):
            return "(dictcomp \(dump(k)) \(dump(v))" + fors.map(comp).joined() + ")"
        case .generator(let x, let fors, _): return "(gen \(dump(x))" + fors.map(comp).joined() + ")"
        case .lambda(let p, let body, _):
            return "(lambda (" + p.positional.map(\.name).joined(separator: " ") + ") \(dump(body)))"
        }
    }

    static func argument(_ a: Argument) -> String {
        switch a {
        case .positional(let x): return dump(x)
        case .keyword(let k, let x): return "\(k)=\(dump(x))"
        case .star(let x): return "*\(dump(x))"
        case .doubleStar(let x): return "**\(dump(x))"
        }
    }

    static func comp(_ c: Comprehension) -> String {
        " for \(dump(c.target)) in \(dump(c.iter))" + c.conditions.map { " if \(dump($0))" }.joined()
    }

    static func segment(_ s: FSegment) -> String {
        switch s {
        case .literal(let t): return "'\(t)'"
        case .field(let x, let conv, let spec):
            return "{\(dump(x))" + (conv.map { "!\($0)" } ?? "")
                + (spec.isEmpty ? "" : ":" + spec.map(segment).joined()) + "}"
        }
    }
}
