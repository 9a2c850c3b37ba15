import Testing
@testable import SluisCrypto
@testable import SluisRegister

/// RFC 6962 / 9162 Merkle tree: roots, proofs and their verification.
@Suite("Merkle tree")
struct MerkleTreeTests {
    let hasher = try! SHA256Hasher()

    /// The RFC's definition, written as plainly as possible, as the reference.
    func referenceRoot(_ leaves: [[UInt8]]) -> [UInt8] {
        if leaves.isEmpty { return try! SHA256.hash([UInt8]()) }
        if leaves.count == 1 { return MerkleTree.leafHash(leaves[0], hasher) }
        let k = Int(MerkleTree.split(Int64(leaves.count)))
        return MerkleTree.nodeHash(referenceRoot(Array(leaves[..<k])), referenceRoot(Array(leaves[k...])), hasher)
    }

    /// Perfect subtrees computed from the leaves themselves.
    struct Leaves: SubtreeSource {
        let leaves: [[UInt8]]
        let test: MerkleTreeTests
        func perfectSubtree(level: Int, index: Int64) throws -> MerkleTree.Hash {
            let start = Int(index) << level, end = start + (1 << level)
            guard end <= leaves.count else { throw MerkleError.missingNode(level: level, index: index) }
            return test.referenceRoot(Array(leaves[start..<end]))
        }
    }

    static let rfcLeaves: [[UInt8]] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                       "606162636465666768696a6b6c6d6e6f"].map(DERHex.bytes)
    static let rfcRoots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test("The roots of the RFC 6962 reference leaves (certificate-transparency test data)")
    func referenceVectors() throws {
        var frontier = MerkleFrontier()
        for (count, leaf) in Self.rfcLeaves.enumerated() {
            _ = frontier.append(leafHash: MerkleTree.leafHash(leaf, hasher), hasher)
            #expect(Hex.encode(frontier.root(hasher)) == Self.rfcRoots[count], "size \(count + 1)")
            #expect(Hex.encode(referenceRoot(Array(Self.rfcLeaves.prefix(count + 1)))) == Self.rfcRoots[count])
        }
        #expect(Hex.encode(MerkleFrontier().root(hasher)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("Frontier, stored subtrees and the plain definition agree on every size up to 130")
    func rootsAgree() throws {
        let leaves = (0..<130).map { Array("entry \($0)".utf8) }
        var frontier = MerkleFrontier()
        var stored: [String: MerkleTree.Hash] = [:]
        for (index, leaf) in leaves.enumerated() {
            for node in frontier.append(leafHash: MerkleTree.leafHash(leaf, hasher), hasher) { stored["\(node.level)/\(node.index)"] = node.hash }
            let size = Int64(index + 1)
            let expected = referenceRoot(Array(leaves.prefix(index + 1)))
            #expect(frontier.root(hasher) == expected)
            #expect(try MerkleTree.root(size: size, Leaves(leaves: leaves, test: self), hasher) == expected)
            #expect(try MerkleFrontier(size: size, Leaves(leaves: leaves, test: self)) == frontier)
        }
        // Every perfect node the frontier emitted is the subtree hash it claims to be.
        for (key, hash) in stored {
            let parts = key.split(separator: "/")
            #expect(try Leaves(leaves: leaves, test: self).perfectSubtree(level: Int(parts[0])!, index: Int64(parts[1])!) == hash)
        }
    }

    @Test("Every inclusion proof up to size 40 verifies, and fails for another leaf, index or root")
    func inclusionProofs() throws {
        let leaves = (0..<40).map { Array("leaf \($0)".utf8) }
        let source = Leaves(leaves: leaves, test: self)
        for size in 1...Int64(leaves.count) {
            let root = referenceRoot(Array(leaves.prefix(Int(size))))
            for index in 0..<size {
                let proof = try MerkleTree.inclusionProof(index: index, size: size, source, hasher)
                let leaf = MerkleTree.leafHash(leaves[Int(index)], hasher)
                #expect(MerkleTree.verifyInclusion(index: index, size: size, leafHash: leaf, proof: proof, root: root, hasher))
                #expect(!MerkleTree.verifyInclusion(index: index, size: size, leafHash: MerkleTree.leafHash([1], hasher), proof: proof, root: root, hasher))
                if size > 1 {
                    #expect(!MerkleTree.verifyInclusion(index: (index + 1) % size, size: size, leafHash: leaf, proof: proof, root: root, hasher))
                }
                #expect(!MerkleTree.verifyInclusion(index: index, size: size, leafHash: leaf, proof: proof, root: leaf, hasher) || size == 1)
            }
        }
    }

    @Test("Every consistency proof up to size 40 verifies, and fails against another root")
    func consistencyProofs() throws {
        let leaves = (0..<40).map { Array("leaf \($0)".utf8) }
        let source = Leaves(leaves: leaves, test: self)
        for new in 1...Int64(leaves.count) {
            let newRoot = referenceRoot(Array(leaves.prefix(Int(new))))
            for old in 1...new {
                let oldRoot = referenceRoot(Array(leaves.prefix(Int(old))))
                let proof = try MerkleTree.consistencyProof(old: old, new: new, source, hasher)
                #expect(MerkleTree.verifyConsistency(old: old, new: new, oldRoot: oldRoot, newRoot: newRoot, proof: proof, hasher),
                        "\(old) → \(new)")
                if old < new {
                    #expect(!MerkleTree.verifyConsistency(old: old, new: new, oldRoot: MerkleTree.leafHash([9], hasher),
                                                          newRoot: newRoot, proof: proof, hasher))
                    #expect(!MerkleTree.verifyConsistency(old: old, new: new, oldRoot: oldRoot,
                                                          newRoot: MerkleTree.leafHash([9], hasher), proof: proof, hasher))
                }
            }
        }
    }

    @Test("Proof size grows with log2 of the tree: ≤ 20 hashes (640 bytes) at 1,000,000 entries")
    func proofSize() throws {
        struct Constant: SubtreeSource {
            func perfectSubtree(level: Int, index: Int64) throws -> MerkleTree.Hash { [UInt8](repeating: UInt8(level), count: 32) }
        }
        let proof = try MerkleTree.inclusionProof(index: 123_456, size: 1_000_000, Constant(), hasher)
        #expect(proof.count <= 20)
        #expect(proof.count * 32 <= 1024)
    }
}

enum DERHex {
    static func bytes(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }
}
