/// A sender or recipient as the decision request names it: a kind, an optional role and
/// whether its accession is complete (art. 18).
public struct PartyRef: Sendable, Hashable {
    public var kind: PartyKind
    /// The role as given; `effectiveRole` applies the gemeente's default (leerplicht).
    public var role: PartyRole?
    /// False for a jeugdhulpaanbieder whose accession (art. 18, Bijlage 1) is not complete.
    public var joined: Bool

    public init(kind: PartyKind, role: PartyRole? = nil, joined: Bool = true) {
        self.kind = kind
        self.role = role
        self.joined = joined
    }

    /// The gemeente acts as leerplichtambtenaar unless another role is named (contract).
    public var effectiveRole: PartyRole? {
        if let role { return role }
        return kind == .gemeente ? .leerplicht : nil
    }
}

/// A reference to a kind, optionally narrowed to one role, as written in the policy files:
/// `gemeente` or `gemeente/leerplicht`.
public struct PartySpec: Sendable, Hashable, CustomStringConvertible {
    public var kind: PartyKind
    public var role: PartyRole?

    public init(kind: PartyKind, role: PartyRole? = nil) {
        self.kind = kind
        self.role = role
    }

    public func matches(_ party: PartyRef) -> Bool {
        guard party.kind == kind else { return false }
        guard let role else { return true }
        return party.effectiveRole == role
    }

    public var description: String {
        role.map { "\(kind.rawValue)/\($0.rawValue)" } ?? kind.rawValue
    }

    /// Parses `kind` or `kind/role`; nil when either part is unknown.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let kind = PartyKind(rawValue: String(parts[0])) else { return nil }
        if parts.count == 2 {
            guard let role = PartyRole(rawValue: String(parts[1])) else { return nil }
            self.init(kind: kind, role: role)
        } else {
            self.init(kind: kind)
        }
    }
}
