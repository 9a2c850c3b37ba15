/// A section of a Markdown file between two HTML comments, rewritten by a program and left
/// alone by people: `<!-- NAME: begin -->` … `<!-- NAME: end -->`. Everything outside the
/// markers is kept byte for byte.
public struct MarkedSection: Sendable {
    public let begin: String
    public let end: String

    public init(name: String) {
        begin = "<!-- \(name): begin -->"
        end = "<!-- \(name): end -->"
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `document` with the text between the markers replaced by `body`; when neither marker is
    /// there, the section is appended at the end. Throws, changing nothing, when the markers are
    /// there but not once each and in order — a hand edit that broke them.
    public func replace(in document: String, with body: String) throws -> String {
        let block = begin + "\n" + body + (body.hasSuffix("\n") ? "" : "\n") + end
        let begins = document.ranges(of: begin), ends = document.ranges(of: end)
        if begins.isEmpty && ends.isEmpty {
            return document + (document.hasSuffix("\n") || document.isEmpty ? "" : "\n") + "\n" + block + "\n"
        }
        guard begins.count == 1, ends.count == 1, let start = begins.first, let stop = ends.first,
              start.upperBound <= stop.lowerBound else {
            throw Failure(description: "the markers \(begin) and \(end) must each appear once, in that order "
                          + "(found \(begins.count) and \(ends.count)); fix the file by hand")
        }
        return String(document[..<start.lowerBound]) + block + String(document[stop.upperBound...])
    }
}
