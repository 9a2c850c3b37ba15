import Foundation
import SluisCovenant
import SluisGateway
import SluisStore

/// One pupil's counts over the window, in Dutch (convenant art. 5.1 sub d: absence in general words).
struct VerzuimoverlegRow {
    let pupil: String, unauthorised: String, authorised: String, late: String, sick: String, id: String

    /// `position`: the row's place on the page, for the checkbox's id.
    init(_ pupil: VerzuimoverlegPupil, position: Int) {
        let unit = pupil.counts.hourUnit.map { $0 == "klokuur" ? "klokuren" : "lesuren" } ?? "uur"
        func hours(_ value: Double) -> String {
            value == 0 ? "0" : (value == value.rounded() ? String(Int(value)) : String(value)) + " " + unit
        }
        self.pupil = pupil.pupil
        (unauthorised, authorised) = (hours(pupil.counts.unauthorisedHours), hours(pupil.counts.authorisedHours))
        (late, sick) = (String(pupil.counts.lateArrivals), String(pupil.counts.sickReports))
        id = "weglaten-\(position)"
    }

    static func rows(_ pupils: [VerzuimoverlegPupil]) -> [VerzuimoverlegRow] {
        pupils.enumerated().map { VerzuimoverlegRow($1, position: $0) }
    }
}

/// The verzuimoverleg page: the filter's list today, the share form, the lists shared before.
struct VerzuimoverlegPage {
    struct Recipient { let value: String; let label: String; let id: String }
    struct Shared { let href: String; let meetingDate: String; let pupils: Int; let sharedWith: String }
    let asOf: String, windowFrom: String
    let rows: [VerzuimoverlegRow]
    let empty: Bool
    let recipients: [Recipient]
    let lists: [Shared]
    let noLists: Bool
    let problem: PageProblem?

    init(_ view: VerzuimoverlegCandidatesView, lists summaries: [VerzuimoverlegListSummary], parties: [PartyRecord], problem: PageProblem?) {
        (asOf, windowFrom) = (view.asOf, view.windowFrom)
        rows = VerzuimoverlegRow.rows(view.pupils)
        empty = rows.isEmpty
        // Whom Bijlage 3.1 sub 1 seats at the table (the gateway refuses anyone else, 403).
        recipients = parties.filter { [.gemeente, .jgz].contains($0.kind) }.map {
            Recipient(value: $0.id, label: "\($0.name) (\($0.kind == .gemeente ? "leerplichtambtenaar" : "jeugdverpleegkundige"))", id: "ontvanger-\($0.id)")
        }
        lists = summaries.map {
            Shared(href: "/school/verzuimoverleg/\($0.id)", meetingDate: $0.meetingDate, pupils: $0.pupils, sharedWith: $0.sharedWith.joined(separator: ", "))
        }
        noLists = lists.isEmpty
        self.problem = problem
    }
}

/// One shared list: the school's own keys with the counts, and per participant what it received.
struct VerzuimoverlegListPage {
    struct Share { let recipient: String; let sees: String; let register: String; let sharedAt: String }
    let meetingDate: String, asOf: String, windowFrom: String
    let rows: [VerzuimoverlegRow]
    let shares: [Share]

    init(_ list: VerzuimoverlegSchoolList) {
        (meetingDate, asOf, windowFrom) = (list.meetingDate, list.asOf, list.windowFrom)
        rows = VerzuimoverlegRow.rows(list.pupils)
        shares = list.sharedWith.map { share in
            let who = share.recipientRole == nil ? "De jeugdverpleegkundige" : "De leerplichtambtenaar"
            return Share(recipient: PageWords.party(share.recipient, role: share.recipientRole),
                         sees: "\(who) ziet per leerling alleen de aantallen hieronder, onder een eigen kenmerk dat niemand anders heeft: geen leerlingsleutel, geen naam, geen datum",
                         register: String(share.registerIndex), sharedAt: PageWords.time(share.sharedAt))
        }
    }
}
