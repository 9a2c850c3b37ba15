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

    /// Sends every login body at once, alternating between the clients; the statuses.
    static func concurrently(_ clients: [any TestClientProtocol], _ bodies: [String]) async throws -> [HTTPResponse.Status] {
        try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
            for (index, body) in bodies.enumerated() {
                let client = clients[index % clients.count]
                group.addTask { try await client.call(.post, "/v1/sessions", json: body).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// The audit log's login entries for one delegate.
    static func logins(_ fixture: ServerFixture, _ username: String) async throws -> [AuditRecord] {
        let id = try #require(try await fixture.gateway.store.delegate(username: username)).id
        return try await fixture.gateway.store.audit(limit: 1000).filter { $0.event == "login" && $0.delegate == id }
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

    @Test("RFC 6238 §5.2: eight concurrent logins with one valid code, on two gateway instances of one database, give exactly one session",
          arguments: ServerFixture.databases)
    func oneCodeOneSession(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            try await fixture.withSecondInstance { other in
                let body = Self.login("lpa", fixture.secrets["lpa"]!.password, try fixture.totp("lpa"))
                let statuses = try await Self.concurrently([client, other], Array(repeating: body, count: 8))
                #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
                #expect(statuses.allSatisfy { [.created, .unauthorized, .tooManyRequests].contains($0) }, "\(statuses)")
                let audit = try await Self.logins(fixture, "lpa")
                #expect(audit.count == 8, "every attempt is audited")
                #expect(audit.filter { $0.outcome == "granted" }.count == 1)
            }
        }
    }

    @Test("RFC 6238 §5.2: a code used for a session already is refused saying so (to whoever has the password), and counts as a failure; a wrong code stays vague",
          arguments: ServerFixture.databases)
    func reusedCodeSaysSo(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let body = Self.login("lpa", fixture.secrets["lpa"]!.password, try fixture.totp("lpa"))
            #expect(try await client.call(.post, "/v1/sessions", json: body).status == .created)
            let again = try await client.call(.post, "/v1/sessions", json: body)
            #expect(again.status == .unauthorized && again.body.contains("one code, one session"), "\(again.body)")
            let wrongPassword = try await client.call(.post, "/v1/sessions", json: Self.login("lpa", "verkeerd-wachtwoord-1", try fixture.totp("lpa")))
            #expect(wrongPassword.status == .unauthorized && !wrongPassword.body.contains("one code"), "no hint without the password")
            let details = try await Self.logins(fixture, "lpa").map(\.detail)
            #expect(details.contains("reused code") && details.contains("wrong password"))
            #expect(try await fixture.gateway.store.delegate(username: "lpa")?.failedAttempts == 2)
        }
    }

    @Test("Ten concurrent wrong passwords lock the account, only five of them are checked, and a correct login then gets 429",
          arguments: ServerFixture.databases)
    func concurrentGuessesLock(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            try await fixture.withSecondInstance { other in
                let code = try fixture.totp("arts")
                let statuses = try await Self.concurrently([client, other], (0..<10).map { Self.login("arts", "wrong-password-\($0)", code) })
                #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests }, "\(statuses)")
                let correct = try await client.call(.post, "/v1/sessions", json: Self.login("arts", fixture.secrets["arts"]!.password, code))
                #expect(correct.status == .tooManyRequests, "\(correct.body)")
                #expect(correct.headers[.retryAfter] != nil)
                let audit = try await Self.logins(fixture, "arts")
                #expect(audit.count == 11, "every attempt is audited")
                #expect(audit.filter { $0.detail == "wrong password" }.count == AccessControl.failuresBeforeLock,
                        "at most \(AccessControl.failuresBeforeLock) guesses are checked")
                #expect(!audit.contains { $0.outcome == "granted" })
            }
        }
    }

    @Test("No user enumeration through the lockout: a username that does not exist locks after five failures like one that does",
          arguments: ServerFixture.databases)
    func unknownUsernamesLockToo(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            var statuses: [String: [HTTPResponse.Status]] = [:]
            for username in ["arts", "bestaat-niet"] {
                for attempt in 0..<7 {
                    statuses[username, default: []].append(try await client.call(.post, "/v1/sessions",
                                                                                  json: Self.login(username, "wrong-\(attempt)", "000000")).status)
                }
            }
            #expect(statuses["arts"] == statuses["bestaat-niet"], "\(statuses)")
            #expect(statuses["bestaat-niet"]?.suffix(2) == [.tooManyRequests, .tooManyRequests])
        }
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

    @Test("When every place for a password check is taken, a login gets 503 with Retry-After at once and counts no failure",
          arguments: ServerFixture.databases)
    func fullQueueSheds(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let passwords = fixture.gateway.access.passwords
            var taken = 0
            while passwords.enter() { taken += 1 }
            #expect(taken == PasswordWorkers.defaultThreads * (1 + PasswordWorkers.waitingPerThread))
            let body = Self.login("swv", fixture.secrets["swv"]!.password, try fixture.totp("swv"))
            let refused = try await client.call(.post, "/v1/sessions", json: body)
            #expect(refused.status == .serviceUnavailable, "\(refused.body)")
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            let unknown = try await client.call(.post, "/v1/sessions", json: Self.login("nobody", "x", "123456"))
            #expect(unknown.status == .serviceUnavailable, "the same answer for an unknown username")
            for _ in 0..<taken { passwords.leave() }
            #expect(try await fixture.gateway.store.delegate(username: "swv")?.failedAttempts == 0)
            let audit = try await Self.logins(fixture, "swv")
            #expect(audit.count == 1 && audit.first?.detail == "not checked: too many logins waiting")
            #expect(try await client.call(.post, "/v1/sessions", json: body).status == .created)
        }
    }
}
