/// Who gave a consent (contract `consents[].givenBy`): the pupil or a parent/legal
/// representative (art. 1.4).
public enum ConsentGiver: String, CaseIterable, Sendable, Hashable, Codable {
    case pupil, parent

    var bit: UInt8 { self == .pupil ? 1 : 2 }
}

/// A set of consent givers as a bit mask, so the age rule (fn 28) is one AND.
public struct ConsentGiverSet: Sendable, Hashable, ExpressibleByArrayLiteral {
    public private(set) var mask: UInt8 = 0
    public init() {}
    public init(_ givers: some Sequence<ConsentGiver>) { for giver in givers { insert(giver) } }
    public init(arrayLiteral givers: ConsentGiver...) { self.init(givers) }
    init(mask: UInt8) { self.mask = mask }
    public mutating func insert(_ giver: ConsentGiver) { mask |= giver.bit }
    public func contains(_ giver: ConsentGiver) -> Bool { mask & giver.bit != 0 }
    public func isSuperset(of other: ConsentGiverSet) -> Bool { mask & other.mask == other.mask }
    public func union(_ other: ConsentGiverSet) -> ConsentGiverSet { ConsentGiverSet(mask: mask | other.mask) }
    public var isEmpty: Bool { mask == 0 }
    public var givers: [ConsentGiver] { ConsentGiver.allCases.filter(contains) }
}
