import Foundation
public import SluisCovenant
public import SluisRegister
import SluisStore

/// The CJG's feedback to the school without consent (verzuimprotocol 5.5.4, procedure CJG
/// sub 4; Bijlage 4): only that a conversation took place, and when.
public struct CjgFeedbackInput: Sendable, Codable {
    /// The school board to tell: one taking part in the case (it reported the sick leave).
    public var recipient: String
    /// The day of the conversation (YYYY-MM-DD): not in the future, not before the pupil was born.
    public var conversationOn: String

    enum CodingKeys: String, CodingKey, CaseIterable { case recipient, conversationOn }
}

extension CjgFeedbackInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

extension Gateway {
    /// The purpose the feedback serves (art. 3.1 sub g: samenwerking): the school can follow up,
    /// and report to DUO when the absence goes on (Bijlage 4). Interpretation.
    static let cjgFeedbackPurpose = "3.1.g"

    /// Verzuimprotocol 5.5.4, procedure CJG sub 4: without consent the CJG passes on "dat er een
    /// gesprek heeft plaatsgevonden maar dat er geen toestemming is gegeven voor overdracht van de
    /// inhoud". Its own kind of disclosure: the engine decides it as the flow `cjg-terugkoppeling`
    /// (policy data: the route jgz → schoolbestuur, the one field `conversationHeld`, its own
    /// basis and article), sealed to the school board's mailbox like every bundle, on the
    /// register under its own processing activity. The content is fixed by the gateway — the day
    /// and a set sentence — and it rests on no consent.
    public func giveCjgFeedback(caseRef: String, _ input: CjgFeedbackInput, by principal: Principal, trace: TraceContext) async throws -> DisclosureReceipt {
        let access = try await caseAccess(caseRef, .giveCjgFeedback, principal, trace: trace)
        guard let recipient = try await store.party(input.recipient), recipient.kind == .schoolbestuur,
              try await store.parties(ofCase: access.record.id).contains(recipient.id) else {
            throw GatewayError.invalid(field: "recipient", problem: "a school board taking part in the case (verzuimprotocol 5.5.4)")
        }
        guard let day = CalendarDate(input.conversationOn), day <= today, try birthDay(access.record) <= day else {
            throw GatewayError.invalid(field: "conversationOn", problem: "the day of the conversation as YYYY-MM-DD: not in the future, not before the pupil was born")
        }
        let disclosure = DisclosureInput(caseId: caseRef, recipient: recipient.id, recipientRole: nil, forum: Forum.cjgTerugkoppeling.rawValue,
                                         purpose: Self.cjgFeedbackPurpose, fields: [Field.conversationHeld.rawValue], sotQuestion: nil)
        return try await decideAndDisclose(disclosure, caseID: access.record.id, recipient: recipient, payload: .conversationHeld(on: day.description),
                                           principal: principal, trace: trace)
    }
}
