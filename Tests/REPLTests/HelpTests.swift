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

/// Issue 14: `help()` of a layer teaches it as PyTorch's documentation does.
final class LayerHelpTests: XCTestCase {
    func run(_ session: Session, _ code: String) -> String {
        let r = session.run(code)
        return r.stdout + (r.displayed.map { $0 + "\n" } ?? "") + (r.errorText ?? "")
    }

    /// The layers of torch.nn (classes, not namespaces or helpers), and the functionals with a Shape section.
    static let functionals = ["F.conv2d", "F.conv1d", "F.conv_transpose2d", "F.max_pool2d", "F.avg_pool2d", "F.max_unpool2d",
                              "F.adaptive_avg_pool2d", "F.adaptive_max_pool2d", "F.linear", "F.cross_entropy", "F.pad",
                              "torch.cat", "torch.stack", "torch.matmul", "torch.flatten", "torch.permute", "torch.squeeze",
                              "torch.unsqueeze", "torch.transpose", "F.conv_transpose1d", "F.scaled_dot_product_attention"]
    static let layers = ["Conv2d", "Conv1d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d", "MaxUnpool2d", "AdaptiveAvgPool2d",
                         "AdaptiveMaxPool2d", "Linear", "Flatten", "Identity", "Dropout", "Dropout2d", "BatchNorm2d", "BatchNorm1d",
                         "ReLU", "LeakyReLU", "PReLU", "RReLU", "ELU", "GELU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax",
                         "Sequential", "ModuleList", "Residual", "CrossEntropyLoss", "NLLLoss", "MSELoss",
                         "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "MultiheadAttention", "ConvTranspose1d"]

    func testConv2dHasParametersShapeFormulaAndExample() {
        let out = run(Session(), "help(nn.Conv2d)")
        XCTAssertTrue(out.contains("\nParameters:\n    in_channels (int): channels of the input, C_in"), out)
        XCTAssertTrue(out.contains("    padding_mode (str): what padding adds: 'zeros', 'reflect', 'replicate' or\n        'circular'. Default: 'zeros'"), out)
        XCTAssertTrue(out.contains("""
        Shape:
            Input:  (N, C_in, H_in, W_in) or (C_in, H_in, W_in)
            Output: (N, C_out, H_out, W_out) or (C_out, H_out, W_out), where
              H_out = floor((H_in + 2*padding[0] - dilation[0]*(kernel_size[0] - 1) - 1) / stride[0] + 1)
              W_out = floor((W_in + 2*padding[1] - dilation[1]*(kernel_size[1] - 1) - 1) / stride[1] + 1)
        """), out)
        XCTAssertTrue(out.contains("Example:\n    >>> conv = nn.Conv2d(3, 16, 3, stride=2, padding=1)"), out)
        let t = run(Session(), "help(nn.ConvTranspose2d)")
        XCTAssertTrue(t.contains("H_out = (H_in - 1)*stride[0] - 2*padding[0] + dilation[0]*(kernel_size[0] - 1) + output_padding[0] + 1"), t)
        let u = run(Session(), "help(nn.MaxUnpool2d)")
        XCTAssertTrue(u.contains("H_out = (H_in - 1)*stride[0] - 2*padding[0] + kernel_size[0]"), u)
    }

    /// Every layer is documented, each documented parameter is one its signature takes and none is left out.
    func testEveryLayerDocumentsExactlyItsParameters() {
        let s = Session()
        for name in Self.layers.map({ "nn." + $0 }) + Self.functionals {
            let path = name.hasPrefix("F.") ? "torch.nn.functional." + name.dropFirst(2) : name.hasPrefix("torch.") ? name : "torch." + name
            guard case .builtin(let b)? = s.interpreter.registry.lookup(path) else { XCTFail("no \(name)"); continue }
            let sig = b.signature
            let declared = sig.params.map(\.name) + (sig.varargs.map { [$0] } ?? []) + sig.keywordOnly.map(\.name)
            let out = run(s, "help(\(name))")
            XCTAssertTrue(out.contains("\nShape:\n"), name)
            XCTAssertTrue(out.contains("\nExample:\n    >>> "), name)
            guard let range = out.range(of: "\nParameters:\n") else { XCTAssertEqual(declared, [], name); continue }
            let section = out[range.upperBound...].prefix { _ in true }.components(separatedBy: "\n\n")[0]
            let documented = section.split(separator: "\n").filter { $0.hasPrefix("    ") && !$0.hasPrefix("        ") }
                .map { String($0.dropFirst(4).prefix { $0 != " " && $0 != ":" }) }
            XCTAssertEqual(documented, declared, name)
        }
    }

    /// The examples run: each `>>>` line in a fresh session, its output compared with the lines under it.
    func testEveryExampleRunsAndPrintsWhatItShows() {
        for name in Self.layers.map({ "nn." + $0 }) + Self.functionals {
            let s = Session()
            let out = run(Session(), "help(\(name))")
            guard let range = out.range(of: "\nExample:\n") else { XCTFail(name); continue }
            let lines = out[range.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
                .prefix { $0.hasPrefix("    ") }.map { String($0.dropFirst(4)) }
            var k = 0
            while k < lines.count {
                guard lines[k].hasPrefix(">>> ") else { XCTFail("\(name): stray line \(lines[k])"); break }
                let code = String(lines[k].dropFirst(4))
                k += 1
                var expected: [String] = []
                while k < lines.count, !lines[k].hasPrefix(">>> ") { expected.append(lines[k]); k += 1 }
                let got = run(s, code)
                XCTAssertEqual(got, expected.isEmpty ? "" : expected.joined(separator: "\n") + "\n", "\(name): \(code)")
            }
        }
    }

    func testHelpOfANamespaceListsEachNameWithItsLine() {
        let out = run(Session(), "help(nn)")
        XCTAssertTrue(out.hasPrefix("module torch.nn\n"), out)
        XCTAssertTrue(out.contains("\n    Conv2d              2-D convolution (cross-correlation) over an input of several planes.\n"), out)
        XCTAssertTrue(out.contains("\n    functional          module torch.nn.functional\n"), out)
        let optim = run(Session(), "help(optim)")
        XCTAssertTrue(optim.hasPrefix("module torch.optim\n"), optim)
    }
}
