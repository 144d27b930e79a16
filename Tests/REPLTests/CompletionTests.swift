import Foundation
import XCTest
import Lang
import Notebook
@testable import REPL

/// The completion engine on a live session, without a terminal.
final class CompletionTests: XCTestCase {
    static let session: Session = {
        let s = Session()
        s.onOutput = { _ in }
        for cell in ["net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten())",
                     "x = torch.zeros(2, 3)",
                     "learning_rate = 0.1",
                     "layers = [nn.Linear(2, 3), nn.ReLU()]",
                     "class Box:\n    def __init__(self, size, color=1):\n        self.size = size\n    def area(self):\n        return self.size\n",
                     "box = Box(3)",
                     "def train_step(batch, lr=0.01, momentum=0.9):\n    return batch\n",
                     "config = {'learning_rate': 0.1, 'layers': 3, 7: 'seven'}",
                     "class Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv1 = nn.Conv2d(1, 4, 3)\n    def forward(self, x):\n        return self.conv1(x)\n",
                     "model = Model()"] {
            _ = s.run(cell)
        }
        return s
    }()

    /// The candidates for `line` with the cursor at its end, and the replaced word.
    func complete(_ line: String) -> (word: String, candidates: [String]) {
        let r = Completion.complete(line: line, cursor: line.count, session: Self.session)
        return (String(line.dropFirst(r.start)), r.candidates)
    }

    func testNamesFromSessionBuiltinsAndKeywords() {
        let r = complete("learn")
        XCTAssertEqual(r.word, "learn")
        XCTAssertEqual(r.candidates, ["learning_rate"])
        XCTAssertTrue(complete("pri").candidates.contains("print"))
        XCTAssertTrue(complete("whi").candidates.contains("while"))
        XCTAssertTrue(complete("y = ne").candidates.contains("net"))
        XCTAssertTrue(complete("tra").candidates.contains("train_step"))
    }

    func testTorchNamespace() {
        let r = complete("torch.ze")
        XCTAssertEqual(r.word, "ze")
        XCTAssertTrue(r.candidates.contains("zeros"), "\(r.candidates)")
        XCTAssertTrue(r.candidates.allSatisfy { $0.hasPrefix("ze") })
    }

    func testLayerNames() {
        let r = complete("conv = nn.Conv")
        XCTAssertEqual(r.word, "Conv")
        XCTAssertTrue(r.candidates.contains("Conv2d"), "\(r.candidates)")
        XCTAssertTrue(r.candidates.contains("ConvTranspose2d"), "\(r.candidates)")
        XCTAssertFalse(r.candidates.contains("Linear"))
    }

    /// Issue 12: the recurrent and attention layers complete by name, by keyword and by attribute.
    func testRecurrentAndAttentionLayers() {
        XCTAssertEqual(complete("nn.LS").candidates, ["LSTM", "LSTMCell"])
        XCTAssertEqual(complete("nn.ConvTranspose").candidates, ["ConvTranspose1d", "ConvTranspose2d"])
        XCTAssertEqual(complete("nn.Multi").candidates, ["MultiheadAttention"])
        XCTAssertTrue(complete("F.scaled").candidates.contains("scaled_dot_product_attention"))
        XCTAssertEqual(complete("nn.LSTM(10, 20, batch").candidates.first, "batch_first=")
        XCTAssertEqual(complete("nn.MultiheadAttention(8, 2, batch").candidates.first, "batch_first=")
        let s = Session()
        s.onOutput = { _ in }
        _ = s.run("lstm = nn.LSTM(4, 8)\nmha = nn.MultiheadAttention(8, 2)")
        func names(_ line: String) -> [String] { Completion.complete(line: line, cursor: line.count, session: s).candidates }
        XCTAssertEqual(names("lstm.hid"), ["hidden_size"])
        XCTAssertTrue(names("lstm.").contains("weight_ih_l0"), "\(names("lstm."))")
        XCTAssertEqual(names("mha.num_"), ["num_heads"])
        XCTAssertTrue(names("mha.").contains("out_proj"), "\(names("mha."))")
    }

    func testFunctional() {
        let r = complete("y = F.re")
        XCTAssertTrue(r.candidates.contains("relu"), "\(r.candidates)")
    }

    func testModuleMethodsAndChildren() {
        let r = complete("net.")
        XCTAssertEqual(r.word, "")
        for m in ["eval", "train", "parameters", "training"] {
            XCTAssertTrue(r.candidates.contains(m), "\(m) missing from \(r.candidates)")
        }
        XCTAssertFalse(r.candidates.contains("0"), "indices are not attributes")
        XCTAssertEqual(complete("net.ev").candidates, ["eval"])
        // a child's own attributes, reached by indexing without running code
        let w = complete("net[0].we")
        XCTAssertEqual(w.candidates, ["weight"])
        XCTAssertTrue(complete("net[0].").candidates.contains("kernel_size"))
    }

    func testSequentialIndices() {
        let r = complete("net[")
        XCTAssertEqual(r.word, "")
        XCTAssertEqual(r.candidates, ["0", "1", "2"])
        XCTAssertEqual(complete("layers[").candidates, ["0", "1"])
        XCTAssertTrue(complete("layers[0].").candidates.contains("in_features"))
    }

    func testTensorAttributes() {
        let r = complete("x.sh")
        XCTAssertEqual(r.word, "sh")
        XCTAssertEqual(r.candidates, ["shape"])
        let all = complete("x.").candidates
        for m in ["dtype", "reshape", "sum", "T"] { XCTAssertTrue(all.contains(m), "\(m) missing") }
        XCTAssertTrue(complete("x.T.resh").candidates.contains("reshape"))
    }

    func testInstanceAttributes() {
        let r = complete("box.")
        XCTAssertTrue(r.candidates.contains("size"))
        XCTAssertTrue(r.candidates.contains("area"))
    }

    func testKeywordNamesInsideCall() {
        let r = complete("conv = nn.Conv2d(3, 8, ker")
        XCTAssertEqual(r.word, "ker")
        XCTAssertEqual(r.candidates.first, "kernel_size=")
        let p = complete("nn.Conv2d(3, 8, 3, pad").candidates
        XCTAssertTrue(p.contains("padding="))
        XCTAssertTrue(p.contains("padding_mode="))
        // keywords already given are not offered again; user functions and classes too
        XCTAssertFalse(complete("nn.Conv2d(3, 8, kernel_size=3, ker").candidates.contains("kernel_size="))
        XCTAssertEqual(complete("train_step(b, mom").candidates.first, "momentum=")
        XCTAssertEqual(complete("Box(1, col").candidates.first, "color=")
        // a nested call: the innermost one counts
        XCTAssertTrue(complete("print(nn.Linear(2, 3, bi").candidates.contains("bias="))
    }

    func testPathsInsideStrings() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-complete-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Notebooks"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir.appendingPathComponent("Notebooks/01-conv.tpad").path, contents: Data())
        FileManager.default.createFile(atPath: dir.appendingPathComponent("weights.npy").path, contents: Data())
        let old = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(dir.path)
        defer {
            FileManager.default.changeCurrentDirectoryPath(old)
            try? FileManager.default.removeItem(at: dir)
        }
        let r = complete("a = load_npy(\"Notebo")
        XCTAssertEqual(r.word, "Notebo")
        XCTAssertEqual(r.candidates, ["Notebooks/"])
        let inner = complete("a = load_npy('Notebooks/01")
        XCTAssertEqual(inner.word, "01")
        XCTAssertEqual(inner.candidates, ["01-conv.tpad"])
        XCTAssertEqual(complete("%run Notebooks/").candidates, ["01-conv.tpad"])
        XCTAssertEqual(complete("w = \"we").candidates, ["weights.npy"])
    }

    func testNeverRunsCode() {
        // a call in the chain is not followed, and nothing is printed or changed
        XCTAssertEqual(complete("train_step(x).").candidates, [])
        XCTAssertEqual(complete("print('hi').").candidates, [])
        XCTAssertEqual(Self.session.executionCount, 10)   // the set-up cells only
    }

    func testMagicsAndIndent() {
        XCTAssertEqual(complete("%ti").candidates, ["%time", "%timeit"])
        XCTAssertEqual(complete("    ").candidates, ["    "])
        XCTAssertEqual(complete("x = 1  # net.").candidates, [])
    }

    func testAdjustToLibeditWord() {
        let line = Array("y = torch.ze")
        // libedit's word is `torch.ze`; the completer replaces `ze`
        XCTAssertEqual(LineEditor.adjust(["zeros"], line: line, wordStart: 10, word: "torch.ze"), ["torch.zeros"])
        let path = Array("f(\"Notebooks/01-co")
        // libedit breaks at '-': its word is `co`, the completer's `01-co`
        XCTAssertEqual(LineEditor.adjust(["01-conv.tpad"], line: path, wordStart: 13, word: "co"), ["conv.tpad"])
    }

    // MARK: issue 14: only what works, live chains, dict keys

    /// Keywords come from the parser: the ones it refuses are not offered.
    func testOnlyKeywordsTheParserAccepts() {
        XCTAssertTrue(complete("tr").candidates.contains("try"), "\(complete("tr").candidates)")
        XCTAssertFalse(complete("yie").candidates.contains("yield"))
        XCTAssertFalse(complete("asy").candidates.contains("async"))
        XCTAssertTrue(complete("lam").candidates.contains("lambda"))
        XCTAssertTrue(complete("el").candidates.contains("elif"))
    }

    func testLineAndCellMagics() {
        XCTAssertEqual(complete("%ti").candidates, ["%time", "%timeit"])
        XCTAssertEqual(complete("%%ti").candidates, ["%%time", "%%timeit"])
        XCTAssertEqual(complete("%%wr").candidates, ["%%writefile"])
        XCTAssertTrue(complete("%p").candidates.contains("%pwd"))
    }

    func testAttributeChainOfALiveModel() {
        let r = complete("model.conv1.")
        XCTAssertTrue(r.candidates.contains("weight"), "\(r.candidates)")
        XCTAssertTrue(r.candidates.contains("kernel_size"), "\(r.candidates)")
        XCTAssertTrue(complete("model.conv1.weight.sh").candidates == ["shape"], "\(complete("model.conv1.weight.sh").candidates)")
    }

    func testDictionaryKeysInsideTheSubscriptString() {
        let r = complete("config['le")
        XCTAssertEqual(r.word, "le")
        XCTAssertEqual(r.candidates, ["learning_rate']"])
        XCTAssertEqual(complete("config[\"la").candidates, ["layers\"]"])
        XCTAssertEqual(Set(complete("config['").candidates), ["learning_rate']", "layers']"])
        XCTAssertTrue(complete("config[7").candidates.isEmpty || complete("config[7").candidates == ["7"])
    }
}
