import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SluisGateway

/// The school's absence registrations and signals, and the verzuimoverleg (contract
/// absence.md; verzuimprotocol 5.4.1, Bijlage 3.1): thin handlers, every rule in the gateway.
extension API {
    /// Refuses a query parameter the route does not take, naming it (as `[a key]` where it may
    /// be personal data): a parameter silently ignored looks like one that worked.
    func onlyQuery(_ request: Request, _ names: Set<String>, hint: String = "") throws {
        if let unknown = request.uri.queryParameters.first(where: { !names.contains(String($0.key)) }) {
            let takes = names.isEmpty ? "this route takes no query parameters" : "this route takes only \(names.sorted().joined(separator: ", "))"
            throw GatewayError.invalid(field: String(unknown.key), problem: takes + hint)
        }
    }

    /// An optional query parameter: absent, or 1–64 bytes.
    func query(_ request: Request, _ name: String) throws -> String? {
        guard let value = request.uri.queryParameters[name[...]].map(String.init) else { return nil }
        guard !value.isEmpty, value.utf8.count <= 64 else { throw GatewayError.invalid(field: name, problem: "1–64 bytes") }
        return value
    }

    /// A body of the contract's JSON text, as the gateway wrote it.
    func jsonText(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func addAbsence(to v1: RouterGroup<SluisRequestContext>) {
        v1.post("absence/imports") { request, context in
            let period = AbsenceImportPeriod(from: try query(request, "from"), to: try query(request, "to"))
            let receipt = try await gateway.importAbsence(contentType: request.headers[.contentType], period: period, body: {
                do {
                    var buffer = try await request.body.collect(upTo: Gateway.absenceFileLimit)
                    return buffer.readBytes(length: buffer.readableBytes) ?? []
                } catch is NIOTooManyBytesError {
                    throw Problem(status: .contentTooLarge, code: .bodyTooLarge, title: "Verzoek te groot",
                                  detail: "an absence file is at most \(Gateway.absenceFileLimit / 1024 / 1024) MiB; split it by period",
                                  type: Problem.typeBase + "te-groot")
                }
            }, by: try context.requirePrincipal(), trace: context.trace)
            return json(receipt, status: .created)
        }
        v1.get("absence/signals") { request, context in
            jsonText(try await gateway.absenceSignals(today: try query(request, "today"), by: try context.requirePrincipal(), trace: context.trace))
        }

        // MARK: The verzuimoverleg: the school's side

        v1.get("verzuimoverleg/candidates") { request, context in
            json(try await gateway.verzuimoverlegCandidates(asOf: try query(request, "asOf"), by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("verzuimoverleg/lists") { request, context in
            json(try await gateway.shareVerzuimoverleg(try await decode(VerzuimoverlegShareInput.self, request, context),
                                                           by: try context.requirePrincipal(), trace: context.trace), status: .created)
        }
        v1.get("verzuimoverleg/lists") { _, context in
            json(try await gateway.verzuimoverlegLists(by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.get("verzuimoverleg/lists/:listId") { _, context in
            json(try await gateway.verzuimoverlegList(try parameter(context, "listId"), by: try context.requirePrincipal(), trace: context.trace))
        }

        // MARK: The verzuimoverleg: the recipients' side

        v1.get("verzuimoverleg/shared") { _, context in
            json(try await gateway.receivedVerzuimoverlegLists(by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.get("verzuimoverleg/shared/:listId") { _, context in
            json(try await gateway.receivedVerzuimoverlegList(try parameter(context, "listId"), by: try context.requirePrincipal(),
                                                                  trace: context.trace))
        }
        v1.post("verzuimoverleg/references/:reference/notes") { request, context in
            json(try await gateway.addVerzuimoverlegNote(reference: try parameter(context, "reference"),
                                                             try await decode(VerzuimoverlegNoteInput.self, request, context),
                                                             by: try context.requirePrincipal(), trace: context.trace), status: .created)
        }
    }
}
