import Foundation
import GeoCore
import Testing

@Suite(.serialized) struct GazetteerCommandTests {
    @Test func geocodeTableAndJSON() throws {
        let table = geo("geocode", "Boukamal", "Ain al-Asad air base", "al-Swiah")
        #expect(table.status == 1)  // al-Swiah is unresolved; every answer is still printed
        #expect(table.out.contains("Ālbū Kamāl") && table.out.contains("site:ain-al-asad-air-base"))
        #expect(table.out.contains("al-Swiah") && table.out.contains("unresolved"))
        #expect(table.err.contains("1 of 3 name(s) unresolved"))

        let json = geo("geocode", "Hasaka province", "--format", "json")
        let first = try #require(try JSONParser.parse(json.out).arrayValue?.first)
        #expect(first["kind"] == "province")
        #expect(first["geo_precision"] == .integer(3))
        #expect(first["source"] != nil && first["score"] != nil && first["id"] != nil && first["query"] == "Hasaka province")
    }

    @Test func geocodeGeoJSONKeepsUnresolvedAsNullGeometry() throws {
        let run = geo("geocode", "Erbil", "Xqzzyville", "--format", "geojson")
        var reader = GeoJSONReader()
        guard case .featureCollection(let fc) = try reader.read(Array(run.out.utf8)) else { Issue.record("not a collection"); return }
        #expect(fc.features.count == 2)
        #expect(fc.features[0].geometry == .point(Position(longitude: 44.00943, latitude: 36.19117)))
        #expect(fc.features[1].geometry == nil && fc.features[1][property: "status"] == "unresolved")
    }

    @Test func geocodeCSVAddsColumnsAndKeepsEveryRow() throws {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("events.csv").path
        let output = dir.appendingPathComponent("out.csv").path
        try "id,location,country\n1,Boukamal,SY\n2,\"Deir Ezzor, east\",SY\n3,Xqzzyville,\n4,,IQ\n5,Tripoli,LB\n".write(toFile: input, atomically: true, encoding: .utf8)
        let run = geo("geocode", "--in", input, "--column", "location", "--country-column", "country", "-o", output)
        #expect(run.status == 1, "\(run.err)")  // rows 3 and 4 stay unresolved; the file is written in full
        let rows = try CSV.parse(try String(contentsOfFile: output, encoding: .utf8))
        #expect(rows.count == 6)
        #expect(rows[0].fields.suffix(7) == ["latitude", "longitude", "geo_precision", "match_name", "match_score", "match_source", "match_status"])
        #expect(rows[1].fields[3] == "34.45226" && rows[1].fields[9] == "resolved")
        #expect(rows[3].fields[3] == "" && rows[3].fields[9].hasPrefix("unresolved"))
        #expect(rows[4].fields[9] == "empty place name")
        #expect(rows[5].fields[6] == "Tripoli" && Double(rows[5].fields[4])! > 35)  // Lebanon's Tripoli, not Libya's
        #expect(run.err.contains("5 rows:"))
    }

    @Test func geocodeCSVErrorsNameTheProblem() throws {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("bad.csv").path
        try "id,place\n1,Erbil\n".write(toFile: input, atomically: true, encoding: .utf8)
        let run = geo("geocode", "--in", input)
        #expect(run.status == 1)
        #expect(run.err.contains("no column 'location'"))
        #expect(geo("geocode").status == 64)
    }

    @Test func reverseTextAndJSON() throws {
        let text = geo("reverse", "34.45226,40.88585")
        #expect(text.status == 0)
        #expect(text.out.contains("country:       Syria (SY)"))
        #expect(text.out.contains("3.0 km W of Ālbū Kamāl"))
        let sea = try JSONParser.parse(geo("reverse", "33.5,33.0", "--format", "json").out)
        #expect(sea["country"] == "none")
    }

    @Test func distanceAcceptsPlaceNames() throws {
        let run = geo("distance", "Boukamal", "al-Tanf", "--format", "json")
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("Boukamal → Ālbū Kamāl"))
        let d = try #require(try JSONParser.parse(run.out)["distance_m"]?.numberValue)
        #expect(abs(d - 237_104) < 100)
        let unknown = geo("distance", "Xqzzyville", "Erbil")
        #expect(unknown.status == 1 && unknown.err.contains("no gazetteer place matches"))
    }

    @Test func importIntoTheOverlayAndLookUp() throws {
        let dir = try temporaryDirectory()
        let csv = dir.appendingPathComponent("mine.csv").path
        try "name,aliases,kind,country,lat,lon,source\nCheckpoint Qzx-7,Qzx7;Kwzx Seven,outpost,SY,34.6,40.7,https://example.org/my-notes\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let overlay = dir.appendingPathComponent("overlay").path
        let imported = geo("gazetteer", "import", csv, "--gazetteer", overlay)
        #expect(imported.status == 0, "\(imported.err)")
        let found = geo("geocode", "Qzx7", "--gazetteer", overlay, "--format", "json")
        let first = try #require(try JSONParser.parse(found.out).arrayValue?.first)
        #expect(first["source"] == "user" && first["name"] == "Checkpoint Qzx-7")
        // Without the overlay the name is unknown.
        #expect(geo("geocode", "Qzx7", "--format", "json").out.contains("unresolved"))
        // A GeoNames dump row (19 tab-separated columns).
        let dump = dir.appendingPathComponent("SY.txt").path
        try "99999901\tQzx Village\tQzx Village\tQzxville,Kuzx\t35.1\t40.2\tP\tPPL\tSY\t\t07\t\t\t\t120\t\t250\tAsia/Damascus\t2024-01-01\n"
            .write(toFile: dump, atomically: true, encoding: .utf8)
        #expect(geo("gazetteer", "import", dump, "--gazetteer", overlay).status == 0)
        #expect(geo("geocode", "Qzxville", "--gazetteer", overlay).out.contains("user:geonames-99999901"))
        let bad = dir.appendingPathComponent("bad.csv").path
        try "name,aliases,kind,country,lat,lon,source\nX,,castle,SY,34,40,http://x\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let rejected = geo("gazetteer", "import", bad, "--gazetteer", overlay)
        #expect(rejected.status == 1 && rejected.err.contains("line 2: unknown kind 'castle'"))
    }

    @Test func searchAndInfo() {
        let search = geo("gazetteer", "search", "Shadadi")
        #expect(search.status == 0 && search.out.contains("Ash Shaddādah"))
        // Each row says which spelling found it.
        let hawler = geo("gazetteer", "search", "Hawler", "--limit", "3")
        let first = hawler.out.split(separator: "\n").dropFirst().first.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) } ?? []
        #expect(hawler.status == 0 && Array(first.prefix(4)) == ["1", "Erbil", "Hawler", "exact"], "\(hawler.out)")
        let json = geo("gazetteer", "search", "Tanf", "--format", "json")
        #expect(json.status == 0 && json.out.contains(#""id":"site:al-tanf-garrison","approximate":"#) && json.out.contains(#""matched_name":"Tanf""#))
        let nothing = geo("gazetteer", "search", "Qqqqxxzzv")
        #expect(nothing.status == 0 && nothing.out.contains("no entry resembles 'Qqqqxxzzv'"))
        let info = geo("gazetteer", "info")
        #expect(info.out.contains("52 curated sites") || info.out.contains("curated sites"))
        #expect(info.out.contains("Natural Earth"))
    }
}

/// `geo geocode --in` fills the columns a table already has instead of adding duplicates, and
/// never replaces given coordinates.
@Suite struct GeocodeTableColumnsTests {
    @Test func existingColumnsAreFilledInPlace() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("in.csv").path
        try "event_id,location,country,latitude,longitude\nA,Erbil,IQ,,\nB,Ayash,SY,,\nC,Tower 22,JO,33.3,38.7\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let run = geo("geocode", "--in", path, "--column", "location", "--country-column", "country", "-o", "-", "--allow-unresolved")
        #expect(run.status == 0, "\(run.err)")
        let rows = try CSV.parse(run.out)
        let header = rows[0].fields
        #expect(header == ["event_id", "location", "country", "latitude", "longitude", "geo_precision", "match_name", "match_score", "match_source", "match_status"])
        #expect(rows[1].fields[3] == "36.19117" && rows[1].fields[6] == "Erbil")
        #expect(rows[2].fields[3] == "" && rows[2].fields[9].hasPrefix("unresolved"))
        #expect(rows[3].fields[3] == "33.3" && rows[3].fields[4] == "38.7" && rows[3].fields[9] == "kept: coordinates given")
    }
}
