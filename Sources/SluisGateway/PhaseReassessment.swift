import SluisCovenant
import SluisStore

/// Art. 3.4 sub b: when a case moves to another phase, what was processed before is re-assessed
/// first. Sluis lists, per recipient (party and, at a gemeente, role), the disclosures it received
/// about this case for a purpose the new phase no longer serves (the purposes per phase are policy
/// data, `Policies/purposes.yaml`). Only metadata: which disclosure, from whom, for which
/// purpose, which fields, when — never the content. Each sender keeps the say over its data
/// (art. 3.4 sub c); the list is what the participants re-assess.
public struct PhaseReassessment: Sendable, Codable, Equatable {
    /// The phase the case moved to.
    public var phase: String
    /// The purposes that phase serves.
    public var purposes: [String]
    public var recipients: [Recipient]
    public var article: String

    public struct Recipient: Sendable, Codable, Equatable {
        public var party: String
        public var role: String?
        public var disclosures: [Item]
    }

    /// One disclosure no longer covered: its id (the recipient's mailbox item), its sender, the
    /// purpose it was made for, the fields released, and when.
    public struct Item: Sendable, Codable, Equatable {
        public var id: String, sender: String, purpose: String, released: [String], sentAt: String
    }

    /// The disclosures of one case whose purpose `phase` does not serve, grouped by recipient in a
    /// stable order (party, role, then time).
    static func of(_ disclosures: [DisclosureRecord], phase: String, purposes: [String]) -> PhaseReassessment {
        let stale = disclosures.filter { !purposes.contains($0.purpose) }
            .sorted { ($0.recipient, $0.recipientRole?.rawValue ?? "", $0.created, $0.id) < ($1.recipient, $1.recipientRole?.rawValue ?? "", $1.created, $1.id) }
        var recipients: [Recipient] = []
        for record in stale {
            let item = Item(id: record.id, sender: record.sender, purpose: record.purpose, released: record.released.map(\.rawValue), sentAt: record.created)
            if let last = recipients.last, last.party == record.recipient, last.role == record.recipientRole?.rawValue {
                recipients[recipients.count - 1].disclosures.append(item)
            } else {
                recipients.append(Recipient(party: record.recipient, role: record.recipientRole?.rawValue, disclosures: [item]))
            }
        }
        return PhaseReassessment(phase: phase, purposes: purposes, recipients: recipients, article: "convenant art. 3.4 sub b")
    }
}
