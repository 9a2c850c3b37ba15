/// The covenant as loaded from `Policies/`: validated, immutable, evaluated many times.
/// Everything here carries the article it comes from.
public struct CovenantPolicy: Sendable {
    public var info: CovenantInfo
    public var partyKinds: [PartyKindInfo]
    public var parties: [Party]
    public var accessions: [Accession]
    public var purposes: [Purpose]
    public var phases: [Phase]
    public var fields: [FieldInfo]
    public var bases: [BasisRule]
    public var specialCategoryBasis: LegalBasis
    /// The bases a disclosure rests on when the sender invokes a conflict of duties with a
    /// written professional justification instead of consent (art. 6.1 sub e).
    public var conflictOfDuties: ConflictOfDutiesBasis
    public var forums: [ForumRule]
    public var table: ThuiszitterstafelTable
    public var consent: ConsentPolicy
    /// Fields that need consent on one flow, whatever the basis (verzuimprotocol 5.5.2).
    public var fieldConsents: [FieldConsentRule]
    public var scope: ScopePolicy
    public var retention: RetentionPolicy
    public var rules: [RuleDefinition]

    public func kindInfo(_ kind: PartyKind) -> PartyKindInfo {
        partyKinds.first { $0.kind == kind }!
    }
    public func fieldInfo(_ field: Field) -> FieldInfo { fields[field.index] }
    public func forumRule(_ forum: Forum) -> ForumRule { forums.first { $0.forum == forum }! }
    public func rule(_ id: RuleID) -> RuleDefinition { rules.first { $0.id == id }! }
}

public struct CovenantInfo: Sendable {
    public var id: String
    public var title: String
    public var source: String
    public var version: String
    public var article: String
}

public struct PartyKindInfo: Sendable {
    public var kind: PartyKind
    public var label: String
    /// False for `derde`: not a party (art. 1.5, art. 14).
    public var isParty: Bool
    /// True for jeugdhulpaanbieders: a party only after accession (art. 18).
    public var accessionRequired: Bool
    public var article: String
    public var roles: [RoleInfo]
}

public struct RoleInfo: Sendable {
    public var role: PartyRole
    public var label: String
    public var isDefault: Bool
    public var article: String
}

/// An organisation named in the covenant's preamble (or acceded under art. 18).
public struct Party: Sendable {
    public var id: String
    public var kind: PartyKind
    public var name: String
    public var seat: String
    public var schools: [String]
    public var article: String
}

/// An accession of a jeugdhulpaanbieder (art. 18.1–18.3, Bijlage 1).
public struct Accession: Sendable {
    public var party: String
    public var name: String
    public var approvedOn: String
    public var signedOn: String
    public var notifiedOn: String
    public var article: String
}

public struct Purpose: Sendable {
    public var id: String
    public var text: String
    public var article: String
}

/// A phase of a case (art. 3.4, Bijlage 3) and the purposes of art. 3.1 it serves: strict
/// purpose binding per phase (art. 3.4 sub a). Which purposes a phase serves is policy data.
public struct Phase: Sendable {
    public var id: String
    public var label: String
    /// Purpose ids (`3.1.a` …) this phase serves.
    public var purposes: [String]
    public var article: String
}

public struct FieldInfo: Sendable {
    public var field: Field
    public var label: String
    public var category: FieldCategory
    public var article: String
}

/// A legal basis for one sending kind towards some recipients in some forums (art. 4).
public struct BasisRule: FlowRule, Sendable {
    public var id: String
    public var sender: PartySpec
    public var recipients: [PartySpec]
    public var forums: Set<Forum>
    public var basis: LegalBasis
    /// The basis covers only fields for which a valid consent is held (art. 4.4, 6.1 sub b).
    public var consentRequired: Bool

}

/// A rule about one flow: a sender kind[/role] towards some recipients, in some forums.
protocol FlowRule {
    var sender: PartySpec { get }
    var recipients: [PartySpec] { get }
    var forums: Set<Forum> { get }
}

extension FlowRule {
    func applies(sender: PartyRef, recipient: PartyRef, forum: Forum) -> Bool {
        self.sender.matches(sender) && forums.contains(forum)
            && recipients.contains { $0.matches(recipient) }
    }
}

/// Fields that go on one flow (sender → recipients, in some forums) only with consent of the
/// givers its age bands name, whatever basis would otherwise carry them (`fieldConsents` in
/// Policies/rules.yaml): verzuimprotocol 5.5.2, the professionals' contact details (art. 5.1
/// sub e) from the school to the leerplichtambtenaar.
public struct FieldConsentRule: FlowRule, Sendable {
    /// The rule's name in a withheld citation, e.g. `guardianship-needs-consent`.
    public var id: String
    public var fields: FieldSet
    public var sender: PartySpec
    public var recipients: [PartySpec]
    public var forums: Set<Forum>
    /// Who consents at which age on this flow; its article is the rule's.
    public var consent: ConsentPolicy
    public var article: String
    public var reason: String

    public var citation: RuleCitation { RuleCitation(rule: id, article: article, reason: reason) }
}

public enum IdentityRule: String, Sendable, CaseIterable {
    /// Always anonymous/pseudonymous (Bijlage 3.1 sub 4).
    case never
    /// Identity may go, subject to the other rules.
    case allowed
    /// The thuiszitterstafel table decides (protocol ch. 5).
    case table
}

public struct ForumRoute: Sendable {
    public var from: PartySpec
    public var to: PartySpec
    public var article: String
}

/// A forum of Bijlage 3 (or the DUO melding, or art. 5.6): who takes part and what may go.
public struct ForumRule: Sendable {
    public var forum: Forum
    public var label: String
    public var article: String
    public var participants: [PartySpec]
    public var routes: [ForumRoute]
    public var fields: FieldSet
    public var fieldsArticle: String
    public var identity: IdentityRule
    public var identityArticle: String?
    public var informingRequired: Bool
    public var informingArticle: String?
    public var questionConsentRequired: Bool

    /// Both take part, or a route allows this sender to this recipient.
    func admits(sender: PartyRef, recipient: PartyRef) -> Bool {
        if participants.contains(where: { $0.matches(sender) })
            && participants.contains(where: { $0.matches(recipient) }) {
            return true
        }
        return routes.contains { $0.from.matches(sender) && $0.to.matches(recipient) }
    }
}

/// What the thuiszitterstafel table asks before a participant discusses a pupil by name.
public enum TableRequirement: String, Sendable, CaseIterable {
    case notify
    case consent
    case duo
    case duoOrConsent = "duo-or-consent"
}

public struct ThuiszitterstafelTable: Sendable {
    public struct Column: Sendable {
        public var id: String
        public var senders: [PartySpec]
    }
    public struct Row: Sendable {
        public var caseType: String
        public var label: String
        /// One requirement per column, in column order.
        public var requirements: [TableRequirement]
    }
    public var article: String
    public var columns: [Column]
    public var rows: [Row]

    func column(for sender: PartyRef) -> Int? {
        columns.firstIndex { $0.senders.contains { $0.matches(sender) } }
    }
    func row(for caseType: String?) -> Row? {
        guard let caseType else { return nil }
        return rows.first { $0.caseType == caseType }
    }
}

/// Who must give consent at which age (fn 28 at art. 13.1; ch. 10).
public struct ConsentPolicy: Sendable {
    public struct Band: Sendable {
        public var fromAge: Int
        public var toAge: Int?
        public var required: ConsentGiverSet
    }
    /// How many days before a consent's end date its holder is told (the covenant's consent
    /// rule only; nil for the age bands of a `fieldConsents` flow).
    public struct EndNotice: Sendable {
        public var daysBefore: Int
        public var article: String
    }
    public var article: String
    public var bands: [Band]
    public var endNotice: EndNotice?

    public init(article: String, bands: [Band], endNotice: EndNotice? = nil) {
        self.article = article
        self.bands = bands
        self.endNotice = endNotice
    }

    public func requiredGivers(age: Int) -> ConsentGiverSet? {
        bands.first { age >= $0.fromAge && age <= ($0.toAge ?? Int.max) }?.required
    }
}

/// Who counts as a thuiszitter by age (art. 1.11, 1.13).
public struct ScopePolicy: Sendable {
    public var fromAge: Int
    public var toAge: Int
    public var article: String

    /// Whether a pupil of this age (whole years) is a thuiszitter by age.
    public func contains(age: Int) -> Bool { age >= fromAge && age <= toAge }
}

/// Closure and retention (art. 5.5, art. 9).
public struct RetentionPolicy: Sendable {
    public struct ClosureReason: Sendable {
        public var id: String
        public var article: String
    }
    public var closureReasons: [ClosureReason]
    public var destroyWithinMonths: Int
    public var destroyArticle: String
    public var anonymisedMayBeKept: Bool
    public var anonymisedArticle: String
}

public struct RuleDefinition: Sendable {
    public var id: RuleID
    public var article: String
    public var reason: String

    public var citation: RuleCitation {
        RuleCitation(rule: id.rawValue, article: article, reason: reason)
    }
}

/// Art. 6.1 sub e: when consent is not obtained, each party weighs by its own professional
/// standards whether a conflict of duties, or good care, demands the disclosure. The
/// covenant's explanation of art. 4 names it: secrecy may be broken "als sprake is bedreiging
/// van een vitaal belang van betrokkene of van derden (conflict van plichten)". Policy data:
/// the basis for ordinary fields and the art. 9(2) exception for special-category data.
public struct ConflictOfDutiesBasis: Sendable {
    public var basis: LegalBasis
    public var specialBasis: LegalBasis
}
