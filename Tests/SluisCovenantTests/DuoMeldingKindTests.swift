import Testing
@testable import SluisCovenant

/// The closed list of what a school reports at DUO, and the forward-only status of a melding.
@Suite("DUO melding kinds and status")
struct DuoMeldingKindTests {
    /// The signals of `../shared/contract/absence.md`, and which of them ask for a DUO melding
    /// (protocol 5.5 and its late-arrival table; Bijlage 4). Worrying sick leave goes to CJG and
    /// SOT (5.5.4); the 3rd and 6th late arrival ask for a talk and a letter.
    static let contractSignals = ["relatief-verzuim", "te-laat-3", "te-laat-6", "te-laat-9", "te-laat-12", "luxe-verzuim", "zorgwekkend-ziekteverzuim"]
    static let signalsAskingAMelding: Set = ["relatief-verzuim", "te-laat-9", "te-laat-12", "luxe-verzuim"]

    @Test("Protocol 5.5, Bijlage 4: every kind cites where the protocol sends it to DUO")
    func bijlage4_everyKindCitesItsSource() {
        for kind in DuoMeldingKind.allCases {
            #expect(kind.article.contains("Bijlage 4") || kind.article.contains("5.5"), "\(kind)")
        }
        #expect(DuoMeldingKind.relatiefVerzuim.article.hasPrefix("Leerplichtwet art. 21a"), "the statutory melding")
        #expect(Set(DuoMeldingKind.allCases.map(\.rawValue)).count == DuoMeldingKind.allCases.count)
    }

    @Test("Contract absence.md, protocol 5.5: each signal that asks a DUO melding is answered by exactly one kind; no other signal by any")
    func protocol5_5_kindsAnswerTheSignalsThatAskAMelding() {
        for signal in Self.contractSignals {
            let answering = DuoMeldingKind.allCases.filter { $0.answers.contains(signal) }
            #expect(answering.count == (Self.signalsAskingAMelding.contains(signal) ? 1 : 0), "\(signal): \(answering)")
        }
        #expect(Set(DuoMeldingKind.allCases.flatMap(\.answers)).isSubset(of: Set(Self.contractSignals)))
    }

    @Test("Protocol 5.5.2: the status moves forward only — received, in behandeling, afgesloten; nothing comes after afgesloten")
    func protocol5_5_2_statusMovesForwardOnly() {
        #expect(DuoMeldingStatus.allCases == [.received, .inBehandeling, .afgesloten])
        #expect(DuoMeldingStatus.received.predecessors.isEmpty)
        #expect(DuoMeldingStatus.inBehandeling.predecessors == [.received])
        #expect(DuoMeldingStatus.afgesloten.predecessors == [.received, .inBehandeling])
        #expect(!DuoMeldingStatus.allCases.contains { DuoMeldingStatus.afgesloten < $0 })
    }
}
