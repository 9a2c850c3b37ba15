import Foundation
public import HTTPTypes
import Hummingbird
import NIOCore
public import SluisCovenant
import SluisGateway
import SluisStore

/// RFC 9457 problem details (`application/problem+json`) with a Dutch title, a stable `code`
/// (an extension member, RFC 9457 §3.2; docs/errors.md), the article when a covenant rule
/// refused, and the trace id. Never personal data: only keys, rules, articles. An underlying
/// error (`cause`) is for the operator's log alone and never part of the answer.
public struct Problem: Error, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    public var type: String
    /// The stable machine-readable code: a `GatewayError.Code` or a `Problem.Code` raw value.
    public var code: String
    public var article: String?
    public var field: String?
    /// For refused disclosures: the engine's answer (contract JSON) and the register entry.
    public var answer: DecisionAnswer?
    public var registerIndex: Int64?
    public var retryAfter: Int?
    /// For a 401: the RFC 6750 §3.1 error code of the Bearer challenge (`invalid_token` when a
    /// token was sent but is unknown or expired); nil when no credentials came with the request.
    public var bearerError: String?
    /// For a file refused as a whole: every error, one line each (contract absence.md).
    public var errors: [String]?
    /// The underlying database, driver or crypto error of a 5xx: logged with `instance` by
    /// `TraceMiddleware`, never written into the answer.
    public var cause: (any Error)?
    /// RFC 9457 §3.1.5: a fresh `urn:uuid:` that names this occurrence alone — never the route
    /// template, which names every one. The operator's log line of a 5xx carries the same value.
    public let instance = "urn:uuid:" + UUID().uuidString.lowercased()

    public init(status: HTTPResponse.Status, code: Code, title: String, detail: String, type: String, article: String? = nil,
                field: String? = nil) {
        self.init(status: status, code: code.rawValue, title: title, detail: detail, type: type, article: article, field: field)
    }

    init(status: HTTPResponse.Status, code: String, title: String, detail: String, type: String, article: String? = nil,
         field: String? = nil) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.type = type
        self.article = article
        self.field = field
    }

    static let typeBase = "https://sluis.goeree-overflakkee/problemen/"

    /// The problem for any error a handler threw.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let gateway as GatewayError:
            return from(gateway)
        case let decoding as DecodingError:
            return from(decoding)
        case is NIOTooManyBytesError:
            return tooLarge
        case let http as HTTPError:
            switch http.status {
            case .contentTooLarge: return tooLarge
            case .notFound:
                return Problem(status: .notFound, code: .routeNotFound, title: "Niet gevonden", detail: "no such path (see /openapi.json)",
                               type: typeBase + "niet-gevonden")
            default:
                return Problem(status: http.status, code: .httpError, title: http.status.reasonPhrase, detail: http.body ?? http.status.reasonPhrase,
                               type: typeBase + "http")
            }
        default:
            if let failure = DatabaseFailure(error) {
                let detail = failure.storageFull
                    ? "the database's storage is full; nothing was written — try again when the operator has made space"
                    : "the database cannot be used now; try again later and quote the instance if it persists"
                var problem = Problem(status: .serviceUnavailable, code: .databaseUnavailable, title: "Tijdelijk niet beschikbaar",
                                      detail: detail,
                                      type: typeBase + "niet-beschikbaar")
                problem.cause = error
                return problem
            }
            var problem = Problem(status: .internalServerError, code: .internalError, title: "Interne fout",
                                  detail: "an internal error occurred; quote the instance and trace id", type: typeBase + "interne-fout")
            problem.cause = error
            return problem
        }
    }

    static var tooLarge: Problem {
        Problem(status: .contentTooLarge, code: .bodyTooLarge, title: "Verzoek te groot", detail: "the body is larger than 64 KiB", type: typeBase + "te-groot")
    }

    static func from(_ gateway: GatewayError) -> Problem {
        let code = gateway.code.rawValue
        var problem: Problem
        switch gateway {
        case .unauthenticated(_, let why):
            problem = Problem(status: .unauthorized, code: code, title: "Niet aangemeld", detail: why, type: typeBase + "niet-aangemeld",
                              article: "convenant art. 10.2")
        case .forbidden(_, let why, let article):
            problem = Problem(status: .forbidden, code: code, title: "Geen toegang", detail: why, type: typeBase + "geen-toegang", article: article)
        case .locked(let until):
            problem = Problem(status: .tooManyRequests, code: code, title: "Tijdelijk geblokkeerd", detail: "too many failed logins; try again after \(until)",
                              type: typeBase + "geblokkeerd")
            problem.retryAfter = 60
        case .notFound(_, let what):
            problem = Problem(status: .notFound, code: code, title: "Niet gevonden", detail: what, type: typeBase + "niet-gevonden")
        case .invalid(let path, let problemText):
            let field = StrictJSON.shownPath(path)
            problem = Problem(status: .badRequest, code: code, title: "Ongeldige invoer", detail: "\(field): \(problemText)", type: typeBase + "ongeldige-invoer",
                              field: field)
        case .refused(let answer, let index):
            problem = Problem(status: .forbidden, code: code, title: "Verstrekking geweigerd door het convenant",
                              detail: answer.reasons.map { "\($0.rule): \($0.reason)" }.joined(separator: " "),
                              type: typeBase + "verstrekking-geweigerd", article: answer.reasons.first?.article)
            problem.answer = answer
            problem.registerIndex = index
        case .invalidFile(let errors, let notCSV, _):
            problem = Problem(status: notCSV ? .badRequest : .unprocessableContent, code: code, title: "Bestand geweigerd",
                              detail: "\(errors.count) error(s); the whole file is refused and nothing was imported",
                              type: typeBase + (notCSV ? "geen-csv" : "bestand-geweigerd"))
            problem.errors = errors
        case .unsupportedMediaType(let what):
            problem = Problem(status: .unsupportedMediaType, code: code, title: "Verkeerd mediatype", detail: what, type: typeBase + "verkeerd-mediatype")
        case .conflict(_, let what):
            problem = Problem(status: .conflict, code: code, title: "Conflict", detail: what, type: typeBase + "conflict")
        case .precondition(let which, let what):
            problem = Problem(status: which == .previewRequired ? .preconditionRequired : .preconditionFailed, code: code,
                              title: "Voorwaarde niet vervuld", detail: what, type: typeBase + "voorwaarde")
        case .unavailable(_, let what, let cause):
            // A full disk is said as such: the operator's cue, and the client's to wait (issue 14 item 3).
            let full = cause.flatMap { DatabaseFailure($0) }?.storageFull == true
            problem = Problem(status: .serviceUnavailable, code: code, title: "Tijdelijk niet beschikbaar",
                              detail: full ? what + " (the database's storage is full)" : what, type: typeBase + "niet-beschikbaar",
                              article: "convenant art. 15")
            problem.cause = cause
        case .busy(let what, let seconds):
            problem = Problem(status: .serviceUnavailable, code: code, title: "Even te druk", detail: what, type: typeBase + "te-druk")
            problem.retryAfter = seconds
        }
        return problem
    }

    /// A body that decoded as JSON but not as the type: the path and what is expected there.
    /// A 400 naming the key at fault as `StrictJSON.display` shows keys: a key of `shape`, or
    /// one that looks like ours; anything else (a map's key may be a name) as `[a key]`.
    static func from(_ decoding: DecodingError, shape: JSONShape? = nil) -> Problem {
        let keys: [any CodingKey]
        switch decoding {
        case .keyNotFound(let key, let context): keys = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): keys = context.codingPath
        @unknown default: keys = []
        }
        // A list position is JSONDecoder's "Index N"; a map's key that is all digits has an
        // intValue too, and stays a key (a BSN is all digits).
        let path = StrictJSON.display(keys.map { key in
            if let index = key.intValue, key.stringValue == "Index \(index)" { .index(index) } else { .key(key.stringValue) }
        }, in: shape)
        var expected = "missing or of the wrong type"
        var code = Code.wrongType
        if case .typeMismatch(let type, _) = decoding { expected = "expected \(Self.describe(type)) (see /openapi.json)" }
        if case .keyNotFound = decoding {
            expected = "missing (see /openapi.json)"
            code = .missingKey
        }
        return Problem(status: .badRequest, code: code, title: "Ongeldige invoer",
                       detail: path.isEmpty ? "the body is not the JSON expected here" : "\(path): \(expected)",
                       type: typeBase + "ongeldige-invoer", field: path.isEmpty ? nil : path)
    }

    /// The challenge every 401 carries (RFC 9110 §11.6.1, RFC 6750 §3).
    var wwwAuthenticate: String {
        "Bearer realm=\"sluis\"" + (bearerError.map { ", error=\"\($0)\"" } ?? "")
    }

    /// A JSON type as a person reads it, for "expected …" in a 400.
    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is [Any].Type, is [String].Type: "an array"
        default: "an object"
        }
    }

    /// The problem as a response: `instance` names the occurrence, `traceId` ties it to the
    /// request log; `cause` is left out.
    func response(trace: String) -> Response {
        var writer = ProblemJSON()
        writer.add("type", type)
        writer.add("title", title)
        writer.add("status", Int(status.code))
        writer.add("code", code)
        writer.add("detail", detail)
        writer.add("instance", instance)
        if let article { writer.add("article", article) }
        if let field { writer.add("field", field) }
        writer.add("traceId", trace)
        if let registerIndex { writer.add("registerIndex", Int(registerIndex)) }
        if let answer { writer.addRaw("answer", answer.json(pretty: false)) }
        if let errors { writer.add("errors", errors) }
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { headers[.wwwAuthenticate] = wwwAuthenticate }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: writer.text)))
    }
}

/// A tiny writer for the flat problem object (keys in a fixed order).
struct ProblemJSON {
    private var members: [String] = []
    mutating func add(_ key: String, _ value: String) { members.append("\(quote(key)):\(quote(value))") }
    mutating func add(_ key: String, _ value: Int) { members.append("\(quote(key)):\(value)") }
    mutating func addRaw(_ key: String, _ json: String) { members.append("\(quote(key)):\(json)") }
    mutating func add(_ key: String, _ values: [String]) { members.append("\(quote(key)):[" + values.map(quote).joined(separator: ",") + "]") }
    var text: String { "{" + members.joined(separator: ",") + "}" }
    func quote(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
