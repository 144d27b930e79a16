import XCTest
import Foundation
@testable import Lang

/// torch.save files given to Tensorpad's own `load_weights`, and what torch.save refuses.
final class SaveLoadFileTests: XCTestCase {
    func dir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("saveload-\(getpid())").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    func testLoadWeightsReadsATorchSaveFile() throws {
        let d = try dir()
        defer { try? FileManager.default.removeItem(atPath: d) }
        let out = try runProgram("""
        import torch
        from torch import nn
        net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
        with torch.no_grad():
            net[0].weight.fill_(0.5)
        torch.save(net.state_dict(), '\(d)/w.pt')
        other = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
        load_weights(other, '\(d)/w.pt')
        print(other[0].weight)
        save_npy(torch.ones(2), '\(d)/x.npy')
        load_weights(other, '\(d)/x.npy')
        """)
        XCTAssertTrue(out.hasPrefix("""
        Parameter containing:
        tensor([[0.5000, 0.5000, 0.5000],
                [0.5000, 0.5000, 0.5000]], requires_grad=True)
        IOError: \(d)/x.npy: safetensors:
        """), out)
    }

    func testTorchSaveRefusesModulesAndLoadRefusesOtherFiles() throws {
        let d = try dir()
        defer { try? FileManager.default.removeItem(atPath: d) }
        XCTAssertEqual(errorLine("import torch\ntorch.save(torch.nn.Linear(2, 2), '\(d)/m.pt')"),
                       "TypeError: torch.save: Tensorpad saves tensors, numbers, strings and lists, tuples and dicts of them; save model.state_dict(), not the model")
        XCTAssertEqual(errorLine("import torch\nsave_npy(torch.ones(2), '\(d)/x.npy')\ntorch.load('\(d)/x.npy')"),
                       "IOError: \(d)/x.npy: torch.load: not a PyTorch file (torch.save writes a zip archive; this file starts with neither 'PK' nor a pickle) at offset 0")
        XCTAssertEqual(errorLine("import torch\ntorch.load('\(d)/missing.pt')"),
                       "FileNotFoundError: [Errno 2] No such file or directory: '\(d)/missing.pt'")
    }

    func testDatasetsAreDatasets() throws {
        XCTAssertEqual(try runProgram("""
        import torch
        from torch.utils.data import Dataset, TensorDataset, Subset
        class D(Dataset):
            def __len__(self):
                return 3
        ds = TensorDataset(torch.zeros(2))
        print(isinstance(D(), Dataset), isinstance(ds, Dataset), isinstance(Subset(ds, [0]), Dataset), isinstance(3, Dataset))
        print(isinstance(ds, TensorDataset), type(ds).__name__)
        """), "True True True False\nTrue TensorDataset\n")
    }

    func testImportNeedsTheWholeModulePath() {
        XCTAssertEqual(errorLine("import torch.utils.nothing"), "ModuleNotFoundError: No module named 'torch.utils.nothing'")
        XCTAssertEqual(errorLine("import torch.utils.data as tud\nprint(tud.DataLoader)\nfrom torch.utils import data\nimport torchvision.transforms as T\nT.ToTensor"), "no error")
    }
}
