import Foundation
public import SluisCovenant
import SluisCrypto
import SluisRegister
import SluisStore

/// What one retention run did (or, dry, would do): counts only, never a case, pseudonym or value.
public struct RetentionRunReport: Sendable, Equatable, Codable {
    /// The day judged on (`YYYY-MM-DD`, Europe/Amsterdam).
    public var today: String
    public var dryRun: Bool
    /// The term (`retention.destroyWithinMonths`, art. 9.2).
    public var termMonths: Int
    /// Closed cases not destroyed yet, looked at.
    public var closedCases: Int
    /// Of those, due: their term ended on or before `today`.
    public var due: Int
    /// Destroyed by this run (0 in a dry run).
    public var destroyed: Int
    /// Destroyed meanwhile by another gateway instance: nothing done here.
    public var skipped: Int
    /// Not destroyed because of an error; each error's stable code or kind in `failures`.
    public var failed: Int
    public var failures: [String]
    /// Rows per table that were (dry: would be) deleted.
    public var rows: [String: Int]
}

extension Gateway {
    /// The retention job (convenant art. 9.2; docs/retention.md): every closed case whose term
    /// (`RetentionTerm`) ended on or before `today` (default: today in Europe/Amsterdam) has its
    /// personal data destroyed, each case in one transaction with its own register entry
    /// (`ProcessingActivities.retention`), leaving a tombstone. `dryRun`: counts what would go,
    /// changes nothing, writes nothing to the register. A case that fails is left whole and
    /// counted in `failed`; the others go on. Run by `sluis serve` daily and by `sluis retention run`.
    /// - Throws: only when the closed cases cannot be read at all.
    public func runRetention(today: CalendarDate? = nil, dryRun: Bool = false) async throws -> RetentionRunReport {
        let day = today ?? self.today
        let term = RetentionTerm(months: policy.retention.destroyWithinMonths)
        let closed = try await store.closedCases()
        var report = RetentionRunReport(today: day.description, dryRun: dryRun, termMonths: term.months, closedCases: closed.count, due: 0,
                                        destroyed: 0, skipped: 0, failed: 0, failures: [], rows: [:])
        let trace = try TraceContext.fresh()
        for record in closed {
            do {
                let closedOn = try Self.amsterdamDay(record.closedAt, "closed_at")
                guard term.isDue(closedOn: closedOn, today: day) else { continue }
                report.due += 1
                if dryRun {
                    report.rows.merge(try await store.personalDataRows(caseID: record.id), uniquingKeysWith: +)
                } else {
                    report.rows.merge(try await destroy(record, today: day, trace: trace), uniquingKeysWith: +)
                    report.destroyed += 1
                }
            } catch GatewayStore.DestructionRefusal.caseChanged {
                report.skipped += 1
            } catch {
                report.failed += 1
                report.failures.append((error as? GatewayError)?.code.rawValue ?? String(describing: type(of: error)))
            }
        }
        // SQLite: the deleted pages are zeroed (secure_delete); the write-ahead log that still
        // holds their old versions is emptied.
        if report.destroyed > 0 { try? await store.truncateWriteAheadLog() }
        return report
    }

    /// Destroys one closed case (`GatewayStore.destroy`) inside the append of its register entry:
    /// the entry names the case's register pseudonym, computed here before the pupil key goes,
    /// and the owner's party; the deletes, the tombstone and the entry commit together or not at all.
    /// `erasure`: an erasure on request (convenant art. 13.1 sub c; docs/rights.md) — the case,
    /// open or closed, is closed now with that reason by that unit in the same transaction, and
    /// the decision's entry goes on the register with the destruction's.
    func destroy(_ record: CaseRecord, today: CalendarDate, trace: TraceContext,
                 erasure: (reason: String, by: String, entry: RegisterEntry)? = nil) async throws -> [String: Int] {
        // An erasure closes an open case now; a case already closed keeps its own closure — its
        // reason and day — in the tombstone, so a completed quarter of the statistics does not
        // change when it is erased (art. 9.3; a review's finding: the quarter's counts before
        // and after told the erased pupil's case type, reason and duration).
        let closing = record.status == .open ? erasure.map { (reason: $0.reason, at: time, by: $0.by) } : nil
        let closedOn = record.status == .closed ? try Self.amsterdamDay(record.closedAt, "closed_at") : today
        guard let reason = closing?.reason ?? record.closureReason, let closedAt = record.closedAt ?? closing?.at else {
            throw GatewayStore.DestructionRefusal.caseChanged
        }
        let opened = try Self.amsterdamDay(record.created, "created")
        let tombstone = TombstoneRecord(
            id: UUID().uuidString.lowercased(), caseType: record.caseType, closureReason: reason,
            openedQuarter: Quarter(containing: opened).description, closedOn: closedOn.description,
            duration: CaseDuration(opened: opened, closed: closedOn).rawValue, destroyedOn: today.description)
        let activity = activity(erasure == nil ? ProcessingActivities.retention : ProcessingActivities.rights)
        let basis = erasure == nil
            ? ["6(1)(c) AVG; art. 5 lid 1 sub e AVG; \(policy.retention.destroyArticle)",
               "termijn: \(policy.retention.destroyWithinMonths) maanden na sluiting (convenant art. 5.5)"]
            : ["6(1)(c) AVG; AVG art. 17 lid 1; convenant art. 13.1 sub c, art. 9.2 (wissing op verzoek, vóór het einde van de termijn)"]
        let entry = RegisterEntry(
            time: time, traceID: trace.traceID, spanID: try TraceContext.fresh().spanID, activity: activity.id, activityVersion: activity.version,
            operation: "destroy", sender: CaseUnit.party(of: record.owner), decision: "none", basis: basis,
            policyHash: policyHash, subject: try pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient))
        let deleted = DeletedRows()
        let id = record.id
        _ = try await registerEntries((erasure.map { [$0.entry] } ?? []) + [entry]) { sql, _ in
            if let closingNow = closing {
                guard try await GatewayStore.change(case: id, GatewayStore.CaseChange(closure: closingNow), on: sql) else {
                    throw GatewayStore.DestructionRefusal.caseChanged
                }
            }
            deleted.set(try await GatewayStore.destroy(case: id, closedAt: closedAt, leaving: tombstone, on: sql))
        }
        return deleted.get()
    }

    /// The Amsterdam calendar day of a stored RFC 3339 time.
    static func amsterdamDay(_ text: String?, _ column: String) throws -> CalendarDate {
        guard let text, let instant = instant(text) else {
            throw GatewayError.unavailable(.storedDataDamaged, "cases.\(column) is not an RFC 3339 time")
        }
        return CalendarDate.amsterdam(instant)
    }
}

/// The rows a destruction deleted, handed out of the register's transaction (a companion returns nothing).
private final class DeletedRows: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [String: Int] = [:]

    func set(_ value: [String: Int]) { lock.withLock { rows = value } }
    func get() -> [String: Int] { lock.withLock { rows } }
}
