import Foundation
public import SluisCovenant
import SluisStore

/// The absence signal a DUO melding answers (`../shared/contract/absence.md`): the school's own
/// pupil key (pseudonymous within the school; stored only as a keyed hash), the signal and its
/// `since`. The signals list marks it done.
public struct AnsweredSignalInput: Sendable, Codable, Equatable {
    /// The school's own pupil key: 1–64 characters A–Z, a–z, 0–9, '-', '_', '.', '/' (no names).
    public var pupil: String
    /// One of the signals `DuoMeldingKind.answers` lists for the melding's kind.
    public var signal: String
    /// The signal's `since` (YYYY-MM-DD): not after the melding, not before the pupil was born.
    public var since: String

    enum CodingKeys: String, CodingKey, CaseIterable { case pupil, signal, since }

    public init(pupil: String, signal: String, since: String) {
        (self.pupil, self.signal, self.since) = (pupil, signal, since)
    }
}

extension AnsweredSignalInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// A DUO melding as the school board that made it records it (Lpw art. 21a). The body of
/// `POST /v1/cases/{ref}/duo-meldingen`, and the `duoMelding` of a new case or a case change.
public struct DuoMeldingInput: Sendable, Codable, Equatable {
    /// The day of the melding (YYYY-MM-DD): not in the future, not before the pupil was five.
    public var date: String
    /// One of `DuoMeldingKind`. Required when posted to the meldingen; in the `duoMelding` of a
    /// new case or a change it defaults to `relatief-verzuim`, the melding convenant art. 4.3 names.
    public var kind: String?
    /// DUO's meldingsnummer (verzuimloket), 1–64 characters A–Z, a–z, 0–9, '-', '_', '/', '.'.
    public var reference: String
    /// The absence signal this melding answers, if any.
    public var signal: AnsweredSignalInput?
    /// The school's own pupil key of the pupil reported, where no `signal` names it (the same key
    /// if both do): what lets the leerplichtambtenaar link the earlier anonymous verzuimoverleg
    /// to the case (Bijlage 3.1). Stored encrypted, never shown. Also given later:
    /// `POST /v1/cases/{ref}/duo-meldingen/{id}/pupil`.
    public var pupil: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case date, kind, reference, signal, pupil }

    public init(date: String, kind: String? = nil, reference: String, signal: AnsweredSignalInput? = nil, pupil: String? = nil) {
        self.date = date
        self.kind = kind
        self.reference = reference
        self.signal = signal
        self.pupil = pupil
    }
}

extension DuoMeldingInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self, nested: ["signal": AnsweredSignalInput.jsonShape])
}

/// The school's own pupil key for a melding that was recorded without one (Bijlage 3.1: the key
/// that links the anonymous verzuimoverleg to the case).
public struct DuoMeldingPupilInput: Sendable, Codable, Equatable {
    /// 1–64 characters A–Z, a–z, 0–9, '-', '_', '.', '/' (no names).
    public var pupil: String

    enum CodingKeys: String, CodingKey, CaseIterable { case pupil }
}

extension DuoMeldingPupilInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// The leerplichtambtenaar's status change of a melding: `in-behandeling` or `afgesloten`.
public struct DuoMeldingStatusInput: Sendable, Codable, Equatable {
    public var status: String

    enum CodingKeys: String, CodingKey, CaseIterable { case status }
}

extension DuoMeldingStatusInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// A melding as the school board that made it and the leerplichtambtenaar see it; no other
/// party sees this (the case view tells the others only that a melding exists, when, by whom).
public struct DuoMeldingView: Sendable, Codable, Equatable {
    public var id: String
    public var kind: String
    public var date: String
    /// DUO's meldingsnummer: the school made the melding under it, DUO forwarded it under it.
    public var reference: String
    /// The school board that made it.
    public var by: String
    /// `received`, `in-behandeling` or `afgesloten`, and when each step was set.
    public var status: String
    public var receivedAt: String
    public var inBehandelingAt: String?
    public var afgeslotenAt: String?
    /// The leerplicht unit that set the status last.
    public var handledBy: String?
    /// Whether the engine re-identified the pupil for the leerplicht on this melding: `permit`,
    /// `deny`, or `none` for a melding recorded before meldingen were decided (migration 7).
    public var reidentification: String
    /// Only for the school that made it: the absence signal it answered.
    public var signal: SignalView?
    /// Whether the school gave its own pupil key with the melding (never the key): without it the
    /// leerplichtambtenaar cannot link the earlier verzuimoverleg to the case.
    public var pupilKeyGiven: Bool

    public struct SignalView: Sendable, Codable, Equatable {
        public var signal: String, since: String
    }

    init(_ record: DuoMeldingRecord, showSignal: Bool) {
        id = record.id
        kind = record.kind
        date = record.date
        reference = record.reference
        by = record.party
        status = record.status
        receivedAt = record.receivedAt
        inBehandelingAt = record.inBehandelingAt
        afgeslotenAt = record.afgeslotenAt
        handledBy = record.handledBy
        reidentification = record.decision
        pupilKeyGiven = record.pupilCipher != nil
        if showSignal, let answered = record.signal, let since = record.signalSince { signal = SignalView(signal: answered, since: since) }
    }
}

/// A rule as cited in an answer.
public struct RuleView: Sendable, Codable, Equatable {
    public var rule: String, article: String, reason: String
}

/// The engine's decision on showing the leerplichtambtenaar the pupil's identity after a melding
/// (protocol 5.4; Lpw art. 21a), as registered: what it released, what it withheld and why.
public struct ReidentificationView: Sendable, Codable, Equatable {
    public var decision: String
    public var identity: String
    /// The gemeente whose leerplicht takes part in the case (nil when none does yet).
    public var recipient: String?
    public var released: [String]
    public var withheld: [WithheldView]
    public var basis: [BasisView]
    /// For deny: every rule that blocked.
    public var reasons: [RuleView]
    public var register: RegisterProof
}

/// The answer to recording a melding: the melding, and the re-identification decided with it.
public struct DuoMeldingReceipt: Sendable, Codable, Equatable {
    public var melding: DuoMeldingView
    public var reidentification: ReidentificationView
}

/// A validated melding: its kind, the signal it answers and the school's pupil key it names.
struct ValidDuoMelding: Sendable {
    let input: DuoMeldingInput
    let kind: DuoMeldingKind
    let signal: AnsweredSignalInput?
    let pupil: String?
}

extension Gateway {
    /// The purpose the re-identification is decided for: the leerplichtambtenaar investigates the
    /// absence to get the pupil back to school (protocol 5.5.2), art. 3.1 sub a (interpretation:
    /// the source names no purpose of art. 3.1 for the melding; the phase binding does not apply
    /// to it, Lpw art. 21a being a legal duty outside the casusoverleg's phases).
    static let duoMeldingPurpose = "3.1.a"

    /// The pupil keys a school gives are pseudonymous within the school: 1–64 of these characters.
    static func isPupilKey(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy {
            (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || [45, 95, 46, 47].contains($0)
        }
    }

    /// Validates a melding as entered, naming the field at fault under `prefix` (`duoMelding.`
    /// inside a case): a real date, not in the future and not before the pupil was five (Lpw
    /// art. 2: leerplicht starts at five); a kind of the closed list, or the default where the
    /// kind may be left out; DUO's meldingsnummer; and a signal this kind answers, since a date
    /// not after the melding and not before the pupil was born.
    func validate(_ melding: DuoMeldingInput, birthDate: String, kindRequired: Bool, prefix: String) throws -> ValidDuoMelding {
        guard melding.date.count == 10, Self.age(birthDate: melding.date, at: now()) != nil,
              let age = Self.age(birthDate: birthDate, at: Self.day(melding.date) ?? .distantPast), age >= policy.scope.fromAge else {
            throw GatewayError.invalid(field: prefix + "date",
                                       problem: "the day of the melding as YYYY-MM-DD: not in the future, not before the pupil was \(policy.scope.fromAge)")
        }
        let kinds = DuoMeldingKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let kind = melding.kind.map(DuoMeldingKind.init(rawValue:)) ?? (kindRequired ? nil : .relatiefVerzuim) else {
            throw GatewayError.invalid(field: prefix + "kind", problem: "one of \(kinds) (verzuimprotocol 5.5; Bijlage 4)")
        }
        guard !melding.reference.isEmpty, melding.reference.utf8.count <= 64, melding.reference.utf8.allSatisfy({
            (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || [45, 95, 47, 46].contains($0)
        }) else {
            throw GatewayError.invalid(field: prefix + "reference", problem: "DUO's meldingsnummer: 1–64 characters A–Z, a–z, 0–9, '-', '_', '/', '.'")
        }
        if let signal = melding.signal {
            guard Self.isPupilKey(signal.pupil) else {
                throw GatewayError.invalid(field: prefix + "signal.pupil",
                                           problem: "the school's own pupil key: 1–64 characters A–Z, a–z, 0–9, '-', '_', '.', '/' (no names)")
            }
            guard kind.answers.contains(signal.signal) else {
                let answered = kind.answers.isEmpty ? "none" : kind.answers.joined(separator: ", ")
                throw GatewayError.invalid(field: prefix + "signal.signal",
                                           problem: "a \(kind.rawValue) melding answers the signals \(answered) (contract absence.md; \(kind.article))")
            }
            // A calendar date on or before the melding's day, and on or after the birth date.
            guard signal.since.count == 10, let day = Self.day(melding.date), Self.age(birthDate: signal.since, at: day) != nil,
                  let since = Self.day(signal.since), Self.age(birthDate: birthDate, at: since) != nil else {
                throw GatewayError.invalid(field: prefix + "signal.since",
                                           problem: "the signal's since as YYYY-MM-DD: not after the melding, not before the pupil was born")
            }
        }
        if let pupil = melding.pupil {
            guard Self.isPupilKey(pupil), melding.signal.map({ $0.pupil == pupil }) ?? true else {
                throw GatewayError.invalid(field: prefix + "pupil",
                                           problem: "the school's own pupil key: 1–64 characters A–Z, a–z, 0–9, '-', '_', '.', '/' (no names), the signal's pupil if both are given")
            }
        }
        return ValidDuoMelding(input: melding, kind: kind, signal: melding.signal, pupil: melding.pupil ?? melding.signal?.pupil)
    }
}
