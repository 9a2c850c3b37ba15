import SluisCrypto
import SluisRegister
import SluisStore

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

    public func systemToken(for principal: Principal, trace: TraceContext) async throws -> AccessControl.Session {
        try await authorize(.issueSystemToken, principal, subject: "token", trace: trace)
        return try await access.issueSystemToken(for: principal, trace: trace)
    }
}
