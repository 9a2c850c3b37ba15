/// The field vocabulary of art. 5.1 sub a–i plus health data (special category, art. 1.2,
/// AVG art. 9). A name outside this vocabulary is never released (art. 5.1: "ten hoogste").
public enum Field: String, CaseIterable, Sendable, Hashable, Codable {
    case name, birthDate, address   // sub a
    case bsn                        // sub b
    case lastSchool                 // sub c
    case absence                    // sub d
    case guardianship               // sub e
    case familySituation            // sub f
    case supportFacts               // sub g
    case masInterventions           // sub h
    case schoolInterventions        // sub i
    case healthData                 // art. 1.2 (bijzonder persoonsgegeven)

    /// Position in `allCases`, so that set membership is one shift.
    public var index: Int {
        switch self {
        case .name: 0
        case .birthDate: 1
        case .address: 2
        case .bsn: 3
        case .lastSchool: 4
        case .absence: 5
        case .guardianship: 6
        case .familySituation: 7
        case .supportFacts: 8
        case .masInterventions: 9
        case .schoolInterventions: 10
        case .healthData: 11
        }
    }
    static let byName: [String: Field] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    /// Looks up a field name from a request or policy file.
    public static func named(_ name: String) -> Field? { byName[name] }
}

/// How a field is treated: identity fields go only when identity may go; special-category
/// fields only with explicit consent (`Policies/fields.yaml`).
public enum FieldCategory: String, CaseIterable, Sendable {
    case identity, `case`, special
}

/// A set of fields as a bit mask: the engine's per-field checks never allocate.
public struct FieldSet: Sendable, Hashable {
    public private(set) var mask: UInt16 = 0
    public init() {}
    public init(_ fields: some Sequence<Field>) { for field in fields { insert(field) } }
    public static let all = FieldSet(Field.allCases)
    public mutating func insert(_ field: Field) { mask |= 1 << UInt16(field.index) }
    public mutating func formUnion(_ other: FieldSet) { mask |= other.mask }
    public func contains(_ field: Field) -> Bool { mask & (1 << UInt16(field.index)) != 0 }
    public var isEmpty: Bool { mask == 0 }
    public var fields: [Field] { Field.allCases.filter(contains) }
}
