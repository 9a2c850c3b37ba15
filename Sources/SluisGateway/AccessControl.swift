public import Foundation
public import SluisCovenant
public import SluisCrypto
public import SluisRegister
public import SluisStore

/// Logins and tokens (art. 10.2: multi-factor authentication), lockout with back-off, and the
/// audit log of every login and every denial of access (linked to the request by trace id).
/// The audit log is not the disclosure register: it records who tried what, not disclosures.
public struct AccessControl: Sendable {
    let store: GatewayStore
    let vault: DataVault
    let now: @Sendable () -> Date
    /// Where passwords are hashed and checked: off the cooperative pool, a bounded queue.
    let passwords: PasswordWorkers
    /// The deployment's password cost (scrypt N = 2^17 in production): new hashes, and the
    /// dummy check for unknown usernames, which must cost the same as a real one.
    let hasher: PasswordHasher

    init(store: GatewayStore, vault: DataVault, now: @escaping @Sendable () -> Date, passwords: PasswordWorkers, hasher: PasswordHasher = .recommended) {
        self.store = store
        self.vault = vault
        self.now = now
        self.passwords = passwords
        self.hasher = hasher
        unknownUserHash = "$scrypt$ln=\(hasher.logN),r=\(hasher.r),p=\(hasher.p)$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    }

    /// Sessions for persons last 8 hours; system tokens 90 days.
    public static let sessionLifetime: TimeInterval = 8 * 3600
    public static let systemTokenLifetime: TimeInterval = 90 * 24 * 3600
    /// After this many failures in a row the account locks: 1 minute, doubling, at most 1 hour.
    public static let failuresBeforeLock = 5

    public struct Session: Sendable, Equatable {
        public let token: String
        public let expiresAt: String
    }

    /// Creates a delegate with a scrypt password hash and a fresh TOTP secret; returns the
    /// secret's provisioning URI (shown once, never stored in clear). `first`: only as the party's
    /// first beheerder — `conflict(.beheerderExists)` when it has an enabled one.
    public func createDelegate(username: String, party: PartyRecord, role: DelegateRole, password: SecureBytes,
                               hasher: PasswordHasher? = nil, first: Bool = false) async throws -> (DelegateRecord, provisioningURI: String) {
        let hasher = hasher ?? self.hasher
        guard username.utf8.count >= 3, username.utf8.count <= 64,
              username.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == 45 || $0 == 46 || $0 == 95 })
        else { throw GatewayError.invalid(field: "username", problem: "3–64 characters a–z, 0–9, '.', '_' or '-'") }
        guard password.count >= 12 else { throw GatewayError.invalid(field: "password", problem: "at least 12 characters") }
        guard role.partyKinds.contains(party.kind) else {
            throw GatewayError.invalid(field: "role", problem: "a \(party.kind.rawValue) has no \(role.rawValue)")
        }
        if try await store.delegate(username: username) != nil { throw GatewayError.conflict(.usernameTaken, "username \(username) is taken") }
        let id = UUID().uuidString.lowercased()
        let secret = try TOTP.generateSecret()
        let cipher = try secret.withUnsafeBytes { try vault.seal(Array($0), context: "totp:\(id)") }
        let record = DelegateRecord(id: id, username: username, party: party.id, role: role,
                                    passwordHash: try await passwords.run { try hasher.hash(password) }, totpSecretCipher: cipher)
        if first {
            guard role == .beheerder else { throw GatewayError.invalid(field: "role", problem: "a party's first delegate is its beheerder") }
            guard try await store.createFirst(beheerder: record, created: RegisterTime.format(now())) else {
                throw GatewayError.conflict(.beheerderExists, "party \(party.id) has a beheerder; that beheerder creates further delegates")
            }
        } else {
            try await store.create(delegate: record, created: RegisterTime.format(now()))
        }
        let uri = TOTP(secret: secret).provisioningURI(issuer: "Sluis", account: username)
        return (record, uri)
    }

    /// How long the failure that reaches the limit locks the account, and each one after it:
    /// 1 minute, doubling, at most 1 hour.
    static let lockMinutes: [Double] = (0...6).map { min(60, pow(2, Double($0))) }
    /// A hash of the deployment's cost that no password matches: unknown usernames cost the same work.
    let unknownUserHash: String
    static let wrongCredentials = "wrong username, password or code"
    /// The refusal of a reused code (public: the login page says it in Dutch).
    public static let reusedCode = "this code opened a session already: one code, one session (RFC 6238 §5.2) — wait for the next code and log in with it"

    /// Logs in with password and TOTP code. Every attempt, good or bad, goes to the audit log.
    /// Each check and the write it guards are one statement, also across gateway instances:
    /// the attempt is counted — and at the limit the account locked — before the password is
    /// checked, so concurrent guesses cannot outrun the lockout; and a login is accepted only by
    /// recording its TOTP step where no login recorded it or a later one, so a code opens one
    /// session (RFC 6238 §5.2). A good login clears the count and the lock.
    public func login(username: String, password: SecureBytes, code: String, trace: TraceContext) async throws -> Session {
        let time = now()
        let delegate = try await store.delegate(username: username)
        // A place among the logins in progress, or 503 at once: a flood waits in no queue.
        guard passwords.enter() else {
            try await audit("login", delegate: delegate?.id, party: delegate?.party, outcome: "denied",
                            detail: "not checked: too many logins waiting", trace: trace)
            throw GatewayError.busy("too many logins are being checked; try again shortly", retryAfter: passwords.retryAfter)
        }
        defer { passwords.leave() }
        let lockEnds = Self.lockMinutes.map { RegisterTime.format(time.addingTimeInterval($0 * 60)) }
        guard let delegate else {
            // The same work, the same answer and the same lockout as a wrong password: no user enumeration.
            let nameHash = try SHA256.hex(Array(username.utf8))
            guard try await store.reserveUnknownLoginAttempt(nameHash: nameHash, now: RegisterTime.format(time), lockFrom: Self.failuresBeforeLock,
                                                             lockEnds: lockEnds) != nil else {
                try await audit("login", delegate: nil, party: nil, outcome: "denied", detail: "locked", trace: trace)
                throw GatewayError.locked(until: try await store.unknownLoginLockedUntil(nameHash: nameHash) ?? RegisterTime.format(time))
            }
            _ = try? await passwords.run { try PasswordHasher.verify(password, against: unknownUserHash) }
            try await audit("login", delegate: nil, party: nil, outcome: "denied", detail: "unknown or wrong credentials", trace: trace)
            throw GatewayError.unauthenticated(.loginFailed, Self.wrongCredentials)
        }
        guard try await store.reserveLoginAttempt(delegate: delegate.id, now: RegisterTime.format(time), lockFrom: Self.failuresBeforeLock,
                                                  lockEnds: lockEnds) != nil else {
            try await audit("login", delegate: delegate.id, party: delegate.party, outcome: "denied", detail: "locked", trace: trace)
            let until = try await store.delegate(id: delegate.id)?.lockedUntil
            throw GatewayError.locked(until: until ?? RegisterTime.format(time))
        }
        let secret = try vault.open(delegate.totpSecretCipher, context: "totp:\(delegate.id)")
        // A disabled delegate gets the same work and answer as wrong credentials.
        let stored = delegate.disabledAt == nil ? delegate.passwordHash : unknownUserHash
        let passwordOK = try await passwords.run { try PasswordHasher.verify(password, against: stored) }
        let step = try TOTP(secret: secret).verify(code, at: Int64(time.timeIntervalSince1970), lastAcceptedStep: delegate.lastTOTPStep)
        guard passwordOK, let step, try await store.acceptLogin(delegate: delegate.id, totpStep: step) else {
            // A right password with a code that was right once: the person reused a code. Say so
            // (only to whoever has both); it still counts as a failure.
            let reused = try passwordOK && TOTP(secret: secret).verify(code, at: Int64(time.timeIntervalSince1970), lastAcceptedStep: nil) != nil
            try await audit("login", delegate: delegate.id, party: delegate.party, outcome: "denied",
                            detail: passwordOK ? (reused ? "reused code" : "wrong code") : "wrong password", trace: trace)
            throw GatewayError.unauthenticated(.loginFailed, reused ? Self.reusedCode : Self.wrongCredentials)
        }
        let session = try await issue(delegate: delegate.id, kind: .session, lifetime: Self.sessionLifetime)
        try await audit("login", delegate: delegate.id, party: delegate.party, outcome: "granted", detail: "password and TOTP", trace: trace)
        return session
    }

    /// A beheerder's reset of both factors of a delegate: a new password (at least 12
    /// characters) and a new TOTP secret, whose provisioning URI is returned once. Sessions and
    /// system tokens of the delegate end; a lock is lifted (art. 10.2).
    public func reset(_ delegate: DelegateRecord, password: SecureBytes) async throws -> String {
        guard password.count >= 12 else { throw GatewayError.invalid(field: "password", problem: "at least 12 characters") }
        let secret = try TOTP.generateSecret()
        let cipher = try secret.withUnsafeBytes { try vault.seal(Array($0), context: "totp:\(delegate.id)") }
        try await store.reset(delegate: delegate.id, passwordHash: try await passwords.run { try hasher.hash(password) }, totpSecretCipher: cipher)
        return TOTP(secret: secret).provisioningURI(issuer: "Sluis", account: delegate.username)
    }

    /// Stops the password threads (on shutdown, after the last request).
    public func close() async { await passwords.shutdown() }

    /// A bearer token for a party's system, issued by a person who logged in with both factors.
    public func issueSystemToken(for principal: Principal, trace: TraceContext) async throws -> Session {
        guard principal.kind == "session" else { throw GatewayError.forbidden(.sessionRequired, "system tokens are issued by a person who logged in", article: "convenant art. 10.2") }
        let session = try await issue(delegate: principal.delegateID, kind: .system, lifetime: Self.systemTokenLifetime)
        try await audit("token", delegate: principal.delegateID, party: principal.party, outcome: "granted", detail: "system token issued", trace: trace)
        return session
    }

    func issue(delegate: String, kind: SessionKind, lifetime: TimeInterval) async throws -> Session {
        let token = Base64URL.encode(try Random.bytes(32))
        let expires = RegisterTime.format(now().addingTimeInterval(lifetime))
        try await store.createSession(tokenHash: try SHA256.hex(Array(token.utf8)), delegate: delegate, kind: kind, expires: expires)
        return Session(token: token, expiresAt: expires)
    }

    /// The principal behind a bearer token; every failure is audited.
    public func authenticate(token: String?, trace: TraceContext) async throws -> Principal {
        guard let token, !token.isEmpty, token.utf8.count <= 128 else {
            try await audit("access", delegate: nil, party: nil, outcome: "denied", detail: "no token", trace: trace)
            throw GatewayError.unauthenticated(.notLoggedIn, "log in first (POST /v1/sessions) and send the token as Authorization: Bearer")
        }
        let hash = try SHA256.hex(Array(token.utf8))
        // The session, its delegate and the delegate's party in one statement (one round trip
        // per request on PostgreSQL), each checked as before (art. 10.2): unexpired, the delegate enabled.
        guard let holder = try await store.sessionHolder(tokenHash: hash), holder.session.expires > RegisterTime.format(now()),
              holder.delegate.disabledAt == nil
        else {
            try await audit("access", delegate: nil, party: nil, outcome: "denied", detail: "unknown or expired token", trace: trace)
            throw GatewayError.unauthenticated(.tokenInvalid, "the token is unknown or expired")
        }
        let (session, delegate, party) = (holder.session, holder.delegate, holder.party)
        return Principal(delegateID: delegate.id, username: delegate.username, party: party.id, partyKind: party.kind, role: delegate.role, kind: session.kind.rawValue)
    }

    public func logout(token: String) async throws {
        try await store.deleteSession(tokenHash: try SHA256.hex(Array(token.utf8)))
    }

    /// Records a denial of access (403) for the FG's attention.
    public func denied(_ principal: Principal, _ what: String, trace: TraceContext) async {
        try? await audit("access", delegate: principal.delegateID, party: principal.party, outcome: "denied", detail: what, trace: trace)
    }

    func audit(_ event: String, delegate: String?, party: String?, outcome: String, detail: String, trace: TraceContext) async throws {
        try await store.add(audit: AuditRecord(id: UUID().uuidString.lowercased(), time: RegisterTime.format(now()), traceID: trace.traceID,
                                               event: event, delegate: delegate, party: party, outcome: outcome, detail: detail))
    }
}

/// Base64 for URLs, without padding: tokens.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
