import SQLKit

/// Rows read as Codable models (SQLKit's `SQLRow.decode(model:keyDecodingStrategy:)`), columns
/// in snake_case: the property `caseID` is the column `case_id`, `lastTOTPStep` is
/// `last_totp_step`. A run of capitals is one word, which SQLKit's own `.convertFromSnakeCase`
/// does not do (it would look for `case_iD`).
enum StoredRows {
    /// The column of a property: a new word starts at a capital after a small letter or digit,
    /// and at the last capital of a run that a small letter follows (`TOTPStep` → `totp_step`).
    @Sendable static func column(_ key: String) -> String {
        let characters = Array(key)
        var column = ""
        column.reserveCapacity(characters.count + 4)
        for (offset, character) in characters.enumerated() {
            if character.isUppercase, offset > 0 {
                let previous = characters[offset - 1]
                let nextIsSmall = offset + 1 < characters.count && characters[offset + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsSmall) { column.append("_") }
            }
            column.append(contentsOf: character.lowercased())
        }
        return column
    }

    /// What went wrong, naming the column but never the stored value (it may be personal data).
    static func unreadable(_ error: any Error, table: String, column: (String) -> String) -> StoreError {
        let (key, problem): ((any CodingKey)?, String)
        switch error as? DecodingError {
        case .dataCorrupted(let context): (key, problem) = (context.codingPath.first, "holds a value outside its vocabulary or format")
        case .typeMismatch(_, let context): (key, problem) = (context.codingPath.first, "holds a value of another type")
        case .valueNotFound(_, let context): (key, problem) = (context.codingPath.first, "is empty (NULL)")
        case .keyNotFound(let missing, _): (key, problem) = (missing, "is missing from the query")
        default: (key, problem) = (nil, "cannot be read")
        }
        return .unreadable(table: table, column: key.map { column($0.stringValue) }, problem: problem)
    }
}

extension SQLRow {
    /// This row as `R`, read from `table`; `column` names the column of each property
    /// (snake_case by default). Throws `StoreError.unreadable` naming the table and column when
    /// a value does not fit — a status outside its vocabulary, say.
    func decode<R: Decodable>(_ type: R.Type, table: String, column: @escaping @Sendable (String) -> String = StoredRows.column) throws -> R {
        do {
            return try decode(model: R.self, keyDecodingStrategy: .custom { path in SomeCodingKey(stringValue: column(path.last?.stringValue ?? "")) })
        } catch {
            throw StoredRows.unreadable(error, table: table, column: column)
        }
    }
}
