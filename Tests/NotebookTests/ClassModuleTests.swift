import XCTest
import TestSupport

/// `class Net(nn.Module)` in the language behaves as a module: repr, calls,
/// parameters with dotted names, nesting in Sequential, plain attributes.
final class ClassModuleTests: XCTestCase {
    func testUserModule() throws {
        let code = """
        import torch
        from torch import nn
        import torch.nn.functional as F

        class Net(nn.Module):
            def __init__(self, hidden=8):
                super().__init__()
                self.conv = nn.Conv2d(1, 4, 3, padding=1)
                self.fc = nn.Linear(4 * 4 * 4, hidden)
                self.scale = nn.Parameter(torch.ones(1))
                self.k = 2

            def forward(self, x):
                x = F.relu(self.conv(x))
                return self.fc(x.flatten(1)) * self.scale * self.k

        net = Net()
        print(net)
        print(net(torch.zeros(2, 1, 4, 4)).shape)
        print([n for n, p in net.named_parameters()])
        print(sum(p.numel() for p in net.parameters()))
        print(nn.Sequential(Net(3), nn.ReLU())(torch.ones(1, 1, 4, 4)).shape)
        print(net.__class__.__name__, net.k, net.fc.bias.shape)
        """
        let r = try TensorpadBinary.run(["-c", code])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The same program under PyTorch 2.15 prints exactly this.
        XCTAssertEqual(r.stdout, """
        Net(
          (conv): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
          (fc): Linear(in_features=64, out_features=8, bias=True)
        )
        torch.Size([2, 8])
        ['scale', 'conv.weight', 'conv.bias', 'fc.weight', 'fc.bias']
        561
        torch.Size([1, 3])
        Net 2 torch.Size([8])

        """)
    }
}
