import Foundation
import Syntax
import TensorCore

/// Set by the front end's SIGINT handler; the interpreter checks it in
/// loops and calls and raises KeyboardInterrupt (then clears it). It is
/// TensorCore's `Cancellation` flag, so long kernels stop early too (their
/// incomplete results are dropped: a call that returns while it is set raises).
public enum Interrupt {
    public static var requested: Bool {
        @inline(__always) get { Cancellation.requested }
        set { Cancellation.requested = newValue }
    }
}

/// How a statement finished.
enum Flow { case normal, breakLoop, continueLoop, returned }

/// The slots of one activation: a `def` call, a class body, or a cell's
/// top level (which only holds comprehension variables; globals live in
/// `Globals`). One allocation: the slots are tail-allocated after the header.
public final class Frame: ManagedBuffer<FrameHeader, Value?> {
    /// A frame of `count` empty slots.
    @inline(__always)
    static func make(count: Int, parent: Frame?) -> Frame {
        let n = Swift.max(count, 1)
        let b = Frame.create(minimumCapacity: n) { _ in FrameHeader(count: n, parent: parent) }
        let f = unsafeDowncast(b, to: Frame.self)
        f.withUnsafeMutablePointerToElements { $0.initialize(repeating: nil, count: n) }
        return f
    }

    @inline(__always) var slots: UnsafeMutablePointer<Value?> { withUnsafeMutablePointerToElements { $0 } }
    @inline(__always) var parent: Frame? { header.parent }
    @inline(__always) var returnValue: Value {
        get { header.returnValue }
        set { header.returnValue = newValue }
    }
    /// The function this frame runs (for `super()`); not retained: the caller holds the
    /// function for as long as its frame runs, and it is read only while it runs.
    @inline(__always) var function: Function? {
        get { header.function }
        set { header.function = newValue }
    }

    /// Empties the slots and the return value, for the frame's next call (`Function.spares`).
    @inline(__always) func clear() {
        let p = slots
        for i in 0..<header.count {
            // A tuple nested millions deep is freed without recursion (`Teardown`).
            if case .tuple? = p[i] { Teardown.clear(&p[i]) }
            p[i] = nil
        }
        header.returnValue = .none
    }

    /// Slot by slot: a concrete assignment, where `deinitialize(count:)` calls the runtime's
    /// generic array destroy.
    deinit {
        let p = slots
        for i in 0..<header.count {
            if case .tuple? = p[i] { Teardown.clear(&p[i]) }
            p[i] = nil
        }
    }
}

public struct FrameHeader {
    let count: Int
    let parent: Frame?
    var returnValue: Value = .none
    unowned(unsafe) var function: Function?

    init(count: Int, parent: Frame?) { self.count = count; self.parent = parent }
}

/// The session's global variables, by slot, with names for `%who` and completion.
final class Globals {
    /// Written only through `store` (and `set`), which keep `serials` in step.
    @exclusivity(unchecked) var values: [Value?] = []
    private(set) var index: [String: Int] = [:]
    private(set) var names: [String] = []
    /// For each slot, the typed serial of the function it holds (`Function.typedSerial`),
    /// else 0: a typed call checks the function it calls with one load.
    private(set) var serials: UnsafeMutablePointer<Int>
    private var serialCapacity = 64

    init() {
        serials = .allocate(capacity: serialCapacity)
        serials.initialize(repeating: 0, count: serialCapacity)
    }

    func slot(_ name: String) -> Int {
        if let i = index[name] { return i }
        index[name] = values.count
        names.append(name)
        values.append(nil)
        if values.count > serialCapacity {
            let bigger = UnsafeMutablePointer<Int>.allocate(capacity: serialCapacity * 2)
            bigger.initialize(repeating: 0, count: serialCapacity * 2)
            bigger.update(from: serials, count: serialCapacity)
            serials.deallocate()
            serials = bigger
            serialCapacity *= 2
        }
        return values.count - 1
    }

    /// Stores slot `i` (a global assignment).
    @inline(__always) func store(_ i: Int, _ v: Value?) {
        if case .tuple? = values[i] { Teardown.clear(&values[i]) }
        if case .function(let f)? = v { serials[i] = f.typedSerial } else { serials[i] = 0 }
        values[i] = v
    }

    func get(_ name: String) -> Value? { index[name].flatMap { values[$0] } }
    func set(_ name: String, _ v: Value?) {
        let i = slot(name)
        Teardown.clear(&values[i])
        store(i, v)
    }

    deinit {
        for i in values.indices { Teardown.clear(&values[i]) }
        serials.deallocate()
    }
}

final class ResultBox<T> { var result: Result<T, Error>? }

/// A session: runs cells one after another in one global environment.
public final class Interpreter {
    public let registry: Registry
    /// Where `print` writes (stdout by default).
    public var output: (String) -> Void = { s in FileHandle.standardOutput.write(Data(s.utf8)) }
    /// Progress bars, plots on the terminal, `flush=True`: set by the front end.
    public var console = Console()
    public var recursionLimit = 1000
    let globals = Globals()
    /// Builtins and the prelude (`torch`, `nn`, `F`, `optim`), behind globals.
    private(set) var builtins: [String: Value] = [:]
    private(set) var cells: [CellSource] = []
    @exclusivity(unchecked) var callDepth = 0
    /// The typed tier's registers (`Typed/TypedFunction.swift`), and its functions' serials.
    lazy var typedStack = TypedStack()
    var typedSerials = 0
    /// Whether pure numeric functions run in the typed tier (`TENSORPAD_TYPED=0` turns it
    /// off, to compare); the calls it finished, and those it gave back to the ordinary path.
    public var typedTier = getenv("TENSORPAD_TYPED").map { String(cString: $0) } != "0"
    public internal(set) var typedRuns = 0
    public internal(set) var typedBails = 0
    /// Names of modules `import` accepts, with their namespaces.
    var modules: [String: Namespace] = [:]
    /// Exceptions being handled by `except` clauses, innermost last (for a bare `raise`).
    var handling: [LangError] = []

    public init(registry: Registry = Registry()) {
        self.registry = registry
        builtins = registry.globals
        for (name, path) in registry.preludeNames {
            if case .namespace(let ns)? = registry.lookup(path) { builtins[name] = .namespace(ns) }
        }
        // print(obj) and repr(obj) call the class's __str__ / __repr__, as Python does.
        registry.hooks.instanceText = { [weak self] v, asStr in
            guard let self, case .instance(let i) = v else { return nil }
            let method = (asStr ? i.cls.lookup("__str__") : nil) ?? i.cls.lookup("__repr__")
            guard let method, case .str(let s)? = try? self.call(method, [v]) else { return nil }
            return s
        }
    }

    public var hooks: HostHooks { registry.hooks }

    // MARK: running cells

    /// Runs one cell in the session. Returns the value of a final expression
    /// statement (Jupyter's display rule: not when the line ends with `;`,
    /// nor when the value is None). Errors come as `LangError`, located.
    @discardableResult
    public func run(_ source: String, cell: CellSource) throws -> Value? {
        let id = cells.count
        var info = cell
        info.source = source
        cells.append(info)
        return try onLargeStack { try self.execute(source, cellID: id) }
    }

    /// Runs a cell labelled `cell N` with no file (tests, `-c`).
    @discardableResult
    public func run(_ source: String, label: String = "cell 1") throws -> Value? {
        try run(source, cell: CellSource(source: source, label: label))
    }

    func execute(_ source: String, cellID: Int) throws -> Value? {
        let body = try prepare(source, cellID: cellID)
        Interrupt.requested = false
        return try body()
    }

    /// Compiles a cell once into something that runs it again and again in
    /// this session (`%timeit`): call the result inside `onInterpreterStack`.
    public func prepareRepeated(_ source: String, cell: CellSource) throws -> () throws -> Value? {
        let id = cells.count
        var info = cell
        info.source = source
        cells.append(info)
        return try prepare(source, cellID: id)
    }

    /// Runs `body` on the interpreter's large stack (see `onLargeStack`).
    public func onInterpreterStack<T>(_ body: @escaping () throws -> T) throws -> T { try onLargeStack(body) }

    func prepare(_ source: String, cellID: Int) throws -> () throws -> Value? {
        let parsed: ParsedCell
        do {
            parsed = try Parser.parse(source)
        } catch let e as SyntaxError {
            throw LangError(.SyntaxError, e.message, at: ErrorLocation(cell: cellID, range: e.range, function: nil))
        }
        let scope = Scope(kind: .module, parent: nil)
        let compiler = Compiler(interpreter: self, cell: cellID, scope: scope, functionName: nil)
        var statements = parsed.statements
        var final: ((Frame) throws -> Value)?
        if !parsed.endsWithSemicolon, case .expr(let e, _)? = statements.last {
            statements.removeLast()
            final = try compiler.compileExpression(e)
        }
        let body = try compiler.compileBlock(statements, topLevel: true)
        let slots = scope.slotCount
        return { [unowned self] in
            let frame = Frame.make(count: slots, parent: nil)
            self.callDepth = 0
            _ = try body(frame)
            guard let f = final else { return nil }
            let v = try f(frame)
            if case .none = v { return nil }
            return v
        }
    }

    /// Runs the interpreter on a thread with a 512 MiB stack, so deep
    /// recursion ends in RecursionError, never in a stack overflow.
    func onLargeStack<T>(_ body: @escaping () throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = Result { try body() }
            done.signal()
        }
        thread.stackSize = 512 << 20
        thread.start()
        done.wait()
        guard let r = box.result else { throw LangError(.RuntimeError, "interpreter thread failed") }
        return try r.get()
    }

    /// Keeps `cell` as a cell errors can name without running it (an error a magic or a
    /// shell line raised is located on its line); returns its id.
    public func addCell(_ cell: CellSource) -> Int {
        cells.append(cell)
        return cells.count - 1
    }

    /// The id of the cell run last (what an error's location names as `cell`).
    public var lastCellID: Int { cells.count - 1 }
    /// Replaces the text an error shows for cell `id` (a `%time` line shows as typed).
    public func setCellSource(_ id: Int, _ source: String) {
        if id >= 0 && id < cells.count { cells[id].source = source }
    }

    /// The error as SPEC §9 shows it, with the session's cell sources.
    public func render(_ e: LangError) -> String {
        ErrorRenderer.render(e) { [cells] i in i >= 0 && i < cells.count ? cells[i] : nil }
    }

    // MARK: session variables

    public func global(_ name: String) -> Value? { globals.get(name) }
    public func setGlobal(_ name: String, _ v: Value) { globals.set(name, v) }
    public func deleteGlobal(_ name: String) { if globals.get(name) != nil { globals.set(name, nil) } }
    /// Variables the user defined, in definition order (for `%who`).
    public var globalNames: [String] { globals.names.filter { globals.get($0) != nil } }
    /// Every name visible at top level (completion).
    public var visibleNames: [String] { Array(Set(globalNames).union(builtins.keys)).sorted() }
    public func reset() { for n in globals.names { globals.set(n, nil) } }

    public func repr(_ v: Value) -> String { Printing.repr(v, hooks: hooks) }
    public func str(_ v: Value) -> String { Printing.str(v, hooks: hooks) }
    /// `repr(x)` / `str(x)` as a user asked for them: RecursionError past the limit.
    public func checkedRepr(_ v: Value) throws -> String { try Printing.checkedRepr(v, hooks: hooks) }
    public func checkedStr(_ v: Value) throws -> String { try Printing.checkedStr(v, hooks: hooks) }

    /// Raises KeyboardInterrupt (at `location`, a loop's header) when Ctrl-C was pressed.
    func checkInterrupt(at location: ErrorLocation? = nil) throws {
        if Interrupt.requested {
            Interrupt.requested = false
            throw LangError(.KeyboardInterrupt, "", at: location)
        }
    }
}
