import XCTest
@testable import Syntax

final class ParserTests: XCTestCase {
    func expr(_ s: String) throws -> String { try Parser.parseExpression(s).dump }

    func stmts(_ s: String) throws -> [Stmt] { try Parser.parse(s).statements }

    func testPrecedence() throws {
        XCTAssertEqual(try expr("1 + 2 * 3"), "(+ 1 (* 2 3))")
        XCTAssertEqual(try expr("-2 ** 2"), "(- (** 2 2))")
        XCTAssertEqual(try expr("2 ** 3 ** 2"), "(** 2 (** 3 2))")
        XCTAssertEqual(try expr("a - b - c"), "(- (- a b) c)")
        XCTAssertEqual(try expr("not a or b and c"), "(or (not a) (and b c))")
        XCTAssertEqual(try expr("a if c else b"), "(if c a b)")
        XCTAssertEqual(try expr("a < b <= c"), "(cmp a < b <= c)")
        XCTAssertEqual(try expr("x not in y is not z"), "(cmp x not in y is not z)")
        XCTAssertEqual(try expr("a @ b // c % d"), "(% (// (@ a b) c) d)")
        XCTAssertEqual(try expr("a | b ^ c & d"), "(| a (^ b (& c d)))")
        XCTAssertEqual(try expr("-x.y[1](2)"), "(- (call (index (. x y) 1) 2))")
    }

    func testCallsAndSubscripts() throws {
        XCTAssertEqual(try expr("f(a, *b, k=1, **d)"), "(call f a *b k=1 **d)")
        XCTAssertEqual(try expr("sum(x for x in y if x)"), "(call sum (gen x for x in y if x))")
        XCTAssertEqual(try expr("t[1:2, ::-1, ..., None]"), "(index t (tuple (slice 1 2 _) (slice _ _ (- 1)) ... None))")
        XCTAssertEqual(try expr("t[:, 0]"), "(index t (tuple (slice _ _ _) 0))")
    }

    func testDisplaysAndComprehensions() throws {
        XCTAssertEqual(try expr("[1, (2,), (), {'a': 1}]"), "[1 (tuple 2) (tuple ) {'a': 1}]")
        XCTAssertEqual(try expr("[i * j for i in a for j in b if j]"), "(listcomp (* i j) for i in a for j in b if j)")
        XCTAssertEqual(try expr("{k: v for k, v in d}"), "(dictcomp k v for (tuple k v) in d)")
        XCTAssertEqual(try expr("f'{x:.3f}'"), "(f {x:'.3f'})")
        XCTAssertEqual(try expr("lambda a, b=1: a"), "(lambda (a b) a)")
    }

    func testStatementForms() throws {
        let source = """
        import torch.nn as nn, math
        from torch import nn as n2, optim
        a = b = 0
        x.y, z[0] = 1, 2
        for i, (p, q) in enumerate(xs):
            a += 1
            if a: break
            elif b: continue
            else: pass
        while a:
            a -= 1
        def f(x, y=1, *args, k=2, **kw):
            global g
            return x
        class C(nn.Module):
            def forward(self, x): return x
        with no_grad():
            del a, b[0]
        with open(p) as fh:
            pass
        assert a, 'msg'
        raise ValueError('x')
        x **= 2; y @= w;
        """
        let cell = try Parser.parse(source)
        XCTAssertEqual(cell.statements.count, 14)
        XCTAssertTrue(cell.endsWithSemicolon)
        guard case .assign(let targets, _, _) = cell.statements[2] else { return XCTFail() }
        XCTAssertEqual(targets.count, 2)
        guard case .def(let f) = cell.statements[6] else { return XCTFail() }
        XCTAssertEqual(f.parameters.positional.map(\.name), ["x", "y"])
        XCTAssertEqual(f.parameters.varargs, "args")
        XCTAssertEqual(f.parameters.keywordOnly.map(\.name), ["k"])
        XCTAssertEqual(f.parameters.kwargs, "kw")
        guard case .importStmt(let names, _) = cell.statements[0] else { return XCTFail() }
        XCTAssertEqual(names, [ImportName(path: ["torch", "nn"], asName: "nn"), ImportName(path: ["math"], asName: nil)])
        guard case .augAssign(_, .pow, _, _) = cell.statements[12] else { return XCTFail() }
        guard case .augAssign(_, .matmul, _, _) = cell.statements[13] else { return XCTFail() }
    }

    func testRangesOfNodes() throws {
        guard case .assign(_, let value, _)? = try stmts("y = fc(x)").first else { return XCTFail() }
        XCTAssertEqual(value.range, SourceRange(line: 1, column: 5, endLine: 1, endColumn: 10))
    }

    func testErrors() {
        assertError("x = 1\n  y = 2", "unexpected indent", line: 2, column: 1)
        assertError("a = 1\nb = 2\nif a:\nb = 3", "expected an indented block after 'if' statement on line 3", line: 4, column: 1)
        assertError("def f():\nreturn 1", "expected an indented block after function definition on line 1", line: 2, column: 1)
        assertError("x = = 2", "invalid syntax", line: 1, column: 5)
        assertError("f(x) = 2", "cannot assign to function call here. Maybe you meant '==' instead of '='?", line: 1, column: 1)
        assertError("f(a=1, 2)", "positional argument follows keyword argument", line: 1, column: 8)
        assertError("if x = 1:\n    pass", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", line: 1, column: 4)
    }

    func testCheckComplete() {
        XCTAssertEqual(checkComplete("x = 1"), .complete)
        XCTAssertEqual(checkComplete("x = (1,"), .incomplete)
        XCTAssertEqual(checkComplete("if x:"), .incomplete)
        XCTAssertEqual(checkComplete("if x:\n    y = 1\n"), .incomplete)
        XCTAssertEqual(checkComplete("if x:\n    y = 1\n\n"), .complete)
        XCTAssertEqual(checkComplete("s = '''abc"), .incomplete)
        XCTAssertEqual(checkComplete("x = 1 +"), .invalid)
        XCTAssertEqual(checkComplete("x = )"), .invalid)
    }
}
