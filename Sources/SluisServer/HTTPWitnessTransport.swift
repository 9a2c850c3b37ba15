import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import SluisGateway

/// `add-checkpoint` over real HTTP (C2SP tlog-witness), with Foundation's URLSession: one
/// session, keep-alive (tlog-witness §add-checkpoint: clients SHOULD), a timeout per call so a
/// witness that hangs costs a round, not the gateway.
public struct HTTPWitnessTransport: WitnessTransport {
    let session: URLSession

    public init(timeout: Double = 10) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        session = URLSession(configuration: configuration)
    }

    public func post(_ url: String, body: String) async throws -> (status: Int, contentType: String?, body: String) {
        guard let target = URL(string: url) else { throw ServerConfiguration.Failure(description: "not a witness URL: \(url)") }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("text/plain; charset=utf-8", forHTTPHeaderField: "Content-Type")
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                guard let http = response as? HTTPURLResponse else {
                    continuation.resume(throwing: WitnessUnreachable(url: url, error: error))
                    return
                }
                continuation.resume(returning: (http.statusCode, http.value(forHTTPHeaderField: "Content-Type"), String(decoding: data ?? Data(), as: UTF8.self)))
            }.resume()
        }
    }
}

/// A witness that gave no HTTP answer, in words for the operator's log (URLSession's own error
/// is a dump of its user info).
struct WitnessUnreachable: Error, CustomStringConvertible {
    let description: String

    init(url: String, error: (any Error)?) {
        let reason: String
        switch (error as? URLError)?.code {
        case .cannotConnectToHost?: reason = "connection refused (is `sluis witness serve` running there?)"
        case .timedOut?: reason = "no answer within the timeout"
        case .cannotFindHost?, .dnsLookupFailed?: reason = "host name not found"
        case .networkConnectionLost?: reason = "the connection broke off"
        case .secureConnectionFailed?, .serverCertificateUntrusted?, .serverCertificateHasBadDate?: reason = "TLS failed (certificate)"
        case let code?: reason = "URL error \(code.rawValue)"
        case nil: reason = error.map { "\(type(of: $0))" } ?? "no HTTP answer"
        }
        description = "unreachable at \(url): \(reason)"
    }
}
