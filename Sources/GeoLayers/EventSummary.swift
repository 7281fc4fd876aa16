import GeoCore
import GeoEvents
import GeoLocate
import OrderedCollections

/// What is in a set of event rows (`geo events summary`): how many were read, became events,
/// were geocoded or rejected (by reason, with the places the gazetteer could not resolve), and
/// over the events the date range, fatalities and counts by type, side, country, month and
/// precision.
///
/// Rules: an event's type is `event_type / sub_event_type` (the event type alone when there is
/// no sub-event type, `(none)` when neither); empty sides, countries and geo precisions count
/// as `(none)`; the date range runs from the earliest `event_date` to the latest end
/// (`date_end`, else `event_date`), as days; fatalities add up the conservative figures.
/// Counts are listed largest first then by name (`ranked`), months, precisions in order.
public struct EventSummary: Sendable {
    public var read = 0
    public var geocoded = 0
    public var events = 0
    public var first: EventDate?
    public var last: EventDate?
    public var fatalities = 0
    public var byType: [String: Int] = [:]
    public var bySide: [String: Int] = [:]
    public var byCountry: [String: Int] = [:]
    /// By `YYYY-MM` of `event_date`.
    public var byMonth: [String: Int] = [:]
    /// By `TimePrecision` raw value.
    public var timePrecision: [Int: Int] = [:]
    public var geoPrecision: [String: Int] = [:]
    /// Rejected rows by `RowProblem.Reason` raw value.
    public var rejected: [String: Int] = [:]
    /// Rows rejected as `unresolved_place`, by their location text.
    public var unresolved: [String: Int] = [:]

    public init() {}

    /// Counts a row as read: an event once `locate` has placed it (a geocoded one also as
    /// geocoded), or a rejection by its problem's reason. Errors other than `RowProblem`
    /// (a gazetteer that cannot be loaded) are thrown.
    public mutating func add(_ row: EventRow, locate: (inout Event) throws -> EventLocator.Outcome) throws {
        read += 1
        do {
            var event = try row.result.get()
            if case .geocoded = try locate(&event) { geocoded += 1 }
            add(event)
        } catch let problem as RowProblem {
            rejected[problem.reason.rawValue, default: 0] += 1
            if problem.reason == .unresolvedPlace, case .success(let e) = row.result {
                unresolved[e.location, default: 0] += 1
            }
        }
    }

    /// Counts one event (not a row: `read` stays as it is).
    public mutating func add(_ e: Event) {
        events += 1
        if first == nil || e.date < first! { first = e.date }
        let end = e.dateEnd ?? e.date
        if last == nil || last! < end { last = end }
        fatalities += e.fatalities ?? 0
        let type = e.subEventType.isEmpty ? (e.eventType.isEmpty ? "(none)" : e.eventType) : "\(e.eventType) / \(e.subEventType)"
        byType[type, default: 0] += 1
        bySide[e.actorSide.isEmpty ? "(none)" : e.actorSide, default: 0] += 1
        byCountry[e.country.isEmpty ? "(none)" : e.country, default: 0] += 1
        byMonth[e.date.isoMonth, default: 0] += 1
        timePrecision[e.timePrecision.rawValue, default: 0] += 1
        geoPrecision[e.geoPrecision.map(String.init) ?? "(none)", default: 0] += 1
    }

    /// Largest count first, then by name.
    public static func ranked(_ counts: [String: Int]) -> [(String, Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The report as JSON (`geo events summary --format json`).
    public var json: JSONValue {
        func object(_ counts: [(String, Int)]) -> JSONValue {
            .object(OrderedDictionary(uniqueKeysWithValues: counts.map { ($0.0, JSONValue.integer(Int64($0.1))) }))
        }
        var o = OrderedDictionary<String, JSONValue>()
        o["rows_read"] = .integer(Int64(read))
        o["events"] = .integer(Int64(events))
        o["geocoded"] = .integer(Int64(geocoded))
        o["rejected"] = .integer(Int64(rejected.values.reduce(0, +)))
        o["first_date"] = first.map { .string($0.dayOnly.iso) } ?? .null
        o["last_date"] = last.map { .string($0.dayOnly.iso) } ?? .null
        o["fatalities"] = .integer(Int64(fatalities))
        o["by_type"] = object(Self.ranked(byType))
        o["by_side"] = object(Self.ranked(bySide))
        o["by_country"] = object(Self.ranked(byCountry))
        o["by_month"] = object(byMonth.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        o["time_precision"] = object(timePrecision.sorted { $0.key < $1.key }.map { (TimePrecision(rawValue: $0.key)!.word, $0.value) })
        o["geo_precision"] = object(geoPrecision.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        o["rejected_by_reason"] = object(Self.ranked(rejected))
        o["unresolved_places"] = object(Self.ranked(unresolved))
        return .object(o)
    }

    /// The report to read, a line at a time: totals, then aligned sections (empty ones left out).
    public var textLines: [String] {
        var lines: [String] = []
        lines.append("rows read \(read): \(events) events (\(geocoded) geocoded), \(rejected.values.reduce(0, +)) rejected")
        if let first, let last { lines.append("dates \(first.dayOnly.iso) … \(last.dayOnly.iso)") }
        lines.append("fatalities (conservative figures) \(fatalities)")
        func section(_ title: String, _ rows: [(String, Int)]) {
            guard !rows.isEmpty else { return }
            lines.append("")
            lines.append(title)
            let width = rows.map(\.0.count).max() ?? 0
            for (name, n) in rows {
                lines.append("  " + name + String(repeating: " ", count: width - name.count) + "  " + String(n))
            }
        }
        section("by type", Self.ranked(byType))
        section("by side", Self.ranked(bySide))
        section("by country", Self.ranked(byCountry))
        section("by month", byMonth.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        section("time precision", timePrecision.sorted { $0.key < $1.key }.map { ("\($0.key) \(TimePrecision(rawValue: $0.key)!.word)", $0.value) })
        section("geo precision", geoPrecision.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        section("rejected by reason", Self.ranked(rejected))
        section("unresolved places", Self.ranked(unresolved))
        return lines
    }
}
