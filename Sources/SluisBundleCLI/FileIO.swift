public import Glibc

/// Whole-file reads and writes with one copy: `Data` → `[UInt8]` would copy a 16 MiB bundle
/// twice more than needed.
public enum FileIO {
    /// Writes all of `bytes` to an open descriptor (standard output: 1, standard error: 2).
    /// - Returns: false when the descriptor refused (a closed pipe, a full disk).
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer, descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }

    public static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw CLIFailure("cannot read \(path)") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw CLIFailure("cannot read \(path)") }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw CLIFailure("cannot read \(path)") }
            offset += count
        }
        return bytes
    }

    /// Writes `bytes` to a new file beside `path` and renames it into place, so a reader never
    /// sees half a file. `mode` applies to the new file. Not fsync'd, like `openssl cms -out`:
    /// after a power loss the file may be missing (never half), and the caller writes it again.
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t = 0o644) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw CLIFailure("cannot create \(path)") }
        guard write(bytes, descriptor: descriptor) else {
            close(descriptor)
            unlink(temporary)
            throw CLIFailure("cannot write \(path)")
        }
        guard close(descriptor) == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CLIFailure("cannot write \(path)")
        }
    }
}
