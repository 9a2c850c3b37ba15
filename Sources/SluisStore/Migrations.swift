import Foundation
import SQLKit

/// One schema version: its statements, then (optionally) data moved in Swift — the same code
/// for both databases — then statements that clean up after the move; all in one transaction.
struct Migration: Sendable {
    let version: Int
    let statements: [String]
    var move: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
    var cleanup: [String] = []
}

/// Versioned schema migrations, applied in order, each in its own transaction, recorded in
/// `sluis_migrations`. The SQL is the same for SQLite and PostgreSQL: hashes are stored as
/// lowercase hex text so no BLOB/BYTEA difference arises.
enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, statements: [
            """
            CREATE TABLE register_entries (
                idx BIGINT PRIMARY KEY,
                time TEXT NOT NULL,
                trace_id TEXT NOT NULL,
                activity TEXT NOT NULL,
                activity_version TEXT NOT NULL,
                operation TEXT NOT NULL,
                sender TEXT,
                recipient TEXT,
                decision TEXT NOT NULL,
                subject TEXT,
                leaf TEXT NOT NULL,
                body TEXT NOT NULL
            )
            """,
            "CREATE INDEX register_entries_time ON register_entries (time)",
            "CREATE INDEX register_entries_sender ON register_entries (sender)",
            "CREATE INDEX register_entries_recipient ON register_entries (recipient)",
            "CREATE INDEX register_entries_subject ON register_entries (subject)",
            "CREATE INDEX register_entries_activity ON register_entries (activity)",
            """
            CREATE TABLE register_nodes (
                level INTEGER NOT NULL,
                idx BIGINT NOT NULL,
                hash TEXT NOT NULL,
                PRIMARY KEY (level, idx)
            )
            """,
            """
            CREATE TABLE register_checkpoints (
                size BIGINT PRIMARY KEY,
                root TEXT NOT NULL,
                signed TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE register_head (
                id INTEGER PRIMARY KEY,
                size BIGINT NOT NULL,
                root TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE processing_activities (
                id TEXT NOT NULL,
                version TEXT NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (id, version)
            )
            """,
        ]),
        Migration(version: 2, statements: [
            "CREATE TABLE parties (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL)",
            """
            CREATE TABLE delegates (
                id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, party TEXT NOT NULL, role TEXT NOT NULL,
                password_hash TEXT NOT NULL, totp_secret TEXT NOT NULL, last_totp_step BIGINT,
                failed_attempts INTEGER NOT NULL, locked_until TEXT, created TEXT NOT NULL
            )
            """,
            "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, delegate TEXT NOT NULL, kind TEXT NOT NULL, expires TEXT NOT NULL)",
            """
            CREATE TABLE cases (
                id TEXT PRIMARY KEY, pupil_key TEXT NOT NULL, data_cipher TEXT NOT NULL, owner TEXT NOT NULL,
                status TEXT NOT NULL, closure_reason TEXT, closed_at TEXT, phase TEXT NOT NULL, case_type TEXT,
                duo_melding INTEGER NOT NULL, created TEXT NOT NULL
            )
            """,
            "CREATE TABLE case_parties (case_id TEXT NOT NULL, party TEXT NOT NULL, PRIMARY KEY (case_id, party))",
            """
            CREATE TABLE informing (
                id TEXT PRIMARY KEY, case_id TEXT NOT NULL, party TEXT NOT NULL, delegate TEXT NOT NULL,
                informed_at TEXT NOT NULL, method TEXT NOT NULL, recorded TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE consents (
                id TEXT PRIMARY KEY, case_id TEXT NOT NULL, holder TEXT NOT NULL, given_by TEXT NOT NULL,
                recipients TEXT NOT NULL, fields TEXT NOT NULL, question TEXT, evidence TEXT NOT NULL,
                recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL, revoked_at TEXT, revoked_by TEXT
            )
            """,
            """
            CREATE TABLE disclosures (
                id TEXT PRIMARY KEY, case_id TEXT NOT NULL, sender TEXT NOT NULL, recipient TEXT NOT NULL,
                forum TEXT NOT NULL, purpose TEXT NOT NULL, released TEXT NOT NULL, consents TEXT NOT NULL,
                register_index BIGINT NOT NULL, bundle TEXT NOT NULL, bundle_digest TEXT NOT NULL, created TEXT NOT NULL,
                fetched_at TEXT, acknowledged_at TEXT
            )
            """,
            "CREATE INDEX disclosures_recipient ON disclosures (recipient, created)",
            """
            CREATE TABLE notices (
                id TEXT PRIMARY KEY, party TEXT NOT NULL, case_id TEXT NOT NULL, kind TEXT NOT NULL,
                consent_id TEXT, created TEXT NOT NULL, acknowledged_at TEXT
            )
            """,
            """
            CREATE TABLE audit_log (
                id TEXT PRIMARY KEY, time TEXT NOT NULL, trace_id TEXT NOT NULL, event TEXT NOT NULL,
                delegate TEXT, party TEXT, outcome TEXT NOT NULL, detail TEXT NOT NULL
            )
            """,
        ]),
        Migration(version: 3, statements: [
            """
            CREATE TABLE accessions (
                id TEXT PRIMARY KEY, party TEXT NOT NULL UNIQUE, name TEXT NOT NULL, proposed_by TEXT NOT NULL,
                proposed_at TEXT NOT NULL, status TEXT NOT NULL, form_reference TEXT, signed_on TEXT, notified_at TEXT
            )
            """,
            """
            CREATE TABLE accession_approvals (
                accession_id TEXT NOT NULL, party TEXT NOT NULL, delegate TEXT NOT NULL, approved_at TEXT NOT NULL,
                PRIMARY KEY (accession_id, party)
            )
            """,
        ]),
        // Authority over a case (issue 8): per-party case references (unlinkability), facts
        // with provenance, the DUO melding with its date, reference and school, the forums a
        // case is in, role-bound delivery at a gemeente.
        Migration(version: 4, statements: [
            "ALTER TABLE case_parties ADD COLUMN ref TEXT",
            "CREATE UNIQUE INDEX case_parties_ref ON case_parties (ref)",
            "CREATE INDEX case_parties_party ON case_parties (party)",
            """
            CREATE TABLE case_facts (
                case_id TEXT NOT NULL, party TEXT NOT NULL, field TEXT NOT NULL, value_cipher TEXT NOT NULL,
                supplied_by TEXT NOT NULL, supplied_at TEXT NOT NULL, PRIMARY KEY (case_id, party, field)
            )
            """,
            "CREATE TABLE case_forums (case_id TEXT NOT NULL, forum TEXT NOT NULL, since TEXT NOT NULL, PRIMARY KEY (case_id, forum))",
            "ALTER TABLE cases ADD COLUMN duo_melding_date TEXT",
            "ALTER TABLE cases ADD COLUMN duo_melding_reference TEXT",
            "ALTER TABLE cases ADD COLUMN duo_melding_party TEXT",
            "ALTER TABLE disclosures ADD COLUMN recipient_role TEXT",
            "ALTER TABLE notices ADD COLUMN role TEXT",
            "CREATE INDEX consents_case ON consents (case_id)",
            // Failed logins for usernames that do not exist, by SHA-256 of the name: they lock
            // like a real account, so the lockout tells nobody which usernames exist.
            "ALTER TABLE delegates ADD COLUMN disabled_at TEXT",
            "CREATE TABLE login_throttle (id TEXT PRIMARY KEY, failed_attempts INTEGER NOT NULL, locked_until TEXT)",
            // At a gemeente the unit that takes part is the party in a role: what the gemeente
            // held before was the leerplichtambtenaar's (the only role that worked on cases).
            "UPDATE case_parties SET party = party || '/leerplicht' WHERE party IN (SELECT id FROM parties WHERE kind = 'gemeente')",
            "UPDATE cases SET owner = owner || '/leerplicht' WHERE owner IN (SELECT id FROM parties WHERE kind = 'gemeente')",
            "UPDATE consents SET holder = holder || '/leerplicht' WHERE holder IN (SELECT id FROM parties WHERE kind = 'gemeente')",
            "UPDATE informing SET party = party || '/leerplicht' WHERE party IN (SELECT id FROM parties WHERE kind = 'gemeente')",
        ]),
        // Lists as join tables (issue 9 item 6): one row per element with its position, keys
        // and foreign keys, instead of comma-joined text matched with LIKE (where `_` is a
        // wildcard and SQLite ignores case). `disclosure_consents_consent` serves the
        // revocation look-up (art. 11.5). No ON DELETE: nothing deletes consents or
        // disclosures, and a delete that would orphan a list is refused.
        Migration(version: 5, statements: [
            """
            CREATE TABLE consent_givers (
                consent_id TEXT NOT NULL REFERENCES consents (id), ordinal INTEGER NOT NULL, giver TEXT NOT NULL,
                PRIMARY KEY (consent_id, giver)
            )
            """,
            """
            CREATE TABLE consent_recipients (
                consent_id TEXT NOT NULL REFERENCES consents (id), ordinal INTEGER NOT NULL, recipient TEXT NOT NULL,
                PRIMARY KEY (consent_id, recipient)
            )
            """,
            """
            CREATE TABLE consent_fields (
                consent_id TEXT NOT NULL REFERENCES consents (id), ordinal INTEGER NOT NULL, field TEXT NOT NULL,
                PRIMARY KEY (consent_id, field)
            )
            """,
            """
            CREATE TABLE disclosure_released (
                disclosure_id TEXT NOT NULL REFERENCES disclosures (id), ordinal INTEGER NOT NULL, field TEXT NOT NULL,
                PRIMARY KEY (disclosure_id, field)
            )
            """,
            """
            CREATE TABLE disclosure_consents (
                disclosure_id TEXT NOT NULL REFERENCES disclosures (id), ordinal INTEGER NOT NULL,
                consent_id TEXT NOT NULL REFERENCES consents (id), PRIMARY KEY (disclosure_id, consent_id)
            )
            """,
            "CREATE INDEX disclosure_consents_consent ON disclosure_consents (consent_id, disclosure_id)",
            // Read on every disclosure decision (informing) and every mailbox page (notices).
            "CREATE INDEX informing_case ON informing (case_id)",
            "CREATE INDEX notices_party ON notices (party, created)",
        ], move: ListMigration.move, cleanup: [
            // Dropped, not left behind: one source of truth. Both databases drop a column that
            // has no key, index or constraint but NOT NULL (SQLite since 3.35; sqlite-nio
            // bundles 3.54), in this transaction — so a failed move leaves version 4 intact.
            "ALTER TABLE consents DROP COLUMN given_by",
            "ALTER TABLE consents DROP COLUMN recipients",
            "ALTER TABLE consents DROP COLUMN fields",
            "ALTER TABLE disclosures DROP COLUMN released",
            "ALTER TABLE disclosures DROP COLUMN consents",
        ]),
        // Absence registrations and the verzuimoverleg (issue 10 items 1 and 3): a school
        // board's registrations (its unit), the pupil key encrypted per row; imports with
        // counts only; the lists per meeting, per holder (the school with its keys, each
        // recipient under references of its own) and the recipients' own notes, encrypted.
        Migration(version: 6, statements: [
            """
            CREATE TABLE absence_registrations (
                unit TEXT NOT NULL, day TEXT NOT NULL, kind TEXT NOT NULL, hours_millionths BIGINT, hour_unit TEXT,
                pupil_cipher TEXT NOT NULL, import_id TEXT NOT NULL
            )
            """,
            "CREATE INDEX absence_registrations_unit_day ON absence_registrations (unit, day)",
            """
            CREATE TABLE absence_imports (
                id TEXT PRIMARY KEY, unit TEXT NOT NULL, delegate TEXT NOT NULL, imported_at TEXT NOT NULL,
                first_day TEXT, last_day TEXT, registrations BIGINT NOT NULL, pupils BIGINT NOT NULL,
                replaced BIGINT NOT NULL, register_index BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE verzuimoverleg_lists (
                id TEXT PRIMARY KEY, unit TEXT NOT NULL, meeting_date TEXT NOT NULL, as_of TEXT NOT NULL,
                created TEXT NOT NULL, created_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX verzuimoverleg_lists_unit ON verzuimoverleg_lists (unit, created)",
            """
            CREATE TABLE verzuimoverleg_items (
                list_id TEXT NOT NULL, holder TEXT NOT NULL, position INTEGER NOT NULL, reference TEXT, pupil_cipher TEXT,
                unauthorised_millionths BIGINT NOT NULL, authorised_millionths BIGINT NOT NULL, hour_unit TEXT,
                late_arrivals INTEGER NOT NULL, sick_reports INTEGER NOT NULL, PRIMARY KEY (list_id, holder, position)
            )
            """,
            "CREATE INDEX verzuimoverleg_items_reference ON verzuimoverleg_items (holder, reference)",
            """
            CREATE TABLE verzuimoverleg_shares (
                list_id TEXT NOT NULL, recipient TEXT NOT NULL, ref TEXT NOT NULL UNIQUE, register_index BIGINT NOT NULL,
                created TEXT NOT NULL, PRIMARY KEY (list_id, recipient)
            )
            """,
            "CREATE INDEX verzuimoverleg_shares_recipient ON verzuimoverleg_shares (recipient, created)",
            """
            CREATE TABLE verzuimoverleg_notes (
                id TEXT PRIMARY KEY, holder TEXT NOT NULL, reference TEXT NOT NULL, text_cipher TEXT NOT NULL,
                written_by TEXT NOT NULL, written_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX verzuimoverleg_notes_reference ON verzuimoverleg_notes (holder, reference)",
        ]),
        // The DUO melding as an event (issue 10 item 2; Lpw art. 21a): several per case, each with
        // its kind, DUO's meldingsnummer, the leerplichtambtenaar's status (a time per step) and
        // the engine's decision on re-identification; the absence signals they answered, by a
        // keyed hash of the school's own pupil key. A melding recorded before this migration
        // becomes a `relatief-verzuim` melding (the one convenant art. 4.3 names) that was never
        // decided: decision `none`, so it re-identifies nobody — the next melding will.
        Migration(version: 7, statements: [
            """
            CREATE TABLE duo_meldingen (
                id TEXT PRIMARY KEY, case_id TEXT NOT NULL, party TEXT NOT NULL, kind TEXT NOT NULL, date TEXT NOT NULL,
                reference TEXT NOT NULL, status TEXT NOT NULL, recorded_by TEXT NOT NULL, received_at TEXT NOT NULL,
                in_behandeling_at TEXT, in_behandeling_by TEXT, afgesloten_at TEXT, afgesloten_by TEXT, handled_by TEXT,
                decision TEXT NOT NULL, released TEXT NOT NULL, register_index BIGINT, signal TEXT, signal_since TEXT
            )
            """,
            "CREATE UNIQUE INDEX duo_meldingen_reference ON duo_meldingen (case_id, reference)",
            """
            CREATE TABLE duo_answered_signals (
                unit TEXT NOT NULL, pupil TEXT NOT NULL, signal TEXT NOT NULL, since TEXT NOT NULL,
                melding_id TEXT NOT NULL, answered_at TEXT NOT NULL, PRIMARY KEY (unit, pupil, signal, since)
            )
            """,
            """
            INSERT INTO duo_meldingen (id, case_id, party, kind, date, reference, status, recorded_by, received_at, decision, released)
            SELECT id || '-duo', id, duo_melding_party, 'relatief-verzuim', duo_melding_date, duo_melding_reference, 'received',
                   'migratie-7', created, 'none', ''
            FROM cases WHERE duo_melding_date IS NOT NULL AND duo_melding_reference IS NOT NULL AND duo_melding_party IS NOT NULL
            """,
        ]),
        // Consent as the CJG meets it (issue 10 items 4–5): each giver's answer on its own with
        // its evidence (art. 6.1 sub b–c, fn 28), replacing migration 5's `consent_givers` and the
        // consent-wide `evidence`; an end date the giver set; notices given once (renewal at an
        // age transition, the end date); SOT questions with their notes (Bijlage 3.2 sub 4); the
        // question a SOT disclosure was about. A consent from before keeps its givers as answers
        // `given` on the day it was recorded, with its evidence.
        Migration(version: 8, statements: [
            """
            CREATE TABLE consent_answers (
                consent_id TEXT NOT NULL REFERENCES consents (id), giver TEXT NOT NULL, answer TEXT NOT NULL,
                answered_on TEXT NOT NULL, evidence TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (consent_id, giver)
            )
            """,
            """
            INSERT INTO consent_answers (consent_id, giver, answer, answered_on, evidence, recorded_by, recorded_at)
            SELECT g.consent_id, g.giver, 'given', substr(c.recorded_at, 1, 10), c.evidence, c.recorded_by, c.recorded_at
            FROM consent_givers g JOIN consents c ON c.id = g.consent_id
            """,
            "ALTER TABLE consents ADD COLUMN ends_on TEXT",
            """
            CREATE TABLE sot_questions (
                id TEXT PRIMARY KEY, case_id TEXT NOT NULL, text_cipher TEXT NOT NULL, asked_by TEXT NOT NULL,
                delegate TEXT NOT NULL, asked_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX sot_questions_case ON sot_questions (case_id, asked_at)",
            """
            CREATE TABLE sot_notes (
                id TEXT PRIMARY KEY, question_id TEXT NOT NULL REFERENCES sot_questions (id), case_id TEXT NOT NULL,
                author TEXT NOT NULL, delegate TEXT NOT NULL, text_cipher TEXT NOT NULL, created TEXT NOT NULL
            )
            """,
            "CREATE INDEX sot_notes_question ON sot_notes (question_id, created)",
            "ALTER TABLE disclosures ADD COLUMN sot_question TEXT",
            "ALTER TABLE notices ADD COLUMN once_key TEXT",
            "ALTER TABLE notices ADD COLUMN due TEXT",
            // A notice given once: a second with the same key is not delivered (NULL keys repeat).
            "CREATE UNIQUE INDEX notices_once ON notices (once_key)",
            "CREATE INDEX notices_consent ON notices (consent_id)",
        ], cleanup: [
            // One source of truth: the answers hold who gave and the evidence.
            "DROP TABLE consent_givers",
            "ALTER TABLE consents DROP COLUMN evidence",
        ]),
        // A conflict of duties (issue 10 item 7; convenant art. 6.1 sub e): the register
        // entry's mark as a column, for the FG's filter (the verifier checks it against the
        // hashed body; entries from before have none), and the professional's written
        // justification with its disclosure, encrypted (the data vault) — never on the register.
        Migration(version: 9, statements: [
            "ALTER TABLE register_entries ADD COLUMN conflict_of_duties TEXT",
            "CREATE INDEX register_entries_conflict_of_duties ON register_entries (conflict_of_duties)",
            """
            CREATE TABLE disclosure_justifications (
                disclosure_id TEXT PRIMARY KEY REFERENCES disclosures (id), text_cipher TEXT NOT NULL,
                written_by TEXT NOT NULL, written_at TEXT NOT NULL
            )
            """,
        ]),
        // Version 9 is another change's (issue 10 item 7). This one touches none of its tables
        // and reads nothing it writes: applied before or after 9, the result is the same
        // (`apply` runs every version not yet applied, in order, gaps allowed).
        //
        // The fields a melding's re-identification released, from a comma-joined column into a
        // join table like migration 5's lists (`StoredLists.duoMeldingReleased`); moved and the
        // column dropped in this transaction. Linking the anonymous verzuimoverleg to the case
        // (issue 10 item 3; protocol 5.4, Bijlage 3.1): the school's own pupil key a melding
        // names, encrypted (the only way back to the leerplicht's reference), and the links —
        // one row per case, leerplicht unit and reference, with the register entry that made it.
        Migration(version: 10, statements: [
            """
            CREATE TABLE duo_melding_released (
                melding_id TEXT NOT NULL REFERENCES duo_meldingen (id), ordinal INTEGER NOT NULL, field TEXT NOT NULL,
                PRIMARY KEY (melding_id, field)
            )
            """,
            "ALTER TABLE duo_meldingen ADD COLUMN pupil_cipher TEXT",
            """
            CREATE TABLE verzuimoverleg_links (
                case_id TEXT NOT NULL, holder TEXT NOT NULL, reference TEXT NOT NULL, register_index BIGINT NOT NULL,
                linked_at TEXT NOT NULL, linked_by TEXT NOT NULL, PRIMARY KEY (case_id, holder, reference)
            )
            """,
        ], move: MeldingListMigration.move, cleanup: [
            "ALTER TABLE duo_meldingen DROP COLUMN released",
        ]),
        // Closure and retention (issue 11 items 4–6; convenant art. 5.5, 9.2, 9.3): who closed a
        // case; the tombstone a destroyed case leaves — no id of the case, no pseudonym, no
        // register index, nothing of the pupil: what the FG and the statistics need (docs/retention.md).
        // Touches only tables of migrations 2–8, so it applies with or without 9 and 10.
        Migration(version: 11, statements: [
            "ALTER TABLE cases ADD COLUMN closed_by TEXT",
            "CREATE INDEX cases_status_closed ON cases (status, closed_at)",
            """
            CREATE TABLE case_tombstones (
                id TEXT PRIMARY KEY, case_type TEXT, closure_reason TEXT NOT NULL, opened_quarter TEXT NOT NULL,
                closed_on TEXT NOT NULL, duration TEXT NOT NULL, destroyed_on TEXT NOT NULL
            )
            """,
            "CREATE INDEX case_tombstones_closed ON case_tombstones (closed_on)",
        ]),
        // The thuiszitterstafel (issue 11 items 1–3; verzuimprotocol hoofdstuk 5, Bijlage 3.3):
        // the SWV's list — one row per pupil put on it, at most one on the list per case (the
        // partial unique index), texts encrypted with their author; the agendas the SWV
        // composes, their items, the minutes per version and pupil (texts encrypted), and what
        // was sent: one sealed bundle per participant, agenda or minutes version. Touches no
        // table of another version: it applies with or without any of them.
        Migration(version: 12, statements: [
            """
            CREATE TABLE tafel_entries (
                id TEXT PRIMARY KEY, case_id TEXT NOT NULL, number BIGINT NOT NULL UNIQUE, registered_by TEXT NOT NULL,
                registered_delegate TEXT NOT NULL, registered_at TEXT NOT NULL, procesbewaker TEXT,
                summary_cipher TEXT NOT NULL, summary_by TEXT NOT NULL, progress_cipher TEXT, progress_by TEXT,
                left_at TEXT, left_reason TEXT, left_by TEXT
            )
            """,
            "CREATE UNIQUE INDEX tafel_entries_listed ON tafel_entries (case_id) WHERE left_at IS NULL",
            """
            CREATE TABLE tafel_agendas (
                id TEXT PRIMARY KEY, party TEXT NOT NULL, meeting_date TEXT NOT NULL, purpose TEXT NOT NULL,
                composed_by TEXT NOT NULL, composed_at TEXT NOT NULL, sent_at TEXT, sent_by TEXT
            )
            """,
            "CREATE INDEX tafel_agendas_party ON tafel_agendas (party, meeting_date)",
            """
            CREATE TABLE tafel_agenda_items (
                agenda_id TEXT NOT NULL REFERENCES tafel_agendas (id), position INTEGER NOT NULL, entry_id TEXT NOT NULL,
                case_id TEXT NOT NULL, PRIMARY KEY (agenda_id, position)
            )
            """,
            "CREATE INDEX tafel_agenda_items_case ON tafel_agenda_items (case_id)",
            """
            CREATE TABLE tafel_minutes_versions (
                agenda_id TEXT NOT NULL REFERENCES tafel_agendas (id), version INTEGER NOT NULL, written_by TEXT NOT NULL,
                written_at TEXT NOT NULL, sent_at TEXT, sent_by TEXT, PRIMARY KEY (agenda_id, version)
            )
            """,
            """
            CREATE TABLE tafel_minutes (
                agenda_id TEXT NOT NULL, version INTEGER NOT NULL, case_id TEXT NOT NULL, decisions_cipher TEXT, actions_cipher TEXT,
                PRIMARY KEY (agenda_id, version, case_id)
            )
            """,
            """
            CREATE TABLE tafel_deliveries (
                id TEXT PRIMARY KEY, agenda_id TEXT NOT NULL REFERENCES tafel_agendas (id), kind TEXT NOT NULL, version INTEGER NOT NULL,
                meeting_date TEXT NOT NULL, purpose TEXT NOT NULL, sender TEXT NOT NULL,
                recipient TEXT NOT NULL, recipient_role TEXT, corrects TEXT, register_index BIGINT NOT NULL, pupils INTEGER NOT NULL,
                bundle TEXT NOT NULL, bundle_digest TEXT NOT NULL, created TEXT NOT NULL, fetched_at TEXT, acknowledged_at TEXT
            )
            """,
            "CREATE INDEX tafel_deliveries_recipient ON tafel_deliveries (recipient, created)",
            "CREATE INDEX tafel_deliveries_agenda ON tafel_deliveries (agenda_id, kind, version)",
            // The consents a delivery's released fields rested on, per pupil's case: a revocation
            // tells the delivery's recipient (art. 11.5), as for a disclosure.
            """
            CREATE TABLE tafel_delivery_consents (
                delivery_id TEXT NOT NULL, consent_id TEXT NOT NULL, case_id TEXT NOT NULL, PRIMARY KEY (delivery_id, consent_id)
            )
            """,
            "CREATE INDEX tafel_delivery_consents_consent ON tafel_delivery_consents (consent_id, delivery_id)",
        ]),
        // The school's pupil key of a case as a keyed hash (Bijlage 3.1; AVG art. 5(1)(d)):
        // the encrypted key (random nonce) cannot be compared by the database, this can — one
        // key per case (the primary key), one case per key of a school board (the unique index),
        // whichever gateway instance writes. Hashes of keys stored before are made at gateway
        // start (`Gateway.hashStoredPupilKeys`): the key is reachable only with the vault's key.
        // Version 12 is another change's; this one touches none of its tables.
        Migration(version: 13, statements: [
            "CREATE TABLE case_pupil_keys (case_id TEXT PRIMARY KEY, party TEXT NOT NULL, key_hash TEXT NOT NULL)",
            "CREATE UNIQUE INDEX case_pupil_keys_party_hash ON case_pupil_keys (party, key_hash)",
        ]),
        // Rights of pupils and parents (issue 12; convenant art. 13, AVG art. 12 lid 3, 15–21):
        // requests with their deadlines, every text about a person sealed; a case's restriction
        // (AVG art. 18); the subject of a notice (a rectified field, an overdue request's id).
        // Version 15 is another change's; this one touches none of its tables.
        Migration(version: 14, statements: [
            """
            CREATE TABLE rights_requests (
                id TEXT PRIMARY KEY, case_id TEXT NOT NULL, handler TEXT NOT NULL, kind TEXT NOT NULL, requester TEXT NOT NULL,
                requester_cipher TEXT NOT NULL, identity_check TEXT NOT NULL, identity_note_cipher TEXT, received_on TEXT NOT NULL,
                due_on TEXT NOT NULL, status TEXT NOT NULL, extended_at TEXT, extension_cipher TEXT, decided_at TEXT, decision_cipher TEXT,
                refusal_ground TEXT, delivered_at TEXT, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX rights_requests_case ON rights_requests (case_id)",
            "CREATE INDEX rights_requests_status ON rights_requests (status, due_on)",
            """
            CREATE TABLE case_restrictions (
                case_id TEXT PRIMARY KEY, reason TEXT NOT NULL, request_id TEXT, restricted_at TEXT NOT NULL, restricted_by TEXT NOT NULL
            )
            """,
            "ALTER TABLE notices ADD COLUMN subject TEXT",
        ]),
        // The register's entries about one pupil, in order (convenant art. 13.1 sub a: the
        // inzage report; issue 12 item 8: subject queries paged by index). The index on
        // `subject` alone finds them, but then sorts them by `idx`; with `idx` in the key the
        // rows come in order and a page stops after `limit` — sluis-bench inzage measures both
        // (docs/performance.md). Version 14 is another change's; this one touches none of its tables.
        Migration(version: 15, statements: [
            "CREATE INDEX register_entries_subject_idx ON register_entries (subject, idx)",
        ]),
        // A case restricted under several requests at once (AVG art. 18 lid 1: a granted
        // beperking, an objection while assessed), each lifted only by its own: one row per
        // request (an attacker's finding: with one row per case, refusing one party's objection
        // lifted another's restriction, and an objection on a restricted case got none).
        Migration(version: 16, statements: [
            """
            CREATE TABLE case_restrictions_per_request (
                case_id TEXT NOT NULL, reason TEXT NOT NULL, request_id TEXT NOT NULL, restricted_at TEXT NOT NULL, restricted_by TEXT NOT NULL,
                PRIMARY KEY (case_id, request_id)
            )
            """,
            """
            INSERT INTO case_restrictions_per_request (case_id, reason, request_id, restricted_at, restricted_by)
            SELECT case_id, reason, COALESCE(request_id, 'voor-versie-16'), restricted_at, restricted_by FROM case_restrictions
            """,
            "DROP TABLE case_restrictions",
            "ALTER TABLE case_restrictions_per_request RENAME TO case_restrictions",
        ]),
    ]

    /// Applies the migrations not yet applied, up to version `through` (a test builds an older
    /// database with it), in version order. A version is applied when it is not recorded, not
    /// when it is above the highest recorded: numbers are handed out to parallel branches, so a
    /// database may carry 11 before 9 and 10 arrive — each then applies on its own (a test
    /// applies 11 on 8, then 9 and 10 after it). `migrations`: the list (a test passes its own);
    /// `skipping`: versions left out (a test builds a database that got a later version first).
    static func apply(_ connection: StoreConnection, through last: Int = .max, skipping: Set<Int> = [],
                      migrations: [Migration] = all) async throws {
        let sql = connection.sql
        try await sql.raw("CREATE TABLE IF NOT EXISTS sluis_migrations (version INTEGER PRIMARY KEY)").run()
        let done = Set(try await sql.raw("SELECT version FROM sluis_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
        for migration in migrations.sorted(by: { $0.version < $1.version })
        where !done.contains(migration.version) && migration.version <= last && !skipping.contains(migration.version) {
            try await connection.transaction {
                for statement in migration.statements { try await sql.raw(SQLQueryString(statement)).run() }
                try await migration.move?(sql)
                for statement in migration.cleanup { try await sql.raw(SQLQueryString(statement)).run() }
                try await sql.raw("INSERT INTO sluis_migrations (version) VALUES (\(bind: migration.version))").run()
            }
        }
        // Case references minted for rows from before migration 4: random, one per party.
        for row in try await sql.raw("SELECT case_id, party FROM case_parties WHERE ref IS NULL").all() {
            try await sql.raw("""
                UPDATE case_parties SET ref = \(bind: UUID().uuidString.lowercased())
                WHERE case_id = \(bind: try row.decode(column: "case_id", as: String.self))
                AND party = \(bind: try row.decode(column: "party", as: String.self)) AND ref IS NULL
                """).run()
        }
        // The head row exists from the start: size 0, the empty tree's root.
        try await sql.raw("""
            INSERT INTO register_head (id, size, root) SELECT 1, 0, \(bind: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
            WHERE NOT EXISTS (SELECT 1 FROM register_head WHERE id = 1)
            """).run()
    }
}
