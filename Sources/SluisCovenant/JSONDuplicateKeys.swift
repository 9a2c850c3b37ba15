/// The check for keys given twice, without building the document. A repeated key is ambiguous —
/// one reader takes the first value, another the last — so a request that repeats one is
/// refused, naming the key (decision contract: HTTP 400, exit 2). `RequestParser` applies the
/// same check to decision requests; the HTTP API's other bodies get it, with unknown keys, from
/// `StrictJSON`.
public enum JSONDuplicateKeys {
    /// The path of the first key, in document order, that occurs twice in one object, or nil
    /// when every object's keys are distinct. Keys are compared after decoding escapes
    /// (`"kind"` and `"\u006bind"` are the same key). The path names keys as the decision
    /// contract does: `forum`, `pupil.age`, `consents[0].revoked`; a key that does not look like
    /// one of ours as `[a key]` (`StrictJSON.display`: it may be a name).
    ///
    /// Fail-closed: a document that is not JSON (RFC 8259: trailing content, invalid UTF-8,
    /// lone surrogates), or that nests deeper than 32 levels, throws rather than answering
    /// nil. One pass over the bytes without building the document's values; a repeated key
    /// that comes before a syntax error is reported as the repeated key.
    public static func firstDuplicate(in bytes: [UInt8]) throws(JSONSyntaxError) -> String? {
        do {
            try JSONParser.check(bytes)
            return nil
        } catch {
            if let path = error.duplicatePath { return StrictJSON.display(path, in: nil) }
            throw JSONSyntaxError(offset: error.offset, problem: error.problem)
        }
    }
}

/// A body that is not a JSON document: the byte offset and what is wrong, never the text.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var problem: String

    public init(offset: Int, problem: String) {
        self.offset = offset
        self.problem = problem
    }

    public var description: String { "not a JSON document (\(problem) at byte \(offset))" }
}
