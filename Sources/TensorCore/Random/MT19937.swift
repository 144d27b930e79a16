/// The 32-bit Mersenne Twister (MT19937) shared by PyTorch's CPU generator,
/// NumPy's legacy `RandomState` and CPython's `random`. Each of them seeds it
/// differently and reads its words differently; the twist and the tempering
/// are the same.
public struct MT19937: Sendable, Equatable {
    public static let n = 624
    static let m = 397

    /// The 624 state words.
    public var state: [UInt32]
    /// Index of the next word to temper; `n` means the state must twist first.
    public var index: Int

    /// `init_genrand(seed)`: the linear seeding PyTorch and NumPy's `seed(int)` use.
    public init(seed: UInt32) {
        var s = [UInt32](repeating: 0, count: MT19937.n)
        s[0] = seed
        for j in 1..<MT19937.n {
            let prev = s[j - 1]
            s[j] = 1_812_433_253 &* (prev ^ (prev >> 30)) &+ UInt32(j)
        }
        state = s
        index = MT19937.n
    }

    /// `init_by_array(key)`: CPython's `random.seed(int)` and NumPy's seeding by an array.
    public init(key: [UInt32]) {
        self.init(seed: 19_650_218)
        let n = MT19937.n
        let key = key.isEmpty ? [0] : key
        var i = 1, j = 0
        for _ in 0..<Swift.max(n, key.count) {
            let prev = state[i - 1]
            state[i] = (state[i] ^ ((prev ^ (prev >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(truncatingIfNeeded: j)
            i += 1; j += 1
            if i >= n { state[0] = state[n - 1]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            let prev = state[i - 1]
            state[i] = (state[i] ^ ((prev ^ (prev >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n { state[0] = state[n - 1]; i = 1 }
        }
        state[0] = 0x8000_0000
        index = n
    }

    /// Regenerates all 624 words.
    public mutating func twist() {
        let n = MT19937.n, m = MT19937.m
        state.withUnsafeMutableBufferPointer { s in
            for k in 0..<n {
                let y = (s[k] & 0x8000_0000) | (s[(k + 1) % n] & 0x7FFF_FFFF)
                s[k] = s[(k + m) % n] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908_B0DF : 0)
            }
        }
        index = 0
    }

    @inline(__always) static func temper(_ x: UInt32) -> UInt32 {
        var y = x
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// The next tempered 32-bit word.
    @inline(__always) public mutating func next() -> UInt32 {
        if index >= MT19937.n { twist() }
        let y = state[index]
        index += 1
        return MT19937.temper(y)
    }

    /// 53-bit double on [0, 1) from two words, as CPython's `random()` and
    /// NumPy's legacy `random_sample` make it.
    @inline(__always) public mutating func nextDouble53() -> Double {
        let a = Double(next() >> 5), b = Double(next() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }
}
