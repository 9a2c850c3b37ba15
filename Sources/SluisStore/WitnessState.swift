import Foundation
public import SluisRegister
import SluisCrypto

/// Where a witness keeps, per log, the newest checkpoint it cosigned (C2SP tlog-witness
/// §add-checkpoint: "MUST persist the new checkpoint before responding"): one file per log in
/// a directory, named by SHA-256 of the origin, holding the log's signed checkpoint verbatim.
/// A write goes to a new file that is fsynced and renamed into place, then the directory is
/// fsynced: after a crash the file is the old checkpoint or the new one, never half of either.
public struct WitnessState: Sendable {
    public let directory: String

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Opens (creating if needed, mode 0700) the state directory.
    public init(directory: String) throws(Failure) {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch { throw Failure(description: "cannot create the witness state directory \(directory)") }
        } else if !isDirectory.boolValue {
            throw Failure(description: "\(directory) is not a directory")
        }
        self.directory = directory
    }

    func path(_ origin: String) -> String {
        directory + "/" + Hex.encode((try? SHA256.hash(Array(origin.utf8))) ?? []) + ".checkpoint"
    }

    /// The newest checkpoint held for `origin` (its signed text), or nil when none is. A file
    /// that does not parse as a checkpoint of that origin fails: the witness must not start
    /// over from zero on a damaged state (that would let a rewound log through).
    public func latest(_ origin: String) throws(Failure) -> (checkpoint: Checkpoint, signed: String)? {
        let path = path(origin)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Failure(description: "cannot read the witness state \(path)")
        }
        guard let checkpoint = try? Checkpoint.parse(text), checkpoint.origin == origin else {
            throw Failure(description: "the witness state \(path) holds no checkpoint of \(origin): damaged, refusing to start over")
        }
        return (checkpoint, text)
    }

    /// Stores `signed` as the newest checkpoint of `origin`, durably (see the type).
    public func store(_ signed: String, origin: String) throws(Failure) {
        let path = path(origin)
        let temporary = path + ".new"
        let bytes = Array(signed.utf8)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw Failure(description: "cannot write \(temporary)") }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        guard close(descriptor) == 0, written == bytes.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Failure(description: "cannot write \(path)")
        }
        let folder = open(directory, O_RDONLY)
        defer { if folder >= 0 { close(folder) } }
        guard folder >= 0, fsync(folder) == 0 else { throw Failure(description: "cannot sync \(directory)") }
    }
}
