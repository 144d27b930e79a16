import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes whole files through a temporary name and a rename, so a failed or
/// interrupted write leaves any old file whole.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if fd < 0 { throw failure(errno, path) }
        var done = false
        defer { if !done { unlink(tmp) } }
        let err: Int32 = data.withUnsafeBytes { raw -> Int32 in
            var written = 0
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress.map { $0 + written }, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return 0
        }
        if err != 0 { close(fd); throw failure(err, path) }
        if fsync(fd) != 0 { let e = errno; close(fd); throw failure(e, path) }
        if close(fd) != 0 { throw failure(errno, path) }
        if rename(tmp, path) != 0 { throw failure(errno, path) }
        done = true
    }

    /// The bytes of the file at `path`, or `FormatError.io` with the system's reason.
    public static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                throw FormatError.io(isDir.boolValue ? "\(path): Is a directory" : "\(path): cannot be read")
            }
            throw FormatError.io("\(path): No such file or directory")
        }
    }

    private static func failure(_ code: Int32, _ path: String) -> FormatError {
        .io("\(path): \(String(cString: strerror(code)))")
    }
}
