/// Rows of the absence and verzuimoverleg tables (migration 6), as plain values. A school's
/// pupil keys are only ever held encrypted with the data key, each row under its own nonce, so
/// the database alone does not tell which rows belong to one pupil.

/// One stored absence registration of a school board (its unit).
public struct AbsenceRow: Sendable, Equatable {
    public var unit: String
    /// `YYYY-MM-DD`.
    public var day: String
    /// The contract's kind (`ongeoorloofd`, `te-laat`, …).
    public var kind: String
    /// Hours × 1,000,000, or nil.
    public var hoursMillionths: Int64?
    /// `klokuur` or `lesuur`, or nil.
    public var hourUnit: String?
    /// The school's pupil key, encrypted with the data key (hex of nonce ‖ ciphertext ‖ tag).
    public var pupilCipher: String

    public init(unit: String, day: String, kind: String, hoursMillionths: Int64?, hourUnit: String?, pupilCipher: String) {
        self.unit = unit
        self.day = day
        self.kind = kind
        self.hoursMillionths = hoursMillionths
        self.hourUnit = hourUnit
        self.pupilCipher = pupilCipher
    }
}

/// One import of an absence file: counts only, no pupil keys (contract absence.md).
public struct AbsenceImportRecord: Sendable, Equatable {
    public var id: String
    public var unit: String
    public var delegate: String
    public var importedAt: String
    /// The period the import replaced (`YYYY-MM-DD`), nil for a file without registrations.
    public var from: String?, to: String?
    public var registrations: Int, pupils: Int, replaced: Int
    public var registerIndex: Int64

    public init(id: String, unit: String, delegate: String, importedAt: String, from: String?, to: String?, registrations: Int,
                pupils: Int, replaced: Int, registerIndex: Int64) {
        self.id = id
        self.unit = unit
        self.delegate = delegate
        self.importedAt = importedAt
        self.from = from
        self.to = to
        self.registrations = registrations
        self.pupils = pupils
        self.replaced = replaced
        self.registerIndex = registerIndex
    }
}

/// A list for one verzuimoverleg meeting of a school board (Bijlage 3.1).
public struct VerzuimoverlegListRecord: Sendable, Equatable {
    public var id: String
    /// The school board's unit that made the list.
    public var unit: String
    public var meetingDate: String
    /// The last day of the window the list was filtered on.
    public var asOf: String
    public var created: String
    public var createdBy: String

    public init(id: String, unit: String, meetingDate: String, asOf: String, created: String, createdBy: String) {
        self.id = id
        self.unit = unit
        self.meetingDate = meetingDate
        self.asOf = asOf
        self.created = created
        self.createdBy = createdBy
    }
}

/// One pupil of a list as one holder keeps it: the school with its own pupil key (encrypted),
/// a recipient under its own reference; the counts are the same for all.
public struct VerzuimoverlegItemRecord: Sendable, Equatable {
    public var listID: String
    /// The unit that sees this row: the school board, or a recipient.
    public var holder: String
    public var position: Int
    /// The recipient's own reference for the pupil; nil in the school's rows.
    public var reference: String?
    /// The school's pupil key, encrypted; nil in a recipient's rows.
    public var pupilCipher: String?
    public var unauthorisedMillionths: Int64
    public var authorisedMillionths: Int64
    public var hourUnit: String?
    public var lateArrivals: Int
    public var sickReports: Int

    public init(listID: String, holder: String, position: Int, reference: String?, pupilCipher: String?, unauthorisedMillionths: Int64,
                authorisedMillionths: Int64, hourUnit: String?, lateArrivals: Int, sickReports: Int) {
        self.listID = listID
        self.holder = holder
        self.position = position
        self.reference = reference
        self.pupilCipher = pupilCipher
        self.unauthorisedMillionths = unauthorisedMillionths
        self.authorisedMillionths = authorisedMillionths
        self.hourUnit = hourUnit
        self.lateArrivals = lateArrivals
        self.sickReports = sickReports
    }
}

/// A list as shared with one recipient unit, under that recipient's own id for it.
public struct VerzuimoverlegShareRecord: Sendable, Equatable {
    public var listID: String
    public var recipient: String
    public var ref: String
    public var registerIndex: Int64
    public var created: String

    public init(listID: String, recipient: String, ref: String, registerIndex: Int64, created: String) {
        self.listID = listID
        self.recipient = recipient
        self.ref = ref
        self.registerIndex = registerIndex
        self.created = created
    }
}

/// A recipient's own note on one of its references; the text encrypted.
public struct VerzuimoverlegNoteRecord: Sendable, Equatable {
    public var id: String
    public var holder: String
    public var reference: String
    public var textCipher: String
    public var writtenBy: String
    public var writtenAt: String

    public init(id: String, holder: String, reference: String, textCipher: String, writtenBy: String, writtenAt: String) {
        self.id = id
        self.holder = holder
        self.reference = reference
        self.textCipher = textCipher
        self.writtenBy = writtenBy
        self.writtenAt = writtenAt
    }
}
