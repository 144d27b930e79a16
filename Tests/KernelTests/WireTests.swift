import Foundation
import XCTest
@testable import Kernel

/// Framing and signing, against values Python's `hmac` computed
/// (`hmac.new(b"secret-key", b"".join(frames), hashlib.sha256).hexdigest()`).
final class WireTests: XCTestCase {
    let frames = [#"{"msg_id":"a"}"#, "{}", "{}", #"{"code":"1+1"}"#].map { Data($0.utf8) }

    func testSignatureMatchesPythonHMAC() {
        let signer = Signer(key: "secret-key")
        XCTAssertEqual(String(decoding: signer.sign(frames), as: UTF8.self),
                       "712005a3ddfac00ddc4b5e88335391b3a6ee2873954746371defcd8f11725fad")
    }

    func testDecodeChecksTheSignatureAndKeepsIdentities() throws {
        let signer = Signer(key: "secret-key")
        var m = Message(header: ["msg_id": "a", "msg_type": "execute_request"])
        m.identities = [Data("client-1".utf8)]
        m.content = ["code": "1+1"]
        let frames = try Wire.encode(m, signer: signer)
        XCTAssertEqual(frames[1], Data("<IDS|MSG>".utf8))
        let back = try Wire.decode(frames, signer: signer)
        XCTAssertEqual(back.identities, [Data("client-1".utf8)])
        XCTAssertEqual(back.type, "execute_request")
        XCTAssertEqual(back.content["code"] as? String, "1+1")

        XCTAssertThrowsError(try Wire.decode(frames, signer: Signer(key: "other"))) { XCTAssertEqual($0 as? WireError, .badSignature) }
        var unsigned = frames
        unsigned[2] = Data()
        XCTAssertThrowsError(try Wire.decode(unsigned, signer: signer)) { XCTAssertEqual($0 as? WireError, .badSignature) }
        var tampered = frames
        tampered[6] = Data(#"{"code":"import os"}"#.utf8)
        XCTAssertThrowsError(try Wire.decode(tampered, signer: signer)) { XCTAssertEqual($0 as? WireError, .badSignature) }
        XCTAssertThrowsError(try Wire.decode(Array(frames.prefix(5)), signer: signer)) { XCTAssertEqual($0 as? WireError, .tooFewFrames) }
        XCTAssertThrowsError(try Wire.decode([Data("x".utf8)], signer: signer)) { XCTAssertEqual($0 as? WireError, .noDelimiter) }
    }

    func testConnectionFileEndpointsAndErrors() throws {
        let json = #"{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,"#
            + #" "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256"}"#
        let c = try ConnectionFile.parse(Data(json.utf8))
        XCTAssertEqual(c.endpoint(c.shellPort), "tcp://127.0.0.1:5001")
        XCTAssertEqual(c.key, "k")
        var ipc = c
        ipc.transport = "ipc"
        ipc.ip = "/tmp/kernel"
        XCTAssertEqual(ipc.endpoint(5005), "ipc:///tmp/kernel-5005")
        XCTAssertThrowsError(try ConnectionFile.parse(Data(json.replacingOccurrences(of: "hmac-sha256", with: "hmac-md5").utf8))) {
            XCTAssertEqual("\($0)", "<connection file>: signature_scheme 'hmac-md5' is not supported (hmac-sha256)")
        }
        XCTAssertThrowsError(try ConnectionFile.parse(Data(json.replacingOccurrences(of: #""hb_port": 5005,"#, with: "").utf8))) {
            XCTAssertEqual("\($0)", "<connection file>: hb_port must be a port number")
        }
    }
}
