import ArgumentParser
import GeoCore
import GeoLayers
import GeoTemporal

extension Distance: ExpressibleByArgument {
    /// `50km`, `500m`, `12mi`, `10nmi`.
    public init?(argument: String) {
        guard let d = try? Distance(parsing: argument) else { return nil }
        self = d
    }

    public static var defaultCompletionKind: CompletionKind { .default }
}

extension TimeSpan: ExpressibleByArgument {
    /// `36h`, `14d`, `2w`.
    public init?(argument: String) {
        guard let t = try? TimeSpan(parsing: argument) else { return nil }
        self = t
    }
}

extension PeriodUnit: ExpressibleByArgument {
    /// `day`, `week` or `month`, in any case.
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// Parsers for `transform:` arguments, whose thrown errors reach the user word for word.
enum ArgumentParsers {
    static func distance(_ text: String) throws -> Distance {
        do { return try Distance(parsing: text) } catch { throw ValidationError(error.description) }
    }

    static func timeSpan(_ text: String) throws -> TimeSpan {
        do { return try TimeSpan(parsing: text) } catch { throw ValidationError(error.description) }
    }

    /// A change-point penalty: `bic`, `none` or a non-negative number.
    static func penalty(_ text: String) throws -> EscalationOptions.Penalty {
        guard let penalty = EscalationOptions.Penalty(text) else { throw ValidationError("use bic, none or a non-negative number") }
        return penalty
    }

    /// Two different split values, `militia,US` (blanks around them ignored).
    static func crossPair(_ text: String) throws -> EscalationOptions.CrossPair {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard names.count == 2 else { throw ValidationError("give two split values, e.g. militia,US") }
        guard names[0].lowercased() != names[1].lowercased() else {
            throw ValidationError("needs two different values, got \(names[0]) twice")
        }
        return EscalationOptions.CrossPair(names[0], names[1])
    }

    /// A point given as `lat,lon` in degrees (`34.4523,40.9185`; spaces allowed after the comma).
    static func latLon(_ text: String) throws -> Position {
        do { return try Position(latLon: text) } catch { throw ValidationError(error.description) }
    }
}

/// Range checks for numeric options, with messages that name the option.
enum OptionRange {
    /// Half a meridian on WGS84 (m): no two points on Earth are farther apart along the surface.
    static let farthestMeters = 20_003_931.46
    /// The longest duration an option takes: 100 years of 365.25 days, in seconds.
    static let longestSeconds = 36_525.0 * 86_400

    /// A distance in `0 < d ≤ maxMeters` (or `0 ≤ d` with `allowZero`).
    static func distance(_ d: GeoCore.Distance, _ option: String, allowZero: Bool = false,
                         maxMeters: Double = farthestMeters, why: String? = nil) throws {
        guard d.meters.isFinite, allowZero ? d.meters >= 0 : d.meters > 0 else {
            throw ValidationError("\(option) must be \(allowZero ? "zero or more" : "a positive distance"), got \(d)")
        }
        guard d.meters <= maxMeters else {
            throw ValidationError("\(option) \(d) is too long: at most \(GeoCore.Distance(meters: maxMeters))"
                + " (\(why ?? "no two points on Earth are farther apart along the surface"))")
        }
    }

    /// A duration in `0 < t ≤ 100 years` (or `0 ≤ t` with `allowZero`).
    static func duration(_ t: TimeSpan, _ option: String, allowZero: Bool = false) throws {
        guard t.seconds.isFinite, allowZero ? t.seconds >= 0 : t.seconds > 0 else {
            throw ValidationError("\(option) must be \(allowZero ? "zero or more" : "a positive duration"), got \(t)")
        }
        guard t.seconds <= longestSeconds else {
            throw ValidationError("\(option) \(t) is too long: at most 36525d (100 years)")
        }
    }
}
