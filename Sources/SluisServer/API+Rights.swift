import Foundation
import HTTPTypes
import Hummingbird
import SluisGateway

/// The rights of pupils and parents (convenant art. 13; AVG art. 12, 15–21; issue 12): thin
/// handlers, every rule in the gateway (docs/rights.md).
extension API {
    func addRights(to v1: RouterGroup<SluisRequestContext>) {
        v1.get("rights/requests") { _, context in
            json(try await gateway.rightsRequests(by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("rights/requests") { request, context in
            json(try await gateway.receiveRightsRequest(try await decode(RightsRequestInput.self, request, context), by: try context.requirePrincipal(),
                                                            trace: context.trace), status: .created)
        }
        v1.get("rights/oversight") { _, context in
            json(try await gateway.rightsOversight(by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("rights/requests/:requestId/extension") { request, context in
            json(try await gateway.extendRightsRequest(try parameter(context, "requestId"), try await decode(RightsReasonInput.self, request, context),
                                                           by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("rights/requests/:requestId/decision") { request, context in
            json(try await gateway.decideRightsRequest(try parameter(context, "requestId"), try await decode(RightsDecisionInput.self, request, context),
                                                           by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("rights/requests/:requestId/delivery") { _, context in
            json(try await gateway.deliverRightsRequest(try parameter(context, "requestId"), by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("rights/requests/:requestId/lift") { request, context in
            json(try await gateway.liftRestriction(try parameter(context, "requestId"), try await decode(RightsReasonInput.self, request, context),
                                                       by: try context.requirePrincipal(), trace: context.trace))
        }
        v1.post("rights/requests/:requestId/rectification") { request, context in
            json(try await gateway.rectify(try parameter(context, "requestId"), try await decode(RectificationInput.self, request, context),
                                               by: try context.requirePrincipal(), trace: context.trace), status: .created)
        }
        v1.get("rights/requests/:requestId/export") { _, context in
            json(try await gateway.portabilityExport(try parameter(context, "requestId"), by: try context.requirePrincipal(), trace: context.trace))
        }
    }
}
