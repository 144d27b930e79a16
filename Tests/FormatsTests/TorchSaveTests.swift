import XCTest
import TensorCore
import TestSupport
@testable import Formats

/// torch.save / torch.load in PyTorch's zip format, against files real PyTorch wrote.
final class TorchSaveTests: XCTestCase {
    func pairs(_ v: PickleValue) -> [(key: PickleValue, value: PickleValue)] {
        switch v {
        case .dict(let p), .orderedDict(let p): return p
        default: XCTFail("not a dict: \(v)"); return []
        }
    }

    func lookup(_ v: PickleValue, _ key: String) -> PickleValue? {
        pairs(v).first { if case .string(key) = $0.key { return true }; return false }?.value
    }

    func expectedArrays() throws -> [String: Tensor] {
        Dictionary(try NPZ.load(path: Fixture.path("torch_expected.npz")), uniquingKeysWith: { a, _ in a })
    }

    func testLoadsPyTorchStateDict() throws {
        let v = try TorchSave.load(path: Fixture.path("torch_state_dict.pt"))
        guard case .orderedDict(let items) = v else { return XCTFail("expected an OrderedDict, got \(v)") }
        let expected = try expectedArrays()
        let names = items.compactMap { if case .string(let s) = $0.key { return s }; return nil }
        XCTAssertEqual(names, ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                               "1.num_batches_tracked", "4.weight", "4.bias"])
        for (k, value) in items {
            guard case .string(let name) = k, case .tensor(let t) = value else { return XCTFail("bad item \(k)") }
            guard let e = expected["sd." + name] else { return XCTFail("no expected \(name)") }
            XCTAssertEqual(t.dtype, name == "1.num_batches_tracked" ? .int64 : .float32, name)
            assertValues(t, e, tol: 0, name)
        }
        guard case .tensor(let n)? = lookup(v, "1.num_batches_tracked") else { return XCTFail() }
        XCTAssertEqual(try n.item(), 1)
    }

    func testLoadsNestedOptimiserLikeState() throws {
        let v = try TorchSave.load(path: Fixture.path("torch_nested.pt"))
        let expected = try expectedArrays()
        guard case .dict(let state)? = lookup(v, "state"), case .dict(let p0)? = state.first?.value,
              case .int(0)? = state.first?.key else { return XCTFail("state: \(v)") }
        let inner = PickleValue.dict(p0)
        guard case .tensor(let step)? = lookup(inner, "step"), case .tensor(let avg)? = lookup(inner, "exp_avg"),
              case .tensor(let sq)? = lookup(inner, "exp_avg_sq") else { return XCTFail("inner: \(inner)") }
        XCTAssertEqual(step.shape, []); XCTAssertEqual(try step.item(), 3)
        assertValues(avg, expected["nested.exp_avg"]!, tol: 0)
        assertValues(sq, expected["nested.exp_avg_sq"]!, tol: 0)
        guard case .list(let groups)? = lookup(v, "param_groups"), case .dict(let g)? = groups.first else { return XCTFail() }
        let group = PickleValue.dict(g)
        guard case .float(let lr)? = lookup(group, "lr"), case .tuple(let betas)? = lookup(group, "betas"),
              case .bool(false)? = lookup(group, "amsgrad"), case .list(let params)? = lookup(group, "params"),
              case .none? = lookup(group, "name"), case .int(0)? = lookup(group, "weight_decay") else { return XCTFail("group \(group)") }
        XCTAssertEqual(lr, 0.001)
        guard case .float(0.9) = betas[0], case .float(0.999) = betas[1], case .int(0) = params[0] else { return XCTFail() }
        guard case .int(7)? = lookup(v, "epoch"), case .string("héllo")? = lookup(v, "note"),
              case .int(1 << 40)? = lookup(v, "big"), case .int(-123456789012)? = lookup(v, "neg") else { return XCTFail("\(v)") }
    }

    func testViewsShareOneStorage() throws {
        let v = try TorchSave.load(path: Fixture.path("torch_views.pt"))
        guard case .tensor(let base)? = lookup(v, "base"), case .tensor(let slice)? = lookup(v, "slice"),
              case .tensor(let t)? = lookup(v, "t"), case .tensor(let mask)? = lookup(v, "mask"),
              case .tensor(let long)? = lookup(v, "long") else { return XCTFail("\(v)") }
        XCTAssertTrue(base.sharesStorage(with: slice) && base.sharesStorage(with: t))
        XCTAssertEqual(slice.toFloats(), [2, 3, 4])
        XCTAssertEqual(t.shape, [4, 3]); XCTAssertEqual(t.strides, [1, 4])
        XCTAssertEqual(t.toFloats(), [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        XCTAssertEqual(mask.dtype, .bool); XCTAssertEqual(mask.toFloats().filter { $0 == 1 }.count, 6)
        XCTAssertEqual(long.toInt64s(), [-2, -1, 0, 1])
        guard case .tensor(let single) = try TorchSave.load(path: Fixture.path("torch_tensor.pt")) else { return XCTFail() }
        XCTAssertEqual(single.toFloats(), [-1, -0.5, 0, 0.5, 1])
    }

    func testRoundTripKeepsValuesSharingAndLayout() throws {
        let base = try Tensor((0..<12).map { Float($0) }, shape: [12])
        let tr = try base.view([3, 4]).transpose(0, 1)
        let value = PickleValue.orderedDict([
            (.string("w"), .tensor(tr)), (.string("b"), .tensor(try base.slice(dim: 0, start: 3, stop: 6))),
            (.string("i"), .tensor(try Tensor(ints: [5, -6, 1 << 40], shape: [3]))),
            (.string("meta"), .dict([(.int(0), .list([.float(0.5), .none, .bool(true), .string("x"), .int(-70000), .int(-(1 << 50))])),
                                     (.string("t"), .tuple([.int(1), .int(2), .int(3), .int(4)]))])),
        ])
        let path = Fixture.tmp("round.pt")
        try TorchSave.save(value, path: path)
        let back = try TorchSave.load(path: path)
        guard case .tensor(let w)? = lookup(back, "w"), case .tensor(let b)? = lookup(back, "b"),
              case .tensor(let i)? = lookup(back, "i"), case .dict(let meta)? = lookup(back, "meta") else { return XCTFail("\(back)") }
        XCTAssertEqual(w.toFloats(), tr.toFloats()); XCTAssertEqual(w.strides, [1, 4])
        XCTAssertTrue(w.sharesStorage(with: b)); XCTAssertEqual(b.toFloats(), [3, 4, 5])
        XCTAssertEqual(i.toInt64s(), [5, -6, 1 << 40])
        guard case .list(let l) = meta[0].value, case .float(0.5) = l[0], case .none = l[1], case .bool(true) = l[2],
              case .string("x") = l[3], case .int(-70000) = l[4], case .int(-(1 << 50)) = l[5],
              case .tuple(let t) = meta[1].value, t.count == 4 else { return XCTFail("\(meta)") }
    }

    func testArchiveLayoutIsPyTorchs() throws {
        let path = Fixture.tmp("layout.pt")
        try TorchSave.save(.dict([(.string("a"), .tensor(Tensor.scalar(1.5)))]), path: path)
        let data = try FileIO.read(path: path)
        let r = ByteReader(data, format: "zip")
        let members = try NPZ.centralDirectory(r)
        XCTAssertEqual(members.map(\.name), ["layout/data.pkl", "layout/.format_version", "layout/.storage_alignment",
                                             "layout/byteorder", "layout/data/0", "layout/version", "layout/.data/serialization_id"])
        for m in members {
            XCTAssertEqual(m.method, 0, "stored, not compressed")
            let (_, start) = try NPZ.memberBytes(r, m)
            XCTAssertEqual(start % 64, 0, "\(m.name) aligned to 64 bytes")
        }
        XCTAssertTrue(TorchSave.looksLikeTorchFile(data))
    }

    func testOtherFilesGetClearErrors() throws {
        let junk = Fixture.tmp("junk.pt")
        try FileIO.writeAtomically(Data("hello world".utf8), path: junk)
        XCTAssertThrowsError(try TorchSave.load(path: junk)) { e in
            XCTAssertEqual("\(e)", "\(junk): torch.load: not a PyTorch file (torch.save writes a zip archive; this file starts with neither 'PK' nor a pickle) at offset 0")
        }
        XCTAssertThrowsError(try TorchSave.load(path: Fixture.path("arrays_stored.npz"))) { e in
            XCTAssertTrue("\(e)".contains("a zip archive but not a PyTorch file: no data.pkl member"), "\(e)")
        }
        let legacy = Fixture.tmp("legacy.pt")
        try FileIO.writeAtomically(Data([0x80, 0x02, 0x8A, 0x0A]), path: legacy)
        XCTAssertThrowsError(try TorchSave.load(path: legacy)) { e in XCTAssertTrue("\(e)".contains("legacy format"), "\(e)") }
        // A pickle naming a global outside weights_only's list is refused by name, before anything runs.
        let pickle: [UInt8] = [0x80, 2, 0x63] + Array("os\nsystem\n".utf8) + [0x58, 2, 0, 0, 0] + Array("ls".utf8) + [0x85, 0x52, 0x2E]
        let evil = Fixture.tmp("evil.pt")
        try FileIO.writeAtomically(try TorchSave.zip([("archive/data.pkl", pickle)]), path: evil)
        XCTAssertThrowsError(try TorchSave.load(path: evil)) { e in
            XCTAssertTrue("\(e)".contains("torch.load: unsupported global 'os.system': Tensorpad loads what torch.load(weights_only=True) allows"), "\(e)")
            XCTAssertTrue("\(e)".contains("(in archive/data.pkl, which starts at offset 64)"), "\(e)")
        }
    }

    /// A file Tensorpad writes loads in real PyTorch with weights_only=True.
    func testPyTorchLoadsTensorpadsFile() throws {
        let python = try TorchPython.path()
        defer { unlink(Fixture.tmp("for_torch.pt")) }
        let w = try Tensor((0..<6).map { Float($0) / 4 }, shape: [2, 3])
        let path = Fixture.tmp("for_torch.pt")
        try TorchSave.save(.orderedDict([
            (.string("fc.weight"), .tensor(w)), (.string("fc.weight_t"), .tensor(try w.transpose(0, 1))),
            (.string("bn.num_batches_tracked"), .tensor(Tensor.scalar(int: 12))),
            (.string("mask"), .tensor(try Tensor(bools: [true, false], shape: [2]))),
            (.string("f64"), .tensor(try Tensor([1.5, -2], shape: [2]).to(.float64))),
            (.string("u8"), .tensor(try Tensor(ints: [0, 7, 255], shape: [3]).to(.uint8))),
            (.string("i32"), .tensor(try Tensor(ints: [-3], shape: [1]).to(.int32))),
            (.string("f16"), .tensor(try Tensor([0.5], shape: [1]).to(.float16))),
            (.string("empty"), .tensor(try Tensor(zeros: [2, 0]))),
            (.string("expanded"), .tensor(try Tensor([1, 2], shape: [2]).expand([3, 2]))),
            (.string("opt"), .dict([(.string("lr"), .float(0.01)), (.string("betas"), .tuple([.float(0.9), .float(0.999)])),
                                    (.string("params"), .list([.int(0), .int(1)])), (.string("big"), .int(-(1 << 40))),
                                    (.string("name"), .none)])),
        ]), path: path)
        let out = try TorchPython.run(python, """
        import torch
        sd = torch.load(\(TorchPython.literal(path)), weights_only=True)
        for k, v in sd.items():
            print(k, v if not isinstance(v, torch.Tensor) else (v.dtype, tuple(v.shape), v.stride(), v.flatten().tolist()))
        print(sd['fc.weight'].data_ptr() == sd['fc.weight_t'].data_ptr())
        """)
        XCTAssertEqual(out, """
        fc.weight (torch.float32, (2, 3), (3, 1), [0.0, 0.25, 0.5, 0.75, 1.0, 1.25])
        fc.weight_t (torch.float32, (3, 2), (1, 3), [0.0, 0.75, 0.25, 1.0, 0.5, 1.25])
        bn.num_batches_tracked (torch.int64, (), (), [12])
        mask (torch.bool, (2,), (1,), [True, False])
        f64 (torch.float64, (2,), (1,), [1.5, -2.0])
        u8 (torch.uint8, (3,), (1,), [0, 7, 255])
        i32 (torch.int32, (1,), (1,), [-3])
        f16 (torch.float16, (1,), (1,), [0.5])
        empty (torch.float32, (2, 0), (1, 1), [])
        expanded (torch.float32, (3, 2), (0, 1), [1.0, 2.0, 1.0, 2.0, 1.0, 2.0])
        opt {'lr': 0.01, 'betas': (0.9, 0.999), 'params': [0, 1], 'big': -1099511627776, 'name': None}
        True

        """)
    }
}

