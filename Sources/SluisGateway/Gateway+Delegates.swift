import SluisCovenant
public import SluisCrypto
public import SluisRegister
public import SluisStore

/// Delegates and tokens, through the authority table (art. 7.3, 10.2): a beheerder manages its
/// own party's delegates; a person logged in with both factors issues a system token.
extension Gateway {
    public func delegates(by principal: Principal, trace: TraceContext) async throws -> [DelegateRecord] {
        try await authorize(.listDelegates, principal, subject: "delegates", trace: trace)
        return try await store.delegates(party: principal.party)
    }

    /// Creates a delegate of the beheerder's own party; returns it and the TOTP provisioning URI (shown once).
    public func createDelegate(username: String, role: String, password: SecureBytes, by principal: Principal,
                               trace: TraceContext) async throws -> (DelegateRecord, provisioningURI: String) {
        try await authorize(.createDelegate, principal, subject: "delegates", trace: trace)
        guard let role = DelegateRole(rawValue: role) else {
            throw GatewayError.invalid(field: "role", problem: "one of \(DelegateRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let party = try await self.party(principal.party)
        let created = try await access.createDelegate(username: username, party: party, role: role, password: password)
        try await access.audit("change", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "create-delegate \(created.0.id) as \(role.rawValue)", trace: trace)
        return created
    }

    /// The first beheerder of a covenant party (art. 7.3: each party designates who acts for it),
    /// made by the operator who installs the gateway (`sluis delegates first-beheerder`): there is
    /// no delegate yet to authorise it, so the operator's access to the store and keys is the
    /// authority, and only a party without an enabled beheerder gets one this way — after that
    /// the party's beheerder manages its delegates through the authority table. The password is
    /// random; password and TOTP provisioning URI are returned once. Audited.
    /// Errors: `notFound` for an unknown party, `conflict(.partyInactive)` for one that is not
    /// active, `conflict(.beheerderExists)`, `invalid` for a bad username.
    public func createFirstBeheerder(party id: String, username: String, operatorName: String, trace: TraceContext) async throws
        -> (DelegateRecord, password: String, provisioningURI: String) {
        guard let party = try await store.party(id) else { throw GatewayError.notFound(.partyNotFound, "party \(id)") }
        guard party.status == .active else { throw GatewayError.conflict(.partyInactive, "party \(id) is not active (accession, art. 18)") }
        var bytes = try Random.bytes(15)
        defer { for index in bytes.indices { bytes[index] = 0 } }
        let password = Base64URL.encode(bytes)
        let (record, uri) = try await access.createDelegate(username: username, party: party, role: .beheerder,
                                                            password: SecureBytes(Array(password.utf8)), first: true)
        try await access.audit("change", delegate: nil, party: party.id, outcome: "done",
                               detail: "first-beheerder \(record.id) by operator \(operatorName)", trace: trace)
        return (record, password, uri)
    }

    public func systemToken(for principal: Principal, trace: TraceContext) async throws -> AccessControl.Session {
        try await authorize(.issueSystemToken, principal, subject: "token", trace: trace)
        return try await access.issueSystemToken(for: principal, trace: trace)
    }

    /// The delegate acted on, if it is of the beheerder's own party (else 404: no oracle).
    func colleague(_ id: String, by principal: Principal, trace: TraceContext) async throws -> DelegateRecord {
        try await authorizeRole(.manageDelegate, principal, subject: "delegate", trace: trace)
        let record = try await store.delegate(id: id)
        try await authorize(.manageDelegate, principal, relations: record?.party == principal.party ? [.colleague] : [],
                            subject: "delegate \(id)", trace: trace)
        return record!
    }

    /// Disables (or enables again) a delegate of the beheerder's own party; its sessions and
    /// system tokens end at once. A beheerder does not disable itself.
    public func setDisabled(delegate id: String, _ disabled: Bool, by principal: Principal, trace: TraceContext) async throws -> DelegateRecord {
        let record = try await colleague(id, by: principal, trace: trace)
        guard record.id != principal.delegateID else { throw GatewayError.conflict(.delegateSelf, "a beheerder does not disable or enable itself") }
        try await store.setDisabled(delegate: id, at: disabled ? time : nil)
        try await access.audit("change", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "\(disabled ? "disable" : "enable")-delegate \(id)", trace: trace)
        return try await store.delegate(id: id) ?? record
    }

    /// Resets both factors of a delegate of the beheerder's own party: a new password and a new
    /// TOTP secret (its provisioning URI returned once); sessions and tokens end.
    public func resetDelegate(_ id: String, password: SecureBytes, by principal: Principal, trace: TraceContext) async throws
        -> (DelegateRecord, provisioningURI: String) {
        let record = try await colleague(id, by: principal, trace: trace)
        let uri = try await access.reset(record, password: password)
        try await access.audit("change", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "reset-delegate \(id)", trace: trace)
        return (try await store.delegate(id: id) ?? record, uri)
    }

    /// Ends every session and system token of a delegate of the beheerder's own party.
    public func endSessions(delegate id: String, by principal: Principal, trace: TraceContext) async throws {
        let record = try await colleague(id, by: principal, trace: trace)
        try await store.deleteSessions(delegate: record.id)
        try await access.audit("change", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "end-sessions \(id)", trace: trace)
    }
}
