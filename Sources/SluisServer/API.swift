import Foundation
import HTTPTypes
import Hummingbird
import SluisCovenant
import SluisCrypto
import SluisGateway
import SluisRegister
import SluisStore

/// The JSON API under /v1: thin handlers that authenticate, decode, call a gateway use case
/// and encode. All rules live in SluisGateway and SluisCovenant.
struct API: Sendable {
    let gateway: Gateway
    let openAPI: String
    var clientCertificates: ServerConfiguration.ClientCertificates = .off

    /// RFC 8288 web linking (HTTPTypes has no name for it).
    static let link = HTTPField.Name("Link")!

    /// `value` as a JSON answer with `status`, encoded by the request context's response encoder
    /// (`SluisResponseEncoder`: sorted keys, unescaped slashes).
    func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> EditedResponse<JSONAnswer<T>> {
        EditedResponse(status: status, response: JSONAnswer(value: value))
    }

    func body(_ request: Request, _ context: SluisRequestContext) async throws -> [UInt8] {
        var buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// A JSON body through Hummingbird's request decoder, which for Sluis is the strict edge
    /// (`StrictRequestDecoder`): duplicate and unknown keys refused at any depth, naming the key.
    func decode<T: StrictJSONDecodable>(_ type: T.Type, _ request: Request, _ context: SluisRequestContext) async throws -> T {
        try await request.decode(as: type, context: context)
    }

    func parameter(_ context: SluisRequestContext, _ name: String) throws -> String { try context.pathParameter(name) }

    /// A page of the register from the query: `after` an entry index, `limit` positive.
    func registerPage(_ request: Request) throws -> (after: Int64?, limit: Int?) {
        let after = try query(request, "after").map { value -> Int64 in
            guard let number = Int64(value), number >= 0 else { throw GatewayError.invalid(field: "after", problem: "an entry index") }
            return number
        }
        let limit = try query(request, "limit").map { value -> Int in
            guard let number = Int(value), number > 0 else { throw GatewayError.invalid(field: "limit", problem: "a positive number") }
            return number
        }
        return (after, limit)
    }

    /// The FG's register filter from the query (each value 1–64 bytes; `limit` 100 by default;
    /// `conflictOfDuties` only `true`: the marked entries, art. 6.1 sub e).
    func registerFilter(_ request: Request) throws -> RegisterFilter {
        func text(_ name: String) throws -> String? { try query(request, name) }
        let page = try registerPage(request)
        let marked = try text("conflictOfDuties").map { value -> Bool in
            guard value == "true" else { throw GatewayError.invalid(field: "conflictOfDuties", problem: "true, or leave it out (convenant art. 6.1 sub e)") }
            return true
        } ?? false
        return RegisterFilter(from: try text("from"), to: try text("to"), subject: try text("subject"), decision: try text("decision"),
                              activity: try text("activity"), conflictOfDuties: marked, after: page.after, limit: page.limit ?? 100)
    }

    /// Logboek Dataverwerkingen records, one JSON object a line; when more follow, the next page
    /// as an RFC 8288 link: the same query with `after` the last index shown.
    func ldvPage(_ records: String, next: Int64?, _ request: Request, keep: [String: String] = [:]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson"
        if let next {
            var link = URLComponents()
            link.path = request.uri.path
            let items = request.uri.queryParameters.filter { $0.key != "after" && keep[String($0.key)] == nil }
                .map { URLQueryItem(name: String($0.key), value: String($0.value)) } + keep.map { URLQueryItem(name: $0.key, value: $0.value) }
            link.queryItems = items.sorted { $0.name < $1.name } + [URLQueryItem(name: "after", value: String(next))]
            headers[Self.link] = "<\(link.string ?? "")>; rel=\"next\""
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: records)))
    }

    // MARK: Sessions and delegates

    struct Login: StrictJSONDecodable {
        var username: String; var password: String; var code: String
        enum CodingKeys: String, CodingKey, CaseIterable { case username, password, code }
        static let jsonShape = JSONShape.object(CodingKeys.self)
    }
    struct SessionOut: Encodable { var token: String; var expiresAt: String }
    struct Me: Encodable { var id: String; var username: String; var party: String; var partyKind: String; var role: String; var kind: String }
    struct NewDelegate: StrictJSONDecodable {
        var username: String; var role: String; var password: String
        enum CodingKeys: String, CodingKey, CaseIterable { case username, role, password }
        static let jsonShape = JSONShape.object(CodingKeys.self)
    }
    struct DelegateOut: Encodable {
        var id: String; var username: String; var party: String; var role: DelegateRole; var totpProvisioningUri: String?; var disabledAt: String?
    }
    struct NewPassword: StrictJSONDecodable {
        var password: String
        enum CodingKeys: String, CodingKey, CaseIterable { case password }
        static let jsonShape = JSONShape.object(CodingKeys.self)
    }
    struct Informing: StrictJSONDecodable {
        var informedAt: String; var method: String
        enum CodingKeys: String, CodingKey, CaseIterable { case informedAt, method }
        static let jsonShape = JSONShape.object(CodingKeys.self)
    }
    struct Entries: Encodable { var entries: [EntryOut]; var next: Int64? }
    struct EntryOut: Encodable {
        var index: Int64, time: String, operation: String, activity: String, sender: String?, recipient: String?, recipientRole: String?
        var decision: String, released: [String], withheld: [String], subject: String?, bundleDigest: String?, traceId: String
        /// The fields released only because of a conflict of duties (art. 6.1 sub e); absent otherwise.
        var conflictOfDuties: [String]?
    }

    /// A login's inputs are small (the API's and the login page's alike).
    static func checkLoginSizes(username: String, password: String, code: String) throws {
        guard username.utf8.count <= 64, password.utf8.count <= 256, code.utf8.count <= 10 else {
            throw GatewayError.invalid(field: "body", problem: "username ≤ 64, password ≤ 256, code ≤ 10 bytes")
        }
    }

    /// The only routes reachable without logging in (besides /health and /openapi.json, which
    /// carry no data). Everything else under /v1 sits behind `AuthenticationMiddleware`.
    static let publicRoutes: Set<String> = ["POST /v1/sessions"]

    func add(to router: Router<SluisRequestContext>) {
        router.get("/health") { _, _ in json(["status": "ok"]) }
        router.get("/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: openAPI)))
        }

        // MARK: Public: logging in (art. 10.2: password and TOTP)

        let open = router.group("v1")
        open.post("sessions") { request, context in
            let login = try await decode(Login.self, request, context)
            try Self.checkLoginSizes(username: login.username, password: login.password, code: login.code)
            let session = try await gateway.access.login(username: login.username, password: SecureBytes(Array(login.password.utf8)),
                                                        code: login.code, trace: context.trace)
            return json(SessionOut(token: session.token, expiresAt: session.expiresAt), status: .created)
        }

        // MARK: Everything else: authenticated by default

        let v1 = router.group("v1").add(middleware: AuthenticationMiddleware(gateway: gateway, clientCertificates: clientCertificates))
        v1.delete("sessions") { request, context in
            _ = try context.requirePrincipal()
            if let header = request.headers[.authorization] { try await gateway.access.logout(token: String(header.dropFirst(7))) }
            return Response(status: .noContent)
        }
        v1.post("tokens") { _, context in
            let session = try await gateway.systemToken(for: try context.requirePrincipal(), trace: context.trace)
            return json(SessionOut(token: session.token, expiresAt: session.expiresAt), status: .created)
        }
        v1.get("me") { _, context in
            let who = try context.requirePrincipal()
            return json(Me(id: who.delegateID, username: who.username, party: who.party, partyKind: who.partyKind.rawValue,
                               role: who.role.rawValue, kind: who.kind))
        }
        v1.get("parties") { _, context in
            json(try await gateway.parties(by: try context.requirePrincipal(), trace: context.trace)
                .map { ["id": $0.id, "kind": $0.kind.rawValue, "name": $0.name, "status": $0.status.rawValue] })
        }
        v1.get("delegates") { _, context in
            json(try await gateway.delegates(by: try context.requirePrincipal(), trace: context.trace).map {
                DelegateOut(id: $0.id, username: $0.username, party: $0.party, role: $0.role, totpProvisioningUri: nil, disabledAt: $0.disabledAt)
            })
        }
        for (path, disabled) in [("disable", true), ("enable", false)] {
            v1.post("delegates/:delegateId/\(path)") { _, context in
                let record = try await gateway.setDisabled(delegate: try parameter(context, "delegateId"), disabled,
                                                           by: try context.requirePrincipal(), trace: context.trace)
                return json(DelegateOut(id: record.id, username: record.username, party: record.party, role: record.role,
                                            totpProvisioningUri: nil, disabledAt: record.disabledAt))
            }
        }
        v1.post("delegates/:delegateId/password") { request, context in
            let input = try await decode(NewPassword.self, request, context)
            let (record, uri) = try await gateway.resetDelegate(try parameter(context, "delegateId"), password: SecureBytes(Array(input.password.utf8)),
                                                                by: try context.requirePrincipal(), trace: context.trace)
            return json(DelegateOut(id: record.id, username: record.username, party: record.party, role: record.role,
                                        totpProvisioningUri: uri, disabledAt: record.disabledAt))
        }
        v1.delete("delegates/:delegateId/sessions") { _, context in
            try await gateway.endSessions(delegate: try parameter(context, "delegateId"), by: try context.requirePrincipal(), trace: context.trace)
            return Response(status: .noContent)
        }
        v1.post("delegates") { request, context in
            let input = try await decode(NewDelegate.self, request, context)
            let (record, uri) = try await gateway.createDelegate(username: input.username, role: input.role,
                                                                 password: SecureBytes(Array(input.password.utf8)),
                                                                 by: try context.requirePrincipal(), trace: context.trace)
            return json(DelegateOut(id: record.id, username: record.username, party: record.party, role: record.role, totpProvisioningUri: uri, disabledAt: nil),
                            status: .created)
        }

        // MARK: Accession of jeugdhulpaanbieders (art. 18, Bijlage 1)

        v1.get("accessions") { _, context in
            json(try await gateway.accessions(by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("accessions") { request, context in
            json(try await gateway.proposeAccession(try await decode(AccessionProposal.self, request, context), by: try context.requirePrincipal(),
                                                        trace: context.trace), status: .created)
        }
        v1.post("accessions/:accessionId/approve") { _, context in
            json(try await gateway.approveAccession(try parameter(context, "accessionId"), by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("accessions/:accessionId/signed-form") { request, context in
            json(try await gateway.completeAccession(try parameter(context, "accessionId"), try await decode(SignedForm.self, request, context),
                                                         by: try context.requirePrincipal(), trace: context.trace))
        }

        // MARK: Cases, informing, consents (case ids are the calling party's own references)

        v1.get("cases") { _, context in
            json(try await gateway.cases(by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("cases") { request, context in
            json(try await gateway.createCase(try await decode(NewCase.self, request, context), by: try context.requirePrincipal(), trace: context.trace),
                     status: .created)
        }
        // The inzage report (art. 13.1 sub a): made by the regisseur for the pupil or parents,
        // HTML or PDF, on the register with the document's SHA-256.
        v1.get("cases/:caseId/inzage") { request, context in
            let (ref, format) = (try parameter(context, "caseId"), try query(request, "format"))
            var headers = HTTPFields()
            // HEAD (answered by this GET route) is safe: checked, but no report made or registered.
            if request.method == .head {
                let checked = try await gateway.inzageFormat(ref, format: format, by: try context.requirePrincipal(), trace: context.trace)
                headers[.contentType] = checked.contentType
                return Response(status: .ok, headers: headers, body: .init())
            }
            let document = try await gateway.inzage(ref, format: format, by: try context.requirePrincipal(), trace: context.trace)
            headers[.contentType] = document.format.contentType
            headers[.contentDisposition] = "attachment; filename=\"inzage.\(document.format.rawValue)\""
            // The report holds the whole dossier: opened in a browser it runs nothing, loads
            // nothing and sits in no frame (its own <style> only; a review finding).
            headers[PageFrameMiddleware.csp] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document.bytes)))
        }
        v1.get("cases/:caseId") { _, context in
            json(try await gateway.caseView(try parameter(context, "caseId"), by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.patch("cases/:caseId") { request, context in
            json(try await gateway.updateCase(try parameter(context, "caseId"), try await decode(CaseUpdate.self, request, context),
                                                  by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("cases/:caseId/informing") { request, context in
            let input = try await decode(Informing.self, request, context)
            return json(try await gateway.recordInforming(caseRef: try parameter(context, "caseId"), informedAt: input.informedAt,
                                                              method: input.method, by: try context.requirePrincipal(), trace: context.trace),
                            status: .created)
        }
        v1.post("cases/:caseId/duo-meldingen") { request, context in
            json(try await gateway.recordDuoMelding(caseRef: try parameter(context, "caseId"), try await decode(DuoMeldingInput.self, request, context),
                                                        by: try context.requirePrincipal(), trace: context.trace), status: .created)
        }
        v1.get("cases/:caseId/duo-meldingen") { _, context in
            json(try await gateway.duoMeldingen(caseRef: try parameter(context, "caseId"), by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.patch("cases/:caseId/duo-meldingen/:meldingId") { request, context in
            json(try await gateway.setDuoMeldingStatus(caseRef: try parameter(context, "caseId"), melding: try parameter(context, "meldingId"),
                                                           try await decode(DuoMeldingStatusInput.self, request, context),
                                                           by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("cases/:caseId/duo-meldingen/:meldingId/pupil") { request, context in
            json(try await gateway.giveDuoMeldingPupil(caseRef: try parameter(context, "caseId"), melding: try parameter(context, "meldingId"),
                                                           try await decode(DuoMeldingPupilInput.self, request, context),
                                                           by: try context.requirePrincipal(), trace: context.trace))
        }
        // The leerplichtambtenaar links the earlier anonymous verzuimoverleg (Bijlage 3.1): 201
        // when this request linked, 200 when it was linked already.
        v1.post("cases/:caseId/verzuimoverleg-link") { _, context in
            let receipt = try await gateway.linkVerzuimoverleg(caseRef: try parameter(context, "caseId"), by: try context.requirePrincipal(),
                                                               trace: context.trace)
            return json(receipt, status: receipt.linked ? .created : .ok)
        }
        v1.get("cases/:caseId/consents") { _, context in
            json(try await gateway.consents(caseRef: try parameter(context, "caseId"), by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("cases/:caseId/consents") { request, context in
            json(try await gateway.recordConsent(caseRef: try parameter(context, "caseId"), try await decode(NewConsent.self, request, context),
                                                     by: try context.requirePrincipal(), trace: context.trace), status: .created)
        }
        v1.get("consents/:consentId") { _, context in
            json(try await gateway.consent(try parameter(context, "consentId"), by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("consents/:consentId/answers") { request, context in
            json(try await gateway.recordAnswer(consent: try parameter(context, "consentId"), try await decode(GiverAnswerInput.self, request, context),
                                                    by: try context.requirePrincipal(), trace: context.trace), status: .created)
        }
        v1.post("consents/:consentId/revoke") { _, context in
            json(try await gateway.revokeConsent(try parameter(context, "consentId"), by: try context.requirePrincipal(), trace: context.trace))
        }

        // MARK: The SOT (Bijlage 3.2) and the CJG's feedback without consent (protocol 5.5.4)

        v1.post("cases/:caseId/sot-questions") { request, context in
            json(try await gateway.askSotQuestion(caseRef: try parameter(context, "caseId"), try await decode(NewSotQuestion.self, request, context),
                                                      by: try context.requirePrincipal(), trace: context.trace), status: .created)
        }
        v1.get("cases/:caseId/sot-questions") { _, context in
            json(try await gateway.sotQuestions(caseRef: try parameter(context, "caseId"), by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("cases/:caseId/sot-questions/:questionId/notes") { request, context in
            json(try await gateway.recordSotNote(caseRef: try parameter(context, "caseId"), question: try parameter(context, "questionId"),
                                                     try await decode(NewSotNote.self, request, context), by: try context.requirePrincipal(),
                                                     trace: context.trace), status: .created)
        }
        v1.get("cases/:caseId/sot-questions/:questionId/notes") { _, context in
            json(try await gateway.sotNotes(caseRef: try parameter(context, "caseId"), question: try parameter(context, "questionId"),
                                                by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("cases/:caseId/cjg-feedback") { request, context in
            json(try await gateway.giveCjgFeedback(caseRef: try parameter(context, "caseId"), try await decode(CjgFeedbackInput.self, request, context),
                                                       by: try context.requirePrincipal(), trace: context.trace), status: .created)
        }

        // MARK: Disclosures, the mailbox, decisions

        v1.post("disclosures") { request, context in
            json(try await gateway.disclose(try await decode(DisclosureInput.self, request, context), by: try context.requirePrincipal(),
                                                trace: context.trace), status: .created)
        }
        v1.get("mailbox") { request, context in
            let query = request.uri.queryParameters
            let limit = try query["limit"].map { value -> Int in
                guard let number = Int(String(value)) else { throw GatewayError.invalid(field: "limit", problem: "1–500") }
                return number
            } ?? Gateway.mailboxPage
            let before = query["before"].map(String.init)
            return json(try await gateway.mailbox(limit: limit, before: before, by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("notices/:noticeId/acknowledge") { _, context in
            json(try await gateway.acknowledgeNotice(try parameter(context, "noticeId"), by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.get("mailbox/:disclosureId/bundle") { request, context in
            var headers = HTTPFields()
            headers[.contentType] = "application/pkcs7-mime; smime-type=authEnveloped-data"
            headers[.contentDisposition] = "attachment; filename=\"bundle.p7m\""
            // HEAD (answered by this GET route) moves no data: not a fetch.
            if request.method == .head {
                let length = try await gateway.bundleLength(try parameter(context, "disclosureId"), by: try context.requirePrincipal(), trace: context.trace)
                headers[.contentLength] = String(length)
                return Response(status: .ok, headers: headers, body: .init())
            }
            let bundle = try await gateway.fetch(try parameter(context, "disclosureId"), by: try context.requirePrincipal(), trace: context.trace)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bundle)))
        }
        v1.post("mailbox/:disclosureId/acknowledge") { _, context in
            json(try await gateway.acknowledgeItem(try parameter(context, "disclosureId"), by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("decisions") { request, context in
            let answer = try await gateway.decide(try await body(request, context), by: try context.requirePrincipal(), trace: context.trace)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.json(pretty: false))))
        }

        // MARK: The register, for the FG (art. 15.2)

        v1.get("register/entries") { request, context in
            let page = try await gateway.registerEntries(try registerFilter(request), by: try context.requirePrincipal(), trace: context.trace)
            return json(Entries(entries: page.entries.map {
                EntryOut(index: $0.index, time: $0.time, operation: $0.operation, activity: $0.activity, sender: $0.sender, recipient: $0.recipient,
                         recipientRole: $0.recipientRole, decision: $0.decision, released: $0.released, withheld: $0.withheld, subject: $0.subject,
                         bundleDigest: $0.bundleDigest, traceId: $0.traceID, conflictOfDuties: $0.conflictOfDuties.isEmpty ? nil : $0.conflictOfDuties)
            }, next: page.next))
        }
        // The FG's review of its party's disclosures on a conflict of duties, with their written
        // justifications (art. 6.1 sub e, 15.2); every read is on the register.
        v1.get("register/conflict-of-duties") { request, context in
            let page = try registerPage(request)
            return json(try await gateway.conflictOfDutiesDisclosures(after: page.after, limit: page.limit ?? 20, by: try context.requirePrincipal(),
                                                                      trace: context.trace))
        }
        // The same entries as Logboek Dataverwerkingen records, one JSON object a line; the next
        // page as an RFC 8288 link.
        v1.get("register/ldv") { request, context in
            let filter = try registerFilter(request)
            let page = try await gateway.registerLDV(filter, by: try context.requirePrincipal(), trace: context.trace)
            return ldvPage(page.records, next: page.next, request)
        }
        // One pupil's entries (issue 12 item 8; art. 13.1 sub a, 15.2): by the regisseur's own
        // case reference or, for the FG, by register pseudonym; LDV records, paged like the above.
        v1.get("register/subjects") { request, context in
            let page = try registerPage(request)
            let through = try query(request, "through").map { value -> Int64 in
                guard let number = Int64(value), number >= -1 else { throw GatewayError.invalid(field: "through", problem: "an entry index") }
                return number
            }
            let input = SubjectQueryInput(caseRef: try query(request, "case"), subject: try query(request, "subject"), from: try query(request, "from"),
                                          to: try query(request, "to"), after: page.after, through: through, limit: page.limit)
            let answer = try await gateway.subjectRecords(input, by: try context.requirePrincipal(), trace: context.trace)
            return ldvPage(answer.records, next: answer.next, request, keep: ["through": String(answer.through)])
        }
        v1.get("register/checkpoint") { _, context in
            let checkpoint = try await gateway.checkpoint(by: try context.requirePrincipal(), trace: context.trace)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: checkpoint)))
        }

        // MARK: Retention and statistics (art. 9.2, 9.3; issue 11 items 5–6)

        v1.get("retention") { request, context in
            try onlyQuery(request, [], hint: "; what a run on a later day would destroy: `sluis retention run --dry-run --today YYYY-MM-DD`")
            return json(try await gateway.retentionReport(by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.get("statistics") { request, context in
            try onlyQuery(request, ["format"])
            let answer = try await gateway.statistics(format: try query(request, "format"), by: try context.requirePrincipal(), trace: context.trace)
            var headers = HTTPFields()
            headers[.contentType] = answer.contentType
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }

        // MARK: Absence and the verzuimoverleg (issue 10 items 1 and 3)

        addAbsence(to: v1)
        addThuiszitterstafel(to: v1)
        addRights(to: v1)
    }
}
