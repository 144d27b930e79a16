/// CPython 3.11's "Did you mean" rule (Python/suggestions.c): a Levenshtein
/// distance where a case change costs 1 and any other edit 2, accepted when no
/// more than a third of the characters change; the first best candidate wins.
enum Suggestions {
    static let moveCost = 2, caseCost = 1

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
