import Foundation

/// An offline receipt for one register entry in the C2SP tlog-proof format
/// (https://c2sp.org/tlog-proof, §Format):
///
///     c2sp.org/tlog-proof@v1
///     extra <base64(the entry's canonical JSON)>
///     index <entry index>
///     <inclusion proof, one base64 SHA-256 hash per line, leaf's sibling first>
///
///     <the signed checkpoint, verbatim>
///
/// The extra data is the entry itself, so that the leaf hash SHA-256(0x00 ‖ extra) can be
/// recomputed; it is not trusted on its own (§Format: "MUST NOT implicitly trust") — it counts
/// only because its leaf hash, the proof and the signed checkpoint fit together.
public struct TLogProof: Sendable, Equatable {
    public static let header = "c2sp.org/tlog-proof@v1"

    public var extra: [UInt8]?
    public var index: Int64
    public var proof: [[UInt8]]
    /// The signed checkpoint (tlog-checkpoint), with its signature lines.
    public var checkpoint: String

    public init(extra: [UInt8]?, index: Int64, proof: [[UInt8]], checkpoint: String) {
        self.extra = extra
        self.index = index
        self.proof = proof
        self.checkpoint = checkpoint
    }

    /// §Format: header; optional `extra` line; `index` (ASCII decimal, no leading zeroes); the
    /// proof hashes (RFC 6962 §2.1.1 order, base64 per RFC 4648 §4); an empty line; the checkpoint.
    public var text: String {
        var lines = [Self.header]
        if let extra { lines.append("extra \(Data(extra).base64EncodedString())") }
        lines.append("index \(index)")
        lines += proof.map { Data($0).base64EncodedString() }
        return lines.joined(separator: "\n") + "\n\n" + checkpoint
    }
}
