import Syntax

/// `len(x)` where `len` is the builtin (no global of that name was assigned): the length
/// counted in place, without reading the builtin's value or making a call. Whether a
/// global `len` exists is checked on every call (a cell may define one later); when it
/// does, the call is the ordinary one.
extension Compiler {
    func compileLen(_ arg: Expr, _ target: Callee, _ l: ErrorLocation, general: @escaping Eval) throws -> Eval {
        let a = try compileOperand(arg)
        let interp = self.interp
        return { f in
            guard target.unbound else { return try general(f) }
            let x = try a.value(f)
            if case .str(let s) = x { return .int(Interpreter.codePoints(s)) }
            if case .list(let box) = x { return .int(box.items.count) }
            do { return .int(try interp.length(x)) } catch { throw Compiler.callSite(error, l) }
        }
    }
}
