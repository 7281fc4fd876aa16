import ArgumentParser
import GeoCore
import GeoEvents
import GeoGazetteer
import GeoLocate

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

    @Option(
        name: .customLong("column"),
        help: ArgumentHelp(
            "Field of the event model and the column (or GeoJSON property) that holds it, e.g. fatalities=killed, event_id=id; repeatable. Fields: \(EventField.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "field=column"))
    public var columns: [String] = []

    @Option(name: .customLong("types"), help: ArgumentHelp("CSV of event-type wording (wording,event_type,sub_event_type,priority,rule) that adds to or overrides the bundled vocabulary; repeatable.", valueName: "file"))
    public var typeFiles: [String] = []

    @Option(name: .customLong("actors"), help: ArgumentHelp("CSV of actors (name,aliases,side,acled_name,inter,country,…) that adds to or overrides the bundled actor list; repeatable.", valueName: "file"))
    public var actorFiles: [String] = []

    @Flag(name: [.customLong("normalise-actors"), .customLong("normalize-actors")],
          help: "Replace actor1 by the actor list's canonical name (the given name is kept in actor1_reported).")
    public var normaliseActors = false

    @Option(help: ArgumentHelp("Encoding of the input files: utf-8 (default), latin1, cp1252 or cp1256 (Arabic Windows exports).", valueName: "name"))
    public var encoding: String = "utf-8"

    @Flag(help: "Read numeric dates such as 01/02/2024 month first (2 January); day first by default.")
    public var monthFirst = false

    @Option(help: ArgumentHelp("Place names the gazetteer cannot resolve at the province or country point (geo precision 3) instead of rejecting the row.", valueName: "province|country"))
    public var fallback: GeocodeOptions.Fallback?

    @Flag(help: "Do not check given coordinates against the row's country (the swapped lat/lon check).")
    public var noCountryCheck = false

    @OptionGroup public var gazetteer: GazetteerOptions

    public init() {}

    public func validate() throws {
        guard TextEncoding(name: encoding) != nil else {
            throw ValidationError("unknown --encoding '\(encoding)'; use utf-8, latin1, cp1252 or cp1256")
        }
        let mapping = try mapping()
        do { try mapping.validate() } catch { throw ValidationError(error.message) }
        if let inputFormat, EventInputKind(rawValue: inputFormat.lowercased()) == nil {
            throw ValidationError("unknown --input-format '\(inputFormat)'; use one of: \(EventInputKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The column options as one mapping; `--column` values are checked here.
    func mapping() throws -> ColumnMapping {
        let fields: [EventField: String]
        do { fields = try ColumnMapping.fields(fromSpecs: columns) } catch { throw ValidationError(error.message) }
        return ColumnMapping(date: dateColumn, place: placeColumn, latitude: latColumn, longitude: lonColumn,
                             country: countryColumn, type: typeColumn, actor: actorColumn, fields: fields)
    }

    /// A reader whose decoder knows ISO 3166 codes and English country names, the event-type
    /// vocabulary and the actor list (with the user's files).
    func reader() throws -> EventReader {
        let codes = try CountryCodesCache.shared.codes()
        let vocabulary: EventTypeVocabulary, actors: ActorList
        do {
            vocabulary = try EventTypeVocabulary.load(userFiles: typeFiles)
            actors = try ActorList.load(userFiles: actorFiles)
        } catch let error as VocabularyError {
            throw CommandError(error.description)
        }
        let decoder = EventDecoder(dateParser: DateParser(monthFirst: monthFirst), countryCode: { codes.alpha2($0) },
                                   vocabulary: vocabulary, actors: actors, normaliseActors: normaliseActors)
        var reader = EventReader(decoder: decoder, mapping: try mapping(), kind: inputFormat.flatMap { EventInputKind(rawValue: $0.lowercased()) })
        reader.encoding = TextEncoding(name: encoding) ?? .utf8
        let console = Console.current
        reader.onWarning = { console.printError("warning: " + $0) }
        return reader
    }

    /// The locator of rows without a position, and of the country check; with `loading`, its
    /// gazetteer is that one (`GazetteerOptions.loadMeanwhile`, begun by the caller).
    func locator(loading: GazetteerLoad? = nil) -> EventLocator {
        EventLocator(gazetteer: { [noCountryCheck, gazetteer] in
            try loading?.value() ?? gazetteer.load(readingCountryShapes: !noCountryCheck)
        }, fallback: fallback, checkCountry: !noCountryCheck)
    }
}
