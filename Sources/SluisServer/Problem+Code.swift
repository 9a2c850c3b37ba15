import SluisGateway

extension Problem {
    /// The stable codes of the problems the HTTP face raises itself — routing, body size, JSON
    /// decoding, the database, unexpected errors — beside the gateway's (`GatewayError.Code`).
    /// All are listed in docs/errors.md and declared in the OpenAPI document's `Problem.code`.
    public enum Code: String, Sendable, CaseIterable {
        case routeNotFound = "sluis:route-not-found"
        case methodNotAllowed = "sluis:method-not-allowed"
        case bodyTooLarge = "sluis:body-too-large"
        case invalidJSON = "sluis:invalid-json"
        case duplicateKey = "sluis:duplicate-key"
        case unknownKey = "sluis:unknown-key"
        case missingKey = "sluis:missing-key"
        case wrongType = "sluis:wrong-type"
        case httpError = "sluis:http-error"
        case databaseUnavailable = "sluis:database-unavailable"
        case internalError = "sluis:internal-error"
    }

    /// Every code a client can get, gateway and HTTP face together.
    public static var allCodes: [String] { GatewayError.Code.allCases.map(\.rawValue) + Code.allCases.map(\.rawValue) }
}
