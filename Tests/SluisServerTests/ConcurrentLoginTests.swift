import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisGateway
@testable import SluisServer
import SluisStore

/// Logins under concurrency (issue 8): the check and the write it guards are one statement, so
/// concurrent requests — also on two gateway instances of one database — cannot slip between
/// them. No timing: every expectation holds for any interleaving.
@Suite("Logins under concurrency")
struct ConcurrentLoginTests {
    static func login(_ username: String, _ password: String, _ code: String) -> String {
        #"{"username":"\#(username)","password":"\#(password)","code":"\#(code)"}"#
    }

    /// The statuses of logins as `username`, one after another, each with the code of the moment.
    static func attempts(_ client: any TestClientProtocol, _ fixture: ServerFixture, _ username: String, _ passwords: [String])
        async throws -> [HTTPResponse.Status] {
        var statuses: [HTTPResponse.Status] = []
        for password in passwords {
            statuses.append(try await client.call(.post, "/v1/sessions", json: login(username, password, try fixture.totp(username))).status)
        }
        return statuses
    }

    @Test("The lock escalates: 1 minute after five failures, 2 after the next; a correct login after it resets the count",
          arguments: ServerFixture.databases)
    func escalatingLock(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let password = fixture.secrets["zco"]!.password
            let wrong = Array(repeating: "wrong-password-1", count: AccessControl.failuresBeforeLock)
            var statuses = try await Self.attempts(client, fixture, "zco", wrong + [password])
            #expect(statuses == Array(repeating: .unauthorized, count: wrong.count) + [.tooManyRequests])
            fixture.clock.advance(by: 61)
            statuses = try await Self.attempts(client, fixture, "zco", ["wrong-password-2", password])
            #expect(statuses == [.unauthorized, .tooManyRequests], "one guess after the lock ends, then locked again")
            fixture.clock.advance(by: 61)
            statuses = try await Self.attempts(client, fixture, "zco", [password])
            #expect(statuses == [.tooManyRequests], "for 2 minutes this time")
            fixture.clock.advance(by: 60)
            statuses = try await Self.attempts(client, fixture, "zco", [password])
            #expect(statuses == [.created])
            statuses = try await Self.attempts(client, fixture, "zco", Array(wrong.dropLast()))
            #expect(statuses == Array(repeating: .unauthorized, count: wrong.count - 1))
            fixture.clock.advance(by: 31)
            statuses = try await Self.attempts(client, fixture, "zco", [password])
            #expect(statuses == [.created], "the count started again at the last good login")
        }
    }
}
