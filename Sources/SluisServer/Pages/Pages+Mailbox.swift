import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SluisCrypto
import SluisGateway

/// The mailbox pages (issue 13 item 5) for every role that reads a mailbox (leerplicht, school,
/// SWV, jeugdhulp, CJG): what was disclosed to the party (at a gemeente: to the delegate's
/// role, art. 7.3), the thuiszitterstafel's agendas and minutes, and the notices; open a bundle
/// (decrypted by the gateway with the party's key, which it holds — docs/pages.md), download
/// the `.p7m` to open it with `openssl cms`, acknowledge. Fetching and acknowledging go on the
/// register as over the API (art. 10, 15).
extension Pages {
    func addMailbox(to pages: RouterGroup<SluisRequestContext>) {
        pages.get("/postvak") { _, context in
            let mailbox = try await gateway.mailbox(by: try context.requirePrincipal(), trace: context.trace)
            return Self.html(PageFrame(title: "Postvak", session: try SessionFrame(context), content: MailboxPage(mailbox)), "postvak")
        }
        // HEAD (answered by these GET routes) moves no data: the same authority, no fetch on the
        // register, nothing marked fetched (RFC 9110 §9.3.2), as over the API.
        pages.get("/postvak/:itemId") { request, context in
            let id = try parameter(context, "itemId")
            if request.method == .head { return try await headOnly(id, context, contentType: "text/html; charset=utf-8") }
            let opened = try await gateway.openBundle(id, by: try context.requirePrincipal(), trace: context.trace)
            return Self.html(PageFrame(title: "Bericht", session: try SessionFrame(context), content: OpenedPage(id: id, opened)), "postvak-bericht")
        }
        pages.get("/postvak/:itemId/bundel.p7m") { request, context in
            let id = try parameter(context, "itemId")
            if request.method == .head { return try await headOnly(id, context, contentType: Self.bundleType) }
            let bundle = try await gateway.fetch(id, by: try context.requirePrincipal(), trace: context.trace)
            var headers = HTTPFields()
            headers[.contentType] = Self.bundleType
            headers[.contentDisposition] = "attachment; filename=\"bundel.p7m\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bundle)))
        }
        pages.post("/postvak/:itemId/ontvangst") { _, context in
            _ = try await gateway.acknowledgeItem(try parameter(context, "itemId"), by: try context.requirePrincipal(), trace: context.trace)
            return Self.redirect("/postvak")
        }
        pages.post("/postvak/meldingen/:noticeId/ontvangst") { _, context in
            _ = try await gateway.acknowledgeNotice(try parameter(context, "noticeId"), by: try context.requirePrincipal(), trace: context.trace)
            return Self.redirect("/postvak")
        }
    }

    static let bundleType = "application/pkcs7-mime; smime-type=authEnveloped-data"

    /// A HEAD answer for a mailbox item: authorized like a fetch (`bundleLength`), no body.
    func headOnly(_ id: String, _ context: SluisRequestContext, contentType: String) async throws -> Response {
        _ = try await gateway.bundleLength(id, by: try context.requirePrincipal(), trace: context.trace)
        return Response(status: .ok, headers: [.contentType: contentType])
    }
}

struct MailboxPage {
    struct Item {
        let href: String; let download: String; let acknowledge: String
        let what: String; let caseRef: String; let sender: String; let forum: String; let purpose: String; let fields: String
        let received: String; let fetched: String; let acknowledged: String?
    }
    struct Notice { let acknowledge: String; let kind: String; let caseRef: String; let reason: String?; let created: String; let acknowledged: String? }
    let items: [Item]
    let notices: [Notice]
    let empty: Bool
    let noNotices: Bool

    /// Art. 11.5 in its own words: with the consent, the recipient's consent for processing and
    /// further processing lapses too (earlier processing stays lawful: art. 12.4 sub e, fn 26).
    static let revoked = "De toestemming waarop u deze gegevens ontving is ingetrokken. Daarmee vervalt ook voor u de toestemming "
        + "voor verwerking en verdere verwerking (convenant art. 11.5); wat vóór de intrekking gebeurde blijft rechtmatig."

    init(_ mailbox: Mailbox) {
        let disclosures = mailbox.disclosures.map {
            Item(href: "/postvak/\($0.id)", download: "/postvak/\($0.id)/bundel.p7m", acknowledge: "/postvak/\($0.id)/ontvangst",
                 what: "Verstrekking", caseRef: $0.caseId, sender: $0.sender, forum: PageWords.word(PageWords.forums, $0.forum), purpose: $0.purpose,
                 fields: $0.released.map(PageWords.field).joined(separator: ", "), received: PageWords.time($0.created),
                 fetched: $0.fetchedAt.map(PageWords.time) ?? "nog niet", acknowledged: $0.acknowledgedAt.map(PageWords.time))
        }
        let meetings = mailbox.meetings.map {
            Item(href: "/postvak/\($0.id)", download: "/postvak/\($0.id)/bundel.p7m", acknowledge: "/postvak/\($0.id)/ontvangst",
                 what: $0.kind == "agenda" ? "Agenda thuiszitterstafel" : "Verslag thuiszitterstafel", caseRef: "\($0.pupils) leerling(en)",
                 sender: $0.sender, forum: PageWords.word(PageWords.forums, $0.forum), purpose: $0.purpose, fields: "—",
                 received: PageWords.time($0.created), fetched: $0.fetchedAt.map(PageWords.time) ?? "nog niet",
                 acknowledged: $0.acknowledgedAt.map(PageWords.time))
        }
        items = (disclosures + meetings).sorted { $0.received > $1.received }
        notices = mailbox.notices.map {
            Notice(acknowledge: "/postvak/meldingen/\($0.id)/ontvangst", kind: PageWords.word(PageWords.noticeKinds, $0.kind), caseRef: $0.caseId,
                   reason: $0.reason ?? ($0.kind == "consent-revoked" ? Self.revoked : nil),
                   created: PageWords.time($0.created), acknowledged: $0.acknowledgedAt.map(PageWords.time))
        }
        empty = items.isEmpty
        noNotices = notices.isEmpty
    }
}

/// An opened bundle: the signer, and the content's top-level values and its fields.
struct OpenedPage {
    struct Row { let name: String; let value: String }
    let download: String
    let acknowledge: String
    let signer: String
    let algorithm: String
    let about: [Row]
    let fields: [Row]
    let hasFields: Bool
    /// A thuiszitterstafel agenda or minutes: the pupils of the participant's view, in Dutch.
    let items: [AgendaPage.Item]
    let isMeeting: Bool

    static let names: [String: String] = [
        "caseId": "Uw dossierkenmerk", "pseudonym": "Pseudoniem", "sender": "Afzender", "recipient": "Ontvanger", "recipientRole": "Rol ontvanger",
        "forum": "Overleg", "purpose": "Doel", "identity": "Herkenbaarheid", "created": "Verstrekt op", "kind": "Soort", "meeting": "Overleg",
        "basis": "Grondslag", "version": "Versie", "corrects": "Corrigeert uw bericht",
    ]

    init(id: String, _ opened: OpenedBundle) {
        download = "/postvak/\(id)/bundel.p7m"
        acknowledge = "/postvak/\(id)/ontvangst"
        signer = opened.signer
        algorithm = opened.signatureAlgorithm
        let object = opened.content.withUnsafeBytes { (try? JSONSerialization.jsonObject(with: Data($0))) as? [String: Any] } ?? [:]
        var about: [Row] = [], fields: [Row] = [], items: [AgendaPage.Item] = []
        for key in object.keys.sorted() {
            let value = object[key]!
            if key == "view", let view = value as? [String: Any] {
                items = (view["items"] as? [[String: Any]] ?? []).map(AgendaPage.Item.init(json:))
            } else if key == "fields", let values = value as? [String: Any] {
                fields = values.keys.sorted().map { Row(name: PageWords.field($0), value: Self.text(values[$0]!)) }
            } else {
                about.append(Row(name: Self.names[key] ?? key, value: Self.words(key, value)))
            }
        }
        (self.about, self.fields, hasFields, self.items, isMeeting) = (about, fields, !fields.isEmpty, items, !items.isEmpty)
    }

    /// A value of the bundle in Dutch words where Sluis has them: the identity, times, forums,
    /// and each legal basis as "AVG …; law; article".
    static func words(_ key: String, _ value: Any) -> String {
        switch (key, value) {
        case ("identity", let text as String): return text == "identified" ? "herkenbaar" : text == "pseudonymised" ? "onder pseudoniem" : text
        case ("created", let text as String): return PageWords.time(text)
        case ("forum", let text as String): return PageWords.word(PageWords.forums, text)
        case ("recipientRole", let text as String): return PageWords.word(PageWords.partyRoles, text)
        case ("basis", let bases as [[String: Any]]):
            return bases.map { basis in
                ((basis["gdpr"] as? String).map { ["AVG art. " + $0] } ?? []) + (basis["law"] as? [String] ?? []) + [(basis["article"] as? String)].compactMap { $0 }
            }.map { $0.joined(separator: "; ") }.joined(separator: " — ")
        default: return text(value)
        }
    }

    static func text(_ value: Any) -> String {
        if let string = value as? String { return string }
        if let number = value as? NSNumber { return number.stringValue }
        guard JSONSerialization.isValidJSONObject(value), let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
