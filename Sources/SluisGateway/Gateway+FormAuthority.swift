public import SluisRegister
extension Gateway {
    /// Whether the delegate's role and party kind may take `action` at all, before anything is
    /// looked up: for a page that shows only the form for it (the school's upload form, the DUO
    /// melding form). The same first check and the same refusal as the use case itself, audited,
    /// so a page without data is no way around the authority table (docs/pages.md); the use case
    /// still decides the relations when the form is sent.
    /// - Throws: `GatewayError.forbidden` (403, with the rule's article).
    public func authorizeForm(_ action: GatewayAction, by principal: Principal, trace: TraceContext) async throws {
        try await authorizeRole(action, principal, subject: "form", trace: trace)
    }
}
