/// The engine's answer: the contract's shape, and `overridden` (Sluis's own, not in the
/// contract's JSON).
public struct DecisionAnswer: Sendable, Hashable {
    public enum Decision: String, Sendable { case permit, deny }
    public enum Identity: String, Sendable { case identified, pseudonymised }

    public var decision: Decision
    public var identity: Identity
    /// Requested fields that may go, in request order.
    public var released: [String]
    /// Every requested field that may not go, each with the rule and article.
    public var withheld: [WithheldField]
    /// The legal bases the permit rests on (empty for deny).
    public var basis: [LegalBasis]
    /// For deny: every rule that blocked.
    public var reasons: [RuleCitation]
    /// Released fields that would have been withheld without the request's `conflictOfDuties`
    /// (art. 6.1 sub e): released only because of it, in request order; empty when it was not
    /// invoked or consent covered every released field. The gateway marks the register entry
    /// with these (docs/casework.md). Not part of the contract's answer JSON.
    public var overridden: [String]

    public init(decision: Decision, identity: Identity, released: [String], withheld: [WithheldField], basis: [LegalBasis],
                reasons: [RuleCitation], overridden: [String] = []) {
        self.overridden = overridden
        self.decision = decision
        self.identity = identity
        self.released = released
        self.withheld = withheld
        self.basis = basis
        self.reasons = reasons
    }
}

/// A rule as cited in an answer: its fixed name, the article it rests on and a reason in Dutch.
public struct RuleCitation: Sendable, Hashable {
    public var rule: String
    public var article: String
    public var reason: String

    public init(rule: String, article: String, reason: String) {
        self.rule = rule
        self.article = article
        self.reason = reason
    }
}

public struct WithheldField: Sendable, Hashable {
    public var field: String
    public var citation: RuleCitation

    public init(field: String, citation: RuleCitation) {
        self.field = field
        self.citation = citation
    }
}

/// A legal basis: GDPR ground, national law and the covenant article (art. 4).
public struct LegalBasis: Sendable, Hashable {
    public var gdpr: String
    public var law: [String]
    public var article: String

    public init(gdpr: String, law: [String], article: String) {
        self.gdpr = gdpr
        self.law = law
        self.article = article
    }
}
