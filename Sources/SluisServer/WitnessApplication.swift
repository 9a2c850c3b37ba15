import Foundation
public import Hummingbird
import HTTPTypes
public import Logging
public import NIOCore
public import SluisGateway
import SluisRegister

/// `sluis witness serve`'s HTTP face: C2SP tlog-witness `POST /add-checkpoint`, nothing else.
/// The body is read up to `AddCheckpoint.maxBodyBytes` (larger: 413); the answer is the
/// `WitnessService`'s status, content type and text. Each refusal is logged with its status
/// and reason (a checkpoint carries no personal data: origin, size, root hash).
public func buildWitnessApplication(_ service: WitnessService, host: String, port: Int, logger: Logger,
                                    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) -> some ApplicationProtocol {
    let router = Router()
    router.post("add-checkpoint") { request, _ -> Response in
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: AddCheckpoint.maxBodyBytes) } catch {
            return witnessText(.contentTooLarge, "text/plain; charset=utf-8", "the request body exceeds \(AddCheckpoint.maxBodyBytes) bytes\n")
        }
        guard let body = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes), body.utf8.count == buffer.readableBytes else {
            return witnessText(.badRequest, "text/plain; charset=utf-8", "the request body is not UTF-8 text — tlog-witness §add-checkpoint\n")
        }
        let answer = await service.add(body: body, now: UInt64(max(0, Date().timeIntervalSince1970)))
        if let detail = answer.logDetail {
            logger.error("add-checkpoint failed: the witness cannot use its state", metadata: ["status": "\(answer.status)", "cause": "\(detail.prefix(500))"])
        } else if answer.status != 200 {
            logger.notice("add-checkpoint refused", metadata: ["status": "\(answer.status)", "reason": "\(answer.body.prefix(300))"])
        }
        return witnessText(HTTPResponse.Status(code: answer.status), answer.contentType, answer.body)
    }
    return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "Sluis witness"),
                       onServerRunning: onServerRunning, logger: logger)
}

private func witnessText(_ status: HTTPResponse.Status, _ contentType: String, _ text: String) -> Response {
    Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
}
