import Foundation

/// matplotlib's colour names and colormaps.
public enum Colors {
    static func hex(_ s: String) -> RGBA? {
        var h = s.hasPrefix("#") ? String(s.dropFirst()) : s
        if h.count == 3 || h.count == 4 { h = h.map { "\($0)\($0)" }.joined() }
        guard h.count == 6 || h.count == 8, let v = UInt64(h, radix: 16) else { return nil }
        let n = h.count == 8 ? v >> 8 : v
        let a = h.count == 8 ? Double(v & 0xFF) / 255 : 1
        return RGBA(Double((n >> 16) & 0xFF) / 255, Double((n >> 8) & 0xFF) / 255, Double(n & 0xFF) / 255, a)
    }

    /// The default property cycle (`tab10`).
    public static let tab10: [RGBA] = ["1f77b4", "ff7f0e", "2ca02c", "d62728", "9467bd", "8c564b", "e377c2", "7f7f7f", "bcbd22", "17becf"]
        .compactMap(hex)

    static let tabNames = ["blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan"]

    static let base: [String: RGBA] = [
        "b": RGBA(0, 0, 1), "g": RGBA(0, 0.5, 0), "r": RGBA(1, 0, 0), "c": RGBA(0, 0.75, 0.75),
        "m": RGBA(0.75, 0, 0.75), "y": RGBA(0.75, 0.75, 0), "k": RGBA(0, 0, 0), "w": RGBA(1, 1, 1),
    ]

    static let css: [String: String] = [
        "black": "000000", "white": "ffffff", "red": "ff0000", "green": "008000", "blue": "0000ff", "orange": "ffa500",
        "purple": "800080", "gray": "808080", "grey": "808080", "yellow": "ffff00", "cyan": "00ffff", "magenta": "ff00ff",
        "brown": "a52a2a", "pink": "ffc0cb", "olive": "808000", "navy": "000080", "teal": "008080", "lime": "00ff00",
        "darkblue": "00008b", "darkred": "8b0000", "darkgreen": "006400", "darkorange": "ff8c00", "lightblue": "add8e6",
        "lightgray": "d3d3d3", "lightgrey": "d3d3d3", "darkgray": "a9a9a9", "darkgrey": "a9a9a9", "gold": "ffd700",
        "crimson": "dc143c", "steelblue": "4682b4", "indigo": "4b0082", "violet": "ee82ee", "salmon": "fa8072",
        "skyblue": "87ceeb", "tomato": "ff6347", "silver": "c0c0c0", "maroon": "800000", "coral": "ff7f50",
    ]

    /// `'r'`, `'C1'`, `'tab:blue'`, `'#1f77b4'`, `'0.8'` (grey level), CSS names; nil when unknown.
    public static func named(_ name: String) -> RGBA? {
        let s = name.lowercased()
        if let c = base[s] { return c }
        if s.hasPrefix("c"), s.count == 2, let k = Int(s.dropFirst()) { return tab10[k % 10] }
        if s.hasPrefix("tab:"), let i = tabNames.firstIndex(of: String(s.dropFirst(4))) { return tab10[i] }
        if s.hasPrefix("#") { return hex(s) }
        if let g = Double(s), (0...1).contains(g) { return RGBA(g, g, g) }
        return css[s].flatMap(hex)
    }

    /// The entry (0...255) of a 256-entry colormap for a value at `fraction` of the
    /// normalised range (matplotlib's `Colormap.__call__`: 1.0 is the last entry; NaN the first).
    public static func lutIndex(_ fraction: Double) -> Int {
        min(255, max(0, Int(saturating: (fraction * 256).rounded(.down))))
    }

    /// The colormap names `imshow`/`scatter` accept.
    public static var colormapNames: [String] { ColormapTables.tables.keys.sorted() }

    /// A colormap's 256 entries (`_r` reverses it); nil when unknown.
    public static func colormap(_ name: String) -> [(UInt8, UInt8, UInt8)]? {
        let reversed = name.hasSuffix("_r")
        let base = reversed ? String(name.dropLast(2)) : name
        guard let table = ColormapTables.tables[base == "grey" ? "gray" : base] else { return nil }
        let bytes = Array(table.utf8)
        func nib(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
        var out: [(UInt8, UInt8, UInt8)] = []
        out.reserveCapacity(256)
        var i = 0
        while i + 6 <= bytes.count {
            out.append((nib(bytes[i]) << 4 | nib(bytes[i + 1]), nib(bytes[i + 2]) << 4 | nib(bytes[i + 3]),
                        nib(bytes[i + 4]) << 4 | nib(bytes[i + 5])))
            i += 6
        }
        return reversed ? out.reversed() : out
    }
}

extension Int {
    /// A double as an Int, NaN as 0 and out-of-range values clamped, so
    /// extreme data never traps a conversion.
    init(saturating d: Double) {
        if d.isNaN { self = 0 } else if d >= 9.0e18 { self = 9_000_000_000_000_000_000 } else if d <= -9.0e18 {
            self = -9_000_000_000_000_000_000
        } else { self = Int(d) }
    }
}
