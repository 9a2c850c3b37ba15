import SluisCovenant

/// Why a gateway use case did not do what was asked. Each maps to an HTTP status and a Dutch
/// title (RFC 9457 problem details, in SluisServer); messages never contain personal data.
public enum GatewayError: Error, Sendable, CustomStringConvertible {
    /// Not logged in, or the token/session is unknown or expired (401).
    case unauthenticated(String)
    /// Logged in, but this role or party may not (403); the article where a rule applies.
    case forbidden(String, article: String?)
    /// Too many failed logins: locked until the given time (429).
    case locked(until: String)
    case notFound(String)
    /// Bad input: the field and what is wrong (400).
    case invalid(field: String, problem: String)
    /// A file refused as a whole, every problem one line (contract absence.md): 400 when the
    /// body is no well-formed file of the format (`notCSV`), else 422.
    case invalidFile(errors: [String], notCSV: Bool)
    /// The body is not of the media type the route takes (415).
    case unsupportedMediaType(String)
    /// The covenant does not allow this disclosure (403, with the engine's answer and the
    /// register index of the refusal).
    case refused(DecisionAnswer, registerIndex: Int64)
    case conflict(String)
    /// The register could not be written: nothing was disclosed (503).
    case unavailable(String)
    /// Too many logins are waiting for a password check: try again after `retryAfter` seconds
    /// (503 with Retry-After); nothing was checked or counted.
    case busy(String, retryAfter: Int)

    public var description: String {
        switch self {
        case .unauthenticated(let why): "not authenticated: \(why)"
        case .forbidden(let why, let article): "forbidden: \(why)" + (article.map { " (\($0))" } ?? "")
        case .locked(let until): "locked until \(until)"
        case .notFound(let what): "not found: \(what)"
        case .invalid(let field, let problem): "invalid \(field): \(problem)"
        case .invalidFile(let errors, _): "invalid file: \(errors.count) error(s)"
        case .unsupportedMediaType(let what): "unsupported media type: \(what)"
        case .refused(let answer, let index): "refused by the covenant (\(answer.reasons.map(\.rule).joined(separator: ", "))), register entry \(index)"
        case .conflict(let what): "conflict: \(what)"
        case .unavailable(let what): "unavailable: \(what)"
        case .busy(let what, let seconds): "busy: \(what); retry after \(seconds) s"
        }
    }
}
