import XCTest
import Lang
import Notebook

/// `help()` through a session, as the REPL runs it.
final class HelpTests: XCTestCase {
    func run(_ session: Session, _ code: String) -> String {
        let r = session.run(code)
        return r.stdout + (r.errorText ?? "")
    }

    func testGuideWithoutArgument() {
        let out = run(Session(), "help()")
        XCTAssertTrue(out.contains("help(nn.Conv2d)"), out)
        XCTAssertTrue(out.contains("%timeit"), out)
        XCTAssertTrue(out.contains("Ctrl-C"), out)
    }

    func testLayerSignatureWithDefaultsAndDescription() {
        let out = run(Session(), "help(nn.Conv2d)")
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros')")
        XCTAssertEqual(lines.dropFirst().first, "    2-D convolution (cross-correlation) over an input of several planes.")
    }

    func testFunctionalAndMethod() {
        let s = Session()
        XCTAssertTrue(run(s, "help(F.relu)").hasPrefix("relu("))
        _ = s.run("x = torch.zeros(2, 3)")
        let m = run(s, "help(x.reshape)")
        XCTAssertTrue(m.hasPrefix("reshape("), m)
        XCTAssertFalse(m.hasPrefix("reshape(self"), m)
    }

    func testTensorAndModuleValues() {
        let s = Session()
        _ = s.run("x = torch.zeros(2, 3)\nconv = nn.Conv2d(3, 8, 3)")
        let t = run(s, "help(x)")
        XCTAssertTrue(t.contains("torch.Size([2, 3])"), t)
        XCTAssertTrue(t.contains("torch.float32"), t)
        XCTAssertTrue(t.contains("reshape"), t)
        let m = run(s, "help(conv)")
        XCTAssertTrue(m.hasPrefix("Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))"), m)
        XCTAssertTrue(m.contains("Parameters: 224"), m)
        XCTAssertTrue(m.contains("weight torch.Size([8, 3, 3, 3])"), m)
        XCTAssertTrue(m.contains("parameters"), m)
        XCTAssertTrue(run(s, "help(torch.nn)").contains("Conv2d"))
        XCTAssertTrue(run(s, "help('Conv2d')").hasPrefix("Conv2d(in_channels"))
    }

    func testEveryBuiltinHasADescription() {
        let r = Registry()
        var missing: [String] = []
        for b in r.allBuiltins() where b.signature.doc.trimmingCharacters(in: .whitespaces).isEmpty { missing.append(b.path) }
        for (type, table) in r.methods {
            for (name, b) in table where b.signature.doc.trimmingCharacters(in: .whitespaces).isEmpty { missing.append("\(type).\(name)") }
        }
        XCTAssertEqual(missing.sorted(), [], "builtins without a doc line")
    }
}
