import Foundation
import GeoCore
import GeoGazetteer
import Testing
@testable import GeoEvents
@testable import GeoLocate

func fixture(_ name: String) throws -> String {
    try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)).path
}

/// A reader that maps country names as the CLI does.
func readerWithCountryNames() throws -> EventReader {
    let codes = try CountryCodes.load()
    return EventReader(decoder: EventDecoder(countryCode: { codes.alpha2($0) }))
}

/// Readers whose decoders differ in every setting a step reads: none, country names, the
/// event-type vocabulary with the actor list, and actors normalised too.
func readerVariants() throws -> [(String, EventReader)] {
    let countryNames = try readerWithCountryNames()
    var vocabulary = countryNames
    vocabulary.decoder.vocabulary = try EventTypeVocabulary.load()
    vocabulary.decoder.actors = try ActorList.load()
    var normalising = vocabulary
    normalising.decoder.normaliseActors = true
    return [("plain reader", EventReader()), ("country names", countryNames), ("vocabulary and actors", vocabulary),
            ("normalising actors", normalising)]
}

func readAll(_ path: String, reader: EventReader) throws -> (events: [Event], problems: [(RowPosition, RowProblem)]) {
    var events: [Event] = []
    var problems: [(RowPosition, RowProblem)] = []
    try reader.forEachRow(path: path) { row in
        switch row.result {
        case .success(let e): events.append(e)
        case .failure(let p): problems.append((row.position, p))
        }
    }
    return (events, problems)
}

func readAll(bytes: [UInt8], source: String, reader: EventReader) throws -> [Event] {
    var events: [Event] = []
    try bytes.withUnsafeBytes { buffer in
        try reader.forEachRow(in: buffer, source: source) { row in events.append(try row.result.get()) }
    }
    return events
}

func write(_ events: [Event], as kind: EventOutputKind, extraColumns: [String] = [], countryName: @escaping @Sendable (String) -> String? = { _ in nil }) throws -> [UInt8] {
    let sink = MemorySink()
    let writer = try EventWriter(kind: kind, sink: sink, coordinateDecimals: 7, extraColumns: extraColumns, countryName: countryName)
    for e in events { try writer.write(e) }
    try writer.finish()
    return sink.bytes
}

@Suite struct ACLEDFormatTests {
    @Test func exportLoadsWithTypes() throws {
        let (events, problems) = try readAll(try fixture("acled-export.csv"), reader: try readerWithCountryNames())
        #expect(problems.isEmpty)
        try #require(events.count == 5)
        let erbil = events[0]
        #expect(erbil.eventID == "IRQFX0001")
        #expect(erbil.date == EventDate(year: 2021, month: 2, day: 15))
        #expect(erbil.timePrecision == .day)
        #expect(erbil.eventType == "Explosions/Remote violence")
        #expect(erbil.subEventType == "Shelling/artillery/missile attack")
        #expect(erbil.latitude == 36.1912 && erbil.longitude == 44.0094)
        #expect(erbil.geoPrecision == 1)
        #expect(erbil.country == "IQ")
        #expect(erbil.extra["country_name"] == .string("Iraq"))
        #expect(erbil.fatalities == 1)
        #expect(erbil.sources == ["Reuters", "Rudaw"])
        #expect(erbil.notes.contains("\"Guardians of Blood\""))
        #expect(erbil.extra["year"] == .integer(2021))
        #expect(erbil.extra["inter1"] == .integer(3))
        #expect(erbil.extra["interaction"] == .integer(38))
        #expect(erbil.extra["iso"] == .integer(368))
        #expect(erbil.extra["timestamp"] == .integer(1_614_000_000))
        #expect(erbil.extra["admin2"] == .string("Erbil"))
        #expect(erbil.extra["civilian_targeting"] == .null)
        #expect(events.map(\.country) == ["IQ", "SY", "JO", "IQ", "SY"])
        #expect(events[4].timePrecision == .month)
        #expect(events[4].interval.durationSeconds == 31 * 86_400)
        #expect(events[4].subEventType == "Disrupted weapons use")
    }

    /// ACLED → GeoJSON → ACLED gives back the same file, byte for byte.
    @Test func roundTripThroughGeoJSON() throws {
        let path = try fixture("acled-export.csv")
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let reader = try readerWithCountryNames()
        let events = try readAll(path, reader: reader).events
        let geojson = try write(events, as: .geojson)
        let back = try readAll(bytes: geojson, source: "roundtrip.geojson", reader: reader)
        #expect(back == events)
        let codes = try CountryCodes.load()
        let acled = try write(back, as: .acled, countryName: { codes.country($0)?.name })
        #expect(String(decoding: acled, as: UTF8.self) == original)
    }
}

@Suite struct ProjectFormatTests {
    static let events: [Event] = [
        Event(
            eventID: "X1", date: EventDate(year: 2024, month: 1, day: 28, secondsOfDay: 5 * 3600 + 30 * 60)!, timePrecision: .day,
            eventType: "Explosions/Remote violence", subEventType: "Air/drone strike", actor1: "Islamic Resistance in Iraq",
            actorSide: "militia", target: "US forces", location: "Tower 22", latitude: 33.3142, longitude: 38.7033, geoPrecision: 1,
            country: "JO", admin1: "Mafraq", fatalities: 3,
            fatalityClaims: [FatalityClaim(source: "US DoD", killed: 3, injured: 40), FatalityClaim(source: "Group statement", injured: nil)],
            sources: ["https://example.org/a;b", "https://example.org/c"], notes: "Line one,\nline \"two\".", tags: ["campaign-2023"],
            match: LocationMatch(name: "Tower 22", score: 1, source: "sites", gazetteerID: "site:tower-22"),
            extra: ["analyst": .string("ana"), "checked": .string("yes")]
        ),
        Event(eventID: "X2", date: EventDate(year: 2023, month: 10, day: 1)!, dateEnd: EventDate(year: 2023, month: 10, day: 3)!,
              timePrecision: .week, location: "al-Tanf", latitude: -0.000001, longitude: 179.9999999, country: "SY",
              extra: ["analyst": .null, "checked": .string("no")]),
    ]

    /// CSV → GeoJSON → CSV keeps every field (events compare equal after each hop).
    @Test func roundTripCSVGeoJSONCSV() throws {
        let reader = EventReader()
        let csv = try write(Self.events, as: .csv, extraColumns: ["analyst", "checked"])
        let fromCSV = try readAll(bytes: csv, source: "events.csv", reader: reader)
        #expect(fromCSV == Self.events)
        let geojson = try write(fromCSV, as: .geojson)
        let fromGeoJSON = try readAll(bytes: geojson, source: "events.geojson", reader: reader)
        #expect(fromGeoJSON == Self.events)
        let seq = try write(fromGeoJSON, as: .geojsonseq)
        #expect(try readAll(bytes: seq, source: "events.geojsons", reader: reader) == Self.events)
        let csvAgain = try write(fromGeoJSON, as: .csv, extraColumns: ["analyst", "checked"])
        #expect(csvAgain == csv)
    }

    /// A feature without geometry keeps coordinates given as properties (nothing is dropped).
    @Test func nullGeometryKeepsCoordinateProperties() throws {
        let text = #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"event_date":"2024-01-01","latitude":33.3142,"longitude":38.7033}}]}"#
        let e = try #require(try readAll(bytes: Array(text.utf8), source: "n.geojson", reader: EventReader()).first)
        #expect(e.latitude == 33.3142 && e.longitude == 38.7033)
    }

    @Test func conservativeFatalitiesFromClaims() throws {
        let text = """
            event_id,event_date,location,fatality_claims
            A,2021-02-25,Albu Kamal,"[{""source"":""SOHR"",""killed"":22},{""source"":""KH"",""killed"":1},{""source"":""X"",""injured"":3}]"
            """
        let events = try readAll(bytes: Array(text.utf8), source: "t.csv", reader: EventReader())
        #expect(events[0].fatalities == 1)
        #expect(events[0].fatalityClaims.count == 3)
        #expect(events[0].fatalityClaims[2] == FatalityClaim(source: "X", killed: nil, injured: 3))
    }

    @Test func columnMapping() throws {
        let text = """
            Date,Town,Lat,Lon,Nation,What,Who,Comment
            03/01/2020,Baghdad,33.26,44.23,Iraq,Air/drone strike,US forces,airport road
            """
        let codes = try CountryCodes.load()
        let mapping = ColumnMapping(date: "Date", place: "Town", latitude: "Lat", longitude: "Lon", country: "Nation", type: "What", actor: "Who")
        let reader = EventReader(decoder: EventDecoder(countryCode: { codes.alpha2($0) }), mapping: mapping)
        let e = try #require(try readAll(bytes: Array(text.utf8), source: "other.csv", reader: reader).first)
        #expect(e.date.iso == "2020-01-03")
        #expect(e.location == "Baghdad" && e.country == "IQ" && e.latitude == 33.26)
        #expect(e.eventType == "Explosions/Remote violence" && e.subEventType == "Air/drone strike")
        #expect(e.actor1 == "US forces")
        #expect(e.extra["Comment"] == .string("airport road"))
        let monthFirst = EventReader(decoder: EventDecoder(dateParser: DateParser(monthFirst: true), countryCode: { codes.alpha2($0) }), mapping: mapping)
        #expect(try readAll(bytes: Array(text.utf8), source: "other.csv", reader: monthFirst).first?.date.iso == "2020-03-01")
    }

    @Test func headerProblemsAreErrorsForTheFile() throws {
        let noDate = Array("when,where\n2024-01-01,Erbil\n".utf8)
        #expect(throws: EventInputError.self) { try readAll(bytes: noDate, source: "x.csv", reader: EventReader()) }
        let badMapping = EventReader(mapping: ColumnMapping(date: "Datum"))
        #expect(throws: EventInputError.self) { try readAll(bytes: noDate, source: "x.csv", reader: badMapping) }
    }

    @Test func decodingRejectsWithReasons() throws {
        let path = try fixture("malformed-rows.csv")
        let (events, problems) = try readAll(path, reader: try readerWithCountryNames())
        // The gazetteer-dependent reasons (swapped, empty or unresolved places) come later, in EventLocator.
        #expect(events.map(\.eventID) == ["OK01", "BAD09", "BAD10", "BAD11", "OK02"])
        #expect(problems.map { "\($0.0) \($0.1.reason.rawValue)" } == [
            "line 3 missing_date", "line 4 unparseable_date", "line 5 impossible_date", "line 6 ambiguous_date",
            "line 7 bad_time_precision", "line 8 unknown_event_type", "line 9 incomplete_coordinates",
            "line 10 coordinates_out_of_range", "line 14 bad_number", "line 15 bad_fatality_claims",
            "line 16 unknown_country", "line 17 malformed_row",
        ])
        #expect(events.last?.fatalities == 2)
        #expect(events.last?.eventType == "Explosions/Remote violence")
    }

    @Test func locatorPlacesAndRejects() throws {
        let g = try Gazetteer.load(userDirectory: nil)
        let locator = EventLocator(gazetteer: { g })
        var erbil = Event(eventID: "a", date: EventDate(year: 2024, month: 1, day: 1)!, location: "Hawler", country: "IQ")
        #expect(try locator.locate(&erbil) == .geocoded(ambiguous: false))
        #expect(abs(erbil.latitude! - 36.19) < 0.05 && abs(erbil.longitude! - 44.01) < 0.05)
        #expect(erbil.geoPrecision == 1 && erbil.match?.source == "geonames")
        var swapped = Event(eventID: "b", date: EventDate(year: 2024, month: 1, day: 1)!, latitude: 40.92, longitude: 34.45, country: "SY")
        #expect(throws: RowProblem.self) { try locator.locate(&swapped) }
        var province = Event(eventID: "c", date: EventDate(year: 2024, month: 1, day: 1)!, location: "Deir ez-Zor governorate", country: "SY")
        _ = try locator.locate(&province)
        #expect(province.geoPrecision == 3)
    }

    /// The country check answers a point it has checked before from memory, the same answer
    /// (accepted, or the same problem), and stops remembering when few points repeat.
    @Test func countryCheckAnswersRepeatedPointsTheSame() throws {
        let g = try Gazetteer.load(userDirectory: nil)
        // Inside, swapped, far outside, by the border, at sea, and a country the point is not in.
        let points: [(String, Double, Double)] = [("IQ", 36.19, 44.01), ("SY", 40.92, 34.45), ("IQ", 34.45, 40.92), ("SY", 34.40, 41.05),
                                                  ("SY", 34.0, 30.0), ("JO", 36.19, 44.01), ("IQ", 33.3, 44.4)]
        func answer(_ locator: EventLocator, _ point: (String, Double, Double)) -> String {
            do {
                try locator.checkGiven(country: point.0, latitude: point.1, longitude: point.2)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        let fresh = points.map { answer(EventLocator(gazetteer: { g }), $0) }
        #expect(Set(fresh).count >= 4, "\(fresh)")
        let remembering = EventLocator(gazetteer: { g })
        for round in 0..<50 {
            #expect(points.map { answer(remembering, $0) } == fresh, "round \(round)")
        }
        #expect(remembering.keepsCheckAnswers)
        // Points that never repeat: the memo is given up after its trial (even when the trial's
        // last check is a repeat), answers unchanged.
        let unique = EventLocator(gazetteer: { g })
        for k in 0..<(EventLocator.checkMemoTrial + 10) {
            let n = k == EventLocator.checkMemoTrial - 1 ? 0 : k
            _ = answer(unique, ("IQ", 33 + Double(n) * 1e-6, 44))
        }
        #expect(!unique.keepsCheckAnswers)
        #expect(points.map { answer(unique, $0) } == fresh)
    }
}
