import Foundation
import Formats

/// The kernelspec that tells Jupyter how to start Tensorpad:
/// `DIR/kernels/NAME/kernel.json` in one of Jupyter's data directories.
public enum KernelSpec {
    /// Where `install` writes: `--user`, `--prefix DIR`, or the system-wide directory.
    public enum Location {
        case user, prefix(String), system
    }

    /// `kernel.json` for the binary at `binary`.
    public static func json(binary: String) -> Data {
        let spec: JSONObject = [
            "argv": [binary, "kernel", "-f", "{connection_file}"],
            "display_name": "Tensorpad",
            "language": "python",
            "interrupt_mode": "message",
            "metadata": ["debugger": false] as JSONObject,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return data + Data("\n".utf8)
    }

    /// Jupyter's per-user data directory (`JUPYTER_DATA_DIR`, else `$XDG_DATA_HOME/jupyter`, else `~/.local/share/jupyter`).
    static var userDataDir: String {
        let env = ProcessInfo.processInfo.environment
        if let d = env["JUPYTER_DATA_DIR"], !d.isEmpty { return d }
        if let x = env["XDG_DATA_HOME"], !x.isEmpty { return x + "/jupyter" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.local/share/jupyter"
    }

    static func kernelsDir(_ location: Location) -> String {
        switch location {
        case .user: return userDataDir + "/kernels"
        case .prefix(let p): return p + "/share/jupyter/kernels"
        case .system: return "/usr/local/share/jupyter/kernels"
        }
    }

    /// Every directory Jupyter searches for kernelspecs, in its order.
    static var searchPath: [String] {
        let env = ProcessInfo.processInfo.environment
        var dirs = (env["JUPYTER_PATH"] ?? "").split(separator: ":").map { String($0) + "/kernels" }
        dirs.append(kernelsDir(.user))
        if let venv = env["VIRTUAL_ENV"], !venv.isEmpty { dirs.append(kernelsDir(.prefix(venv))) }
        dirs += ["/usr/local/share/jupyter/kernels", "/usr/share/jupyter/kernels"]
        var seen = Set<String>()
        return dirs.filter { seen.insert($0).inserted }
    }

    /// Writes the kernelspec; returns its directory.
    public static func install(binary: String, location: Location, name: String) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw KernelError("kernel name '\(name)' may only hold letters, digits, '-', '_' and '.'")
        }
        let dir = kernelsDir(location) + "/" + name
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try FileIO.writeAtomically(json(binary: binary), path: dir + "/kernel.json")
        } catch {
            var hint = ""
            if case .system = location { hint = " (try --user, or --prefix DIR)" }
            throw KernelError("cannot write the kernelspec in \(dir): \(error.localizedDescription)\(hint)")
        }
        return dir
    }

    /// An installed Tensorpad kernelspec.
    public struct Installed: Equatable {
        public let name: String
        public let directory: String
        public let binary: String
    }

    /// The Tensorpad kernelspecs Jupyter would find (argv `BINARY kernel -f {connection_file}`).
    public static func list() -> [Installed] {
        var out: [Installed] = []
        let fm = FileManager.default
        for dir in searchPath {
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() {
                let path = dir + "/" + name
                guard let bin = tensorpadBinary(specAt: path) else { continue }
                if !out.contains(where: { $0.name == name }) { out.append(Installed(name: name, directory: path, binary: bin)) }
            }
        }
        return out
    }

    /// Removes the kernelspec NAME (only if it is a Tensorpad one); returns the directory removed.
    public static func remove(name: String, location: Location?) throws -> String {
        let path: String
        if let location {
            path = kernelsDir(location) + "/" + name
        } else {
            guard let found = list().first(where: { $0.name == name }) else {
                throw KernelError("no Tensorpad kernelspec named '\(name)' (see `tensorpad kernel list`)")
            }
            path = found.directory
        }
        guard tensorpadBinary(specAt: path) != nil else {
            throw KernelError("\(path) is not a Tensorpad kernelspec")
        }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw KernelError("cannot remove \(path): \(error.localizedDescription)")
        }
        return path
    }

    /// The binary a kernelspec directory starts, if it is Tensorpad's.
    static func tensorpadBinary(specAt dir: String) -> String? {
        guard let data = FileManager.default.contents(atPath: dir + "/kernel.json"),
              let spec = (try? JSONSerialization.jsonObject(with: data)) as? JSONObject,
              let argv = spec["argv"] as? [String], argv.count == 4,
              Array(argv[1...]) == ["kernel", "-f", "{connection_file}"],
              (argv[0] as NSString).lastPathComponent.hasPrefix("tensorpad") else { return nil }
        return argv[0]
    }

    /// This process's binary, absolute (what `install` writes into `argv`).
    public static var currentBinary: String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        let arg0 = CommandLine.arguments.first ?? "tensorpad"
        return URL(fileURLWithPath: arg0).standardizedFileURL.path
    }
}
