import Foundation
import SQLKit
import Testing
@testable import SluisStore

/// Migration 11 (closure and retention, issue 11) on a database with or without 9 and 10, and
/// the list of tables a destruction empties compared with the schema (convenant art. 9.2).
@Suite("Retention in the store", .serialized)
struct RetentionStoreTests {
    /// Runs `body` on a fresh connection, closed afterwards, also when `body` throws.
    func withConnection(_ backend: Backend, _ body: (StoreConnection) async throws -> Void) async throws {
        let connection = try await StoreConnection.open(try freshLocation(backend))
        do {
            try await body(connection)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    func versions(_ connection: StoreConnection) async throws -> [Int] {
        try await connection.sql.raw("SELECT version FROM sluis_migrations ORDER BY version").all().map { try $0.decode(column: "version", as: Int.self) }
    }

    @Test("Migration 11 (art. 5.5, 9.2): applies on a database at 8 without 9 and 10; 9 and 10 merged later still apply after it, each once",
          arguments: Backend.available)
    func migration11_appliesWhetherOrNotNineAndTenExist(backend: Backend) async throws {
        try await withConnection(backend) { connection in
            try await Migrations.apply(connection, through: 8)
            #expect(try await versions(connection) == Array(1...8))
            // As on the branch where 11 was written: 9 and 10 did not exist there.
            try await Migrations.apply(connection, through: 11, migrations: Migrations.all.filter { ![9, 10].contains($0.version) })
            #expect(try await versions(connection).suffix(1) == [11])
            let tombstones = try await connection.sql.raw("SELECT COUNT(*) AS n FROM case_tombstones").first()?.decode(column: "n", as: Int.self)
            #expect(tombstones == 0)
            // Another branch's 9 and 10, merged after 11 ran here: applied now, in order, once.
            let later = Migrations.all.filter { $0.version != 10 } + [
                Migration(version: 10, statements: ["CREATE TABLE parallel_ten (id TEXT PRIMARY KEY)"]),
            ]
            try await Migrations.apply(connection, through: 11, migrations: later)
            try await Migrations.apply(connection, through: 11, migrations: later)
            #expect(try await versions(connection).suffix(3) == [9, 10, 11])
            #expect(try await connection.sql.raw("SELECT COUNT(*) AS n FROM disclosure_justifications").first()?.decode(column: "n", as: Int.self) == 0)
            for table in ["parallel_ten"] {
                try await connection.sql.raw("INSERT INTO \(ident: table) (id) VALUES ('x')").run()
            }
        }
    }

    @Test("Art. 9.2: every table with a case_id column, and every list of such a table, is one the destruction of a case empties",
          arguments: Backend.available)
    func art9_2_everyTableAboutACaseIsDestroyed(backend: Backend) async throws {
        let store = try await GatewayStore.open(try freshLocation(backend))
        do {
            let query: SQLQueryString = store.sql.dialect.name == "sqlite"
                ? "SELECT m.name AS tbl, p.name AS col FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
                : "SELECT table_name AS tbl, column_name AS col FROM information_schema.columns WHERE table_schema = current_schema()"
            let columns = try await store.sql.raw(query).all().map { (try $0.decode(column: "tbl", as: String.self), try $0.decode(column: "col", as: String.self)) }
            let covered = Set(GatewayStore.caseBoundTables.map(\.table))
            let withCase = Set(columns.filter { $0.1 == "case_id" }.map(\.0))
            #expect(withCase.isSubset(of: covered), "not destroyed: \(withCase.subtracting(covered).sorted())")
            // The lists of consents and disclosures (their rows name the parent, not the case).
            // The school's record that a melding answered its signal stays (its own verzuimregistratie,
            // docs/retention.md): the link to the destroyed melding is cut instead.
            let lists = Set(columns.filter { ["consent_id", "disclosure_id", "melding_id"].contains($0.1) }.map(\.0)).subtracting(["duo_answered_signals"])
            #expect(withCase.contains("disclosures") && lists.contains("consent_answers"), "the schema was read")
            #expect(lists.isSubset(of: covered), "not destroyed: \(lists.subtracting(covered).sorted())")
            #expect(GatewayStore.caseBoundTables.last?.table == "cases", "the case row, with the pupil key, goes last")
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }
}
