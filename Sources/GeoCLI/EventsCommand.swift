import ArgumentParser
import GeoCore
import GeoEvents
import OrderedCollections

extension GeoCommand {
    /// `geo events …`: commands over event tables.
    public struct EventsCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "events",
            abstract: "Look at event tables.",
            subcommands: [SummaryCommand.self]
        )

        public init() {}
    }
}

extension GeoCommand.EventsCommand {
    /// `geo events summary INPUT...`: counts by type, side, country and month; date range;
    /// precision mix; unresolved places.
    public struct SummaryCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "summary",
            abstract: "Counts by type, side, country and month; date range; precision mix; unresolved places.",
            discussion: """
                Reads events like `geo convert` (geocoding rows without coordinates) and reports \
                what is in them. Rejected rows are counted by reason; places the gazetteer could not \
                resolve are listed with how often they occur. --format json for a machine-readable report.
                """
        )

        @Argument(help: ArgumentHelp("Input files; - for standard input.", valueName: "input"))
        var inputs: [String]

        @OptionGroup var input: EventInputOptions

        @OptionGroup var report: ReportFormatOptions

        public init() {}

        public func run() throws {
            let console = Console.current
            let reader = try input.reader()
            let locator = input.locator()
            var summary = EventSummary()
            for path in inputs {
                try reader.forEachRow(path: path) { row in
                    summary.read += 1
                    do {
                        var event = try row.result.get()
                        if case .geocoded = try locator.locate(&event) { summary.geocoded += 1 }
                        summary.add(event)
                    } catch let problem as RowProblem {
                        summary.rejected[problem.reason.rawValue, default: 0] += 1
                        if problem.reason == .unresolvedPlace, case .success(let e) = row.result {
                            summary.unresolved[e.location, default: 0] += 1
                        }
                    }
                }
            }
            if report.isJSON {
                try console.write(Array(JSONWriter.string(from: summary.json).utf8) + [0x0A])
            } else {
                for line in summary.textLines { console.print(line) }
            }
        }
    }
}

/// Counts over a set of events.
struct EventSummary {
    var read = 0
    var geocoded = 0
    var events = 0
    var first: EventDate?
    var last: EventDate?
    var fatalities = 0
    var byType: [String: Int] = [:]
    var bySide: [String: Int] = [:]
    var byCountry: [String: Int] = [:]
    var byMonth: [String: Int] = [:]
    var timePrecision: [Int: Int] = [:]
    var geoPrecision: [String: Int] = [:]
    var rejected: [String: Int] = [:]
    var unresolved: [String: Int] = [:]

    mutating func add(_ e: Event) {
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
    static func ranked(_ counts: [String: Int]) -> [(String, Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    var json: JSONValue {
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

    var textLines: [String] {
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
