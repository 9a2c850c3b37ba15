/// Subtree sources for computing proofs from nodes fetched in one go: first record which perfect
/// subtrees an algorithm asks for, fetch them, then run it again on the fetched nodes.
public final class RecordingSubtreeSource: SubtreeSource {
    public private(set) var requested: [(level: Int, index: Int64)] = []
    public init() {}
    public func perfectSubtree(level: Int, index: Int64) throws -> MerkleTree.Hash {
        requested.append((level, index))
        return [UInt8](repeating: 0, count: 32)
    }
}

public struct DictionarySubtreeSource: SubtreeSource, Sendable {
    public var nodes: [NodeKey: MerkleTree.Hash]

    public struct NodeKey: Hashable, Sendable {
        public let level: Int
        public let index: Int64
        public init(level: Int, index: Int64) {
            self.level = level
            self.index = index
        }
    }

    public init(nodes: [NodeKey: MerkleTree.Hash] = [:]) { self.nodes = nodes }

    public func perfectSubtree(level: Int, index: Int64) throws -> MerkleTree.Hash {
        guard let hash = nodes[NodeKey(level: level, index: index)] else { throw MerkleError.missingNode(level: level, index: index) }
        return hash
    }
}
