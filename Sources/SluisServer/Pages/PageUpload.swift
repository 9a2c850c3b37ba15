import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import SluisGateway

/// A `multipart/form-data` form (RFC 7578), taken only on the routes listed here: the school's
/// absence file is uploaded as a file, as a browser sends it, not pasted (docs/pages.md). The
/// parsing is MultipartKit's; the text fields become the form's values (the CSRF field among
/// them, checked as for every form), each file part its bytes under the field's name.
enum PageUpload {
    /// The routes that take an upload, with their largest body: the absence file's own limit
    /// (`Gateway.absenceFileLimit`) and room for the form's other fields.
    static let routes: [String: Int] = ["/school/verzuim": Gateway.absenceFileLimit + 64 * 1024]

    static let tooLarge = PageProblem(status: .contentTooLarge, title: "Bestand te groot",
                                      message: "Een verzuimbestand is hoogstens \(Gateway.absenceFileLimit / 1024 / 1024) MiB. Splits het bestand per periode en lever de delen na elkaar aan.")

    /// The upload form of `request`, or nil when the route takes no upload (then only
    /// `application/x-www-form-urlencoded` is read). Errors: `PageProblem` 413 over the route's
    /// limit, 400 when the body is no multipart form (no boundary, bad syntax).
    static func form(_ request: inout Request) async throws -> PageForm? {
        guard let limit = routes[request.uri.path],
              let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") else { return nil }
        guard let boundary = boundary(type) else { throw PageProblem.badForm }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw tooLarge
        }
        return try parse(buffer, boundary: boundary)
    }

    /// The `boundary` parameter of a multipart media type: 1–70 characters (RFC 2046 §5.1.1), quotes removed.
    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    /// The parts of a multipart body: a part with a `filename` is a file, any other a text value.
    static func parse(_ buffer: ByteBuffer, boundary: String) throws -> PageForm {
        let parser = MultipartParser(boundary: boundary)
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders()
        var body: [UInt8] = []
        parser.onHeader = { headers.add(name: $0, value: $1) }
        parser.onBody = { body += $0.readableBytesView }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: body))
            (headers, body) = (HTTPHeaders(), [])
        }
        do { try parser.execute(buffer) } catch { throw PageProblem.badForm }
        var form = PageForm()
        for part in parts {
            guard let name = part.name else { throw PageProblem.badForm }
            let bytes = Array(part.body.readableBytesView)
            if part.headers["Content-Disposition"].first?.contains("filename=") == true {
                // One file per field: of two, which is "the file" is no guess to make (an
                // attacker's finding: the first, refused, went unreported and the second was imported).
                guard form.files[name] == nil else { throw PageProblem.badForm }
                form.files[name] = bytes
            } else {
                guard let text = String(validating: bytes, as: UTF8.self) else { throw PageProblem.badForm }
                form.values[name, default: []].append(text)
            }
        }
        return form
    }
}
