/// CPython 3.11's list sort (`Objects/listobject.c`: natural runs extended by binary
/// insertion to `minrun`, merged in powersort's order, with galloping), over indices.
///
/// The fast paths of `sortValues` compare keys whose order is total, where every stable sort
/// gives the same result. Keys compared by `Interpreter.less` may not be (NaNs, user `__lt__`):
/// there the result, which comparisons are made and which operands a TypeError names depend on
/// the algorithm, so this one makes CPython's comparisons in CPython's order. `reverse`, as in
/// CPython, reverses the items before sorting and the result after.
func timSort(_ n: Int, reverse: Bool, _ lt: (Int, Int) throws -> Bool) throws -> [Int] {
    var x = reverse ? Array((0..<n).reversed()) : Array(0..<n)
    if n < 2 { return x }
    let minGallopStart = 7
    var minGallop = minGallopStart
    var runs: [(base: Int, len: Int, power: Int)] = []
    var tmp: [Int] = []

    /// The length of the run at `lo` (and whether it is strictly descending).
    func countRun(_ lo: Int, _ hi: Int) throws -> (Int, Bool) {
        var k = lo + 1
        if k == hi { return (1, false) }
        var count = 2
        if try lt(x[k], x[k - 1]) {
            k += 1
            while k < hi, try lt(x[k], x[k - 1]) { k += 1; count += 1 }
            return (count, true)
        }
        k += 1
        while k < hi, try !lt(x[k], x[k - 1]) { k += 1; count += 1 }
        return (count, false)
    }

    /// Sorts `lo..<hi` whose `lo..<start` is sorted, by binary insertion.
    func binarySort(_ lo: Int, _ hi: Int, _ start0: Int) throws {
        var start = start0 == lo ? lo + 1 : start0
        while start < hi {
            var l = lo, r = start
            let pivot = x[r]
            repeat {
                let p = l + ((r - l) >> 1)
                if try lt(pivot, x[p]) { r = p } else { l = p + 1 }
            } while l < r
            var p = start
            while p > l { x[p] = x[p - 1]; p -= 1 }
            x[l] = pivot
            start += 1
        }
    }

    /// The item at `i` of `x` from `base`, or of `tmp` when `inTmp`.
    func at(_ inTmp: Bool, _ i: Int) -> Int { inTmp ? tmp[i] : x[i] }

    /// Where `key` goes among the `count` sorted items from `base`: before the equal ones.
    func gallopLeft(_ key: Int, _ t: Bool, _ base: Int, _ count: Int, _ hint: Int) throws -> Int {
        var lastofs = 0, ofs = 1
        if try lt(at(t, base + hint), key) {
            let maxofs = count - hint
            while ofs < maxofs {
                if try lt(at(t, base + hint + ofs), key) { lastofs = ofs; ofs = (ofs << 1) + 1 } else { break }
            }
            if ofs > maxofs { ofs = maxofs }
            lastofs += hint; ofs += hint
        } else {
            let maxofs = hint + 1
            while ofs < maxofs {
                if try lt(at(t, base + hint - ofs), key) { break }
                lastofs = ofs; ofs = (ofs << 1) + 1
            }
            if ofs > maxofs { ofs = maxofs }
            let k = lastofs
            lastofs = hint - ofs; ofs = hint - k
        }
        lastofs += 1
        while lastofs < ofs {
            let m = lastofs + ((ofs - lastofs) >> 1)
            if try lt(at(t, base + m), key) { lastofs = m + 1 } else { ofs = m }
        }
        return ofs
    }

    /// Where `key` goes among the `count` sorted items from `base`: after the equal ones.
    func gallopRight(_ key: Int, _ t: Bool, _ base: Int, _ count: Int, _ hint: Int) throws -> Int {
        var lastofs = 0, ofs = 1
        if try lt(key, at(t, base + hint)) {
            let maxofs = hint + 1
            while ofs < maxofs {
                if try lt(key, at(t, base + hint - ofs)) { lastofs = ofs; ofs = (ofs << 1) + 1 } else { break }
            }
            if ofs > maxofs { ofs = maxofs }
            let k = lastofs
            lastofs = hint - ofs; ofs = hint - k
        } else {
            let maxofs = count - hint
            while ofs < maxofs {
                if try lt(key, at(t, base + hint + ofs)) { break }
                lastofs = ofs; ofs = (ofs << 1) + 1
            }
            if ofs > maxofs { ofs = maxofs }
            lastofs += hint; ofs += hint
        }
        lastofs += 1
        while lastofs < ofs {
            let m = lastofs + ((ofs - lastofs) >> 1)
            if try lt(key, at(t, base + m)) { ofs = m } else { lastofs = m + 1 }
        }
        return ofs
    }

    /// Merges the runs at `pa` (`na` items, the shorter, copied out) and `pb` (`nb`), left to right.
    func mergeLo(_ pa: Int, _ na0: Int, _ pb: Int, _ nb0: Int) throws {
        var na = na0, nb = nb0
        tmp = Array(x[pa..<pa + na])
        var dest = pa, a = 0, b = pb
        var copyB = false
        x[dest] = x[b]; dest += 1; b += 1; nb -= 1
        if nb == 0 {
        } else if na == 1 { copyB = true } else {
            var mg = minGallop
            outer: while true {
                var acount = 0, bcount = 0
                while true {
                    if try lt(x[b], tmp[a]) {
                        x[dest] = x[b]; dest += 1; b += 1
                        bcount += 1; acount = 0; nb -= 1
                        if nb == 0 { break outer }
                        if bcount >= mg { break }
                    } else {
                        x[dest] = tmp[a]; dest += 1; a += 1
                        acount += 1; bcount = 0; na -= 1
                        if na == 1 { copyB = true; break outer }
                        if acount >= mg { break }
                    }
                }
                mg += 1
                repeat {
                    if mg > 1 { mg -= 1 }
                    minGallop = mg
                    var k = try gallopRight(x[b], true, a, na, 0)
                    acount = k
                    if k != 0 {
                        for j in 0..<k { x[dest + j] = tmp[a + j] }
                        dest += k; a += k; na -= k
                        if na == 1 { copyB = true; break outer }
                        if na == 0 { break outer }
                    }
                    x[dest] = x[b]; dest += 1; b += 1; nb -= 1
                    if nb == 0 { break outer }
                    k = try gallopLeft(tmp[a], false, b, nb, 0)
                    bcount = k
                    if k != 0 {
                        for j in 0..<k { x[dest + j] = x[b + j] }
                        dest += k; b += k; nb -= k
                        if nb == 0 { break outer }
                    }
                    x[dest] = tmp[a]; dest += 1; a += 1; na -= 1
                    if na == 1 { copyB = true; break outer }
                } while acount >= minGallopStart || bcount >= minGallopStart
                mg += 1
                minGallop = mg
            }
        }
        if copyB {
            for j in 0..<nb { x[dest + j] = x[b + j] }
            x[dest + nb] = tmp[a]
        } else {
            for j in 0..<na { x[dest + j] = tmp[a + j] }
        }
    }

    /// Merges the runs at `pa` (`na` items) and `pb` (`nb`, the shorter, copied out), right to left.
    func mergeHi(_ pa: Int, _ na0: Int, _ pb: Int, _ nb0: Int) throws {
        var na = na0, nb = nb0
        tmp = Array(x[pb..<pb + nb])
        var dest = pb + nb - 1, a = pa + na - 1, b = nb - 1
        var copyA = false
        x[dest] = x[a]; dest -= 1; a -= 1; na -= 1
        if na == 0 {
        } else if nb == 1 { copyA = true } else {
            var mg = minGallop
            outer: while true {
                var acount = 0, bcount = 0
                while true {
                    if try lt(tmp[b], x[a]) {
                        x[dest] = x[a]; dest -= 1; a -= 1
                        acount += 1; bcount = 0; na -= 1
                        if na == 0 { break outer }
                        if acount >= mg { break }
                    } else {
                        x[dest] = tmp[b]; dest -= 1; b -= 1
                        bcount += 1; acount = 0; nb -= 1
                        if nb == 1 { copyA = true; break outer }
                        if bcount >= mg { break }
                    }
                }
                mg += 1
                repeat {
                    if mg > 1 { mg -= 1 }
                    minGallop = mg
                    var k = na - (try gallopRight(tmp[b], false, pa, na, na - 1))
                    acount = k
                    if k != 0 {
                        dest -= k; a -= k
                        var j = k
                        while j > 0 { x[dest + j] = x[a + j]; j -= 1 }
                        na -= k
                        if na == 0 { break outer }
                    }
                    x[dest] = tmp[b]; dest -= 1; b -= 1; nb -= 1
                    if nb == 1 { copyA = true; break outer }
                    k = nb - (try gallopLeft(x[a], true, 0, nb, nb - 1))
                    bcount = k
                    if k != 0 {
                        dest -= k; b -= k
                        for j in 1...k { x[dest + j] = tmp[b + j] }
                        nb -= k
                        if nb == 1 { copyA = true; break outer }
                        if nb == 0 { break outer }
                    }
                    x[dest] = x[a]; dest -= 1; a -= 1; na -= 1
                    if na == 0 { break outer }
                } while acount >= minGallopStart || bcount >= minGallopStart
                mg += 1
                minGallop = mg
            }
        }
        if copyA {
            var j = 0
            while j < na { x[dest - j] = x[a - j]; j += 1 }
            dest -= na; a -= na
            x[dest] = tmp[b]
        } else if nb > 0 {
            for j in 0..<nb { x[dest - (nb - 1) + j] = tmp[j] }
        }
    }

    /// Merges the runs `i` and `i + 1` of the stack.
    func mergeAt(_ i: Int) throws {
        var pa = runs[i].base, na = runs[i].len
        let pb = runs[i + 1].base
        var nb = runs[i + 1].len
        runs[i].len = na + nb
        if i == runs.count - 3 { runs[i + 1] = runs[i + 2] }
        runs.removeLast()
        let k = try gallopRight(x[pb], false, pa, na, 0)
        pa += k; na -= k
        if na == 0 { return }
        nb = try gallopLeft(x[pa + na - 1], false, pb, nb, nb - 1)
        if nb <= 0 { return }
        if na <= nb { try mergeLo(pa, na, pb, nb) } else { try mergeHi(pa, na, pb, nb) }
    }

    /// Powersort's power of the boundary between the run at `s1` (`n1` items) and the next (`n2`).
    func power(_ s1: Int, _ n1: Int, _ n2: Int) -> Int {
        var result = 0
        var a = 2 * s1 + n1, b = a + n1 + n2
        while true {
            result += 1
            if a >= n { a -= n; b -= n } else if b >= n { break }
            a <<= 1; b <<= 1
        }
        return result
    }

    var minrun = n, odd = 0
    while minrun >= 64 { odd |= minrun & 1; minrun >>= 1 }
    minrun += odd
    var lo = 0, remaining = n
    while remaining > 0 {
        var (r, descending) = try countRun(lo, lo + remaining)
        if descending { x[lo..<lo + r].reverse() }
        if r < minrun {
            let force = remaining <= minrun ? remaining : minrun
            try binarySort(lo, lo + force, lo + r)
            r = force
        }
        if let top = runs.last {
            let p = power(top.base, top.len, r)
            while runs.count > 1 && runs[runs.count - 2].power > p { try mergeAt(runs.count - 2) }
            runs[runs.count - 1].power = p
        }
        runs.append((lo, r, 0))
        lo += r; remaining -= r
    }
    while runs.count > 1 {
        var k = runs.count - 2
        if k > 0 && runs[k - 1].len < runs[k + 1].len { k -= 1 }
        try mergeAt(k)
    }
    if reverse { x.reverse() }
    return x
}
