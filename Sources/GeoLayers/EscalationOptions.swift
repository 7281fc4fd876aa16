import GeoCore
import GeoEvents
import GeoTemporal

/// What `geo escalation` does, for any front end: series per period (and per split value),
/// change points in the event rate, and optionally Hawkes fits. See `EscalationReport` for
/// the rules.
public struct EscalationOptions: Hashable, Sendable {
    /// The change-point penalty of PELT (see `PoissonChangePoints`).
    public enum Penalty: Hashable, Sendable, CustomStringConvertible {
        /// `2·ln(n)` for `n` periods (BIC-like).
        case bic
        /// No change-point search: each series is one segment.
        case none
        /// A given penalty, finite and ≥ 0.
        case value(Double)

        /// `bic`, `none` (either case) or a non-negative number; nil otherwise.
        public init?(_ text: String) {
            switch text.lowercased() {
            case "bic": self = .bic
            case "none": self = .none
            default:
                guard let v = Double(text), v >= 0, v.isFinite else { return nil }
                self = .value(v)
            }
        }

        /// The penalty for a series of `periods` periods; nil for `none`.
        public func value(periods: Int) -> Double? {
            switch self {
            case .bic: PoissonChangePoints.bicPenalty(periods: periods)
            case .none: nil
            case .value(let v): v
            }
        }

        public var description: String {
            switch self {
            case .bic: "bic"
            case .none: "none"
            case .value(let v): Format.shortest(v)
            }
        }
    }

    /// Two split values whose series a bivariate Hawkes process is fitted to, as given
    /// (matched to the split values without regard to case).
    public struct CrossPair: Hashable, Sendable {
        public var first: String
        public var second: String

        public init(_ first: String, _ second: String) {
            self.first = first
            self.second = second
        }

        public var names: [String] { [first, second] }
    }

    /// The fields a series may be split by.
    public static let splitFields = ["actor_side", "country", "event_type", "sub_event_type", "actor1", "admin1"]

    /// Day, ISO week (Monday start) or calendar month, in UTC.
    public var period: PeriodUnit
    /// One series per value of this field (one of `splitFields`), besides the total.
    public var split: String?
    /// Only the events that match.
    public var filter: EventFilter?
    /// First day of the study range (days since 1970-01-01); nil: the first event's.
    public var fromDay: Int?
    /// Last day, inclusive; nil: the last event's.
    public var toDay: Int?
    /// Periods in the trailing rolling mean of the count, ≥ 1.
    public var rolling: Int
    public var penalty: Penalty
    /// Shortest segment between change points, in periods, ≥ 1.
    public var minSegment: Int
    /// Fit a univariate Hawkes process to all selected events.
    public var hawkes: Bool
    /// Fit a bivariate Hawkes process to two split values (needs `split`).
    public var cross: CrossPair?
    /// Bootstrap replicates for the Hawkes intervals (0: none).
    public var bootstrap: Int
    /// Seed for placing day-dated events within their day and for the bootstrap.
    public var seed: UInt64
    /// How day-dated events are fitted: by their counts per day (`HawkesBinned`; the default,
    /// chosen from the calibration study, see `HawkesOptions`), or placed at random within their day.
    public var hawkesFit: HawkesFitMethod
    /// The bootstrap intervals' kind (`HawkesInterval`; by default `HawkesInterval.default(for:)` the fit method).
    public var hawkesInterval: HawkesInterval

    public init(period: PeriodUnit, split: String? = nil, filter: EventFilter? = nil, fromDay: Int? = nil, toDay: Int? = nil,
                rolling: Int = 4, penalty: Penalty = .bic, minSegment: Int = 1, hawkes: Bool = false, cross: CrossPair? = nil,
                bootstrap: Int = 200, seed: UInt64 = 20_231_017, hawkesFit: HawkesFitMethod = .binned,
                hawkesInterval: HawkesInterval? = nil) {
        self.period = period
        self.split = split
        self.filter = filter
        self.fromDay = fromDay
        self.toDay = toDay
        self.rolling = rolling
        self.penalty = penalty
        self.minSegment = minSegment
        self.hawkes = hawkes
        self.cross = cross
        self.bootstrap = bootstrap
        self.seed = seed
        self.hawkesFit = hawkesFit
        self.hawkesInterval = hawkesInterval ?? HawkesInterval.default(for: hawkesFit)
    }

    /// Refuses options that cannot be run (the command line checks the same, naming its options).
    public func check() throws(LayerError) {
        if let split, !Self.splitFields.contains(split) {
            throw LayerError("unknown split field '\(split)'; use one of: \(Self.splitFields.joined(separator: ", "))")
        }
        guard rolling >= 1 else { throw LayerError("the rolling window must be at least 1 period, got \(rolling)") }
        guard minSegment >= 1 else { throw LayerError("the minimum segment must be at least 1 period, got \(minSegment)") }
        if case .value(let v) = penalty, !(v >= 0 && v.isFinite) {
            throw LayerError("the change-point penalty must be a non-negative number, got \(v)")
        }
        if let fromDay, let toDay, toDay < fromDay {
            throw LayerError("the last day \(UTCCalendar.isoDate(daysSinceEpoch: toDay)) is before the first \(UTCCalendar.isoDate(daysSinceEpoch: fromDay))")
        }
        if let cross {
            guard split != nil else { throw LayerError("a Hawkes fit of two series needs a split field (its values name the series)") }
            guard cross.first.lowercased() != cross.second.lowercased() else {
                throw LayerError("a Hawkes fit of two series needs two different values, got \(cross.first) twice")
            }
        }
        guard bootstrap >= 0 else { throw LayerError("bootstrap replicates must be 0 or more, got \(bootstrap)") }
    }
}
