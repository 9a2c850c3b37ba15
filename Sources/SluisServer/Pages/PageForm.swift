import Foundation

/// A submitted HTML form (`application/x-www-form-urlencoded`, WHATWG URL §5.1): each name with
/// its values in order (a group of checkboxes sends one name several times). Bad encoding is
/// refused as a whole, naming no value.
struct PageForm: Sendable {
    var values: [String: [String]] = [:]
    /// The files of a `multipart/form-data` upload (`PageUpload`), by field name: the bytes as sent.
    var files: [String: [UInt8]] = [:]

    /// Forms are small: a consent with its givers at most.
    static let maxSize = 32 * 1024

    struct Invalid: Error {}

    /// No form (a POST whose form the middleware did not read).
    init() {}

    init(_ body: String) throws {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else { throw Invalid() }
            values[name, default: []].append(value)
        }
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The value of a single field, trimmed; nil when absent or empty.
    subscript(_ name: String) -> String? {
        guard let value = values[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Every value sent under `name` (checkboxes), empty ones left out.
    func all(_ name: String) -> [String] { (values[name] ?? []).filter { !$0.isEmpty } }
}
