import Foundation

/// The body of a C2SP tlog-witness `add-checkpoint` request (§add-checkpoint):
///
///     old <size>
///     <consistency proof hash, base64>   (0 to 63 lines)
///
///     <signed checkpoint>
public struct AddCheckpoint: Sendable, Equatable {
    /// tlog-witness §add-checkpoint: a client MUST NOT send more than 63 proof lines.
    public static let maxProofLines = 63
    /// Larger than any request we make (63 hashes and a checkpoint with 64 signatures).
    public static let maxBodyBytes = 64 * 1024

    public var oldSize: Int64
    public var proof: [[UInt8]]
    /// The signed checkpoint, verbatim (with its signature lines).
    public var checkpoint: String

    public init(oldSize: Int64, proof: [[UInt8]], checkpoint: String) {
        self.oldSize = oldSize
        self.proof = proof
        self.checkpoint = checkpoint
    }

    public var text: String {
        (["old \(oldSize)"] + proof.map { Data($0).base64EncodedString() }).joined(separator: "\n") + "\n\n" + checkpoint
    }

    /// Parses strictly; every deviation is a `WitnessRefusal.malformed` (400) naming it.
    public static func parse(_ body: String) throws(WitnessRefusal) -> AddCheckpoint {
        guard let blank = body.range(of: "\n\n") else { throw .malformed("no empty line between the old size and proof lines and the checkpoint") }
        let head = body[..<blank.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        let checkpoint = String(body[blank.upperBound...])
        guard let first = head.first, first.hasPrefix("old "), let old = Int64(first.dropFirst(4)), old >= 0, String(old) == first.dropFirst(4) else {
            throw .malformed("the first line is not \"old <size>\" (ASCII decimal, no leading zeroes)")
        }
        let lines = head.dropFirst()
        guard lines.count <= maxProofLines else { throw .malformed("more than \(maxProofLines) consistency proof lines") }
        var proof: [[UInt8]] = []
        for line in lines {
            guard let hash = Data(base64Encoded: String(line)), hash.count == 32, hash.base64EncodedString() == line else {
                throw .malformed("a consistency proof line is not a base64 SHA-256 hash")
            }
            proof.append(Array(hash))
        }
        return AddCheckpoint(oldSize: old, proof: proof, checkpoint: checkpoint)
    }
}

/// Why a witness does not cosign, with the HTTP status tlog-witness §add-checkpoint gives it.
public enum WitnessRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400: the body or the checkpoint is malformed, or the old size exceeds the new.
    case malformed(String)
    /// 404: the witness follows no log with this origin.
    case unknownLog(String)
    /// 403: no signature by the log's key verifies.
    case forged(String)
    /// 409: the old size is not the size of the witness's latest checkpoint (that size is
    /// returned), or the sizes are equal and the roots differ (`fork` is set).
    case conflict(size: Int64, fork: Bool)
    /// 422: the consistency proof from the witness's checkpoint to the new one does not verify.
    case inconsistent(String)

    public var status: Int {
        switch self {
        case .malformed: 400
        case .unknownLog: 404
        case .forged: 403
        case .conflict: 409
        case .inconsistent: 422
        }
    }

    public var description: String {
        switch self {
        case .malformed(let what): "malformed add-checkpoint request: \(what) — tlog-witness §add-checkpoint"
        case .unknownLog(let origin): "this witness follows no log \"\(origin)\" — tlog-witness §add-checkpoint"
        case .forged(let what): "the checkpoint's log signature does not hold: \(what) — tlog-witness §add-checkpoint"
        case .conflict(let size, true): "the checkpoint has the size of the witness's latest (\(size)) but another root hash: the log forked or was rewound — tlog-witness §add-checkpoint"
        case .conflict(let size, false): "the old size does not match the witness's latest checkpoint, of size \(size) — tlog-witness §add-checkpoint"
        case .inconsistent(let what): "the consistency proof does not verify: \(what) — tlog-witness §add-checkpoint, RFC 6962 §2.1.2"
        }
    }
}
