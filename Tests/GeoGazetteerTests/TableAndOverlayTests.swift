import Foundation
import GeoCore
import GeoGazetteer
import Testing

@Suite struct GeocodeTableTests {
    func table(_ text: String, country: String? = nil, region: String? = nil) throws -> GeocodeTable {
        try GeocodeTable(csv: Array(text.utf8), source: "t.csv", nameColumn: "location", countryColumn: country, regionColumn: region)
    }

    @Test func everyRowIsKeptInOrderWithItsStatus() throws {
        let t = try table("id,location,country,latitude,longitude\n1,Boukamal,SY,,\n2,,IQ,,\n3,Xqzzyville,SY,,\n4,Mosul,IQ,36.3, 43.1\n", country: "country")
        // latitude and longitude are filled in place; the other five columns are appended.
        #expect(t.outputHeader == ["id", "location", "country", "latitude", "longitude", "geo_precision", "match_name", "match_score", "match_source", "match_status"])
        var rows: [[String]] = []
        let counts = try t.forEachRow(gazetteer: bundled, options: GeocodeOptions()) { rows.append($0) }
        #expect(rows.map { $0[0] } == ["1", "2", "3", "4"])
        #expect(rows[0][3] == "34.45226" && rows[0][9] == "resolved")
        #expect(rows[1][9] == "empty place name")
        #expect(rows[2][3] == "" && rows[2][9].hasPrefix("unresolved: no gazetteer match"))
        #expect(rows[3][3] == "36.3" && rows[3][4] == " 43.1" && rows[3][9] == "kept: coordinates given")
        #expect(counts.resolved == 1 && counts.ambiguous == 0 && counts.fallback == 0 && counts.unresolved == 2 && counts.kept == 1)
    }

    /// Read a few rows at a time from a buffer (as `geo geocode --in` reads a mapped file), the
    /// table gives the same rows and counts as read whole; a ragged row still stops it before any row.
    @Test func batchesOfRowsGiveWhatTheWholeTableGives() throws {
        let text = "id,location,country,latitude,longitude\n1,Boukamal,SY,,\n2,,IQ,,\n3,Xqzzyville,SY,,\n4,Mosul,IQ,36.3,43.1\n5,Erbil,,,\n6,Raqqa,SY,,\n7,Hama,,,\n"
        var whole: [[String]] = []
        let wholeCounts = try table(text, country: "country").forEachRow(gazetteer: bundled, options: GeocodeOptions()) { whole.append($0) }
        for batch in [1, 2, 3] {
            var rows: [[String]] = []
            let bytes = Array(text.utf8)
            let counts = try bytes.withUnsafeBytes { buffer in
                let t = try GeocodeTable(csv: buffer, source: "t.csv", nameColumn: "location", countryColumn: "country", batchRows: batch)
                #expect(t.rowCount == 7)
                return try t.forEachRow(in: buffer, gazetteer: bundled, options: GeocodeOptions()) { rows.append($0) }
            }
            #expect(rows == whole && counts == wholeCounts, "batches of \(batch)")
        }
        #expect(whole.count == 7 && wholeCounts.resolved == 4 && wholeCounts.kept == 1)
        let ragged = Array("id,location\n1,Erbil\n2,Mosul\n3,Hama,x\n".utf8)
        try ragged.withUnsafeBytes { buffer in
            let t = try GeocodeTable(csv: buffer, source: "t.csv", nameColumn: "location", batchRows: 1)
            #expect(throws: GeocodeTableError.fieldCount(source: "t.csv", line: 4, expected: 2, found: 3)) {
                try t.forEachRow(in: buffer, gazetteer: bundled, options: GeocodeOptions()) { _ in Issue.record("no row before the check") }
            }
        }
    }

    @Test func theRowRegionSteersTheFallback() throws {
        let t = try table("location,admin1\nal-Swiah,Deir ez-Zor\n")
        var rows: [[String]] = []
        try t.forEachRow(gazetteer: bundled, options: GeocodeOptions(country: "SY", fallback: .province)) { rows.append($0) }
        #expect(rows[0][4] == "3" && rows[0][8].hasPrefix("fallback: "))
    }

    @Test func problemsNameTheFileTheLineAndTheColumn() throws {
        #expect(throws: GeocodeTableError.empty(source: "t.csv")) { try table("") }
        #expect(throws: GeocodeTableError.missingColumn(source: "t.csv", column: "location", role: .name, columns: ["id", "place"])) {
            try table("id,place\n1,Erbil\n")
        }
        #expect(throws: GeocodeTableError.missingColumn(source: "t.csv", column: "land", role: .country, columns: ["location"])) {
            try table("location\nErbil\n", country: "land")
        }
        let ragged = try table("id,location\n1,Erbil,x\n")
        #expect(throws: GeocodeTableError.fieldCount(source: "t.csv", line: 2, expected: 2, found: 3)) {
            try ragged.forEachRow(gazetteer: bundled, options: GeocodeOptions()) { _ in Issue.record("no row before the check") }
        }
    }
}

@Suite struct UserOverlayTests {
    @Test func csvAndGeoNamesRowsReplaceEarlierImportsByID() throws {
        let csv = try UserOverlay.rows(importing: "name,aliases,kind,country,lat,lon,source\nCheckpoint Qzx-7,Qzx7,outpost,sy,34.6,40.7,https://example.org\n", file: "mine.csv")
        #expect(csv == [["user:checkpoint-qzx-7", "Checkpoint Qzx-7", "Qzx7", "outpost", "SY", "34.6", "40.7", "false", "https://example.org", ""]])
        let dump = "1234567\tQzxtown\tQzxtown\tQzx,Qzx Town\t35.1\t40.1\tS\tAIRF\tSY" + String(repeating: "\t", count: 10) + "\n"
        let geonames = try UserOverlay.rows(importing: dump, file: "SY.txt")
        #expect(geonames[0][0] == "user:geonames-1234567" && geonames[0][2] == "Qzx;Qzx Town" && geonames[0][3] == "airport")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try UserOverlay.add(csv + geonames, directory: dir).count == 2)
        let again = try UserOverlay.add(csv, directory: dir)
        #expect(again == (dir + "/user-places.csv", 2))
        let loaded = try Gazetteer.load(userDirectory: dir)
        #expect(loaded.geocode("Qzx7").best?.entry.id == "user:checkpoint-qzx-7")
    }

    @Test func badRowsAreRefusedWithTheirLine() {
        let header = "name,aliases,kind,country,lat,lon,source\n"
        #expect(throws: GazetteerError(file: "f.csv", reason: "line 2: unknown kind 'castle'; use one of " + PlaceKind.allCases.map(\.rawValue).joined(separator: ", "))) {
            try UserOverlay.rows(importing: header + "X,,castle,SY,34,40,s\n", file: "f.csv")
        }
        #expect(throws: GazetteerError(file: "f.csv", reason: "line 2: lat/lon '95','40' are not degrees in range")) {
            try UserOverlay.rows(importing: header + "X,,place,SY,95,40,s\n", file: "f.csv")
        }
        #expect(throws: GazetteerError(file: "f.csv", reason: "line 2: expected 7 fields, found 3")) {
            try UserOverlay.rows(importing: header + "X,,place\n", file: "f.csv")
        }
        #expect(throws: GazetteerError(file: "f.csv", reason: "the file is empty")) { try UserOverlay.rows(importing: "", file: "f.csv") }
    }
}

@Suite struct PointReferenceTests {
    @Test func coordinatesNeverLoadTheGazetteer() throws {
        let p = try PointReference("34.45, 40.92") { Issue.record("loaded"); return bundled }
        #expect(p.position == Position(longitude: 40.92, latitude: 34.45) && p.match == nil && p.note == nil)
        #expect(throws: LatLonParseError.self) { try PointReference("nan,nan") { bundled } }
        #expect(throws: LatLonParseError.self) { try PointReference("95,40") { bundled } }
    }

    @Test func namesAreResolvedAndNoted() throws {
        let p = try PointReference("Boukamal") { bundled }
        #expect(p.match?.best?.entry.name == "Ālbū Kamāl")
        #expect(p.note?.hasPrefix("Boukamal → Ālbū Kamāl (SY, place, ") == true)
        #expect(throws: UnresolvedPointError.self) { try PointReference("Xqzzyville") { bundled } }
    }

    @Test(arguments: [("34.4,40.9", true), ("-33.8,151.2", true), ("inf,0", true), ("0x1p5,3", true), ("al-Tanf", false), ("Tanf, Syria", false), ("", false)])
    func whatLooksLikeCoordinates(text: String, expected: Bool) {
        #expect(PointReference.looksLikeLatLon(text) == expected)
    }
}
