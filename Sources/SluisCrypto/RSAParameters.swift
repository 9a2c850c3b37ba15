/// The parameters of RSAES-OAEP and RSASSA-PSS as an AlgorithmIdentifier carries them (RFC 8017
/// A.2.1 and A.2.3; RFC 4055 §3.1 and §4.1), with their defaults: hash SHA-1, MGF1 with SHA-1,
/// salt 20 bytes, trailer field 1. Read by Sluis's DER reader, without keys.
struct RSAParameters: Equatable {
    static let sha1 = "1.3.14.3.2.26"
    static let mgf1 = "1.2.840.113549.1.1.8"

    /// hashAlgorithm [0] (OAEP's and PSS's hash).
    var hash = sha1
    /// maskGenAlgorithm [1]: the function (MGF1 is the only one RFC 8017 §B.2 defines) and its hash.
    var maskGeneration = mgf1
    var maskGenerationHash = sha1
    /// PSS only: saltLength [2] in bytes and trailerField [3].
    var saltLength = 20
    var trailerField = 1
    /// Whether hash and mask generation were written out or are the (SHA-1) defaults.
    var hashIsDefault = true
    var maskGenerationIsDefault = true

    /// Reads the parameters of `algorithm` (an AlgorithmIdentifier's children: OID, then the
    /// parameters, if any). `pss` reads [2] and [3] as RSASSA-PSS's salt length and trailer;
    /// for OAEP [2] is the label source, which Sluis does not look at.
    static func read(_ algorithm: [DERReader.Node], _ reader: DERReader, pss: Bool) throws -> RSAParameters {
        var parameters = RSAParameters()
        guard algorithm.count > 1, algorithm[1].tag == 0x30 else { return parameters }
        for parameter in try reader.children(algorithm[1]) {
            switch parameter.tag {
            case 0xA0:
                parameters.hash = try reader.oid(try reader.child(try reader.child(parameter, 0), 0))
                parameters.hashIsDefault = false
            case 0xA1:
                // AlgorithmIdentifier { id-mgf1, AlgorithmIdentifier { hash } }
                let generator = try reader.children(try reader.child(parameter, 0))
                parameters.maskGeneration = try reader.oid(try generator.at(0))
                parameters.maskGenerationHash = parameters.maskGeneration == mgf1
                    ? try reader.oid(try reader.child(try generator.at(1), 0)) : parameters.maskGeneration
                parameters.maskGenerationIsDefault = false
            case 0xA2 where pss:
                parameters.saltLength = try reader.integer(try reader.child(parameter, 0))
            case 0xA3 where pss:
                parameters.trailerField = try reader.integer(try reader.child(parameter, 0))
            default:
                continue
            }
        }
        return parameters
    }
}
