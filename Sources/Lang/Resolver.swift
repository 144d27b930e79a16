import Syntax

/// Where a name lives, decided before a body runs, so the hot path reads
/// an array slot rather than looking a name up in a dictionary.
enum NameLocation {
    /// A slot of the current frame.
    case local(Int)
    /// A slot of an enclosing function's frame, `depth` closures up.
    case enclosing(depth: Int, slot: Int)
    /// A session global (or, failing that, a builtin).
    case global(String)
}

/// The names of one scope (a cell's top level, a `def`, a class body) and their slots.
final class Scope {
    enum Kind { case module, function, classBody }
    let kind: Kind
    let parent: Scope?
    /// Local name → slot (parameters first, in order).
    private(set) var slots: [String: Int] = [:]
    private(set) var slotCount = 0
    var declaredGlobal: Set<String> = []
    var declaredNonlocal: Set<String> = []
    /// Comprehension variables in scope now (innermost last).
    private var temporaries: [(String, Int)] = []

    init(kind: Kind, parent: Scope?) { self.kind = kind; self.parent = parent }

    /// Named locals and their slots (comprehension temporaries excluded).
    var localNames: [(String, Int)] { slots.map { ($0.key, $0.value) } }

    @discardableResult
    func addLocal(_ name: String) -> Int {
        if let s = slots[name] { return s }
        slots[name] = slotCount
        slotCount += 1
        return slotCount - 1
    }

    /// A fresh slot for a comprehension variable, visible until `popTemporaries`.
    func pushTemporary(_ name: String) -> Int {
        let s = slotCount
        slotCount += 1
        temporaries.append((name, s))
        return s
    }

    func popTemporaries(_ n: Int) { temporaries.removeLast(min(n, temporaries.count)) }
    var temporaryCount: Int { temporaries.count }

    func resolve(_ name: String) -> NameLocation {
        if let t = temporaries.last(where: { $0.0 == name }) { return .local(t.1) }
        if declaredGlobal.contains(name) { return .global(name) }
        switch kind {
        case .module:
            return .global(name)
        case .classBody:
            if let s = slots[name] { return .local(s) }
            return parent?.resolveFree(name, depth: 0) ?? .global(name)
        case .function:
            if !declaredNonlocal.contains(name), let s = slots[name] { return .local(s) }
            return parent?.resolveFree(name, depth: 1) ?? .global(name)
        }
    }

    /// Looks a name up from an inner function: class bodies are skipped, as in Python.
    private func resolveFree(_ name: String, depth: Int) -> NameLocation {
        switch kind {
        case .module: return .global(name)
        case .classBody: return parent?.resolveFree(name, depth: depth) ?? .global(name)
        case .function:
            if declaredGlobal.contains(name) { return .global(name) }
            if !declaredNonlocal.contains(name), let s = slots[name] { return .enclosing(depth: depth, slot: s) }
            return parent?.resolveFree(name, depth: depth + 1) ?? .global(name)
        }
    }
}

/// Finds the names a body binds (Python's rule: assigned anywhere in the
/// body makes a name local), without entering nested `def`/`class` bodies.
enum Resolver {
    /// Declares a body's names: `global`/`nonlocal` first, wherever they appear.
    static func analyze(_ body: [Stmt], in scope: Scope) {
        collectDeclarations(body, scope)
        declare(body, in: scope)
    }

    static func collectDeclarations(_ body: [Stmt], _ scope: Scope) {
        for s in body {
            switch s {
            case .global(let names, _): names.forEach { scope.declaredGlobal.insert($0) }
            case .nonlocal(let names, _): names.forEach { scope.declaredNonlocal.insert($0) }
            case .ifStmt(let branches, let orElse, _):
                branches.forEach { collectDeclarations($0.body, scope) }
                collectDeclarations(orElse, scope)
            case .forStmt(_, _, let body, let orElse, _), .whileStmt(_, let body, let orElse, _):
                collectDeclarations(body, scope); collectDeclarations(orElse, scope)
            case .with(_, _, let body, _): collectDeclarations(body, scope)
            case .tryStmt(let body, let handlers, let orElse, let finally, _):
                collectDeclarations(body, scope); handlers.forEach { collectDeclarations($0.body, scope) }
                collectDeclarations(orElse, scope); collectDeclarations(finally, scope)
            default: break
            }
        }
    }

    static func declare(_ body: [Stmt], in scope: Scope) {
        for s in body { statement(s, scope) }
    }

    static func statement(_ s: Stmt, _ scope: Scope) {
        switch s {
        case .assign(let targets, _, _): targets.forEach { target($0, scope) }
        case .augAssign(let t, _, _, _): target(t, scope)
        case .ifStmt(let branches, let orElse, _):
            branches.forEach { declare($0.body, in: scope) }
            declare(orElse, in: scope)
        case .forStmt(let t, _, let body, let orElse, _):
            target(t, scope); declare(body, in: scope); declare(orElse, in: scope)
        case .whileStmt(_, let body, let orElse, _): declare(body, in: scope); declare(orElse, in: scope)
        case .def(let f): bind(f.name, scope)
        case .classDef(let name, _, _, _): bind(name, scope)
        case .del(let targets, _): targets.forEach { target($0, scope) }
        case .with(_, let t, let body, _):
            if let t = t { target(t, scope) }
            declare(body, in: scope)
        case .tryStmt(let body, let handlers, let orElse, let finally, _):
            declare(body, in: scope)
            for h in handlers {
                if let n = h.name { bind(n, scope) }
                declare(h.body, in: scope)
            }
            declare(orElse, in: scope); declare(finally, in: scope)
        case .importStmt(let names, _):
            for n in names { bind(n.asName ?? n.path.first ?? "", scope) }
        case .fromImport(_, let names, _):
            for n in names where n.name != "*" { bind(n.asName ?? n.name, scope) }
        default: break
        }
    }

    static func target(_ e: Expr, _ scope: Scope) {
        switch e {
        case .name(let n, _): bind(n, scope)
        case .tuple(let items, _), .list(let items, _): items.forEach { target($0, scope) }
        case .starred(let x, _): target(x, scope)
        default: break
        }
    }

    static func bind(_ name: String, _ scope: Scope) {
        guard scope.kind != .module, !scope.declaredGlobal.contains(name),
              !scope.declaredNonlocal.contains(name) else { return }
        scope.addLocal(name)
    }
}
