import Testing
@testable import SluisCovenant

/// The engine keeps fields, party kinds and consent givers as bit masks (docs/decision-engine.md).
/// A vocabulary that outgrows its mask would silently drop or alias members — a field released
/// that nobody asked for. These tests fail first, when a case is added (issue 9, item 6).
@Suite("Enum-backed sets fit their masks")
struct EnumSetWidthTests {
    @Test("Every field has its own bit in FieldSet (art. 5.1 sub a–i and health data)")
    func fieldsFitTheMask() {
        #expect(Field.allCases.count <= UInt16.bitWidth)
        #expect(Set(Field.allCases.map(\.index)).count == Field.allCases.count)
        for field in Field.allCases {
            let single = FieldSet([field])
            #expect(single.contains(field) && Field.allCases.filter(single.contains) == [field], "\(field) aliases another field")
        }
        #expect(Field.allCases.allSatisfy(FieldSet.all.contains))
    }

    @Test("Every party kind has its own bit in PartyKindSet")
    func partyKindsFitTheMask() {
        #expect(PartyKind.allCases.count <= UInt8.bitWidth)
        for kind in PartyKind.allCases { #expect(PartyKindSet([kind]).kinds == [kind], "\(kind) aliases another kind") }
    }

    @Test("Every consent giver has its own bit in ConsentGiverSet (fn 28)")
    func giversFitTheMask() {
        #expect(Set(ConsentGiver.allCases.map(\.bit)).count == ConsentGiver.allCases.count)
        for giver in ConsentGiver.allCases { #expect(ConsentGiverSet([giver]).contains(giver)) }
    }
}
