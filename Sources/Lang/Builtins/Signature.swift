/// A parameter of a builtin or a `def`.
public struct Param {
    public var name: String
    /// nil: required.
    public var defaultValue: Value?
    /// A required parameter.
    public init(_ name: String) { self.name = name; self.defaultValue = nil }
    /// A parameter with a default (`.none` here is Python's None).
    public init(_ name: String, default defaultValue: Value) { self.name = name; self.defaultValue = defaultValue }
    init(_ name: String, optionalDefault: Value?) { self.name = name; self.defaultValue = optionalDefault }
    public static func required(_ name: String) -> Param { Param(name) }
}

/// A callable's signature, declared once; it drives argument binding,
/// `help()` and Tab completion of keyword names.
public struct Signature {
    public var name: String
    public var params: [Param]
    public var varargs: String?
    public var keywordOnly: [Param]
    public var kwargs: String?
    public var doc: String
    /// For builtins whose argument errors CPython words its own way (`sorted`, `list.sort`):
    /// the message for arguments the call cannot take, checked before binding; nil when fine.
    public var argumentError: ((Arguments) -> String?)?

    public init(_ name: String, _ params: [Param] = [], varargs: String? = nil,
                keywordOnly: [Param] = [], kwargs: String? = nil, doc: String = "") {
        self.name = name; self.params = params; self.varargs = varargs
        self.keywordOnly = keywordOnly; self.kwargs = kwargs; self.doc = doc
    }

    /// Slots a call fills: positional params, `*args`, keyword-only, `**kwargs`.
    var slotCount: Int {
        params.count + (varargs == nil ? 0 : 1) + keywordOnly.count + (kwargs == nil ? 0 : 1)
    }

    /// `conv2d(input, weight, bias=None, stride=1)` for help().
    public var text: String {
        var parts = params.map { p in p.defaultValue.map { "\(p.name)=\(Printing.repr($0))" } ?? p.name }
        if let v = varargs { parts.append("*" + v) } else if !keywordOnly.isEmpty { parts.append("*") }
        parts += keywordOnly.map { p in p.defaultValue.map { "\(p.name)=\(Printing.repr($0))" } ?? p.name }
        if let k = kwargs { parts.append("**" + k) }
        return "\(name)(" + parts.joined(separator: ", ") + ")"
    }

    /// Every keyword a call may name.
    public var keywordNames: [String] { params.map(\.name) + keywordOnly.map(\.name) }

    /// CPython's wording for `sorted` and `list.sort` (whose one positional argument is the
    /// list itself): "sorted expected 1 argument, got 2", "sort() takes no positional arguments",
    /// "'x' is an invalid keyword argument for sort()".
    static func sortArguments(method: Bool) -> (Arguments) -> String? {
        { args in
            if args.positional.count != 1 {
                return method ? "sort() takes no positional arguments" : "sorted expected 1 argument, got \(args.positional.count)"
            }
            if let (k, _) = args.keywords.first(where: { $0.0 != "key" && $0.0 != "reverse" }) {
                return "'\(k)' is an invalid keyword argument for sort()"
            }
            return nil
        }
    }
}

/// Arguments as written at a call site.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(String, Value)]
    public init(_ positional: [Value] = [], keywords: [(String, Value)] = []) {
        self.positional = positional; self.keywords = keywords
    }
}

/// Arguments bound to a builtin's parameters, defaults filled in.
public struct BoundArgs {
    /// One per positional and keyword-only parameter, in declaration order.
    public var values: [Value]
    public var varargs: [Value]
    public var kwargs: [(String, Value)]
    public let signature: Signature
    /// Not retained (`unowned(unsafe)`): the interpreter outlives every call it makes, and a
    /// checked `unowned` went through its side table (it has weak references) on every copy.
    public unowned(unsafe) let interpreter: Interpreter

    public subscript(_ i: Int) -> Value { i >= 0 && i < values.count ? values[i] : .none }

    public subscript(_ name: String) -> Value {
        if let i = signature.params.firstIndex(where: { $0.name == name }) { return self[i] }
        if let i = signature.keywordOnly.firstIndex(where: { $0.name == name }) {
            return self[signature.params.count + i]
        }
        return .none
    }

    public func int(_ i: Int) throws -> Int { try Convert.int(self[i], what: signature.params[safe: i]?.name ?? "argument", in: signature.name) }
    public func double(_ i: Int) throws -> Double { try Convert.double(self[i], what: signature.params[safe: i]?.name ?? "argument", in: signature.name) }
}

extension Array {
    subscript(safe i: Int) -> Element? { i >= 0 && i < count ? self[i] : nil }
}

/// Binds call arguments to a signature with Python's error messages.
enum Binder {
    /// Fills `slots` (size `signature.slotCount`): params, *args tuple,
    /// keyword-only, **kwargs dict.
    static func bind(_ sig: Signature, _ args: Arguments, into slots: inout [Value?]) throws {
        if let check = sig.argumentError, let message = check(args) { throw typeError(message) }
        let n = sig.params.count
        let given = args.positional.count
        if given > n && sig.varargs == nil {
            let required = sig.params.filter { $0.defaultValue == nil }.count
            let takes = required == n ? "\(n) positional argument\(n == 1 ? "" : "s")"
                                      : "from \(required) to \(n) positional arguments"
            throw typeError("\(sig.name)() takes \(takes) but \(given) \(given == 1 ? "was" : "were") given")
        }
        for i in 0..<min(given, n) { slots[i] = args.positional[i] }
        var next = n
        if sig.varargs != nil {
            slots[next] = .tuple(given > n ? Array(args.positional[n...]) : [])
            next += 1
        }
        let kwStart = next
        next += sig.keywordOnly.count
        let extra = DictBox()
        for (key, value) in args.keywords {
            if let i = sig.params.firstIndex(where: { $0.name == key }) {
                if slots[i] != nil { throw typeError("\(sig.name)() got multiple values for argument '\(key)'") }
                slots[i] = value
            } else if let i = sig.keywordOnly.firstIndex(where: { $0.name == key }) {
                if slots[kwStart + i] != nil { throw typeError("\(sig.name)() got multiple values for argument '\(key)'") }
                slots[kwStart + i] = value
            } else if sig.kwargs != nil {
                if extra.get(.str(key)) != nil { throw typeError("\(sig.name)() got multiple values for keyword argument '\(key)'") }
                extra.set(.str(key), .str(key), value)
            } else {
                var m = "\(sig.name)() got an unexpected keyword argument '\(key)'"
                if let s = suggestion(key, sig.keywordNames) { m += ". Did you mean '\(s)'?" }
                throw typeError(m)
            }
        }
        if sig.kwargs != nil { slots[next] = .dict(extra) }
        var missing: [String] = []
        for (i, p) in sig.params.enumerated() where slots[i] == nil {
            if let d = p.defaultValue { slots[i] = d } else { missing.append(p.name) }
        }
        if !missing.isEmpty { throw missingError(sig.name, missing, "positional") }
        for (i, p) in sig.keywordOnly.enumerated() where slots[kwStart + i] == nil {
            if let d = p.defaultValue { slots[kwStart + i] = d } else { missing.append(p.name) }
        }
        if !missing.isEmpty { throw missingError(sig.name, missing, "keyword-only") }
    }

    static func missingError(_ name: String, _ missing: [String], _ kind: String) -> LangError {
        let quoted = missing.map { "'\($0)'" }
        let list: String
        switch quoted.count {
        case 1: list = quoted[0]
        case 2: list = quoted[0] + " and " + quoted[1]
        default: list = quoted.dropLast().joined(separator: ", ") + ", and " + (quoted.last ?? "")
        }
        let s = missing.count == 1 ? "" : "s"
        return typeError("\(name)() missing \(missing.count) required \(kind) argument\(s): \(list)")
    }

    /// The closest name within a small edit distance, for "Did you mean".
    static func suggestion(_ word: String, _ candidates: [String]) -> String? {
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(word, c)
            let limit = max(1, min(word.count, c.count) / 3 + 1)
            if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count), cur = prev
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }
}
