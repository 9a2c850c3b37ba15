/// How long a case ran, from the day it was registered to the day it closed, in the buckets the
/// anonymised statistics count (art. 9.3): coarse enough that a duration does not single out a
/// pupil, and kept in a tombstone instead of the two days (docs/statistics.md).
public enum CaseDuration: String, CaseIterable, Sendable, Codable {
    case underThreeMonths = "0-3m"
    case threeToSixMonths = "3-6m"
    case sixToTwelveMonths = "6-12m"
    case yearOrMore = "12m+"

    /// The fewest whole months a case in this bucket ran: a quarter that ends fewer months after
    /// the first day anything could have been opened cannot hold this bucket (docs/statistics.md).
    public var fewestMonths: Int {
        switch self {
        case .underThreeMonths: 0
        case .threeToSixMonths: 3
        case .sixToTwelveMonths: 6
        case .yearOrMore: 12
        }
    }

    /// The bucket of a case opened on `opened` and closed on `closed` (whole calendar months).
    public init(opened: CalendarDate, closed: CalendarDate) {
        switch opened.wholeMonths(until: closed) {
        case ..<3: self = .underThreeMonths
        case ..<6: self = .threeToSixMonths
        case ..<12: self = .sixToTwelveMonths
        default: self = .yearOrMore
        }
    }
}
