public import SluisRegister
import SluisCovenant
import SluisStore

/// One disclosure on a conflict of duties as the sending party's FG reviews it.
public struct JustifiedDisclosureView: Sendable, Codable, Equatable {
    public var disclosureId: String
    /// The disclosure's register entry, which carries the mark.
    public var registerIndex: Int64
    public var time: String
    public var sender: String
    /// The delegate who disclosed and wrote the justification (the entry's `senderUser`).
    public var senderUser: String
    public var recipient: String
    public var recipientRole: String?
    public var forum: String
    public var purpose: String
    /// The pupil's register pseudonym (never a name or BSN).
    public var subject: String?
    public var released: [String]
    /// The fields released only because of the conflict of duties (the register's mark).
    public var overridden: [String]
    /// The bases as on the register ("gdpr; law…; article").
    public var basis: [String]
    /// The written professional justification (art. 6.1 sub e), decrypted for the FG.
    public var justification: String
}

/// A page of them, oldest first; `next` is the `after` of the following page, nil at the end.
public struct JustifiedDisclosurePage: Sendable, Codable, Equatable {
    public var disclosures: [JustifiedDisclosureView]
    public var next: Int64?
}

extension Gateway {
    /// At most this many justifications per page: each read is an entry on the register.
    public static let justificationPage = 100

    /// The FG's review of its own party's disclosures on a conflict of duties (convenant art. 6.1
    /// sub e; art. 15.2–15.3), with their written justifications. Interpretation: the FG reads
    /// the text — art. 6.1 sub e asks a written weighing so that it can be checked, art. 15.2
    /// gives the FG "inzage in enige andere informatie" as far as its supervision needs, and AVG
    /// art. 38 lid 5 binds it to secrecy. Only the sending party's FG: whether the conflict was
    /// weighed well is that party's compliance (art. 15.3); the recipient's FG sees the marked
    /// entry in its register view, not the text. Every read is on the register before anything is
    /// shown: one `inspect` entry for the page, and one `read-justification` entry per
    /// justification, with the pupil's register pseudonym (one subject per entry, LDV §Gedrag).
    /// `after`: a register index (exclusive); `limit`: 1–100.
    public func conflictOfDutiesDisclosures(after: Int64?, limit: Int, by principal: Principal, trace: TraceContext) async throws -> JustifiedDisclosurePage {
        try await authorize(.reviewConflictsOfDuties, principal, subject: "register", trace: trace)
        let limit = min(max(1, limit), Self.justificationPage)
        let rows = try await store.justifiedDisclosures(sender: principal.party, after: after, limit: limit + 1)
        let page = rows.prefix(limit)
        let entries = try await register.entries(page.map { $0.disclosure.registerIndex })
        var views: [JustifiedDisclosureView] = [], reads: [RegisterEntry] = []
        for (disclosure, justification) in page {
            guard let entry = entries[disclosure.registerIndex], !entry.conflictOfDuties.isEmpty else {
                throw GatewayError.unavailable(.storedDataDamaged, "a disclosure on a conflict of duties has no marked register entry")
            }
            views.append(JustifiedDisclosureView(
                disclosureId: disclosure.id, registerIndex: entry.index, time: entry.time, sender: disclosure.sender,
                senderUser: justification.writtenBy, recipient: disclosure.recipient, recipientRole: disclosure.recipientRole?.rawValue,
                forum: disclosure.forum.rawValue, purpose: disclosure.purpose, subject: entry.subject, released: entry.released,
                overridden: entry.conflictOfDuties, basis: entry.basis,
                justification: try open(justification.textCipher, context: ProfessionalJustification.context(disclosure: disclosure.id))))
            reads.append(inspection("read-justification", basis: [Self.reviewBasis, "verantwoording bij register entry \(entry.index)"],
                                    subject: entry.subject, by: principal, trace: trace))
        }
        let next = rows.count > limit ? views.last?.registerIndex : nil
        let filter = (after.map { "na=\($0);" } ?? "") + "max=\(limit)"
        let summary = inspection(basis: [Self.reviewBasis, "filter: \(filter); weergave: conflict-van-plichten; getoond: \(views.count)"],
                                 by: principal, trace: trace)
        try await registerBatch([summary] + reads)
        return JustifiedDisclosurePage(disclosures: views, next: next)
    }

    static let reviewBasis = "6(1)(c); AVG art. 39; convenant art. 6.1 sub e, art. 15.2"
}
