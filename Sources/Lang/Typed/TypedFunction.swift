import Syntax
import TensorCore

/// The typed tier: pure numeric functions run on unboxed ints and floats.
///
/// A `def` whose body is only numeric (locals assigned ints and floats, `+ - * / // %`,
/// comparisons, `if`/`while`/`for … in range(…)`, `return` of a number, calls of such
/// functions and of `abs`/`min`/`max`/`int`/`float`) is compiled a second time, for each
/// combination of int and float arguments it is called with, once the argument types are
/// known: every local then has one static type, and the body becomes closures over a
/// register stack of machine words, with no `Value`, no retain/release, no frame object
/// per call. Calls between such functions pass their arguments in registers.
///
/// The tier never changes what a program means, because such a body has no effect but
/// its result: it reads its arguments and globals and writes only its own registers. So
/// when anything falls outside what the tier computes exactly (an int overflow, a zero
/// divisor, a global that changed type, the recursion limit, a KeyboardInterrupt), it
/// gives up (`TypedBail`) and the call runs again from its start on the ordinary path,
/// which raises Python's error or computes the general result. A specialization that
/// gives up repeatedly is switched off. See `TypedInference` for the subset, and
/// `TypedCodegen` for the closures.

/// An int or a float: the static type of a typed local or expression.
enum TType: UInt8 { case int, float }

/// Outside the subset: this body (or this argument signature) stays on the ordinary path.
struct TypedIneligible: Error {}

/// Thrown inside typed code to give up; the entry reruns the call on the ordinary path.
struct TypedBail: Error {}

/// A frame of the typed tier: machine words; floats stored as their bit pattern.
typealias Regs = UnsafeMutablePointer<Int>

/// The words that typed frames live in, one region per interpreter. Typed code never calls
/// ordinary code, so typed runs never nest: each starts at `base`, and each call's frame
/// follows its caller's. Allocated on first use and never moved (closures keep `end`).
final class TypedStack {
    static let words = 1 << 20
    let base: Regs
    let end: Regs
    /// The call depth (word 0), the recursion limit (word 1) and a countdown to the next
    /// check of interrupts and the native stack (word 2) during a typed run: copied
    /// from the interpreter at entry. Typed calls count here, not in `Interpreter.callDepth`,
    /// so they touch no object (the interpreter's references are slow to count).
    let depth: Regs
    init() {
        base = .allocate(capacity: TypedStack.words)
        end = base + TypedStack.words
        depth = .allocate(capacity: 3)
        depth.initialize(repeating: 0, count: 3)
    }
    deinit { base.deallocate(); depth.deallocate() }
}

/// What `def` compiled once: the body and the scope its names resolve in.
final class TypedSource {
    let name: String
    let params: Int
    let body: [Stmt]
    let scope: Scope
    init(name: String, params: Int, body: [Stmt], scope: Scope) {
        self.name = name; self.params = params; self.body = body; self.scope = scope
    }
}

/// A typed int expression (or a whole body) evaluated by a method: subclasses override
/// `run`, which returns the result's bits. Called through an unmanaged reference to a
/// constant node (`TInt.get`, `TCall`): no closure context to unpack, no thunk, no retain.
class TNode {
    func run(_ r: Regs) throws -> Int { throw TypedBail() }
}

/// A closure as a node. Calls `f` with `self` borrowed: reading the closure from an
/// unowned(unsafe) reference at the call site would copy it (a retain and a release per call).
final class TypedBody: TNode {
    let f: (Regs) throws -> Int
    init(_ f: @escaping (Regs) throws -> Int) { self.f = f }
    @inline(never) override func run(_ r: Regs) throws -> Int { try f(r) }
}

/// One argument signature of one function, compiled.
final class TypedSpec {
    let paramTypes: [TType]
    /// The return type, refined while the body's types are inferred (recursion reads it).
    var returnType: TType?
    /// Words per frame: locals, call temporaries, the return word.
    var frameSize = 0
    /// Whether the body is compiled (`setBody`).
    private(set) var ready = false
    /// Sets the body: a closure that runs on a frame whose first words hold the arguments
    /// and returns the result's bits. (Kept out of any Optional or generic container: a
    /// closure stored there is called through reabstraction thunks ever after.)
    func setBody(_ run: @escaping (Regs) throws -> Int) { setBody(TypedBody(run)) }
    /// Sets the body as a node run on the callee's frame (a conditional, a call).
    func setBody(_ node: TNode) {
        body = node
        bodyRef = Unmanaged.passUnretained(node)
        ready = true
    }
    /// The body as typed calls reach it: through an unmanaged reference (`_withUnsafeGuaranteedRef`)
    /// to a constant closure, called with no retain (a closure read from a class's `var` is retained and
    /// released on every call).
    private(set) var body: TNode = TypedBody { _ in throw TypedBail() }
    private(set) var bodyRef: Unmanaged<TNode>
    var compiling = true
    /// Outside the subset (or calling a spec that is): never run.
    var failed = false
    /// Runs entered from the ordinary path that finished, and that gave up. A spec that
    /// gives up more than `maxBails` times and on more than one run in a hundred is
    /// switched off: each such run costs its work twice.
    var runs = 0
    var bails = 0
    static let maxBails = 4

    init(paramTypes: [TType]) {
        self.paramTypes = paramTypes
        bodyRef = Unmanaged.passUnretained(body)
    }

    var usable: Bool { !failed && ready && (bails <= TypedSpec.maxBails || bails * 100 < runs) }
}

/// The typed tier's state of one `Function`: its source and its specializations.
final class TypedFunction {
    let source: TypedSource
    /// Unique in the interpreter: typed calls check the global they call still holds this
    /// function (an address could be reused by a later function; a serial is not).
    let serial: Int
    /// Specializations by argument signature (bit i set: argument i is a float), kept for
    /// the function's life (typed calls hold them unowned), those outside the subset
    /// marked `failed`. Few: searched in order.
    private var specs: [(key: Int, spec: TypedSpec)] = []

    init(source: TypedSource, serial: Int) { self.source = source; self.serial = serial }

    @inline(__always) private func cached(_ key: Int) -> TypedSpec? {
        for e in specs where e.key == key { return e.spec }
        return nil
    }

    /// The specialization for `types`, compiled on first use; nil when outside the subset.
    /// A spec being compiled (a recursive call) is returned as it is.
    func spec(_ types: [TType], _ interp: Interpreter) -> TypedSpec? {
        var key = 0
        for (i, t) in types.enumerated() where t == .float { key |= 1 << i }
        if let s = cached(key) { return s.failed ? nil : s }
        let spec = TypedSpec(paramTypes: types)
        specs.append((key, spec))
        do {
            try TypedCodegen.compile(spec, self, interp)
        } catch {
            spec.failed = true
        }
        spec.compiling = false
        return spec.failed ? nil : spec
    }

    /// Runs a call whose frame holds the arguments (`Interpreter.runPlain`): the result, or
    /// nil when the call must run on the ordinary path (arguments not all ints and floats,
    /// a body outside the subset, or a run that gave up).
    func run(_ frame: Frame, _ interp: Interpreter) -> Value? {
        let n = source.params
        guard n <= 16, interp.typedTier else { return nil }
        var key = 0
        for i in 0..<n {
            switch frame.slots[i] {
            case .int?: break
            case .float?: key |= 1 << i
            default: return nil
            }
        }
        let spec: TypedSpec
        if let s = cached(key) {
            guard s.usable else { return nil }
            spec = s
        } else {
            let types = (0..<n).map { key & (1 << $0) != 0 ? TType.float : .int }
            guard let s = self.spec(types, interp), s.usable else { return nil }
            spec = s
        }
        let body = spec.body
        let stack = interp.typedStack
        let r = stack.base
        guard spec.frameSize <= TypedStack.words else { return nil }
        for i in 0..<n {
            switch frame.slots[i] {
            case .int(let v)?: r[i] = v
            case .float(let d)?: r[i] = Int(bitPattern: UInt(d.bitPattern))
            default: return nil
            }
        }
        stack.depth[0] = interp.callDepth
        stack.depth[1] = interp.recursionLimit
        stack.depth[2] = 1024
        do {
            let bits = try body.run(r)
            spec.runs &+= 1
            interp.typedRuns &+= 1
            switch spec.returnType {
            case .int?: return .int(bits)
            case .float?: return .float(Double(bitPattern: UInt64(UInt(bitPattern: bits))))
            case nil: return nil
            }
        } catch {
            spec.bails += 1
            interp.typedBails &+= 1
            return nil
        }
    }
}

extension TypedSource {
    /// Statements and expressions a typed body may have.
    static let maxNodes = 2000

    /// Whether `body` has the shape of the subset, before any type is known: only its
    /// statement and expression kinds are checked, so most functions outside it cost
    /// nothing per call. (`TypedInference` decides, per argument signature.)
    static func plausible(_ body: [Stmt], _ scope: Scope) -> Bool {
        var returns = false
        // Inference and compilation revisit subexpressions (quadratic in the worst case): a
        // generated body of thousands of nodes stays on the ordinary path.
        var budget = maxNodes
        func stmts(_ b: [Stmt]) -> Bool { b.allSatisfy(stmt) }
        func stmt(_ s: Stmt) -> Bool {
            budget -= 1
            if budget < 0 { return false }
            switch s {
            case .expr(.string, _), .pass, .breakStmt, .continueStmt: return true
            case .assign(let targets, let v, _): return targets.allSatisfy(isName) && expr(v)
            case .augAssign(let t, _, let v, _): return isName(t) && expr(v)
            case .ifStmt(let branches, let orElse, _):
                return branches.allSatisfy { expr($0.condition) && stmts($0.body) } && stmts(orElse)
            case .whileStmt(let c, let b, let orElse, _): return orElse.isEmpty && expr(c) && stmts(b)
            case .forStmt(let t, .call(.name("range", _), _, _), let b, let orElse, _):
                return orElse.isEmpty && isName(t) && stmts(b)
            case .returnStmt(let v?, _): returns = true; return expr(v)
            default: return false
            }
        }
        func isName(_ e: Expr) -> Bool {
            if case .name(let n, _) = e, case .local = scope.resolve(n) { return true }
            return false
        }
        func expr(_ e: Expr) -> Bool {
            budget -= 1
            if budget < 0 { return false }
            switch e {
            case .int, .float, .bool: return true
            case .name(let n, _):
                if case .enclosing = scope.resolve(n) { return false }
                return true
            case .unary(let op, let x, _): return op != .invert && expr(x)
            case .binary(let op, let a, let b, _):
                return [.add, .sub, .mul, .div, .floorDiv, .mod, .pow].contains(op) && expr(a) && expr(b)
            case .boolean(_, let a, let b, _): return expr(a) && expr(b)
            case .compare(let a, let rest, _):
                return expr(a) && rest.allSatisfy { [.lt, .le, .gt, .ge, .eq, .ne].contains($0.0) && expr($0.1) }
            case .conditional(let c, let a, let b, _): return expr(c) && expr(a) && expr(b)
            case .attribute(.name(let n, _), _, _):
                if case .global = scope.resolve(n) { return true }
                return false
            case .call(.name(let n, _), let args, _), .call(.attribute(.name(let n, _), _, _), let args, _):
                guard case .global = scope.resolve(n) else { return false }
                return args.allSatisfy { if case .positional(let x) = $0 { return expr(x) }; return false }
            default: return false
            }
        }
        return stmts(body) && returns
    }
}
