import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SluisGateway

/// The thuiszitterstafel (verzuimprotocol hoofdstuk 5; Bijlage 3.3; issue 11 items 1–3): the
/// SWV's list, its agendas and minutes — thin handlers, every rule in the gateway.
extension API {
    func addThuiszitterstafel(to v1: RouterGroup<SluisRequestContext>) {
        // MARK: The list

        v1.get("thuiszitterstafel/entries") { _, context in
            json(try await gateway.tafelList(by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("thuiszitterstafel/entries") { request, context in
            json(try await gateway.registerOnTafel(try await decode(TafelRegistrationInput.self, request, context), by: try context.requirePrincipal(),
                                                       trace: context.trace), status: .created)
        }
        v1.patch("thuiszitterstafel/entries/:entryId") { request, context in
            json(try await gateway.updateTafelEntry(try parameter(context, "entryId"), try await decode(TafelEntryUpdate.self, request, context),
                                                        by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("thuiszitterstafel/entries/:entryId/afschaling") { request, context in
            json(try await gateway.afschaling(try parameter(context, "entryId"), try await decode(TafelAfschalingInput.self, request, context),
                                                  by: try context.requirePrincipal(), trace: context.trace))
        }

        // MARK: Agendas and minutes (the SWV)

        v1.get("thuiszitterstafel/agendas") { _, context in
            json(try await gateway.agendas(by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("thuiszitterstafel/agendas") { request, context in
            json(try await gateway.composeAgenda(try await decode(TafelAgendaInput.self, request, context), by: try context.requirePrincipal(),
                                                     trace: context.trace), status: .created)
        }
        v1.get("thuiszitterstafel/agendas/:agendaId") { _, context in
            json(try await gateway.agenda(try parameter(context, "agendaId"), by: try context.requirePrincipal(), trace: context.trace))
        }
        // HEAD (answered by these GET routes) gives the tag only: no view shown, none registered.
        v1.get("thuiszitterstafel/agendas/:agendaId/preview") { request, context in
            preview(try await gateway.previewTafel(try parameter(context, "agendaId"), reading: request.method != .head,
                                                   by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("thuiszitterstafel/agendas/:agendaId/send") { request, context in
            json(try await gateway.sendTafel(try parameter(context, "agendaId"), ifMatch: request.headers[.ifMatch], by: try context.requirePrincipal(),
                                                 trace: context.trace), status: .created)
        }
        v1.post("thuiszitterstafel/agendas/:agendaId/minutes") { request, context in
            json(try await gateway.writeMinutes(try parameter(context, "agendaId"), try await decode(TafelMinutesInput.self, request, context),
                                                    by: try context.requirePrincipal(), trace: context.trace), status: .created)
        }
        v1.get("thuiszitterstafel/agendas/:agendaId/minutes/:version/preview") { request, context in
            preview(try await gateway.previewTafel(try parameter(context, "agendaId"), minutes: try version(context), reading: request.method != .head,
                                                   by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("thuiszitterstafel/agendas/:agendaId/minutes/:version/send") { request, context in
            json(try await gateway.sendTafel(try parameter(context, "agendaId"), minutes: try version(context), ifMatch: request.headers[.ifMatch],
                                                 by: try context.requirePrincipal(), trace: context.trace), status: .created)
        }
    }

    /// A minutes version from the path: 1 or more.
    func version(_ context: SluisRequestContext) throws -> Int {
        guard let version = Int(try parameter(context, "version")), version >= 1, version <= 10_000 else {
            throw GatewayError.invalid(field: "version", problem: "a version of the minutes: 1, 2, …")
        }
        return version
    }

    /// The preview's JSON with its ETag: a send names it in If-Match (RFC 9110 §8.8.3, §13.1.1).
    func preview(_ preview: TafelPreview) -> Response {
        var response = jsonText(preview.json)
        response.headers[.eTag] = "\"\(preview.tag)\""
        return response
    }
}
