import Foundation

/// The connection file Jupyter writes for a kernel it starts: where to bind
/// the five sockets and the key that signs every message.
public struct ConnectionFile: Equatable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    public var key: String
    public var signatureScheme: String

    /// Reads and checks the file; the error names what is wrong in it.
    public static func read(path: String) throws -> ConnectionFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KernelError("cannot read the connection file \(path)")
        }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String = "<connection file>") throws -> ConnectionFile {
        guard let obj = try? JSONSerialization.jsonObject(with: data), let d = obj as? [String: Any] else {
            throw KernelError("\(path) is not a JSON object")
        }
        func port(_ k: String) throws -> Int {
            guard let p = d[k] as? Int, (0...65535).contains(p) else { throw KernelError("\(path): \(k) must be a port number") }
            return p
        }
        let c = ConnectionFile(
            transport: d["transport"] as? String ?? "tcp",
            ip: d["ip"] as? String ?? "127.0.0.1",
            shellPort: try port("shell_port"), iopubPort: try port("iopub_port"),
            stdinPort: try port("stdin_port"), controlPort: try port("control_port"),
            hbPort: try port("hb_port"),
            key: d["key"] as? String ?? "",
            signatureScheme: d["signature_scheme"] as? String ?? "hmac-sha256")
        guard c.transport == "tcp" || c.transport == "ipc" else {
            throw KernelError("\(path): transport '\(c.transport)' is not supported (tcp or ipc)")
        }
        guard c.signatureScheme == "hmac-sha256" else {
            throw KernelError("\(path): signature_scheme '\(c.signatureScheme)' is not supported (hmac-sha256)")
        }
        return c
    }

    /// `tcp://127.0.0.1:PORT`, or `ipc://IP-PORT` as jupyter_client names IPC endpoints.
    public func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}

/// An error the kernel reports on stderr before it exits (status 2 at start-up).
public struct KernelError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
