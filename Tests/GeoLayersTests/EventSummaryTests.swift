import Foundation
import GeoCore
import GeoEvents
import GeoGazetteer
import GeoLocate
@testable import GeoLayers
import Testing

@Suite struct EventSummaryTests {
    /// Four rows: two with coordinates, one placed by the (stub) locator, one whose place is
    /// not found, and one with an impossible date.
    @Test func rowsEventsRejectionsAndRankings() throws {
        let csv = """
            event_id,event_date,date_end,event_type,sub_event_type,actor_side,location,latitude,longitude,country,fatalities
            a,2024-01-20,,Explosions/Remote violence,Air/drone strike,US,Albu Kamal,34.45226,40.91854,SY,3
            b,2024-02-02,2024-02-03,Explosions/Remote violence,Air/drone strike,US,al-Qaim,34.39251,40.98945,IQ,16
            c,2024-02-10,,Protests,,,Erbil,,,IQ,
            d,2024-03-01,,Protests,,,Nowhere,,,IQ,
            e,2024-02-30,,Protests,,,Erbil,,,IQ,
            """
        var summary = EventSummary()
        let locate: (inout Event) throws -> EventLocator.Outcome = { event in
            if event.latitude != nil { return .given }
            guard event.location == "Erbil" else { throw RowProblem(.unresolvedPlace, "not in the gazetteer") }
            event.latitude = 36.19117
            event.longitude = 44.00943
            return .geocoded(ambiguous: false)
        }
        try Array(csv.utf8).withUnsafeBytes { buffer in
            try EventReader().forEachRow(in: buffer, source: "t.csv") { try summary.add($0, locate: locate) }
        }
        #expect(summary.read == 5 && summary.events == 3 && summary.geocoded == 1)
        #expect(summary.fatalities == 19)
        #expect(summary.unresolved == ["Nowhere": 1])
        #expect(summary.rejected.values.reduce(0, +) == 2)
        #expect(summary.first?.dayOnly.iso == "2024-01-20" && summary.last?.dayOnly.iso == "2024-02-10")
        #expect(EventSummary.ranked(summary.byType).map(\.0) == ["Explosions/Remote violence / Air/drone strike", "Protests"])
        #expect(summary.bySide == ["US": 2, "(none)": 1])
        #expect(summary.textLines.first == "rows read 5: 3 events (1 geocoded), 2 rejected")
        let json = summary.json
        #expect(json.objectValue?["by_month"] == .object(["2024-01": .integer(1), "2024-02": .integer(2)]))
    }

    /// Rows of every kind (with coordinates in several countries, swapped ones, places for the
    /// gazetteer, unresolved places, impossible dates, empty types and sides, date ranges) as a
    /// CSV, as GeoJSONSeq (with malformed lines) and as a FeatureCollection: the summary read on several threads in
    /// chunks of many sizes is the one read on one thread.
    @Test func parallelReadingEqualsOneThread() throws {
        let places = [("Erbil", "IQ"), ("Albu Kamal", "SY"), ("al-Tanf", "SY"), ("Nowhere \u{1}", "IQ"), ("Hawler", "IQ"), ("Deir ez-Zor", "SY"),
                      ("Atlantis", "JO")]
        let types = [("Explosions/Remote violence", "Air/drone strike"), ("Protests", ""), ("", ""), ("Battles", "Armed clash"), ("air strike", "")]
        let actors = ["Kataib Hezbollah", "US forces", "", "Someone unknown"]
        var csv = "event_id,event_date,date_end,time_precision,event_type,sub_event_type,actor1,actor_side,location,latitude,longitude,geo_precision,country,fatalities\n"
        var seq = ""
        for i in 0..<600 {
            let day = 1 + (i * 7) % 28, month = 1 + (i * 5) % 12
            // The first and last dates in rows of the middle (so in a chunk of the middle).
            let date = i % 53 == 5 ? "2024-02-30" : i == 451 ? "2023-06-15" : i == 300 ? "2025-03-01" : String(format: "2024-%02d-%02d", month, day)
            let end = i % 9 == 2 ? String(format: "2024-%02d-%02d", month, min(28, day + 3)) : ""
            let (type, sub) = types[i % types.count]
            let side = ["US", "militia", "", "Iran"][i % 4]
            let place = places[i % places.count].0.replacingOccurrences(of: "\u{1}", with: "\(i % 4)")
            // Coordinates for two rows in three: in Syria, Iraq or Jordan, one in 29 swapped.
            var (lat, lon) = i % 3 == 2 ? ("", "") : (String(33 + Double(i % 40) / 20), String(38 + Double(i % 60) / 10))
            if i % 29 == 1, !lat.isEmpty { (lat, lon) = (lon, lat) }
            let country = lat.isEmpty ? places[i % places.count].1 : ["SY", "IQ", "JO"][i % 3]
            let fatalities = i % 4 == 0 ? "" : String(i % 6)
            let (precision, geoPrecision) = (["", "1", "2", "3"][i % 4], ["", "1", "2", "3", "2"][i % 5])
            csv += "E\(i),\(date),\(end),\(precision),\(type),\(sub),\(actors[i % actors.count]),\(side),\(place),\(lat),\(lon),\(geoPrecision),\(country),\(fatalities)\n"
            let geometry = lat.isEmpty ? "null" : "{\"type\":\"Point\",\"coordinates\":[\(lon),\(lat)]}"
            let fatal = fatalities.isEmpty ? "null" : fatalities
            // Features with precisions and actors, some with a property of their own (read in full).
            let (timePrecision, geo) = (precision.isEmpty ? "null" : precision, geoPrecision.isEmpty ? "null" : geoPrecision)
            let extra = i % 11 == 3 ? ",\"extra\":1" : ""
            seq += i % 97 == 50 ? "{\"type\":\"Feature\",\"geometry\":\n"
                : "{\"type\":\"Feature\",\"geometry\":\(geometry),\"properties\":{\"event_id\":\"E\(i)\",\"event_date\":\"\(date)\",\"date_end\":\"\(end)\",\"time_precision\":\(timePrecision),\"event_type\":\"\(type)\",\"sub_event_type\":\"\(sub)\",\"actor1\":\"\(actors[i % actors.count])\",\"actor_side\":\"\(side)\",\"location\":\"\(place)\",\"geo_precision\":\(geo),\"country\":\"\(country)\",\"fatalities\":\(fatal)\(extra)}}\n"
        }
        let g = try Gazetteer.load(userDirectory: nil)
        let locator = EventLocator(gazetteer: { g })
        // The same features as one FeatureCollection (without the malformed lines).
        let members = seq.split(separator: "\n").filter { $0.hasSuffix("}}") }
        let collection = "{\"type\":\"FeatureCollection\",\"features\":[\n" + members.joined(separator: ",\n") + "\n]}\n"
        // Plain table rows and features are counted by their values (`PlainRowValues`), with
        // the vocabulary's types and sides too.
        var vocabulary = EventReader()
        vocabulary.decoder.vocabulary = try EventTypeVocabulary.load()
        vocabulary.decoder.actors = try ActorList.load()
        for (name, text, reader) in [("rows.csv", csv, EventReader()), ("rows.csv", csv, vocabulary), ("rows.geojsonl", seq, EventReader()),
                                     ("rows.geojsonl", seq, vocabulary), ("rows.geojson", collection, EventReader()),
                                     ("rows.geojson", collection, vocabulary)] {
            let file = InputFile(name: name, bytes: Array(text.utf8))
            func summary(threads: Int, chunkBytes: Int, memoLimit: Int = 100_000) throws -> EventSummary {
                var summary = EventSummary()
                try summary.add(file: file, source: name, reader: reader, locator: locator, threads: threads, chunkBytes: chunkBytes,
                                memoLimit: memoLimit)
                return summary
            }
            let one = try summary(threads: 1, chunkBytes: 1 << 20)
            #expect(one.read >= 590 && one.events > 200 && one.geocoded > 50 && !one.unresolved.isEmpty && one.rejected.count >= 2, "\(name): \(one.textLines)")
            // Memos that keep 3 keys: most dates, types and sides are counted by their values alone.
            for (threads, chunkBytes, memoLimit) in [(2, 1, 100_000), (2, 97, 100_000), (3, 1_000, 100_000), (2, 5_000, 100_000), (2, 3_000, 3)] {
                let many = try summary(threads: threads, chunkBytes: chunkBytes, memoLimit: memoLimit)
                let same = many.json == one.json && many.textLines == one.textLines
                #expect(same, "\(name): \(threads) threads, chunks of \(chunkBytes) B: \(many.textLines) against \(one.textLines)")
            }
        }
    }
}
