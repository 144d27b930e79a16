import Foundation

/// The file-system queries and directory changes of Python's `os` and `os.path`
/// (files themselves are written through `FileIO`, atomically).
public enum FileSystem {
    public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    public static func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }

    public static func isFile(_ path: String) -> Bool { exists(path) && !isDirectory(path) }

    /// `os.listdir`: names in the directory (in the order the system gives them).
    public static func list(_ path: String) throws -> [String] {
        guard exists(path) else { throw FileIO.failure(ENOENT, path) }
        guard isDirectory(path) else { throw FileIO.failure(ENOTDIR, path) }
        do { return try FileManager.default.contentsOfDirectory(atPath: path) } catch { throw FileIO.failure(EACCES, path) }
    }

    /// `os.makedirs(path, exist_ok=)`.
    public static func makeDirectories(_ path: String, existOK: Bool) throws {
        if exists(path) {
            if existOK && isDirectory(path) { return }
            throw FileIO.failure(EEXIST, path)
        }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw FileIO.failure(EACCES, path)
        }
    }

    /// `os.mkdir(path)`.
    public static func makeDirectory(_ path: String) throws {
        if exists(path) { throw FileIO.failure(EEXIST, path) }
        if mkdir(path, 0o777) != 0 { throw FileIO.failure(errno, path) }
    }

    public static func remove(_ path: String) throws {
        if unlink(path) != 0 { throw FileIO.failure(errno, path) }
    }

    public static var currentDirectory: String { FileManager.default.currentDirectoryPath }

    public static func changeDirectory(_ path: String) throws {
        if chdir(path) != 0 { throw FileIO.failure(errno, path) }
    }

    public static func size(_ path: String) throws -> Int {
        var st = stat()
        if stat(path, &st) != 0 { throw FileIO.failure(errno, path) }
        return Int(st.st_size)
    }
}
