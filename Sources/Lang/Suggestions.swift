/// CPython 3.11's "Did you mean" rule (Python/suggestions.c): a Levenshtein
/// distance where a case change costs 1 and any other edit 2, accepted when no
/// more than a third of the characters change; the first best candidate wins.
enum Suggestions {
    static let moveCost = 2, caseCost = 1

    /// CPython 3.11's `builtins.__dict__` in its order (the dunders left out): the order
    /// decides between candidates at the same distance.
    static let cpythonBuiltins: [String] = """
        abs all any ascii bin breakpoint callable chr compile delattr dir divmod eval exec format getattr \
        globals hasattr hash hex id input isinstance issubclass iter aiter len locals max min next anext oct \
        ord pow print repr round setattr sorted sum vars None Ellipsis NotImplemented False True bool \
        memoryview bytearray bytes classmethod complex dict enumerate filter float frozenset property int \
        list map object range reversed set slice staticmethod str super tuple type zip BaseException \
        BaseExceptionGroup Exception GeneratorExit KeyboardInterrupt SystemExit ArithmeticError \
        AssertionError AttributeError BufferError EOFError ImportError LookupError MemoryError NameError \
        OSError ReferenceError RuntimeError StopAsyncIteration StopIteration SyntaxError SystemError \
        TypeError ValueError Warning FloatingPointError OverflowError ZeroDivisionError BytesWarning \
        DeprecationWarning EncodingWarning FutureWarning ImportWarning PendingDeprecationWarning \
        ResourceWarning RuntimeWarning SyntaxWarning UnicodeWarning UserWarning BlockingIOError \
        ChildProcessError ConnectionError FileExistsError FileNotFoundError InterruptedError \
        IsADirectoryError NotADirectoryError PermissionError ProcessLookupError TimeoutError \
        IndentationError IndexError KeyError ModuleNotFoundError NotImplementedError RecursionError \
        UnboundLocalError UnicodeError BrokenPipeError ConnectionAbortedError ConnectionRefusedError \
        ConnectionResetError TabError UnicodeDecodeError UnicodeEncodeError UnicodeTranslateError \
        ExceptionGroup EnvironmentError IOError open quit exit copyright credits license help
        """.split(separator: " ").map(String.init)

    /// The builtins a session offers as NameError candidates: CPython's that it has (in
    /// CPython's order; `None`, `True`, `False` are keywords here), then Tensorpad's own
    /// (`show`, `table`, ...) sorted. Bare aliases of torch names (`zeros`, `relu`) are
    /// callable but not candidates, as a Python user does not have them in scope.
    static func builtinCandidates(own: Set<String>) -> [String] {
        let python = cpythonBuiltins.filter { own.contains($0) || ["None", "True", "False"].contains($0) }
        return python + own.subtracting(cpythonBuiltins).sorted()
    }

    /// NameError's suggestion as CPython 3.11 makes it (`offer_suggestions_for_name_error`):
    /// the innermost function's locals, then the globals, then the builtins, each list
    /// searched on its own (and skipped past 750 names).
    static func forName(_ name: String, locals: [String], globals: [String], builtins: [String]) -> String? {
        best(name, locals) ?? best(name, globals) ?? best(name, builtins)
    }

    static func best(_ name: String, _ candidates: [String]) -> String? {
        guard candidates.count < 750 else { return nil }
        var suggestion: String?, bestDistance = Int.max
        let a = Array(name.utf8)
        for c in candidates where c != name {
            let b = Array(c.utf8)
            var maxDistance = (a.count + b.count + 3) * moveCost / 6
            maxDistance = min(maxDistance, bestDistance - 1)
            let d = distance(a, b, maxDistance)
            if d > maxDistance { continue }
            if suggestion == nil || d < bestDistance { suggestion = c; bestDistance = d }
        }
        return suggestion
    }

    static func substitutionCost(_ x: UInt8, _ y: UInt8) -> Int {
        if x & 31 != y & 31 { return moveCost }
        if x == y { return 0 }
        let lx = (65...90).contains(x) ? x + 32 : x, ly = (65...90).contains(y) ? y + 32 : y
        return lx == ly ? caseCost : moveCost
    }

    static func distance(_ a0: [UInt8], _ b0: [UInt8], _ maxCost: Int) -> Int {
        var a = a0[...], b = b0[...]
        while let x = a.first, let y = b.first, x == y { a = a.dropFirst(); b = b.dropFirst() }
        while let x = a.last, let y = b.last, x == y { a = a.dropLast(); b = b.dropLast() }
        if a.isEmpty || b.isEmpty { return (a.count + b.count) * moveCost }
        if a.count > 40 || b.count > 40 { return maxCost + 1 }
        if b.count < a.count { swap(&a, &b) }
        if (b.count - a.count) * moveCost > maxCost { return maxCost + 1 }
        let av = Array(a), bv = Array(b)
        var buffer = (0..<av.count).map { ($0 + 1) * moveCost }
        var result = 0
        for (bi, code) in bv.enumerated() {
            var dist = bi * moveCost
            result = dist
            var minimum = Int.max
            for i in 0..<av.count {
                let substitute = dist + substitutionCost(code, av[i])
                dist = buffer[i]
                let insertDelete = min(result, dist) + moveCost
                result = min(insertDelete, substitute)
                buffer[i] = result
                minimum = min(minimum, result)
            }
            if minimum > maxCost { return maxCost + 1 }
        }
        return result
    }
}
