import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and atomic writes with errno-worded failures.
public enum FileIO {
    /// The bytes of the file at `path`.
    public static func read(path: String) throws -> Data {
        try FormatError.checkPath(path)
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw failure(errno, path) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw failure(errno, path) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw failure(EISDIR, path) }
        var out = Data()
        if st.st_size > 0 { out.reserveCapacity(Int(st.st_size)) }
        let chunk = 1 << 20
        var buf = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, chunk) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(errno, path)
            }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    /// Writes `data` to a temporary file next to `path`, flushes it, then renames it
    /// over `path`, so a failed or interrupted write leaves any old file whole.
    ///
    /// As `numpy.save` and `torch.save` (which open the target for writing): a symlink is
    /// written through to its target, a read-only file is refused (PermissionError), the
    /// old file's mode is kept; the temporary name is short, so any legal name fits.
    public static func writeAtomically(_ data: Data, path given: String) throws {
        try FormatError.checkPath(given)
        var path = given
        if let real = realpath(given, nil) { path = String(cString: real); free(real) }   // through symlinks
        var old = stat()
        let exists = stat(path, &old) == 0
        if exists, access(path, W_OK) != 0, errno == EACCES { throw failure(EACCES, given) }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let tmp = dir + "/.tp-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, exists ? old.st_mode & 0o7777 : 0o644)
        if fd < 0 { throw failure(errno, given) }
        if exists { fchmod(fd, old.st_mode & 0o7777) }   // the umask would otherwise narrow it
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        let err: Int32 = data.withUnsafeBytes { raw -> Int32 in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress.map { $0 + done }, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += n
            }
            return 0
        }
        if err != 0 { close(fd); throw failure(err, given) }
        if fsync(fd) != 0 { let e = errno; close(fd); throw failure(e, given) }
        if close(fd) != 0 { throw failure(errno, given) }
        if rename(tmp, path) != 0 { throw failure(errno, given) }
        ok = true
    }

    static func failure(_ code: Int32, _ path: String) -> FormatError {
        .io("[Errno \(code)] \(String(cString: strerror(code))): '\(path)'")
    }
}
