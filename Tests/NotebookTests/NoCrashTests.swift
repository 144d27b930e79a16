import XCTest
import TestSupport

/// Bad input ends in an error with a kind and a location, never in a trap: each snippet
/// exits with status 1 and a `Kind: message` line (`succeeding` lists the two that Python
/// and PyTorch run without error). Issue 17's corpus with exact messages is HostileInputTests.
final class NoCrashTests: XCTestCase {
    let snippets = [
        "torch.zeros(-1)", "x = torch.ones(3)\nx[::-1]", "torch.ones(6).reshape(0, -1)", "torch.zeros(2**62, 2**62)",
        "nn.Conv2d(0, 0, 0)", "torch.arange(0, 1e30)", "torch.arange(0, float('inf'))", "torch.arange(0, 10, 0)",
        "nn.MaxPool2d(0)(torch.ones(1, 1, 4, 4))", "nn.AvgPool2d(2, stride=0)(torch.ones(1, 1, 4, 4))",
        "torch.linspace(0, 1, -3)", "torch.randint(5, 2, (3,))", "torch.eye(-2)", "torch.ones(1, 1, 5, 5)[0, 0, 9]",
        "nn.AdaptiveAvgPool2d(-3)(torch.ones(1, 1, 4, 4))", "torch.ones(2, 3).sum(dim=(0, 0))",
        "F.pad(torch.ones(1, 1, 2, 2), (5, 5), mode='reflect')", "torch.cat([])", "F.softmax(torch.ones(2), dim=3)",
        "int(torch.tensor(1e30))", "int(torch.tensor(float('nan')))", "x = torch.ones(3)\nx[1] = torch.ones(2)",
        "torch.ones(2**31, 2**31, 2)", "nn.BatchNorm2d(3)(torch.ones(2, 4, 3, 3))",
        "F.max_unpool2d(torch.ones(1, 1, 2, 2), torch.tensor([[[[100, 0], [0, 0]]]]), 2)",
        "F.nll_loss(torch.ones(2, 3), torch.tensor([0.5, 1.0]))", "torch.tensor([[1, 2], [3]])",
        "nn.Conv2d(1, 1, 3, stride=2**62)(torch.ones(1, 1, 4, 4))", "nn.Conv2d(1, 1, 3, padding=2**62)(torch.ones(1, 1, 4, 4))",
        "torch.ones(3)[10**20]", "range(10**18)[10**17]", "[0] * (2**62)", "'a' * (2**62)",
        "torch.ones(2, 2).permute(0, 0)", "torch.ones(2).expand(-5)", "torch.ones(2, 2)[..., ..., 0]",
        "nn.Linear(2**40, 2**40)", "torch.ones(3).view(-1, -1)", "x = torch.ones(2, 3)\nx.T.view(6)",
        "nn.Sequential()[5]", "torch.ones(4, 4)[torch.tensor([9])]", "torch.set_printoptions(precision=-3)\nprint(torch.ones(2) / 3)",
    ]
    let succeeding: Set<String> = ["range(10**18)[10**17]", "torch.set_printoptions(precision=-3)\nprint(torch.ones(2) / 3)"]

    func testNoSnippetTraps() throws {
        for code in snippets {
            let r = try TensorpadBinary.run(["-c", code], timeout: 60)
            XCTAssertFalse(r.signalled || r.timedOut, "\(code.debugDescription): \(r.stderr)")
            XCTAssertEqual(r.status, succeeding.contains(code) ? 0 : 1, "\(code.debugDescription): \(r.stderr)")
            if r.status == 1 {
                let first = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
                XCTAssertNotNil(first.range(of: #"^[A-Za-z]+Error: |^KeyboardInterrupt"#, options: .regularExpression),
                                "\(code.debugDescription): \(first)")
                XCTAssertTrue(r.stderr.contains("  --> <string>:"), "\(code.debugDescription) has no location: \(r.stderr)")
            }
        }
    }
}
