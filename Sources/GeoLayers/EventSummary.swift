import Foundation
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
        addDates(e.date, e.dateEnd, fatalities: e.fatalities)
        byType[Self.typeName(e.eventType, e.subEventType), default: 0] += 1
        bySide[Self.name(e.actorSide), default: 0] += 1
        byCountry[Self.name(e.country), default: 0] += 1
        byMonth[e.date.isoMonth, default: 0] += 1
        timePrecision[e.timePrecision.rawValue, default: 0] += 1
        geoPrecision[Self.name(e.geoPrecision), default: 0] += 1
    }

    /// An event's dates and fatalities counted (`events` too).
    mutating func addDates(_ date: EventDate, _ dateEnd: EventDate?, fatalities deaths: Int?) {
        events += 1
        if first == nil || date < first! { first = date }
        let end = dateEnd ?? date
        if last == nil || last! < end { last = end }
        fatalities += deaths ?? 0
    }

    /// `event_type / sub_event_type`, the event type alone without a sub-event type, `(none)`
    /// without either.
    static func typeName(_ eventType: String, _ subEventType: String) -> String {
        subEventType.isEmpty ? (eventType.isEmpty ? "(none)" : eventType) : "\(eventType) / \(subEventType)"
    }

    static func name(_ text: String) -> String { text.isEmpty ? "(none)" : text }
    static func name(_ geoPrecision: Int?) -> String { geoPrecision.map(String.init) ?? "(none)" }

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

extension EventSummary {
    /// Counts every row of an opened input, as `add(_:locate:)` for each row `reader` reads,
    /// placed by `locator`. A large CSV, GeoJSONSeq or FeatureCollection is read on `threads`
    /// threads, part by part (`EventReader.forEachRowInParallel`), each with a locator of its own
    /// (`EventLocator.forThreads`), and the chunks' counts are added in input order: the same
    /// summary as one thread gives. Errors other than `RowProblem` (a gazetteer that cannot be
    /// loaded) are thrown.
    public mutating func add(file: InputFile, source: String, reader: EventReader, locator: EventLocator,
                             threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                             chunkBytes: Int = EventReader.parallelChunkBytes) throws {
        try add(file: file, source: source, reader: reader, locator: locator, threads: threads, chunkBytes: chunkBytes, memoLimit: 100_000)
    }

    /// (`memoLimit`: the keys each memo of a table's scanners keeps; a test makes it small.)
    mutating func add(file: InputFile, source: String, reader: EventReader, locator: EventLocator, threads: Int, chunkBytes: Int,
                      memoLimit: Int) throws {
        if threads > 1 {
            // Two workers per thread: a round fills one half while the other half is added up.
            let workers = locator.forThreads(2 * threads).map { SummaryWorker(locator: $0, memoLimit: memoLimit) }
            var merged = self
            let parallel = try reader.forEachRowInParallel(file: file, source: source, workers: workers, chunkBytes: chunkBytes) { worker in
                if let error = worker.error { throw error }
                merged.add(worker.countedPartial())
                worker.discard()
            }
            if parallel {
                self = merged
                return
            }
        }
        try reader.forEachRow(file: file, source: source) { try add($0, locate: { try locator.locate(&$0) }) }
    }

    /// Adds the counts of `other`, a summary of the rows after these: the same as having
    /// counted its rows here (the first date kept on a tie, the last date replaced only by a
    /// later one).
    public mutating func add(_ other: EventSummary) {
        read += other.read
        geocoded += other.geocoded
        events += other.events
        if let date = other.first, first == nil || date < first! { first = date }
        if let date = other.last, last == nil || last! < date { last = date }
        fatalities += other.fatalities
        byType.merge(other.byType, uniquingKeysWith: +)
        bySide.merge(other.bySide, uniquingKeysWith: +)
        byCountry.merge(other.byCountry, uniquingKeysWith: +)
        byMonth.merge(other.byMonth, uniquingKeysWith: +)
        timePrecision.merge(other.timePrecision, uniquingKeysWith: +)
        geoPrecision.merge(other.geoPrecision, uniquingKeysWith: +)
        rejected.merge(other.rejected, uniquingKeysWith: +)
        unresolved.merge(other.unresolved, uniquingKeysWith: +)
    }
}

/// One thread's share of `EventSummary.add(file:…)`: the rows of a chunk counted with its own
/// locator; a failure of the whole run (the gazetteer cannot be loaded) kept for the caller.
/// A `PlainRowWorker` so that a FeatureCollection is read in parallel too; it takes no rows as
/// text (`plainRowTimestamp` nil), and counts nothing by row position. Plain table rows and
/// GeoJSON features come as values (`PlainRowValues`), their dates, types and sides counted by
/// entry number and added to `partial` by name when the chunk is handed over
/// (`countedPartial`). Its `var`s are one thread's at a time.
private final class SummaryWorker: PlainRowWorker, @unchecked Sendable {
    let locator: EventLocator
    @exclusivity(unchecked) var partial = EventSummary()
    @exclusivity(unchecked) var error: Error?
    /// Per date entry: its month and precision, and the plain rows counted with it.
    @exclusivity(unchecked) private var months: [String] = []
    @exclusivity(unchecked) private var precisions: [Int] = []
    @exclusivity(unchecked) private var timeCounts: [Int] = []
    /// Per types and side entry: the name counted, and the plain rows with it.
    @exclusivity(unchecked) private var typeNames: [String] = []
    @exclusivity(unchecked) private var typeCounts: [Int] = []
    @exclusivity(unchecked) private var sideNames: [String] = []
    @exclusivity(unchecked) private var sideCounts: [Int] = []
    /// Plain rows by geo precision: none, 1, 2, 3.
    @exclusivity(unchecked) private var geoPrecisionCounts = [0, 0, 0, 0]

    init(locator: EventLocator, memoLimit: Int) {
        self.locator = locator
        plainRowScanning = PlainRowScanning(memoLimit: memoLimit)
    }

    func add(_ row: EventRow) {
        guard error == nil else { return }
        let locator = locator
        do {
            try partial.add(row, locate: { try locator.locate(&$0) })
        } catch {
            self.error = error
        }
    }

    var takesPlainRowValues: Bool { true }

    func add(plainValues v: PlainRowValues) {
        guard error == nil else { return }
        partial.read += 1
        partial.addDates(v.date, v.dateEnd, fatalities: v.fatalities)
        partial.byCountry[EventSummary.name(v.country), default: 0] += 1
        if let g = v.geoPrecision, g >= 1, g <= 3 {
            geoPrecisionCounts[g] += 1
        } else if v.geoPrecision == nil {
            geoPrecisionCounts[0] += 1
        } else {
            partial.geoPrecision[EventSummary.name(v.geoPrecision), default: 0] += 1
        }
        if v.timeEntry == 0 {
            partial.byMonth[v.date.isoMonth, default: 0] += 1
            partial.timePrecision[v.timePrecision.rawValue, default: 0] += 1
        } else {
            let k = Int(v.timeEntry)
            if v.newTime { Self.name(k, v.date.isoMonth, in: &months, counts: &timeCounts); Self.set(k, v.timePrecision.rawValue, in: &precisions) }
            timeCounts[k] += 1
        }
        if v.typeEntry == 0 {
            partial.byType[EventSummary.typeName(v.types!.0, v.types!.1), default: 0] += 1
        } else {
            let k = Int(v.typeEntry)
            if let types = v.types { Self.name(k, EventSummary.typeName(types.0, types.1), in: &typeNames, counts: &typeCounts) }
            typeCounts[k] += 1
        }
        if v.sideEntry == 0 {
            partial.bySide[EventSummary.name(v.side!), default: 0] += 1
        } else {
            let k = Int(v.sideEntry)
            if let side = v.side { Self.name(k, EventSummary.name(side), in: &sideNames, counts: &sideCounts) }
            sideCounts[k] += 1
        }
    }

    /// Names entry `k` (its count kept, 0 when new).
    private static func name(_ k: Int, _ name: String, in names: inout [String], counts: inout [Int]) {
        if k >= names.count {
            names += [String](repeating: "", count: k + 1 - names.count)
            counts += [Int](repeating: 0, count: k + 1 - counts.count)
        }
        names[k] = name
    }

    private static func set(_ k: Int, _ value: Int, in values: inout [Int]) {
        if k >= values.count { values += [Int](repeating: 0, count: k + 1 - values.count) }
        values[k] = value
    }

    /// `partial` with the plain rows' counts by entry added by name (and those counts cleared).
    func countedPartial() -> EventSummary {
        for k in timeCounts.indices where timeCounts[k] > 0 {
            partial.byMonth[months[k], default: 0] += timeCounts[k]
            partial.timePrecision[precisions[k], default: 0] += timeCounts[k]
        }
        for k in typeCounts.indices where typeCounts[k] > 0 { partial.byType[typeNames[k], default: 0] += typeCounts[k] }
        for k in sideCounts.indices where sideCounts[k] > 0 { partial.bySide[sideNames[k], default: 0] += sideCounts[k] }
        for (g, count) in geoPrecisionCounts.enumerated() where count > 0 {
            partial.geoPrecision[EventSummary.name(g == 0 ? nil : g), default: 0] += count
        }
        clearCounts()
        return partial
    }

    private func clearCounts() {
        for k in timeCounts.indices { timeCounts[k] = 0 }
        for k in typeCounts.indices { typeCounts[k] = 0 }
        for k in sideCounts.indices { sideCounts[k] = 0 }
        geoPrecisionCounts = [0, 0, 0, 0]
    }

    /// Forgets the rows added since the last delivery; the entries' names stay (the scanner's
    /// entries do).
    func discard() {
        partial = EventSummary()
        error = nil
        clearCounts()
    }

    var plainRowTimestamp: EventTimestamp? { nil }
    let plainRowScanning: PlainRowScanning

    func checkGiven(country: String, latitude: Double, longitude: Double) throws {
        try locator.checkGiven(country: country, latitude: latitude, longitude: longitude)
    }

    func add(plainRow: PlainRowText) {
        preconditionFailure("a summary takes no rows as text (plainRowTimestamp is nil)")
    }

    /// Nothing to move: the counts do not depend on where a row is.
    func offsetFeatureIndices(by offset: Int) {}
}
