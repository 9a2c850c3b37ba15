import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SluisGateway
import SluisRegister
import SluisStore

/// The FG's further pages (issue 13 item 6; convenant art. 15.2–15.3): an entry with its
/// inclusion proof, the register's integrity with a saved checkpoint, charts, the art. 30
/// register, rights requests, and the register as CSV. Each calls the gateway's use case with
/// the FG's `Principal`; every view is an inspection entry on the register (the gateway writes
/// it), HEAD shows and registers nothing (RFC 9110 §9.3.2).
extension Pages {
    func addFG(to pages: RouterGroup<SluisRequestContext>) {
        pages.get("/fg/register/:index") { request, context in
            let text = try parameter(context, "index")
            guard let index = Int64(text), index >= 0 else { throw GatewayError.notFound(.registerEntryNotFound, "register entry") }
            let proof = try await gateway.registerEntryProof(index, reading: request.method != .head, by: try context.requirePrincipal(), trace: context.trace)
            return Self.html(PageFrame(title: "Registerregel \(index)", session: try SessionFrame(context), content: EntryProofPage(index: index, proof)),
                             "fg-regel")
        }
        pages.get("/fg/register.csv") { request, context in
            let principal = try context.requirePrincipal()
            let query = RegisterQuery(request)
            let page = try await gateway.registerEntries(try query.filter(limit: RegisterFilter.maxLimit), reading: request.method != .head,
                                                         by: principal, trace: context.trace)
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8; header=present"
            headers[.contentDisposition] = "attachment; filename=\"register.csv\""
            // More than one file's worth: the next file's address, as for the page (RFC 8288).
            if let next = page.next { headers[API.link] = "<\(query.next(next, path: "/fg/register.csv"))>; rel=\"next\"" }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: RegisterExport.render(page.entries, as: .csv))))
        }
        pages.get("/fg/integriteit") { request, context in
            try await integrityPage(context, saved: nil, reading: request.method != .head)
        }
        pages.post("/fg/integriteit") { _, context in
            // "Alles opnieuw berekenen": a whole check now, not one that goes on from the last.
            if context.form?.values["volledig"] != nil { return try await integrityPage(context, saved: nil, whole: true) }
            // A textarea sends its lines with CRLF (HTML §4.10.21.5); a checkpoint's are LF, and end in one.
            let sent = (context.form?.values["checkpoint"]?.first ?? "").replacingOccurrences(of: "\r\n", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                // Empty is refused by the gateway as malformed, after its authority check.
                return try await integrityPage(context, saved: sent.isEmpty ? "" : sent + "\n")
            } catch let refusal as CheckpointRefusal {
                return try await integrityPage(context, saved: nil, refusal: IntegrityPage.words(refusal, empty: sent.isEmpty), status: .badRequest)
            }
        }
        pages.get("/fg/integriteit/checkpoint.txt") { _, context in
            let checkpoint = try await gateway.checkpoint(by: try context.requirePrincipal(), trace: context.trace)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"sluis-checkpoint.txt\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: checkpoint)))
        }
        pages.get("/fg/grafieken") { request, context in
            let query = RegisterQuery(request)
            for (value, field) in [(query.from, "van"), (query.to, "tot")] where (value?.utf8.count ?? 0) > 64 {
                throw GatewayError.invalid(field: field, problem: "at most 64 bytes")
            }
            let chart = try await gateway.registerChart(from: query.from, to: query.to, reading: request.method != .head,
                                                        by: try context.requirePrincipal(), trace: context.trace)
            return Self.html(PageFrame(title: "Grafieken", session: try SessionFrame(context), content: ChartPage(query: query, chart: chart)), "fg-grafieken")
        }
        pages.get("/fg/verwerkingsregister") { request, context in
            let list = try await gateway.processingRegister(reading: request.method != .head, by: try context.requirePrincipal(), trace: context.trace)
            return Self.html(PageFrame(title: "Verwerkingsregister", session: try SessionFrame(context), content: ProcessingPage(list)),
                             "fg-verwerkingsregister")
        }
        pages.get("/fg/verzoeken") { request, context in
            let views = try await gateway.rightsOversight(reading: request.method != .head, by: try context.requirePrincipal(), trace: context.trace)
            return Self.html(PageFrame(title: "Rechtenverzoeken", session: try SessionFrame(context), content: RightsOversightPage(views)), "fg-verzoeken")
        }
    }

    /// The integrity page: the verification, the newest checkpoint, and a saved one's consistency.
    func integrityPage(_ context: SluisRequestContext, saved: String?, whole: Bool = false, reading: Bool = true,
                       refusal: IntegrityPage.Refusal? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = try context.requirePrincipal()
        var integrity: RegisterIntegrity?
        if reading && refusal == nil {
            integrity = try await gateway.registerIntegrity(saved: saved, whole: whole, by: principal, trace: context.trace)
        } else if refusal == nil {
            // HEAD: the authority only (an empty register has no checkpoint yet: still allowed).
            do { _ = try await gateway.checkpoint(by: principal, trace: context.trace) } catch GatewayError.notFound {}
        }
        return Self.html(PageFrame(title: "Integriteit van het register", session: try SessionFrame(context),
                                   content: IntegrityPage(integrity, refusal: refusal)), "fg-integriteit", status: status)
    }
}
