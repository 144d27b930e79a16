/// PyTorch's print options (`torch.set_printoptions`), as one mutable global.
public struct PrintOptions: Equatable, Sendable {
    /// Digits after the decimal point (`precision`, default 4).
    public var precision: Int = 4
    /// Element count past which a tensor is summarised (`threshold`, default 1000; may be infinite).
    public var threshold: Double = 1000
    /// Items kept at each end of a summarised dimension (`edgeitems`, default 3).
    public var edgeitems: Int = 3
    /// Characters per line before the last dimension wraps (`linewidth`, default 80).
    public var linewidth: Int = 80
    /// Scientific notation forced on (`true`), off (`false`) or chosen per tensor (`nil`).
    public var sciMode: Bool? = nil

    public init(precision: Int = 4, threshold: Double = 1000, edgeitems: Int = 3,
                linewidth: Int = 80, sciMode: Bool? = nil) {
        self.precision = precision
        self.threshold = threshold
        self.edgeitems = edgeitems
        self.linewidth = linewidth
        self.sciMode = sciMode
    }

    /// The options every session starts with.
    public static let `default` = PrintOptions()

    /// The options `print` and `repr` use now.
    nonisolated(unsafe) public static var current = PrintOptions()

    /// The named profiles of `set_printoptions(profile=...)`: `default`, `short`, `full`.
    public static func profile(_ name: String) -> PrintOptions? {
        switch name {
        case "default": return PrintOptions()
        case "short": return PrintOptions(precision: 2, edgeitems: 2)
        case "full": return PrintOptions(threshold: .infinity)
        default: return nil
        }
    }

    /// `torch.set_printoptions(...)` with PyTorch's semantics: a known `profile` resets
    /// precision, threshold, edgeitems and linewidth first (an unknown one is ignored, as
    /// PyTorch ignores it), then each given option is applied, and `sci_mode` is always
    /// set — to `nil` (automatic) when not given.
    public static func set(precision: Int? = nil, threshold: Double? = nil, edgeitems: Int? = nil,
                           linewidth: Int? = nil, profile name: String? = nil, sciMode: Bool? = nil) {
        var o = current
        if let name, let p = profile(name) {
            o.precision = p.precision
            o.threshold = p.threshold
            o.edgeitems = p.edgeitems
            o.linewidth = p.linewidth
        }
        if let precision { o.precision = precision }
        if let threshold { o.threshold = threshold }
        if let edgeitems { o.edgeitems = edgeitems }
        if let linewidth { o.linewidth = linewidth }
        o.sciMode = sciMode
        current = o
    }
}
