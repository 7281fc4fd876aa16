// Targets over GeoEvents and GeoGazetteer: the event reader, the date parser, geocoding.
import GeoCore
import GeoEvents
import GeoGazetteer

/// The decoder the CLI uses: country codes, the bundled event-type vocabulary and actor list.
nonisolated(unsafe) private var eventDecoder = EventDecoder()

/// `EventReader.forEachRow` over the bytes as CSV, ACLED, mapped CSV, GeoJSON and GeoJSONSeq,
/// decoding each row (dates, numbers, plain-language types, actors). Every row is handed over
/// with an event or a reason; its original text can be shown.
let eventsTarget = FuzzTarget(name: "events", summary: "EventReader.forEachRow (CSV, ACLED, mapped CSV, GeoJSON, GeoJSONSeq) with vocabulary and actors", setUp: {
    do {
        let codes = try CountryCodes.load()
        eventDecoder = EventDecoder(countryCode: { codes.alpha2($0) }, vocabulary: try EventTypeVocabulary.load(), actors: try ActorList.load())
    } catch {
        fatalError("geo-fuzz events: cannot load the bundled data: \(error)")
    }
}) { bytes in
    let mapped = ColumnMapping(date: "date", place: "place", latitude: "lat", longitude: "lon", country: "cc", type: "type", actor: "actor",
                               fields: [.fatalities: "killed"])
    let readers: [(EventReader, String)] = [
        (EventReader(decoder: eventDecoder, kind: .csv), "in.csv"),
        (EventReader(decoder: eventDecoder, kind: .acled), "in.csv"),
        (EventReader(decoder: eventDecoder, mapping: mapped, kind: .csv), "in.csv"),
        (EventReader(decoder: eventDecoder, kind: .geojson), "in.geojson"),
        (EventReader(decoder: eventDecoder, kind: .geojsonseq), "in.geojsons"),
        (EventReader(decoder: eventDecoder), "-"),
    ]
    for (reader, source) in readers {
        try? reader.forEachRow(in: bytes, source: source) { row in
            _ = row.original
            if case .failure(let problem) = row.result { _ = problem.description }
        }
    }
}

/// `DateParser.parse`, day first and month first: a parsed date is a real calendar date.
let dateTarget = FuzzTarget(name: "date", summary: "DateParser.parse (day first and month first)", setUp: {}) { bytes in
    let s = text(bytes)
    for parser in [DateParser(), DateParser(monthFirst: true)] {
        if let parsed = try? parser.parse(s) {
            _ = parsed.date.iso
        }
    }
}

nonisolated(unsafe) private var gazetteer: Gazetteer?

/// `Gazetteer.geocode` with arbitrary strings, plain and with a country hint and fallback.
let gazetteerTarget = FuzzTarget(name: "gazetteer", summary: "Gazetteer.load() once, then geocode(arbitrary string)", setUp: {
    do { gazetteer = try Gazetteer.load(userDirectory: nil) } catch { fatalError("geo-fuzz gazetteer: cannot load: \(error)") }
}) { bytes in
    let query = text(bytes)
    let g = gazetteer!
    let result = g.geocode(query)
    if let best = result.best {
        require(best.entry.position.latitude.isFinite && abs(best.entry.position.latitude) <= 90, "geocode placed '\(RawText.clipped(query))' at latitude \(best.entry.position.latitude)")
    }
    _ = g.geocode(query, options: GeocodeOptions(country: "IQ", fallback: .province))
}
