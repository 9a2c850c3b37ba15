import Foundation
import SluisCovenant
import SluisRegister
import SluisStore

/// A thuiszitterstafel agenda or minutes version in a participant's mailbox (Bijlage 3.3 sub 4:
/// "Het verslag wordt beveiligd gemaild aan deelnemers"; art. 10: fetched from a secure
/// environment): the sealed bundle is fetched with `GET /v1/mailbox/{id}/bundle`.
public struct MeetingMailboxItem: Sendable, Codable, Equatable {
    public var id: String
    /// `agenda` or `minutes`.
    public var kind: String
    public var version: Int
    /// For a correction: this party's own delivery of the version it replaces.
    public var corrects: String?
    public var meeting: String
    public var purpose: String
    public var forum: String
    public var sender: String
    public var recipientRole: String?
    public var pupils: Int
    public var bundleDigest: String
    /// The first of its register entries (one per pupil).
    public var registerIndex: Int64
    public var created: String
    public var fetchedAt: String?
    public var acknowledgedAt: String?
}

/// What acknowledging a mailbox item answers: the disclosure's item, or the agenda's or minutes'.
public enum AcknowledgedItem: Sendable, Encodable, Equatable {
    case disclosure(MailboxItem)
    case meeting(MeetingMailboxItem)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .disclosure(let item): try item.encode(to: encoder)
        case .meeting(let item): try item.encode(to: encoder)
        }
    }
}

extension Gateway {
    static func item(_ delivery: TafelDeliveryRecord) -> MeetingMailboxItem {
        MeetingMailboxItem(id: delivery.id, kind: delivery.kind.rawValue, version: delivery.version, corrects: delivery.corrects,
                           meeting: delivery.meetingDate, purpose: delivery.purpose, forum: Forum.thuiszitterstafel.rawValue, sender: delivery.sender,
                           recipientRole: delivery.recipientRole?.rawValue, pupils: delivery.pupils, bundleDigest: delivery.bundleDigest,
                           registerIndex: delivery.registerIndex, created: delivery.created, fetchedAt: delivery.fetchedAt,
                           acknowledgedAt: delivery.acknowledgedAt)
    }

    /// The delivery `id` when it is one and is addressed to the principal's party and role;
    /// nil when no delivery has that id (then it may be a disclosure); 403/404 by the authority
    /// table otherwise, as for a disclosure.
    func tafelMailboxItem(_ id: String, _ action: GatewayAction, by principal: Principal, trace: TraceContext) async throws -> TafelDeliveryRecord? {
        try await authorizeRole(action, principal, subject: "disclosure", trace: trace)
        guard let delivery = try await store.tafelDelivery(id) else { return nil }
        let addressed = delivery.recipient == principal.party && delivery.recipientRole == receivingRole(principal)
        try await authorize(action, principal, relations: addressed ? [.addressee] : [], subject: "disclosure \(id)", trace: trace)
        return delivery
    }

    /// A fetch or acknowledgement of a delivery on the register: who, which bundle, how many
    /// pupils (none named: the send's entries name them), the send's first entry.
    func logMailbox(_ delivery: TafelDeliveryRecord, operation: String, principal: Principal, trace: TraceContext) async throws {
        let activity = activity(ProcessingActivities.disclosureID(.thuiszitterstafel))
        _ = try await registerEntry(RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: operation, sender: delivery.sender, actor: principal.delegateID, recipient: delivery.recipient,
            forum: Forum.thuiszitterstafel.rawValue, purpose: registered(purpose: delivery.purpose), decision: "none",
            basis: ["register entry \(delivery.registerIndex)"], policyHash: policyHash, bundleDigest: delivery.bundleDigest,
            recipientRole: delivery.recipientRole?.rawValue, parentSpanID: trace.parentSpanID, subjectCount: Int64(delivery.pupils)))
    }

    static func bytes(_ bundle: String) throws -> [UInt8] {
        guard let bytes = Data(base64Encoded: bundle) else { throw GatewayError.unavailable(.storedDataDamaged, "the stored bundle is damaged") }
        return Array(bytes)
    }
}
