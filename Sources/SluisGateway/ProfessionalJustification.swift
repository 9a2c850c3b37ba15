import Foundation
public import SluisCovenant

/// `conflictOfDuties` of a disclosure: the sender invokes a conflict of duties (convenant art.
/// 6.1 sub e) and gives its written professional justification — in place of the consent it
/// does not have. Only then is the engine asked with `conflictOfDuties: true`.
public struct ConflictOfDutiesInput: Sendable, Codable, Equatable {
    /// The professional's own weighing, in writing: plain text of 20–4,000 characters, one or
    /// more lines (`\n` or `\r\n`), no other control or format characters. Kept encrypted with
    /// the disclosure for the FG of the sending party; never on the register, in a bundle or a log.
    public var justification: String

    public init(justification: String) { self.justification = justification }

    enum CodingKeys: String, CodingKey, CaseIterable { case justification }
}

extension ConflictOfDutiesInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// The rules a written justification meets (art. 6.1 sub e asks a weighing "conform de voor hem
/// geldende professionele standaarden", written so that it can be checked afterwards): text a
/// person reads, long enough to hold a reason, short enough for one request. Problems name the
/// key, never the text.
enum ProfessionalJustification {
    static let key = "conflictOfDuties.justification"
    /// Characters (grapheme clusters) of the text without its leading and trailing white space.
    static let minCharacters = 20
    static let maxCharacters = 4_000
    /// A bound on the stored size whatever the characters are made of.
    static let maxBytes = 16_000

    /// The justification as given, or `GatewayError.invalid` naming `conflictOfDuties.justification`.
    static func validated(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw GatewayError.invalid(field: key, problem: "empty: a conflict of duties needs a written professional justification (convenant art. 6.1 sub e)")
        }
        guard trimmed.count >= minCharacters else {
            throw GatewayError.invalid(field: key, problem: "too short: at least \(minCharacters) characters of the professional's own weighing (convenant art. 6.1 sub e)")
        }
        guard text.count <= maxCharacters, text.utf8.count <= maxBytes else {
            throw GatewayError.invalid(field: key, problem: "too long: at most \(maxCharacters) characters")
        }
        // Line breaks as \n or \r\n; nothing that hides or reorders what a reader sees.
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n")
        guard !lines.unicodeScalars.contains(where: { $0 != "\n" && Self.hidden.contains($0.properties.generalCategory) }) else {
            throw GatewayError.invalid(field: key, problem: "plain text: no control or format characters; line breaks only as \\n or \\r\\n")
        }
        guard !text.unicodeScalars.contains(where: Self.isBlankLookingFiller) else {
            throw GatewayError.invalid(field: key, problem: "plain text: no characters that look blank (fillers, braille blank, variation selectors)")
        }
        // Written to be read by the FG (art. 15.2), in the covenant's language: words in the
        // Latin script, at least half the minimum length of them (an attacker's finding: twenty
        // invisible "letters" passed a one-letter rule).
        guard text.unicodeScalars.filter({ $0.properties.isAlphabetic && $0.value <= 0x024F }).count >= minCharacters / 2 else {
            throw GatewayError.invalid(field: key, problem: "words: at least \(minCharacters / 2) letters of the Latin script (a–z, with accents)")
        }
        return text
    }

    /// Characters that are letters or symbols to Unicode but show as nothing.
    static func isBlankLookingFiller(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x180E, 0xFE00...0xFE0F, 0xE0100...0xE01EF, 0x034F: true
        default: scalar.properties.generalCategory == .nonspacingMark && scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    private static let hidden: Set<Unicode.GeneralCategory> = [
        .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
    ]

    /// The data vault's additional data: a justification opens only with its own disclosure.
    static func context(disclosure id: String) -> String { "conflict-of-duties:\(id)" }
}
