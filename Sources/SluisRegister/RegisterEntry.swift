import SluisCovenant

/// One line of the processing register (art. 15): one action about at most one data subject,
/// in the vocabulary of Logius' "Logboek Dataverwerkingen" (docs/register.md maps every field).
/// Refusals, dry-run questions and FG inspections are entries too. Never a BSN or a name: the
/// data subject is the register pseudonym.
public struct RegisterEntry: Sendable, Equatable {
    /// The entry's byte format (docs/register.md, "Canonical form"). Signed checkpoints cover
    /// the bytes, so an entry keeps the format it was written in for good; new entries are
    /// written in `FormatVersion.current`.
    public enum FormatVersion: Int, Sendable, CaseIterable {
        /// Entries written before the format was versioned: no `formatVersion` key, control
        /// characters U+0008 and U+000C escaped as `\u0008` and `\u000c`.
        case v1 = 1
        /// `"formatVersion":2` in every entry; RFC 8785 (JCS) string escaping.
        case v2 = 2

        public static let current = FormatVersion.v2
    }

    /// Which byte format this entry is in: `.v1` for entries read back without a
    /// `formatVersion` key, `.current` for new ones.
    public var formatVersion: FormatVersion
    /// Position in the log, from 0; part of the hashed content, so moving an entry shows.
    public var index: Int64
    /// When (RFC 3339, UTC, milliseconds), passed in by the caller.
    public var time: String
    /// W3C trace context: 32 and 16 lowercase hex digits.
    public var traceID: String
    public var spanID: String
    /// The caller's span (the `parent-id` of an incoming `traceparent`), nil when the trace
    /// started here; left out of the canonical JSON then, so older entries hash as before.
    public var parentSpanID: String?
    /// The processing activity in the versioned art. 30 register, and its version.
    public var activity: String
    public var activityVersion: String
    /// What happened: `disclose`, `refuse`, `question`, `inspect`, …
    public var operation: String
    /// The sending party and the acting user (a delegate id), the recipient party.
    public var sender: String?
    public var actor: String?
    public var recipient: String?
    /// At a gemeente: the role the disclosure was addressed to (`leerplicht`, `jeugd-en-gezin`).
    public var recipientRole: String?
    public var forum: String?
    public var purpose: String?
    /// `permit`, `deny`, or `none` for actions that are not disclosure decisions.
    public var decision: String
    public var released: [String]
    public var withheld: [String]
    /// Legal bases, each as "gdpr; law…; article".
    public var basis: [String]
    public var consentReference: String?
    /// SHA-256 of the policy set in force (hex).
    public var policyHash: String
    /// The data subject's register pseudonym (`ps<v>-…`), or nil.
    public var subject: String?
    /// How many data subjects an entry about several pupils, none of them named, concerns: the
    /// pupils of an absence import or of a verzuimoverleg list (a count, never who). Nil
    /// elsewhere, and left out of the canonical JSON then, so older entries hash as before.
    public var subjectCount: Int64?
    /// SHA-256 of the sealed bundle (hex), or nil.
    public var bundleDigest: String?
    /// The released fields that went only because the sender invoked a conflict of duties with
    /// a written professional justification (art. 6.1 sub e): the mark the FG lists. Empty for
    /// every other entry, and then left out of the canonical JSON, so entries without it hash
    /// exactly as before the key existed.
    public var conflictOfDuties: [String]

    public init(
        index: Int64 = -1, time: String, traceID: String, spanID: String, activity: String, activityVersion: String,
        operation: String, sender: String? = nil, actor: String? = nil, recipient: String? = nil, forum: String? = nil,
        purpose: String? = nil, decision: String, released: [String] = [], withheld: [String] = [], basis: [String] = [],
        consentReference: String? = nil, policyHash: String, subject: String? = nil, bundleDigest: String? = nil,
        recipientRole: String? = nil, parentSpanID: String? = nil, formatVersion: FormatVersion = .current,
        conflictOfDuties: [String] = [], subjectCount: Int64? = nil
    ) {
        self.conflictOfDuties = conflictOfDuties
        self.subjectCount = subjectCount
        self.formatVersion = formatVersion
        self.recipientRole = recipientRole
        self.parentSpanID = parentSpanID
        self.index = index
        self.time = time
        self.traceID = traceID
        self.spanID = spanID
        self.activity = activity
        self.activityVersion = activityVersion
        self.operation = operation
        self.sender = sender
        self.actor = actor
        self.recipient = recipient
        self.forum = forum
        self.purpose = purpose
        self.decision = decision
        self.released = released
        self.withheld = withheld
        self.basis = basis
        self.consentReference = consentReference
        self.policyHash = policyHash
        self.subject = subject
        self.bundleDigest = bundleDigest
    }

    /// The canonical encoding that is hashed into the Merkle tree (`CanonicalJSON`: keys
    /// sorted, no white space, absent values left out; docs/register.md), in this entry's
    /// `formatVersion`: version 2 carries `"formatVersion":2`, version 1 carries no version key.
    /// The members are written in key order, as the encoder requires.
    public var canonicalJSON: [UInt8] {
        var json = CanonicalJSON(escaping: formatVersion == .v1 ? .version1 : .rfc8785)
        json.strings("basis", basis)
        json.string("bundleDigest", bundleDigest)
        // Only when set: the one list that is absent rather than `[]` (art. 6.1 sub e mark).
        if !conflictOfDuties.isEmpty { json.strings(Self.conflictOfDutiesKey, conflictOfDuties) }
        json.string("consentReference", consentReference)
        json.string("decision", decision)
        if formatVersion != .v1 { json.integer(Self.formatVersionKey, Int64(formatVersion.rawValue)) }
        json.string("forum", forum)
        json.integer("index", index)
        json.string("operation", operation)
        json.string("parentSpanId", parentSpanID)
        json.string("policyHash", policyHash)
        json.string("processingActivity", activity)
        json.string("processingActivityVersion", activityVersion)
        json.string("purpose", purpose)
        json.string("recipient", recipient)
        json.string("recipientRole", recipientRole)
        json.strings("released", released)
        json.string("sender", sender)
        json.string("senderUser", actor)
        json.string("spanId", spanID)
        json.string("subject", subject)
        if let subjectCount { json.integer(Self.subjectCountKey, subjectCount) }
        json.string("time", time)
        json.string("traceId", traceID)
        json.strings("withheld", withheld)
        return json.finish()
    }

    static let formatVersionKey = "formatVersion"
    static let conflictOfDutiesKey = "conflictOfDuties"
    static let subjectCountKey = "subjectCount"

    public struct DecodingError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Reads a canonical encoding back; refuses anything that is not exactly canonical, so a
    /// stored body cannot carry meaning its hash does not cover. `verify` may skip the
    /// canonical re-encoding when the bytes' hash is checked against signed checkpoints anyway.
    public static func decode(canonical bytes: [UInt8], checkCanonical: Bool = true) throws(DecodingError) -> RegisterEntry {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { throw DecodingError(description: "not JSON") }
        guard case .object(let members) = value else { throw DecodingError(description: "not a JSON object") }
        let format = try formatVersion(of: members.first(where: { $0.key == formatVersionKey })?.value)
        func text(_ key: String) -> String? {
            if case .string(let string)? = members.first(where: { $0.key == key })?.value { return string }
            return nil
        }
        func list(_ key: String) -> [String]? {
            guard case .array(let items)? = members.first(where: { $0.key == key })?.value else { return nil }
            let strings = items.compactMap { item -> String? in if case .string(let s) = item { return s } else { return nil } }
            return strings.count == items.count ? strings : nil
        }
        guard case .number(let number)? = members.first(where: { $0.key == "index" })?.value, let index = Int64(exactly: number),
              let time = text("time"), let traceID = text("traceId"), let spanID = text("spanId"),
              let activity = text("processingActivity"), let version = text("processingActivityVersion"),
              let operation = text("operation"), let decision = text("decision"), let policyHash = text("policyHash"),
              let released = list("released"), let withheld = list("withheld"), let basis = list("basis")
        else { throw DecodingError(description: "a required field is missing or of the wrong type") }
        // Absent is none; present, it must be a list of strings (an empty one is not canonical).
        let overridden = members.contains { $0.key == conflictOfDutiesKey } ? list(conflictOfDutiesKey) : []
        guard let overridden else { throw DecodingError(description: "conflictOfDuties is not a list of field names") }
        let entry = RegisterEntry(
            index: index, time: time, traceID: traceID, spanID: spanID, activity: activity, activityVersion: version,
            operation: operation, sender: text("sender"), actor: text("senderUser"), recipient: text("recipient"),
            forum: text("forum"), purpose: text("purpose"), decision: decision, released: released, withheld: withheld,
            basis: basis, consentReference: text("consentReference"), policyHash: policyHash, subject: text("subject"),
            bundleDigest: text("bundleDigest"), recipientRole: text("recipientRole"),
            parentSpanID: text("parentSpanId"), formatVersion: format, conflictOfDuties: overridden,
            subjectCount: try subjectCount(of: members.first(where: { $0.key == subjectCountKey })?.value))
        guard !checkCanonical || entry.canonicalJSON == bytes else { throw DecodingError(description: "not in canonical form") }
        return entry
    }

    /// The optional count of data subjects: absent, or an integer from 0 to 2^53 − 1 (RFC 8785
    /// §3.2.2.3 writes those exactly); anything else is refused by name.
    static func subjectCount(of value: JSONValue?) throws(DecodingError) -> Int64? {
        guard let value else { return nil }
        guard case .number(let number) = value, let count = Int64(exactly: number), count >= 0, count < 1 << 53 else {
            throw DecodingError(description: "subjectCount is not a count (an integer from 0)")
        }
        return count
    }

    /// The format version an entry states: none is version 1 (entries from before the key
    /// existed); 2 is version 2; anything else is refused by name, so that an entry written by a
    /// newer format is never read with the wrong rules.
    static func formatVersion(of value: JSONValue?) throws(DecodingError) -> FormatVersion {
        guard let value else { return .v1 }
        let known = FormatVersion.allCases.map { String($0.rawValue) }.joined(separator: " and ")
        guard case .number(let number) = value, let integer = Int(exactly: number) else {
            throw DecodingError(description: "formatVersion is not an integer (this Sluis reads register entry formats \(known))")
        }
        guard let version = FormatVersion(rawValue: integer), version != .v1 else {
            throw DecodingError(description: integer == 1
                ? "formatVersion 1 is written by leaving the key out, not as \"formatVersion\":1"
                : "register entry format version \(integer) is not known (this Sluis reads formats \(known)): written by a newer Sluis?")
        }
        return version
    }
}
