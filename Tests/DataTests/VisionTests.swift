import XCTest
import TensorCore
import Formats
import TestSupport
@testable import Data

/// Fashion-MNIST from Debian's package (which `make` installs), MNIST from a
/// torchvision layout, and the transforms, against torchvision's output.
final class VisionTests: XCTestCase {
    func expected(_ name: String) throws -> [String: Tensor] { try Fixture.npz(name) }

    func testFashionMNISTFromTheDebianPackage() throws {
        let root = Fixture.tmp("no-such-root")
        let train = try MNISTDataset(kind: .fashion, root: root, train: true)
        let test = try MNISTDataset(kind: .fashion, root: root, train: false)
        XCTAssertEqual(train.folder, "/usr/share/datasets/fashion-mnist")
        XCTAssertEqual(try train.count(), 60000)
        XCTAssertEqual(try test.count(), 10000)
        XCTAssertEqual(train.imageShape, [28, 28])
        let e = try expected("fashion_first.npz")
        let data = try train.data()
        XCTAssertEqual(data.shape, [60000, 28, 28])
        assertValues(try data.narrow(dim: 0, start: 0, length: 3), e["train_images"]!, tol: 0, "first images")
        assertValues(try train.targets().narrow(dim: 0, start: 0, length: 20), e["train_labels"]!, tol: 0, "train labels")
        assertValues(try test.targets().narrow(dim: 0, start: 0, length: 20), e["test_labels"]!, tol: 0, "test labels")
        guard case .tuple(let item) = try test.item(0) else { return XCTFail() }
        assertValues(try tensor(item[0]), e["test_image"]!, tol: 0, "test image 0")
        guard case .int(let label) = item[1] else { return XCTFail("label \(item[1])") }
        XCTAssertEqual(Int64(label), e["test_labels"]!.toInt64s()[0])
        XCTAssertEqual(MNISTDataset.Kind.fashion.classes[9], "Ankle boot")
    }

    func testFashionMNISTPrefersTorchvisionsLayoutAndSaysWhatIsMissing() throws {
        let root = Fixture.tmp("fm-root")
        let raw = root + "/FashionMNIST/raw"
        try FileManager.default.createDirectory(atPath: raw, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        for f in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"] {
            try FileManager.default.copyItem(atPath: Fixture.path("mnist/MNIST/raw/\(f).gz"), toPath: "\(raw)/\(f).gz")
        }
        let d = try MNISTDataset(kind: .fashion, root: root, train: true)
        XCTAssertEqual(d.folder, raw)
        XCTAssertEqual(try d.count(), 3)
        XCTAssertThrowsError(try MNISTDataset(kind: .mnist, root: root, train: true, download: true)) { e in
            XCTAssertEqual("\(e)", "Dataset not found in \(root)/MNIST/raw. download=True cannot fetch it: Tensorpad has no network access. Put the IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-...) there, plain or .gz.")
        }
        XCTAssertThrowsError(try MNISTDataset(kind: .fashion, root: root, train: false, download: true, systemDirectory: root)) { e in
            XCTAssertTrue("\(e)".hasSuffix("download=True cannot fetch it: Tensorpad has no network access. Install Debian's package dataset-fashion-mnist (`apt-get install dataset-fashion-mnist`; `make` installs it) or put the IDX files there."), "\(e)")
        }
    }

    func testMNISTFromTorchvisionsLayout() throws {
        let root = Fixture.path("mnist")
        let e = try expected("mnist_expected.npz")
        let train = try MNISTDataset(kind: .mnist, root: root, train: true)   // gzipped files
        let test = try MNISTDataset(kind: .mnist, root: root, train: false)   // plain files
        assertValues(try train.data(), e["train_data"]!, tol: 0, "train data")
        assertValues(try train.targets(), e["train_targets"]!, tol: 0, "train targets")
        assertValues(try test.data(), e["test_data"]!, tol: 0, "test data")
        assertValues(try test.targets(), e["test_targets"]!, tol: 0, "test targets")
        XCTAssertEqual(train.repr, "Dataset MNIST\n    Number of datapoints: 3\n    Root location: \(root)\n    Split: Train")
        train.transform = Compose([ToTensor()])
        XCTAssertEqual(train.repr, """
        Dataset MNIST
            Number of datapoints: 3
            Root location: \(root)
            Split: Train
            StandardTransform
        Transform: Compose(
                       ToTensor()
                   )
        """)
        guard case .tuple(let item) = try train.item(1) else { return XCTFail() }
        let x = try tensor(item[0])
        XCTAssertEqual(x.shape, [1, 4, 5]); XCTAssertEqual(x.dtype, .float32)
        assertValues(x, try Tensor.binary(.div, try e["train_data"]!.select(dim: 0, index: 1).unsqueeze(0).to(.float32), Tensor.scalar(255)), tol: 1e-7)
    }

    /// A loader's batch built at once equals the items, transformed and stacked one by one.
    func testWholeBatchesEqualStackedItems() throws {
        let d = try MNISTDataset(kind: .fashion, root: Fixture.tmp("none"), train: false,
                                 transform: Compose([ToTensor(), try Normalize(mean: [0.2860], std: [0.3530], repr: "")]))
        let idx = [5, 0, 9999, -1, 42]
        guard case .list(let fast)? = try d.collatedBatch(idx) else { return XCTFail("no whole batch") }
        let slow = try Collate.collate(try idx.map { try d.item(at: $0) })
        guard case .list(let ref) = slow else { return XCTFail() }
        XCTAssertEqual(try tensor(fast[0]).shape, [5, 1, 28, 28])
        assertValues(try tensor(fast[0]), try tensor(ref[0]), tol: 0, "images")
        assertValues(try tensor(fast[1]), try tensor(ref[1]), tol: 0, "labels")
        d.transform = nil
        guard case .list(let raw)? = try d.collatedBatch(idx) else { return XCTFail() }
        XCTAssertEqual(try tensor(raw[0]).dtype, .uint8)
        assertValues(try tensor(raw[0]), try tensor(try Collate.collate(try idx.map { try d.image($0 < 0 ? $0 + 10000 : $0) }.map { .tensor($0) })), tol: 0)
        d.transform = RandomHorizontalFlip(p: 0.5)
        XCTAssertNil(try d.collatedBatch(idx), "random transforms go item by item")
        d.transform = nil
        XCTAssertThrowsError(try d.collatedBatch([10000])) { e in
            XCTAssertEqual(e as? DataError, .index("index 10000 is out of bounds for dimension 0 with size 10000"))
        }
    }

    func image() throws -> Sample {
        let img = try NPY.load(path: Fixture.path("image.npy"))   // |u1 bytes
        return .tensor(try Pixels.fromFloat(try img.to(.float32)))
    }

    func testToTensorNormalizeFlipMatchTorchvision() throws {
        let e = try expected("transforms_expected.npz")
        let x = try tensor(try ToTensor().apply(try image()))
        assertValues(x, e["totensor"]!, tol: 0, "ToTensor")
        let n = try Normalize(mean: [0.2860], std: [0.3530], repr: "")
        assertValues(try tensor(try n.apply(.tensor(x))), e["normalized"]!, tol: 1e-6, "Normalize")
        let rgb = try Tensor.stack([try x.select(dim: 0, index: 0), try Tensor.binary(.mul, try x.select(dim: 0, index: 0), Tensor.scalar(0.5)),
                                    try Tensor.binary(.sub, Tensor.scalar(1), try x.select(dim: 0, index: 0))])
        let n3 = try Normalize(mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 0.125], repr: "")
        assertValues(try tensor(try n3.apply(.tensor(rgb))), e["rgb_normalized"]!, tol: 1e-6, "Normalize per channel")
        assertValues(try tensor(try RandomHorizontalFlip(p: 1).apply(.tensor(x))), e["hflip"]!, tol: 0, "flip")
        assertValues(try tensor(try RandomHorizontalFlip(p: 0).apply(.tensor(x))), x, tol: 0, "no flip")
        XCTAssertThrowsError(try ToTensor().apply(.tensor(x))) { e in
            XCTAssertEqual(e as? DataError, .type("pic should be PIL Image or ndarray. Got <class 'torch.Tensor'>"))
        }
        XCTAssertThrowsError(try n.apply(try image())) { e in
            XCTAssertEqual(e as? DataError, .type("Input tensor should be a float tensor. Got \(Pixels.dtype.torchName)."))
        }
    }

    func testResizeMatchesTorchvisionsAntialiasedBilinear() throws {
        let e = try expected("transforms_expected.npz")
        let x = try tensor(try ToTensor().apply(try image()))
        func resize(_ size: [Int], maxSize: Int? = nil, _ input: Tensor) throws -> Tensor {
            try tensor(try Resize(size: size, maxSize: maxSize, repr: "").apply(.tensor(input)))
        }
        assertValues(try resize([14], x), e["resize14"]!, tol: 2e-6, "Resize(14), shrinking")
        assertValues(try resize([40], x), e["resize40"]!, tol: 2e-6, "Resize(40), growing")
        assertValues(try resize([20, 33], x), e["resize_20x33"]!, tol: 2e-6, "Resize((20, 33))")
        assertValues(try resize([9], maxSize: 12, try x.narrow(dim: 2, start: 0, length: 20)), e["resize9_max"]!, tol: 2e-6, "max_size")
        // Bytes in, bytes out, as PIL's resize (which rounds in fixed point: within one level).
        assertValues(try tensor(try Resize(size: [14], maxSize: nil, repr: "").apply(try image())), e["pil_resize14"]!, tol: 1, "PIL-like")
    }

    func testRandomCropPadsAndCutsAWindow() throws {
        let x = try tensor(try ToTensor().apply(try image()))
        Generator.default.manualSeed(3)
        let crop = RandomCrop(height: 28, width: 28, padding: [4, 4, 4, 4], padIfNeeded: false, fill: 0, repr: "")
        var offsets = Set<[Int]>()
        for _ in 0..<20 {
            let y = try tensor(try crop.apply(.tensor(x)))
            XCTAssertEqual(y.shape, [1, 28, 28])
            // Find where the window sits in the padded image.
            let padded = try Crop.pad(x, hDim: 1, [4, 4, 4, 4], fill: 0)
            var found: [Int]?
            for i in 0...8 { for j in 0...8 where found == nil {
                let w = try padded.narrow(dim: 1, start: i, length: 28).narrow(dim: 2, start: j, length: 28)
                if w.toFloats() == y.toFloats() { found = [i, j] }
            } }
            guard let f = found else { return XCTFail("crop is not a window of the padded image") }
            offsets.insert(f)
        }
        XCTAssertGreaterThan(offsets.count, 5, "offsets vary")
        let big = RandomCrop(height: 30, width: 30, padding: [0, 0, 0, 0], padIfNeeded: false, fill: 0, repr: "")
        XCTAssertThrowsError(try big.apply(.tensor(x))) { e in
            XCTAssertEqual(e as? DataError, .value("Required crop size (30, 30) is larger than input image size (28, 28)"))
        }
        let needed = RandomCrop(height: 30, width: 29, padding: [0, 0, 0, 0], padIfNeeded: true, fill: 0, repr: "")
        XCTAssertEqual(try tensor(try needed.apply(.tensor(x))).shape, [1, 30, 29])
    }
}
