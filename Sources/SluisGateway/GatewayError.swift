public import SluisCovenant

/// Why a gateway use case did not do what was asked. Each maps to an HTTP status, a Dutch
/// title and a stable code (RFC 9457 problem details, in SluisServer; the codes in
/// docs/errors.md); messages never contain personal data. Where a database, driver or crypto
/// error lies underneath, it travels as `cause` for the operator's log and is never shown to
/// the client (`description` leaves it out).
public enum GatewayError: Error, Sendable, CustomStringConvertible {
    /// Not logged in, or the token/session is unknown or expired (401).
    case unauthenticated(Code, String)
    /// Logged in, but this role or party may not (403); the article where a rule applies.
    case forbidden(Code, String, article: String?)
    /// Too many failed logins: locked until the given time (429).
    case locked(until: String)
    /// The resource does not exist for this caller (404): unknown, or no relation to it.
    case notFound(Code, String)
    /// Bad input: the field and what is wrong (400).
    case invalid(field: String, problem: String)
    /// A file refused as a whole, every problem one line (contract absence.md): 400 when the
    /// body is no well-formed file of the format (`notCSV`), else 422. `lines`: the same
    /// problems as values, for a page that words them in Dutch (empty for a refusal that is
    /// about the import's period, not a line).
    case invalidFile(errors: [String], notCSV: Bool, lines: [AbsenceFileError] = [])
    /// The body is not of the media type the route takes (415).
    case unsupportedMediaType(String)
    /// The covenant does not allow this disclosure (403, with the engine's answer and the
    /// register index of the refusal).
    case refused(DecisionAnswer, registerIndex: Int64)
    /// The request contradicts the state of the resource (409).
    case conflict(Code, String)
    /// The gateway cannot do it now (503): e.g. the register could not be written, so nothing
    /// was disclosed. `cause` is the underlying error, for the operator's log only.
    case unavailable(Code, String, cause: (any Error)? = nil)
    /// A precondition of the request does not hold (RFC 9110 §13.1.1): `previewRequired` (428,
    /// RFC 6585 §3) when the request names none, else 412 (what it names is out of date).
    case precondition(Code, String)
    /// Too many logins are waiting for a password check: try again after `retryAfter` seconds
    /// (503 with Retry-After); nothing was checked or counted.
    case busy(String, retryAfter: Int)

    /// The stable, machine-readable code a client may branch on (docs/errors.md).
    public var code: Code {
        switch self {
        case .unauthenticated(let code, _), .forbidden(let code, _, _), .notFound(let code, _), .conflict(let code, _),
             .unavailable(let code, _, _), .precondition(let code, _):
            code
        case .locked: .loginLocked
        case .invalid: .invalidInput
        case .invalidFile(_, let notCSV, _): notCSV ? .absenceFileMalformed : .absenceFileRefused
        case .unsupportedMediaType: .unsupportedMediaType
        case .refused: .disclosureRefused
        case .busy: .loginBusy
        }
    }

    /// The underlying error of an `unavailable`, for the operator; nil otherwise.
    public var cause: (any Error)? {
        if case .unavailable(_, _, let cause) = self { cause } else { nil }
    }

    public var description: String {
        switch self {
        case .unauthenticated(_, let why): "not authenticated: \(why)"
        case .forbidden(_, let why, let article): "forbidden: \(why)" + (article.map { " (\($0))" } ?? "")
        case .locked(let until): "locked until \(until)"
        case .notFound(_, let what): "not found: \(what)"
        case .invalid(let field, let problem): "invalid \(field): \(problem)"
        case .invalidFile(let errors, _, _): "invalid file: \(errors.count) error(s)"
        case .unsupportedMediaType(let what): "unsupported media type: \(what)"
        case .refused(let answer, let index): "refused by the covenant (\(answer.reasons.map(\.rule).joined(separator: ", "))), register entry \(index)"
        case .conflict(_, let what): "conflict: \(what)"
        case .precondition(_, let what): "precondition failed: \(what)"
        case .unavailable(_, let what, _): "unavailable: \(what)"
        case .busy(let what, let seconds): "busy: \(what); retry after \(seconds) s"
        }
    }
}
