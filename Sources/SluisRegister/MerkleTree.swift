public import SluisCrypto

/// The Merkle tree of RFC 6962 / RFC 9162 §2.1 over the register's entries:
/// leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right), and the tree of n leaves
/// splits at the largest power of two below n. Proofs and their verification follow the RFC's
/// algorithms exactly (docs/register.md shows how to check one by hand).
public enum MerkleTree {
    public typealias Hash = [UInt8]

    public static func leafHash(_ data: [UInt8], _ hasher: SHA256Hasher) -> Hash {
        data.withUnsafeBytes { hasher.hash(prefix: 0x00, $0) }
    }

    public static func nodeHash(_ left: Hash, _ right: Hash, _ hasher: SHA256Hasher) -> Hash {
        left.withUnsafeBytes { l in right.withUnsafeBytes { r in hasher.hash(prefix: 0x01, l, r) } }
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func split(_ n: Int64) -> Int64 {
        var k: Int64 = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The hash of leaves [start, end), from perfect subtrees. In every range the RFC's
    /// recursion asks for, `start` is aligned to each power of two that it is split into.
    public static func rangeHash(_ start: Int64, _ end: Int64, _ source: some SubtreeSource, _ hasher: SHA256Hasher) throws -> Hash {
        let n = end - start
        guard n > 0 else { throw MerkleError.emptyRange }
        if n & (n - 1) == 0, start % n == 0 {
            return try source.perfectSubtree(level: n.trailingZeroBitCount, index: start / n)
        }
        let k = split(n)
        return nodeHash(try rangeHash(start, start + k, source, hasher), try rangeHash(start + k, end, source, hasher), hasher)
    }

    /// The root of a tree of `size` leaves (RFC 9162 MTH).
    public static func root(size: Int64, _ source: some SubtreeSource, _ hasher: SHA256Hasher) throws -> Hash {
        guard size > 0 else { return emptyRoot(hasher) }
        return try rangeHash(0, size, source, hasher)
    }

    /// The root of the empty tree: SHA-256 of the empty string.
    public static func emptyRoot(_ hasher: SHA256Hasher) -> Hash {
        // hash(prefix:) always adds a byte; the empty tree's hash has none.
        (try? SHA256.hash([UInt8]())) ?? []
    }

    /// The audit path for leaf `index` in a tree of `size` leaves (RFC 6962 §2.1.1 PATH).
    public static func inclusionProof(index: Int64, size: Int64, _ source: some SubtreeSource, _ hasher: SHA256Hasher) throws -> [Hash] {
        guard index >= 0, index < size else { throw MerkleError.indexOutOfRange(index: index, size: size) }
        func path(_ m: Int64, _ start: Int64, _ end: Int64) throws -> [Hash] {
            let n = end - start
            if n == 1 { return [] }
            let k = split(n)
            if m - start < k {
                return try path(m, start, start + k) + [rangeHash(start + k, end, source, hasher)]
            }
            return try path(m, start + k, end) + [rangeHash(start, start + k, source, hasher)]
        }
        return try path(index, 0, size)
    }

    /// The consistency proof between trees of `old` and `new` leaves (RFC 6962 §2.1.2 PROOF).
    public static func consistencyProof(old: Int64, new: Int64, _ source: some SubtreeSource, _ hasher: SHA256Hasher) throws -> [Hash] {
        guard old >= 0, old <= new else { throw MerkleError.indexOutOfRange(index: old, size: new) }
        guard old > 0, old < new else { return [] }
        func subproof(_ m: Int64, _ start: Int64, _ end: Int64, _ complete: Bool) throws -> [Hash] {
            let n = end - start
            if m == n { return complete ? [] : [try rangeHash(start, end, source, hasher)] }
            let k = split(n)
            if m <= k {
                return try subproof(m, start, start + k, complete) + [rangeHash(start + k, end, source, hasher)]
            }
            return try subproof(m - k, start + k, end, false) + [rangeHash(start, start + k, source, hasher)]
        }
        return try subproof(old, 0, new, true)
    }

    /// RFC 9162 §2.1.3.2: verifies an inclusion proof.
    public static func verifyInclusion(
        index: Int64, size: Int64, leafHash: Hash, proof: [Hash], root: Hash, _ hasher: SHA256Hasher
    ) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index, sn = size - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r, hasher)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p, hasher)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// RFC 9162 §2.1.4.2: verifies a consistency proof between two tree heads.
    public static func verifyConsistency(
        old: Int64, new: Int64, oldRoot: Hash, newRoot: Hash, proof: [Hash], _ hasher: SHA256Hasher
    ) -> Bool {
        guard old >= 0, old <= new else { return false }
        if old == new { return proof.isEmpty && oldRoot == newRoot }
        if old == 0 { return proof.isEmpty }
        var path = proof
        if old & (old - 1) == 0 { path.insert(oldRoot, at: 0) }
        guard let first = path.first else { return false }
        var fn = old - 1, sn = new - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = first, sr = first
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr, hasher)
                sr = nodeHash(c, sr, hasher)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c, hasher)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}

public enum MerkleError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyRange
    case indexOutOfRange(index: Int64, size: Int64)
    case missingNode(level: Int, index: Int64)

    public var description: String {
        switch self {
        case .emptyRange: "empty range in the Merkle tree"
        case .indexOutOfRange(let index, let size): "index \(index) is outside a tree of \(size) entries"
        case .missingNode(let level, let index): "the stored tree lacks node \(index) at level \(level)"
        }
    }
}

/// Where perfect subtree hashes come from: the store's node table, or memory.
public protocol SubtreeSource {
    /// The hash of the perfect subtree over leaves [index·2^level, (index+1)·2^level).
    func perfectSubtree(level: Int, index: Int64) throws -> MerkleTree.Hash
}

/// The right edge of the tree: the perfect subtrees that make up a tree of `size` leaves. An
/// append returns the new perfect nodes (to store) and updates the edge; the root is a fold.
public struct MerkleFrontier: Sendable, Equatable {
    public private(set) var size: Int64 = 0
    /// `edge[level]` is the perfect subtree at that level when bit `level` of `size` is set.
    public private(set) var edge: [MerkleTree.Hash?] = []

    public struct Node: Sendable, Equatable {
        public let level: Int
        public let index: Int64
        public let hash: MerkleTree.Hash
    }

    public init() {}

    /// Rebuilds the edge of a tree of `size` leaves from stored perfect subtrees.
    public init(size: Int64, _ source: some SubtreeSource) throws {
        self.size = size
        for level in 0..<64 where (size >> level) & 1 == 1 {
            let start = (size >> (level + 1)) << (level + 1)
            if edge.count <= level { edge += Array(repeating: nil, count: level - edge.count + 1) }
            edge[level] = try source.perfectSubtree(level: level, index: start >> level)
        }
    }

    /// Adds a leaf; returns every perfect node it completes (the leaf itself first).
    public mutating func append(leafHash: MerkleTree.Hash, _ hasher: SHA256Hasher) -> [Node] {
        var nodes = [Node(level: 0, index: size, hash: leafHash)]
        var hash = leafHash, level = 0, index = size
        while level < edge.count, (size >> level) & 1 == 1, let left = edge[level] {
            hash = MerkleTree.nodeHash(left, hash, hasher)
            edge[level] = nil
            level += 1
            index >>= 1
            nodes.append(Node(level: level, index: index, hash: hash))
        }
        if edge.count <= level { edge += Array(repeating: nil, count: level - edge.count + 1) }
        edge[level] = hash
        size += 1
        return nodes
    }

    /// The current root (RFC 9162 MTH of all leaves so far).
    public func root(_ hasher: SHA256Hasher) -> MerkleTree.Hash {
        var root: MerkleTree.Hash?
        for level in 0..<edge.count where (size >> level) & 1 == 1 {
            guard let subtree = edge[level] else { continue }
            root = root.map { MerkleTree.nodeHash(subtree, $0, hasher) } ?? subtree
        }
        return root ?? MerkleTree.emptyRoot(hasher)
    }
}
