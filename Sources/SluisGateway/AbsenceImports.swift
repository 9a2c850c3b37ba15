import Foundation
import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// What an import answers: counts and the register entry that records it; no pupil keys.
public struct AbsenceImportReceipt: Sendable, Codable, Equatable {
    public var importId: String
    /// The period replaced (`YYYY-MM-DD`, inclusive); nil for a file without registrations.
    public var from: String?
    public var to: String?
    public var registrations: Int
    public var pupils: Int
    /// How many stored registrations of the period the import replaced.
    public var replaced: Int
    public var register: RegisterProof
}

/// The period an import replaces, when the school names it (query `from`, `to`); by default
/// the file's own first and last day.
public struct AbsenceImportPeriod: Sendable, Equatable {
    public var from: String?
    public var to: String?

    public init(from: String? = nil, to: String? = nil) {
        self.from = from
        self.to = to
    }
}

extension Gateway {
    /// The largest absence file accepted: 8 MiB. A school year of a school of 1,500 pupils is
    /// about 1 MB (sluis-bench absence), so a board several times that size fits in one file;
    /// the body is held in memory while it is checked, so the bound is the memory one import
    /// may take.
    public static let absenceFileLimit = 8 * 1024 * 1024

    /// The media type of an absence file (RFC 4180 §3; RFC 7111 registers `text/csv`).
    static let absenceMediaType = "text/csv"

    /// Imports a school board's absence file (contract absence.md): a whole file or nothing.
    /// The import replaces the unit's stored registrations within the period — the file's own
    /// first to last day, or `period` when given — in one transaction with its register entry,
    /// so re-importing a corrected export is idempotent (docs/casework.md). The register records
    /// the import as a processing of the school's own, with how many pupils it concerns
    /// (`subjectCount`: a count, never a pupil key); it is not a disclosure and needs no consent.
    /// - Parameters:
    ///   - contentType: the request's Content-Type; `text/csv`, charset UTF-8 if given.
    ///   - body: reads the body (at most `absenceFileLimit` bytes); called only once the
    ///     delegate may import and the media type is right.
    /// - Throws: `GatewayError.forbidden` (not a school board's zorgcoördinator),
    ///   `.unsupportedMediaType`, `.invalid` (the period), `.invalidFile` with every line's
    ///   error, `.unavailable` when the store or register cannot be written (nothing imported).
    public func importAbsence(contentType: String?, period: AbsenceImportPeriod = AbsenceImportPeriod(),
                              body: () async throws -> [UInt8], by principal: Principal, trace: TraceContext) async throws -> AbsenceImportReceipt {
        try await authorize(.importAbsence, principal, subject: "absence", trace: trace)
        try Self.checkCSVMediaType(contentType)
        let named = (from: try period.from.map { try Self.calendarDate($0, field: "from") },
                     to: try period.to.map { try Self.calendarDate($0, field: "to") })
        if let from = named.from, let to = named.to, from > to { throw GatewayError.invalid(field: "from", problem: "after to") }
        let today = CalendarDate.amsterdam(now())
        let registrations: [AbsenceRegistration]
        do {
            registrations = try AbsenceFile.parse(try await body(), today: today)
        } catch let refused as AbsenceFileErrors {
            throw GatewayError.invalidFile(errors: refused.errors.map(\.description), notCSV: refused.errors.contains(where: \.isAboutTheFormat),
                                           lines: refused.errors)
        }
        let dates = registrations.map(\.date)
        let from = named.from ?? dates.min(), to = named.to ?? dates.max()
        if let from, let to {
            let outside = dates.filter { $0 < from || $0 > to }
            if let first = outside.min() {
                throw GatewayError.invalidFile(errors: ["\(outside.count) registration(s) dated outside the period \(from) … \(to) of this import (the first: \(first))"],
                                               notCSV: false)
            }
        }
        let unit = principal.unit
        let rows = try registrations.map { registration in
            AbsenceRow(unit: unit, day: registration.date.description, kind: registration.kind.rawValue,
                       hoursMillionths: registration.hours.map { Int64($0.millionths) }, hourUnit: registration.unit?.rawValue,
                       pupilCipher: try vault.seal(Array(registration.pupil.utf8), context: Self.absenceContext(unit)))
        }
        let pupils = Set(registrations.map { Array($0.pupil.utf8) }).count
        let record = AbsenceImportRecord(id: UUID().uuidString.lowercased(), unit: unit, delegate: principal.delegateID, importedAt: time,
                                         from: from?.description, to: to?.description, registrations: rows.count, pupils: pupils,
                                         replaced: 0, registerIndex: -1)
        let activity = activity(ProcessingActivities.absenceImport)
        let entry = RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: "import", sender: unit, actor: principal.delegateID, decision: "none", policyHash: policyHash,
            parentSpanID: trace.parentSpanID, subjectCount: Int64(pupils))
        let receipt: RegisterStore.AppendReceipt
        do {
            receipt = try await registerEntry(entry) { sql, index in
                var indexed = record
                indexed.registerIndex = index
                _ = try await GatewayStore.replaceAbsence(rows, import: indexed, on: sql)
            }
        } catch GatewayError.unavailable(let code, _, let cause) {
            throw GatewayError.unavailable(code, "the register or the store cannot be written; nothing was imported", cause: cause)
        }
        try await access.audit("absence", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "import-absence: \(rows.count) registrations, \(pupils) pupils", trace: trace)
        let stored = try await store.absenceImport(record.id)
        return AbsenceImportReceipt(importId: record.id, from: record.from, to: record.to, registrations: rows.count, pupils: pupils,
                                    replaced: stored?.replaced ?? 0, register: try await proof(receipt))
    }

    /// The signals due on the school board's stored registrations, as the contract's JSON
    /// document — the same bytes `sluis absence evaluate` prints for the same registrations and
    /// day — without the signals a DUO melding of the board answered (contract absence.md).
    /// - Parameter today: `YYYY-MM-DD`, default today in Europe/Amsterdam; registrations after
    ///   it are left out, `overdue` is counted from it.
    /// - Throws: `GatewayError.forbidden`, `.invalid` (`today`).
    public func absenceSignals(today text: String?, by principal: Principal, trace: TraceContext) async throws -> String {
        try await authorize(.readAbsenceSignals, principal, subject: "absence", trace: trace)
        let today = try text.map { try Self.calendarDate($0, field: "today") } ?? CalendarDate.amsterdam(now())
        return AbsenceSignal.json(try await openSignals(unit: principal.unit, today: today).signals) + "\n"
    }

    /// The unit's registrations and its open signals as of `today`: those no DUO melding
    /// answered (`Gateway.answeredSignals`, issue 10 item 2).
    func openSignals(unit: String, today: CalendarDate) async throws -> (registrations: [AbsenceRegistration], signals: [AbsenceSignal]) {
        let registrations = try await absenceRegistrations(unit: unit)
        let answered = try await answeredSignals(unit: unit)
        let signals = AbsenceEvaluator.evaluate(registrations, today: today).filter {
            !answered.isAnswered(pupil: $0.pupil, signal: $0.kind.rawValue, since: $0.since.description)
        }
        return (registrations, signals)
    }

    /// The unit's stored registrations, pupil keys decrypted (in memory only).
    func absenceRegistrations(unit: String) async throws -> [AbsenceRegistration] {
        try await store.absence(unit: unit).map { row in
            guard let date = try? CalendarDate(text: row.day), let kind = AbsenceKind(rawValue: row.kind) else {
                throw GatewayError.unavailable(.storedDataDamaged, "a stored absence registration is damaged")
            }
            return AbsenceRegistration(pupil: try pupilKey(row.pupilCipher, unit: unit), date: date, kind: kind,
                                       hours: row.hoursMillionths.map { AbsenceHours(millionths: Int($0)) },
                                       unit: row.hourUnit.flatMap(AbsenceUnit.init(rawValue:)))
        }
    }

    func pupilKey(_ cipher: String, unit: String) throws -> String {
        try vault.open(cipher, context: Self.absenceContext(unit)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The additional data binding an encrypted pupil key to its school board: a row copied to
    /// another board does not decrypt.
    static func absenceContext(_ unit: String) -> String { "absence:\(unit)" }

    static func calendarDate(_ text: String, field: String) throws -> CalendarDate {
        guard let date = try? CalendarDate(text: text) else {
            throw GatewayError.invalid(field: field, problem: "a day of the calendar as YYYY-MM-DD")
        }
        return date
    }

    /// `text/csv`, with at most parameters of which a charset is UTF-8 (RFC 4180 §3: the
    /// default is US-ASCII, a subset; the contract says UTF-8).
    static func checkCSVMediaType(_ contentType: String?) throws {
        let parts = (contentType ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let charsetOK = parts.dropFirst().allSatisfy { !$0.hasPrefix("charset=") || ["charset=utf-8", "charset=\"utf-8\""].contains($0) }
        guard parts.first == absenceMediaType, charsetOK else {
            throw GatewayError.unsupportedMediaType("an absence file is sent as text/csv (UTF-8), not \(contentType.map { "'\($0.prefix(64))'" } ?? "without a Content-Type")")
        }
    }
}

extension AbsenceFileError {
    /// Whether the error says the body is no absence CSV at all — the header, RFC 4180 or
    /// UTF-8 — rather than a bad value in a well-formed file (400 against 422).
    var isAboutTheFormat: Bool {
        if line == 1 { return true }
        if case .csv = problem { return true }
        return false
    }
}
