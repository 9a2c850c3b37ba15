/// Who may exercise the rights of art. 13 for a pupil of a given age (fn 28 at art. 13.1):
/// "Tot 12 jaar wordt dit recht uitgeoefend door de wettelijk vertegenwoordiger van betrokkene.
/// Tussen 12 en 16 jaar geldt dit recht voor betrokkene en wettelijk vertegenwoordiger allebei
/// en vanaf 16 jaar door betrokkene zelf." Art. 13.1 says the same: "Iedere betrokkene, en de
/// wettelijk vertegenwoordiger bij betrokkenen jonger dan 16 jaar".
public enum RightsEligibility {
    /// Whether `requester` may ask for a pupil who is `age` whole years old on the day the
    /// request was received. *Interpretation* (docs/rights.md): from 16 the legal representative
    /// may not ask under art. 13 — WPO art. 11 (information about progress until 18) is a right
    /// to information from the school, not an AVG right exercised here.
    public static func mayAsk(_ requester: RightsRequester, age: Int) -> Bool {
        switch age {
        case ..<12: requester.representsThePupil
        case 12..<16: true
        default: requester == .pupil
        }
    }

    /// Who may ask at `age`, in Dutch, for an error message.
    public static func whoMayAsk(age: Int) -> String {
        switch age {
        case ..<12: "onder de 12 jaar de wettelijk vertegenwoordiger (ouder of voogd)"
        case 12..<16: "van 12 tot 16 jaar de leerling en de wettelijk vertegenwoordiger allebei"
        default: "vanaf 16 jaar de leerling zelf"
        }
    }
}
