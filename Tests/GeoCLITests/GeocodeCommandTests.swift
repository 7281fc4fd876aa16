import Foundation
import GeoCore
import Testing

/// `geo geocode` says how a fallback placed a name, takes each row's region from its admin1,
/// and fails (exit 1, output written in full) when names stay unresolved.
@Suite(.serialized) struct GeocodeCommandTests {
    @Test func geocodeExitsNonZeroWhenUnresolved() throws {
        // Names mode: every answer is printed, then exit 1.
        let names = geo("geocode", "Boukamal", "Xqzzyville", "--format", "json")
        #expect(names.status == 1)
        let answers = try #require(try JSONParser.parse(names.out).arrayValue)
        #expect(answers.count == 2 && answers[1]["status"] == "unresolved")
        #expect(names.err.contains("1 of 2 name(s) unresolved"))
        #expect(geo("geocode", "Boukamal", "Xqzzyville", "--allow-unresolved").status == 0)
        #expect(geo("geocode", "Boukamal", "eastern Syria").status == 0)

        // CSV mode: the output file is written with every row, then exit 1.
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("events.csv").path, output = dir.appendingPathComponent("out.csv").path
        try "id,location,country\n1,Boukamal,SY\n2,Xqzzyville,SY\n3,Erbil,IQ\n".write(toFile: input, atomically: true, encoding: .utf8)
        let csv = geo("geocode", "--in", input, "--country-column", "country", "-o", output)
        #expect(csv.status == 1, "\(csv.err)")
        let rows = try CSV.parse(try String(contentsOfFile: output, encoding: .utf8))
        #expect(rows.count == 4 && rows[2].fields.last?.hasPrefix("unresolved") == true && rows[3].fields[6] == "Erbil")
        let allowed = geo("geocode", "--in", input, "--country-column", "country", "-o", output, "--allow-unresolved")
        #expect(allowed.status == 0, "\(allowed.err)")
        // A fallback that places every name leaves nothing unresolved.
        let placed = geo("geocode", "--in", input, "--country-column", "country", "--fallback", "country", "-o", "-")
        #expect(placed.status == 0, "\(placed.err)")
    }

    @Test func geocodeShowsTheFallbackBasis() throws {
        let json = geo("geocode", "al-Swiah", "--country", "SY", "--region", "Deir ez-Zor", "--fallback", "province", "--format", "json")
        #expect(json.status == 0, "\(json.err)")
        let first = try #require(try JSONParser.parse(json.out).arrayValue?.first)
        #expect(first["status"] == "fallback" && first["id"] == "prov:SY-deir-ez-zor" && first["geo_precision"] == .integer(3))
        #expect(first["fallback_basis"] == "admin1 'Deir ez-Zor' → Deir ez-Zor Governorate")

        let table = geo("geocode", "al-Swiah", "--country", "SY", "--fallback", "country")
        #expect(table.status == 0 && table.out.contains("basis") && table.out.contains("capital of SY"), "\(table.out)")
        // No region, no province in the text: unresolved, not Aleppo.
        let none = geo("geocode", "al-Swiah", "--country", "SY", "--fallback", "province")
        #expect(none.status == 1 && none.out.contains("unresolved") && !none.out.contains("Aleppo"))
    }

    @Test func geocodeCSVTakesEachRowsRegionFromAdmin1() throws {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("events.csv").path
        try "id,location,country,admin1,province\n1,al-Swiah,SY,Deir ez-Zor,Hasakah\n2,Tell Qzzx,IQ,Anbar,\n3,eastern Syria,SY,Deir ez-Zor,\n"
            .write(toFile: input, atomically: true, encoding: .utf8)
        let run = geo("geocode", "--in", input, "--country-column", "country", "--fallback", "province", "-o", "-")
        #expect(run.status == 0, "\(run.err)")
        let rows = try CSV.parse(run.out)
        let status = try #require(rows[0].fields.firstIndex(of: "match_status")), name = try #require(rows[0].fields.firstIndex(of: "match_name"))
        #expect(rows[1].fields[name] == "Deir ez-Zor Governorate")
        #expect(rows[1].fields[status] == "fallback: admin1 'Deir ez-Zor' → Deir ez-Zor Governorate")
        #expect(rows[2].fields[name] == "Al Anbar Governorate")
        #expect(rows[3].fields[name] == "eastern Syria" && rows[3].fields[status] == "resolved")
        // Another column named with --region-column.
        let other = geo("geocode", "--in", input, "--country-column", "country", "--fallback", "province", "--region-column", "province", "-o", "-")
        let otherRows = try CSV.parse(other.out)
        #expect(otherRows[1].fields[name] == "Al-Hasakah Governorate")
        #expect(other.status == 1)  // row 2 has no province in that column
    }

    @Test func regionOptionsAreChecked() throws {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("events.csv").path
        try "id,location\n1,Erbil\n".write(toFile: input, atomically: true, encoding: .utf8)
        #expect(geo("geocode", "--in", input, "--region", "Anbar").status == 64)
        #expect(geo("geocode", "Erbil", "--region-column", "admin1").status == 64)
        let missing = geo("geocode", "--in", input, "--region-column", "admin1")
        #expect(missing.status == 1 && missing.err.contains("no column 'admin1' for --region-column"))
        #expect(geo("geocode", "--help").out.contains("--allow-unresolved"))
    }
}
