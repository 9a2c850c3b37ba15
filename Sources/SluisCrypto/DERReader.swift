/// A small reader for the BER/DER structure of a CMS file: enough to check what a bundle
/// claims to be and to show it (`sluis bundle inspect`) before any key is used. It bounds
/// every length by its enclosing element and its nesting depth, and never decrypts.
struct DERReader {
    struct Node {
        /// The identifier octet (class, constructed bit, tag number < 31).
        let tag: UInt8
        /// Where the element (its header) starts in the input.
        let start: Int
        /// Where the content starts and ends in the input.
        let content: Range<Int>
        /// Where the whole element (header + content + end-of-contents) ends.
        let end: Int
        var isConstructed: Bool { tag & 0x20 != 0 }
    }

    struct Malformed: Error {}

    static let maxDepth = 64

    let bytes: [UInt8]

    /// The element starting at `offset`, inside `limit`.
    func node(at offset: Int, limit: Int, depth: Int = 0) throws(Malformed) -> Node {
        guard depth <= Self.maxDepth, offset + 2 <= limit else { throw Malformed() }
        let tag = bytes[offset]
        guard tag & 0x1F != 0x1F else { throw Malformed() }  // high tag numbers do not occur in CMS
        var position = offset + 1
        let first = bytes[position]
        position += 1
        if first == 0x80 {
            // Indefinite length (BER): constructed only, ends with 00 00.
            guard tag & 0x20 != 0 else { throw Malformed() }
            var cursor = position
            while true {
                guard cursor + 2 <= limit else { throw Malformed() }
                if bytes[cursor] == 0 && bytes[cursor + 1] == 0 {
                    return Node(tag: tag, start: offset, content: position..<cursor, end: cursor + 2)
                }
                cursor = try node(at: cursor, limit: limit, depth: depth + 1).end
            }
        }
        var length = 0
        if first & 0x80 == 0 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, position + count <= limit else { throw Malformed() }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[position])
                position += 1
            }
        }
        guard length >= 0, position + length <= limit else { throw Malformed() }
        return Node(tag: tag, start: offset, content: position..<position + length, end: position + length)
    }

    func root() throws(Malformed) -> Node {
        let node = try node(at: 0, limit: bytes.count)
        guard node.end == bytes.count else { throw Malformed() }
        return node
    }

    /// The elements directly inside a constructed element.
    func children(_ parent: Node, depth: Int = 0) throws(Malformed) -> [Node] {
        guard parent.isConstructed else { throw Malformed() }
        var result: [Node] = []
        var offset = parent.content.lowerBound
        while offset < parent.content.upperBound {
            let child = try node(at: offset, limit: parent.content.upperBound, depth: depth + 1)
            result.append(child)
            offset = child.end
        }
        return result
    }

    /// The only child of an explicit tag, or the n-th child.
    func child(_ parent: Node, _ index: Int) throws(Malformed) -> Node {
        let all = try children(parent)
        guard index < all.count else { throw Malformed() }
        return all[index]
    }

    /// An OBJECT IDENTIFIER in dotted form.
    func oid(_ node: Node) throws(Malformed) -> String {
        guard node.tag == 0x06, !node.content.isEmpty else { throw Malformed() }
        var parts: [UInt64] = []
        var value: UInt64 = 0
        for index in node.content {
            let byte = bytes[index]
            guard value < (1 << 56) else { throw Malformed() }
            value = value << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 {
                parts.append(value)
                value = 0
            }
        }
        guard bytes[node.content.upperBound - 1] & 0x80 == 0, let first = parts.first else { throw Malformed() }
        let head: [UInt64] = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
        return (head + parts.dropFirst()).map(String.init).joined(separator: ".")
    }

    /// A small non-negative INTEGER.
    func integer(_ node: Node) throws(Malformed) -> Int {
        guard node.tag == 0x02, (1...4).contains(node.content.count) else { throw Malformed() }
        return node.content.reduce(0) { $0 << 8 | Int(bytes[$1]) }
    }

    func contents(_ node: Node) -> ArraySlice<UInt8> { bytes[node.content] }

    /// The whole encoding of an element, header included.
    func encoding(_ node: Node) -> ArraySlice<UInt8> { bytes[node.start..<node.end] }
}

extension Array where Element == DERReader.Node {
    /// The element at `index`, or a malformed-input error: never an out-of-range trap.
    func at(_ index: Int) throws(DERReader.Malformed) -> DERReader.Node {
        guard indices.contains(index) else { throw DERReader.Malformed() }
        return self[index]
    }
}
