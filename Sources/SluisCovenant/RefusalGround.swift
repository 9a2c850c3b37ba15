/// The grounds on which a controller may refuse a right of AVG art. 12–21, as far as necessary
/// and proportionate: Uitvoeringswet AVG art. 41 lid 1 sub a–j (which uses AVG art. 23 lid 1).
/// Fn 31 at convenant art. 13.2: "Alleen bij uitzondering kan inzage worden geweigerd. Artikel 41
/// van de Uitvoeringswet AVG bevat een aantal uitzonderingsgronden"; the refusal is written and
/// clearly reasoned (art. 13.2).
public enum RefusalGround: String, CaseIterable, Sendable, Codable {
    /// Sub a: de nationale veiligheid.
    case nationaleVeiligheid = "a-nationale-veiligheid"
    /// Sub b: landsverdediging.
    case landsverdediging = "b-landsverdediging"
    /// Sub c: de openbare veiligheid.
    case openbareVeiligheid = "c-openbare-veiligheid"
    /// Sub d: de voorkoming, het onderzoek, de opsporing en de vervolging van strafbare feiten of
    /// de tenuitvoerlegging van straffen.
    case strafbareFeiten = "d-strafbare-feiten"
    /// Sub e: andere belangrijke doelstellingen van algemeen belang van de Unie of van Nederland.
    case algemeenBelang = "e-algemeen-belang"
    /// Sub f: de bescherming van de onafhankelijkheid van de rechter en van gerechtelijke procedures.
    case gerechtelijkeProcedures = "f-gerechtelijke-procedures"
    /// Sub g: de voorkoming, het onderzoek, de opsporing en de vervolging van schendingen van de
    /// beroepscodes voor gereglementeerde beroepen.
    case beroepscodes = "g-beroepscodes"
    /// Sub h: een taak op het gebied van toezicht, inspectie of regelgeving in verband met de
    /// uitoefening van het openbaar gezag in de gevallen van sub a–e en g.
    case toezicht = "h-toezicht-inspectie-regelgeving"
    /// Sub i: de bescherming van de betrokkene of van de rechten en vrijheden van anderen.
    case rechtenVanAnderen = "i-bescherming-betrokkene-of-anderen"
    /// Sub j: de inning van civielrechtelijke vorderingen.
    case civieleVorderingen = "j-civielrechtelijke-vorderingen"

    /// As cited in a refusal and on the register.
    public var article: String { "UAVG art. 41 lid 1 sub \(rawValue.prefix(1))" }
}
