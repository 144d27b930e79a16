import Foundation
import Render

/// `from tqdm import tqdm, trange` (and `tqdm.auto`): progress bars drawn
/// as tqdm draws them (`ProgressMeter`). Where they go and whether they
/// redraw in place is the front end's `Console`, never a terminal check here.
enum TqdmBindings {
    static let params: [Param] = [
        P("iterable", .none), P("desc", .none), P("total", .none), P("leave", .bool(true)), P("file", .none),
        P("ncols", .none), P("mininterval", .float(0.1)), P("maxinterval", .float(10)), P("miniters", .none),
        P("ascii", .none), P("disable", .bool(false)), P("unit", .str("it")), P("unit_scale", .bool(false)),
        P("dynamic_ncols", .bool(false)), P("smoothing", .float(0.3)), P("bar_format", .none), P("initial", .int(0)),
        P("position", .none), P("postfix", .none),
    ]

    static func install(_ r: Registry) {
        let doc = "Wraps an iterable (or counts update() calls) and draws a progress bar: count, rate, elapsed time and ETA."
        for ns in ["tqdm", "tqdm.auto", "tqdm.std", "tqdm.notebook"] {
            let make = Builtin(path: "\(ns).tqdm", signature: Signature("tqdm", params, doc: doc)) { a in
                .object(try TqdmBar(a, iterable: a[0]))
            }
            r.register(path: "\(ns).tqdm", value: .object(TqdmClass(make)))
            r.register(path: "\(ns).trange", signature: Signature("trange", [], varargs: "args", kwargs: "kwargs",
                                                                  doc: "tqdm(range(*args), **kwargs).")) { a in
                let i = a.interpreter
                guard case .builtin(let range)? = i.registry.lookup("range"), let bar = i.registry.lookup("tqdm.tqdm") else {
                    throw LangError(.RuntimeError, "trange(): range is not available")
                }
                let r = try i.call(.builtin(range), Arguments(a.varargs))
                return try i.call(bar, Arguments([r], keywords: a.kwargs))
            }
        }
    }
}

/// The `tqdm` class: calling it makes a bar; `tqdm.write(s)` prints a line
/// without breaking the bars drawn on the terminal.
final class TqdmClass: HostObject {
    let make: Builtin
    init(_ make: Builtin) { self.make = make }
    var typeName: String { "type" }
    func repr() -> String { "<class 'tqdm.std.tqdm'>" }
    func call(_ args: Arguments, _ interp: Interpreter) throws -> Value? { try interp.call(.builtin(make), args) }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        guard name == "write" else { return nil }
        let sig = Signature("write", [P("s")], keywordOnly: [P("file", .none), P("end", .str("\n"))],
                            doc: "Prints s (on stdout) above the progress bars.")
        return .builtin(Builtin(path: "tqdm.write", signature: sig) { a in
            let i = a.interpreter
            let live = TqdmBar.open.filter { $0.interp === i && $0.console.live && !$0.disabled && !$0.closed }
            for b in live { b.clear() }
            i.output(i.str(a[0]) + (a[2].isNone ? "" : i.str(a[2])))
            i.console.flush()
            for b in live { b.display() }
            return .none
        })
    }
}

/// One progress bar. Counting follows tqdm: iterating adds one as each next
/// item is asked for (after the loop body ran), `update(n)` adds n; a redraw
/// happens when `mininterval` seconds passed since the last, with the rate
/// smoothed (exponential moving average, `smoothing`); `close()` (end of
/// the iterable, `with` exit, end of the cell) draws the overall rate.
final class TqdmBar: HostObject {
    var typeName: String { "tqdm" }
    let interp: Interpreter
    let console: Console
    var iterable: Value?
    var n: Double
    var nIsInt: Bool
    var total: Double?
    var totalIsInt = true
    var desc: String
    var postfix = ""
    let unit: String
    let leave: Bool
    let ncols: Int?
    let mininterval: Double
    let maxinterval: Double
    var miniters: Double
    let dynamicMiniters: Bool
    var emaMiniters = EMA()
    let smoothing: Double
    let ascii: Bool
    let initial: Double
    var disabled: Bool
    var closed = false
    /// The count of a running `for` loop over the bar (tqdm's local `n`).
    var iterN: Double?
    var startTime: Double
    var lastPrintTime: Double
    var lastPrintN: Double
    var lastLength = 0
    /// The terminal line the bar is drawn on, below the cursor's (tqdm's `pos`):
    /// the first free one, so a bar made inside another's loop draws under it.
    var pos = 0
    var emaDn = EMA(), emaDt = EMA()

    init(_ a: BoundArgs, iterable: Value) throws {
        let fn = "tqdm"
        interp = a.interpreter
        console = interp.console
        desc = a["desc"].isNone ? "" : interp.str(a["desc"])
        if TV.bool(a["unit_scale"]) { throw LangError(.NotImplementedError, "tqdm(): unit_scale is not supported") }
        if !a["bar_format"].isNone { throw LangError(.NotImplementedError, "tqdm(): bar_format is not supported; the default format is drawn") }
        unit = try Convert.string(a["unit"], what: "unit", in: fn)
        leave = TV.bool(a["leave"])
        ncols = try TV.optionalInt(a["ncols"], "ncols", in: fn)
        mininterval = try Convert.double(a["mininterval"], what: "mininterval", in: fn)
        maxinterval = try Convert.double(a["maxinterval"], what: "maxinterval", in: fn)
        dynamicMiniters = a["miniters"].isNone
        miniters = dynamicMiniters ? 0 : try Convert.double(a["miniters"], what: "miniters", in: fn)
        smoothing = try Convert.double(a["smoothing"], what: "smoothing", in: fn)
        disabled = TV.bool(a["disable"])
        if case .str = a["ascii"] { throw LangError(.NotImplementedError, "tqdm(): a custom ascii charset is not supported; use ascii=True") }
        ascii = TV.bool(a["ascii"])
        if case .int(let i) = a["initial"] { initial = Double(i); nIsInt = true } else {
            initial = try Convert.double(a["initial"], what: "initial", in: fn); nIsInt = false
        }
        n = initial
        if !iterable.isNone { self.iterable = iterable }
        switch a["total"] {
        case .none:
            if let it = self.iterable, let len = try? interp.length(it) { total = Double(len) }
        case .int(let t): total = Double(t)
        default:
            let t = try Convert.double(a["total"], what: "total", in: fn)
            total = t; totalIsInt = false
        }
        startTime = console.clock()
        lastPrintTime = startTime
        lastPrintN = initial
        if !a["postfix"].isNone { try setPostfix(a["postfix"], []) }
        let used = Set(TqdmBar.open.filter { !$0.disabled && $0.interp === interp }.map(\.pos))
        pos = (0...used.count).first { !used.contains($0) } ?? 0
        TqdmBar.open.append(self)
        if !disabled && console.live { display(now: startTime) }
    }

    // MARK: counting and drawing

    /// tqdm's `update`: the clock is read only once `miniters` items passed
    /// since the last redraw; `miniters` (unless given) follows the items seen
    /// per `mininterval`, smoothed, so fast loops rarely read the clock.
    func update(_ dn: Double) {
        guard !disabled, !closed else { return }
        if dn < 0 { lastPrintN += dn }
        n += dn
        guard console.live, n - lastPrintN >= miniters else { return }
        let now = console.clock()
        let dt = now - lastPrintTime
        guard dt >= mininterval else { return }
        let dCount = n - lastPrintN
        if smoothing != 0, dt != 0, dCount != 0 {
            emaDn.add(dCount, alpha: smoothing)
            emaDt.add(dt, alpha: smoothing)
        }
        display(now: now)
        if dynamicMiniters {
            if maxinterval != 0, dt >= maxinterval {
                miniters = dCount * (mininterval != 0 ? mininterval : maxinterval) / dt
            } else if smoothing != 0 {
                emaMiniters.add(dCount * (mininterval != 0 && dt != 0 ? mininterval / dt : 1), alpha: smoothing)
                miniters = emaMiniters.value
            } else {
                miniters = max(miniters, dCount)
            }
        }
        lastPrintN = n
        lastPrintTime = now
    }

    /// The line as it stands; `overall` uses the average rate (at close).
    func line(now: Double, overall: Bool) -> String {
        var rate: Double?
        if !overall, smoothing != 0, emaDt.value != 0 { rate = emaDn.value / emaDt.value }
        let width = ncols ?? (console.live ? console.columns : nil)
        return ProgressMeter.format(n: n, nText: text(n, isInt: nIsInt), total: total,
                                    totalText: total.map { text($0, isInt: totalIsInt) }, elapsed: now - startTime,
                                    ncols: width, prefix: desc, unit: unit, rate: rate, postfix: postfix, initial: initial, ascii: ascii)
    }

    func text(_ x: Double, isInt: Bool) -> String {
        isInt && x.isFinite && Swift.abs(x) < 9e18 ? String(Int(x)) : interp.str(.float(x))
    }

    /// `\n` n times to go down n lines, `ESC [A` to come back up (tqdm's `moveto`).
    static func move(_ n: Int) -> String {
        n >= 0 ? String(repeating: "\n", count: n) : String(repeating: "\u{1B}[A", count: -n)
    }

    /// tqdm's status printer: back to the line's start, the text, spaces over what was longer.
    func status(_ s: String) -> String {
        defer { lastLength = s.count }
        return "\r" + s + String(repeating: " ", count: max(0, lastLength - s.count))
    }

    /// Redraws the line in place (terminal only), on its own line below the cursor.
    func display(now: Double? = nil) {
        let s = line(now: now ?? console.clock(), overall: false)
        write(TqdmBar.move(pos) + status(s) + TqdmBar.move(-pos))
    }

    /// Blanks the bar's line (before `tqdm.write` prints).
    func clear() { write(TqdmBar.move(pos) + status("") + "\r" + TqdmBar.move(-pos)) }

    func write(_ s: String) {
        console.flush()   // what the cell printed comes first
        console.progress(s)
    }

    /// As tqdm's `close`: a bar that stays is drawn (with the overall rate) on the
    /// cursor's line and the line ended; one that goes is blanked.
    func close() {
        guard !closed else { return }
        closed = true
        if let k = iterN { n = k; iterN = nil }
        TqdmBar.open.removeAll { $0 === self }
        guard !disabled else { return }
        let now = console.clock()
        if console.live {
            if leave {
                write(status(line(now: now, overall: true)) + "\n")
            } else {
                write(TqdmBar.move(pos) + status("") + TqdmBar.move(-pos) + (pos == 0 ? "\r" : ""))
            }
        } else if leave {
            write(line(now: now, overall: true) + "\n")
        }
    }

    func refresh() { if !disabled, !closed, console.live { display() } }

    // MARK: postfix and description

    /// `set_postfix(ordered_dict=None, **kwargs)`: the dict's items in order,
    /// then the keywords sorted by name; numbers through tqdm's `format_num`.
    func setPostfix(_ dict: Value, _ kwargs: [(String, Value)]) throws {
        var items: [(String, Value)] = []
        switch dict {
        case .none: break
        case .dict(let d): for (k, v) in zip(d.keys, d.values) { items.append((interp.str(k), v)) }
        case .str(let s): postfix = s; return
        default: throw typeError("set_postfix(): ordered_dict must be a dict, not \(dict.typeName)")
        }
        items += kwargs.sorted { $0.0 < $1.0 }
        postfix = items.map { k, v in k + "=" + postfixText(v).trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
    }

    func postfixText(_ v: Value) -> String {
        switch v {
        case .int, .float, .bool:
            let x: Double
            switch v { case .int(let i): x = Double(i); case .bool(let b): x = b ? 1 : 0; case .float(let f): x = f; default: x = 0 }
            return ProgressMeter.number(x, pythonText: interp.str(v))
        default: return interp.str(v)
        }
    }

    // MARK: the language's view

    func method(_ name: String, _ params: [Param], kwargs: String? = nil, doc: String,
                _ body: @escaping (BoundArgs) throws -> Value) -> Value {
        .builtin(Builtin(path: "tqdm.\(name)", signature: Signature(name, params, kwargs: kwargs, doc: doc), body: body))
    }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "n": return nIsInt && Swift.abs(n) < 9e18 ? .int(Int(n)) : .float(n)
        case "total": return total.map { totalIsInt ? .int(Int($0)) : .float($0) } ?? Value.none
        case "desc": return .str(desc)
        case "postfix": return .str(postfix)
        case "disable": return .bool(disabled)
        case "update":
            return method("update", [P("n", .int(1))], doc: "Adds n to the count and redraws when due.") { [unowned self] a in
                if case .int = a[0] {} else { self.nIsInt = false }
                self.update(try a.double(0))
                return .none
            }
        case "set_postfix":
            return method("set_postfix", [P("ordered_dict", .none), P("refresh", .bool(true))], kwargs: "kwargs",
                          doc: "Shows key=value stats after the rate.") { [unowned self] a in
                try self.setPostfix(a[0], a.kwargs)
                if TV.bool(a[1]) { self.refresh() }
                return .none
            }
        case "set_postfix_str":
            return method("set_postfix_str", [P("s", .str("")), P("refresh", .bool(true))], doc: "Shows s after the rate.") { [unowned self] a in
                self.postfix = a.interpreter.str(a[0])
                if TV.bool(a[1]) { self.refresh() }
                return .none
            }
        case "set_description", "set_description_str":
            let colon = name == "set_description"
            return method(name, [P("desc", .none), P("refresh", .bool(true))], doc: "Sets the text before the bar.") { [unowned self] a in
                let d = a[0].isNone ? "" : a.interpreter.str(a[0])
                self.desc = colon && !d.isEmpty ? d + ": " : d
                if TV.bool(a[1]) { self.refresh() }
                return .none
            }
        case "close":
            return method("close", [], doc: "Draws the final state (or clears it when leave=False).") { [unowned self] _ in
                self.close(); return .none
            }
        case "refresh":
            return method("refresh", [], doc: "Redraws the bar now.") { [unowned self] _ in self.refresh(); return .none }
        case "reset":
            return method("reset", [P("total", .none)], doc: "Starts the count again (optionally with a new total).") { [unowned self] a in
                self.n = 0; self.nIsInt = true; self.lastPrintN = 0
                self.startTime = self.console.clock(); self.lastPrintTime = self.startTime
                self.emaDn = EMA(); self.emaDt = EMA()
                if !a[0].isNone { self.total = try a.double(0); self.totalIsInt = { if case .int = a[0] { return true }; return false }() }
                self.refresh()
                return .none
            }
        default: return nil
        }
    }

    /// As tqdm's `__iter__`: the count runs in `iterN` and reaches `n` only
    /// when a redraw is due (so `n` and refreshes in the loop body lag, as tqdm's do).
    func makeIterator(_ interp: Interpreter) throws -> IteratorBox? {
        guard let source = iterable else { throw typeError("'tqdm' object is not iterable (it was made without an iterable)") }
        let inner = try interp.makeIterator(source)
        guard !disabled else { return inner }
        var started = false
        iterN = n
        return IteratorBox(typeName: "tqdm") { [self] in
            if started, var k = self.iterN {
                k += 1
                self.iterN = k
                if self.console.live, k - self.lastPrintN >= self.miniters,
                   self.console.clock() - self.lastPrintTime >= self.mininterval {
                    self.update(k - self.lastPrintN)
                }
            }
            started = true
            guard let x = try inner.next() else { self.close(); return nil }
            return x
        }
    }

    func enter(_ interp: Interpreter) throws -> Value? { .object(self) }
    func exit(_ interp: Interpreter) throws { close() }

    func repr() -> String { line(now: console.clock(), overall: true) }

    // MARK: bars left open

    /// Bars not yet closed (a loop left by `break`): the session closes them when the cell ends.
    nonisolated(unsafe) static var open: [TqdmBar] = []

    /// Closes the bars of one session (each interpreter's bars are its own).
    static func closeAll(of interp: Interpreter) {
        let bars = open.filter { $0.interp === interp }
        open.removeAll { $0.interp === interp }
        for b in bars { b.close() }
    }
}

/// tqdm's exponential moving average, debiased by the number of samples.
struct EMA {
    var last = 0.0
    var calls = 0
    var beta = 0.7
    mutating func add(_ x: Double, alpha: Double) {
        beta = 1 - alpha
        last = alpha * x + beta * last
        calls += 1
    }
    var value: Double { calls == 0 ? last : last / (1 - pow(beta, Double(calls))) }
}

extension Interpreter {
    /// Closes the progress bars a cell left open (the front end calls this when a cell ends).
    public func closeProgressBars() { TqdmBar.closeAll(of: self) }
}
