public import Foundation
public import SluisCovenant
public import SluisCrypto
import SluisRegister
import Synchronization
public import SluisStore

/// The gateway's use cases, composed from the covenant engine, the crypto, the register and
/// the store. It knows no HTTP. Every disclosure takes one path: who asks → may this go (the
/// engine, fed from what is stored) → only the released fields, identified or under a
/// pseudonym → sealed for the recipient → on the register → in the recipient's mailbox.
public final class Gateway: Sendable {
    public let policy: CovenantPolicy
    public let policyHash: String
    public let engine: DecisionEngine
    public let store: GatewayStore
    public let register: RegisterStore
    public let access: AccessControl
    let vault: DataVault
    let pseudonyms: Pseudonymizer
    let keys: KeyDirectory
    let trust: TrustStore
    let activities: [String: ProcessingActivity]
    let credentials: CredentialCache
    /// The last whole check of the register that found nothing, and when it ran: the FG's
    /// integrity page goes on from it (`registerIntegrity`). Per instance; nil until the first.
    let integrityState = Mutex<IntegrityState?>(nil)
    /// The witnesses and quorum (`configureWitnessing`); nil: quorum 0.
    let witnessingState = Mutex<CheckpointWitnessing?>(nil)
    public let now: @Sendable () -> Date

    public init(policy: CovenantPolicy, policyHash: String, store: GatewayStore, register: RegisterStore, keys: KeyDirectory,
                now: @escaping @Sendable () -> Date = { Date() }, passwordThreads: Int = PasswordWorkers.defaultThreads,
                passwordHasher: PasswordHasher = .recommended) async throws {
        self.policy = policy
        self.policyHash = policyHash
        engine = DecisionEngine(policy: policy)
        self.store = store
        self.register = register
        self.keys = keys
        vault = try DataVault(key: keys.dataKey())
        pseudonyms = try Pseudonymizer(keys: keys.pseudonymKeys())
        trust = try TrustStore(anchors: [keys.loadCACertificate()])
        let generated = ProcessingActivities.generate(policy)
        activities = Dictionary(uniqueKeysWithValues: generated.map { ($0.id, $0) })
        credentials = CredentialCache(keys: keys)
        self.now = now
        try await register.record(activities: generated)
        // The parties of the policy set: signatories active, completed accessions active.
        let created = RegisterTime.format(now())
        for party in policy.parties {
            try await store.upsert(party: PartyRecord(id: party.id, kind: party.kind, name: party.name, status: .active), created: created)
        }
        for accession in policy.accessions {
            try await store.upsert(party: PartyRecord(id: accession.party, kind: .jeugdhulpaanbieder, name: accession.name,
                                                      status: .active), created: created)
        }
        // Last, so that a failure above leaves no password threads running.
        access = AccessControl(store: store, vault: vault, now: now, passwords: PasswordWorkers(threads: passwordThreads), hasher: passwordHasher)
    }

    var time: String { RegisterTime.format(now()) }

    func activity(_ id: String) -> ProcessingActivity { activities[id]! }

    /// Parties are looked up often and change rarely: straight from the store.
    func party(_ id: String) async throws -> PartyRecord {
        guard let party = try await store.party(id) else { throw GatewayError.notFound(.partyNotFound, "party \(id)") }
        return party
    }

    /// Appends to the register; a failure means the action must not happen (fail closed).
    func registerEntry(_ entry: RegisterEntry, companion: RegisterStore.Companion? = nil) async throws -> RegisterStore.AppendReceipt {
        try await registerEntries([entry], companion: RegisterStore.group(companion))[0]
    }

    /// Appends entries that stand or fall together, with one companion (`RegisterStore.append(group:)`):
    /// all are on the register with what the companion wrote, or none and nothing.
    func registerEntries(_ entries: [RegisterEntry], companion: RegisterStore.GroupCompanion? = nil) async throws -> [RegisterStore.AppendReceipt] {
        do {
            return try await register.append(group: entries, companion: companion)
        } catch let error as GatewayError {
            throw error
        } catch let error as any CompanionRefusal {
            throw error
        } catch let error as GatewayStore.DestructionRefusal {
            throw error
        } catch {
            // The driver's words go to the operator's log (as the cause), never to the client.
            throw GatewayError.unavailable(.registerUnavailable, "the processing register cannot be written; nothing was disclosed", cause: error)
        }
    }

    /// Appends several entries in one commit, or none; a failure means the action must not happen.
    func registerBatch(_ entries: [RegisterEntry]) async throws {
        do {
            _ = try await register.append(batch: entries)
        } catch {
            throw GatewayError.unavailable(.registerUnavailable, "the processing register cannot be written; nothing was shown", cause: error)
        }
    }
}

/// A companion's decision, found inside the register's transaction, that its entries must not
/// be appended — not a failure: the use case that threw it handles it (a decision's facts
/// changed; a link that another request made a moment earlier).
protocol CompanionRefusal: Error {}

/// Party certificates and keys, loaded once.
final class CredentialCache: @unchecked Sendable {
    private let keys: KeyDirectory
    private let lock = NSLock()
    private var credentials: [String: PartyCredentials] = [:]
    private var certificates: [String: Certificate] = [:]

    init(keys: KeyDirectory) { self.keys = keys }

    func credentials(_ party: String) throws -> PartyCredentials {
        lock.lock()
        defer { lock.unlock() }
        if let cached = credentials[party] { return cached }
        let loaded = try keys.credentials(party: party)
        credentials[party] = loaded
        return loaded
    }

    func certificate(_ party: String) throws -> Certificate {
        lock.lock()
        defer { lock.unlock() }
        if let cached = certificates[party] { return cached }
        let loaded = try keys.certificate(party: party)
        certificates[party] = loaded
        return loaded
    }
}
