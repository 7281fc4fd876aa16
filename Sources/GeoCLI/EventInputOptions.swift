import ArgumentParser
import GeoCore
import GeoEvents
import GeoGazetteer

/// How commands read event tables: format, column mapping, date order, geocoding and rejects.
public struct EventInputOptions: ParsableArguments {
    @Option(
        name: .customLong("input-format"),
        help: ArgumentHelp("csv, acled, geojson, geojsonseq or geojsonl; by default from each file's extension (CSV vs ACLED by its header).", valueName: "format"))
    public var inputFormat: String?

    @Option(name: .customLong("date-column"), help: ArgumentHelp("CSV column holding the event date.", valueName: "name"))
    public var dateColumn: String?
    @Option(name: .customLong("place-column"), help: ArgumentHelp("CSV column holding the place name.", valueName: "name"))
    public var placeColumn: String?
    @Option(name: .customLong("lat-column"), help: ArgumentHelp("CSV column holding the latitude.", valueName: "name"))
    public var latColumn: String?
    @Option(name: .customLong("lon-column"), help: ArgumentHelp("CSV column holding the longitude.", valueName: "name"))
    public var lonColumn: String?
    @Option(name: .customLong("country-column"), help: ArgumentHelp("CSV column holding the country (code or name).", valueName: "name"))
    public var countryColumn: String?
    @Option(name: .customLong("type-column"), help: ArgumentHelp("CSV column holding the event type or sub-event type.", valueName: "name"))
    public var typeColumn: String?
    @Option(name: .customLong("actor-column"), help: ArgumentHelp("CSV column holding the acting actor (actor1).", valueName: "name"))
    public var actorColumn: String?

    @Flag(help: "Read numeric dates such as 01/02/2024 month first (2 January); day first by default.")
    public var monthFirst = false

    @Option(help: ArgumentHelp("Place names the gazetteer cannot resolve at the province or country point (geo precision 3) instead of rejecting the row.", valueName: "province|country"))
    public var fallback: GeocodeOptions.Fallback?

    @Flag(help: "Do not check given coordinates against the row's country (the swapped lat/lon check).")
    public var noCountryCheck = false

    @OptionGroup public var gazetteer: GazetteerOptions

    public init() {}

    public func validate() throws {
        if let inputFormat, EventInputKind(rawValue: inputFormat.lowercased()) == nil {
            throw ValidationError("unknown --input-format '\(inputFormat)'; use one of: \(EventInputKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    var mapping: ColumnMapping {
        ColumnMapping(date: dateColumn, place: placeColumn, latitude: latColumn, longitude: lonColumn,
                      country: countryColumn, type: typeColumn, actor: actorColumn)
    }

    /// A reader whose decoder knows ISO 3166 codes and English country names.
    func reader() throws -> EventReader {
        let codes = try CountryCodesCache.shared.codes()
        let decoder = EventDecoder(dateParser: DateParser(monthFirst: monthFirst), countryCode: { codes.alpha2($0) })
        return EventReader(decoder: decoder, mapping: mapping, kind: inputFormat.flatMap { EventInputKind(rawValue: $0.lowercased()) })
    }

    func locator() -> EventLocator {
        EventLocator(gazetteer: { try gazetteer.load() }, fallback: fallback, checkCountry: !noCountryCheck)
    }
}

/// The country code table, loaded once per process.
final class CountryCodesCache: @unchecked Sendable {
    static let shared = CountryCodesCache()
    private let lock = NSLockish()
    private var loaded: CountryCodes?

    func codes() throws -> CountryCodes {
        try lock.withLock {
            if let loaded { return loaded }
            let c = try CountryCodes.load()
            loaded = c
            return c
        }
    }
}

/// Rows that did not become events, with their reasons, for `--rejects FILE` (CSV:
/// source_file, line, feature, reason, detail, original_row).
final class RejectsLog {
    private(set) var count = 0
    private(set) var byReason: [RejectReason: Int] = [:]
    private let sink: ByteSink?
    /// The first few, for the summary on stderr.
    private(set) var firstFew: [String] = []

    init(path: String?, console: Console) throws {
        if let path {
            sink = try console.sink(forOutput: path)
            try sink!.write(CSV.line(["source_file", "line", "feature", "reason", "detail", "original_row"]) + "\n")
        } else {
            sink = nil
        }
    }

    func add(_ row: EventRow, _ problem: RowProblem) throws {
        count += 1
        byReason[problem.reason, default: 0] += 1
        if firstFew.count < 5 { firstFew.append("\(row.source): \(row.position): \(problem)") }
        guard let sink else { return }
        var line = "", feature = ""
        switch row.position {
        case .line(let n): line = String(n)
        case .feature(let i): feature = String(i)
        }
        try sink.write(CSV.line([row.source, line, feature, problem.reason.rawValue, problem.message, row.original]) + "\n")
    }

    func finish() throws {
        try sink?.flush()
        if let sink { try Console.current.finishOutput(sink) }
    }
}
