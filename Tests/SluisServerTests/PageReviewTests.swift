import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisGateway
@testable import SluisServer
import SluisStore

/// Issue 13, the outside review of the pages: each finding as the test that failed before its fix.
@Suite("Web pages: outside review (issue 13)", .serialized)
struct PageReviewTests {
    @Test("Contract absence.md (a whole file or nothing), an attacker's finding: an upload with two files in one field is refused; neither is imported")
    func contractAbsence_twoFilesInOneUploadRefused() async throws {
        try await ServerFixture.with { fixture, client in
            let session = try await client.pageLogin(fixture, "zco")
            let csrf = try #require(try await client.page(.get, "/school/verzuim", session: session).csrf)
            let good = SchoolPageTests.goodFile(today: SchoolPageTests.today(fixture))
            let answer = try await client.pageUpload(SchoolPageTests.badFile, session: session, csrf: csrf, thenAlso: good)
            #expect(answer.status == .badRequest, "\(answer.status)")
            #expect(try await fixture.gateway.store.absence(unit: "sovogo").isEmpty)
        }
    }

    @Test("Issue 13 item 1, an attacker's finding: a path no route knows answers with the frame and referrer policy too, not only the pages")
    func unknownPathsCarryTheSecurityHeaders() async throws {
        try await ServerFixture.with { _, client in
            for path in ["/nope", "/swv/nope", "/v1/nope"] {
                let answer = try await client.call(.get, path)
                #expect(answer.status == .notFound)
                #expect(answer.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true, "\(path)")
                #expect(answer.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(path)")
                #expect(answer.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path)")
            }
        }
    }

    @Test("A newcomer's finding: a conflict says in Dutch what it is — the case type that differs is not 'it happened already'; the gateway's words stay as the technical note")
    func conflictsSayWhatTheyAreInDutch() {
        let differs = PageProblem.from(GatewayError.conflict(.tafelCaseTypeDiffers, "the case is of type verzuim")).page
        #expect(differs.status == .conflict && differs.message.contains("soort casus") && !differs.message.contains("al gebeurd"))
        #expect(differs.note == "the case is of type verzuim")
        let revoked = PageProblem.from(GatewayError.conflict(.consentRevokedAlready, "revoked already")).page
        #expect(revoked.message.hasPrefix("Dit kan nu niet: deze toestemming is al ingetrokken"))
    }

    @Test("A newcomer's finding: page times are the clock on the wall in the Netherlands, not UTC")
    func pageTimesAreAmsterdamTime() {
        #expect(PageWords.time("2026-11-30T17:20:05.123Z") == "2026-11-30 18:20")
        #expect(PageWords.time("2026-07-01T10:00:00Z") == "2026-07-01 12:00")
        #expect(PageWords.time("2026-11-30") == "2026-11-30")
    }
}
