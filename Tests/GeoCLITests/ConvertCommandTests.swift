import Foundation
import GeoCore
import Testing

/// `geo convert` and `geo events summary` end to end, in-process.
@Suite struct ConvertCommandTests {
    static let eventsFixtures = packageRoot.appendingPathComponent("Tests/GeoEventsTests/Fixtures").path

    /// Every row of the malformed fixture is either written or rejected with the expected reason.
    @Test func malformedRowsGiveExactlyTheExpectedRejects() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("ok.geojson").path
        let rejects = dir.appendingPathComponent("rejects.csv").path
        let run = geo("convert", Self.eventsFixtures + "/malformed-rows.csv", "-o", out, "--rejects", rejects)
        #expect(run.status == 1, "\(run.err)")
        #expect(run.err.contains("read 17, written 2, geocoded 1, rejected 15"), "\(run.err)")
        let rows = try CSV.parse(String(contentsOfFile: rejects, encoding: .utf8))
        #expect(rows.first?.fields == ["source_file", "line", "feature", "reason", "detail", "original_row"])
        let expected = try CSV.parse(String(contentsOfFile: Self.eventsFixtures + "/malformed-rows.expected-rejects.csv", encoding: .utf8)).dropFirst()
        #expect(rows.dropFirst().map { [$0.fields[1], $0.fields[3]] } == expected.map(\.fields))
        // The original row is kept verbatim for the analyst to fix.
        #expect(rows[1].fields[5] == "BAD01,,1,,,,Erbil,,,IQ,,,no date")
        #expect(rows.dropFirst().allSatisfy { !$0.fields[4].isEmpty })
        let written = try JSONParser.parse(String(contentsOfFile: out, encoding: .utf8))
        #expect(written["features"]?.arrayValue?.count == 2)

        let allowed = geo("convert", Self.eventsFixtures + "/malformed-rows.csv", "-o", out, "--allow-rejects")
        #expect(allowed.status == 0)
        #expect(allowed.err.contains("write them all with --rejects FILE"))
    }

    /// The project's CSV converts to the GeoJSON a person can open in Tests/GeoCLITests/Fixtures/convert.
    /// GEO_REGEN=1 rewrites the expected file deliberately.
    @Test func csvToGeoJSONMatchesExpected() throws {
        let input = try fixturePath("convert/events.csv")
        let run = geo("convert", input, "--format", "geojson")
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("read 6, written 6, geocoded 5, rejected 0"), "\(run.err)")
        let expectedPath = packageRoot.appendingPathComponent("Tests/GeoCLITests/Fixtures/convert/events.expected.geojson").path
        if ProcessInfo.processInfo.environment["GEO_REGEN"] == "1" {
            try run.out.write(toFile: expectedPath, atomically: true, encoding: .utf8)
        }
        #expect(run.out == (try String(contentsOfFile: expectedPath, encoding: .utf8)))
        let doc = try JSONParser.parse(run.out)
        let features = try #require(doc["features"]?.arrayValue)
        #expect(features.compactMap { $0["properties"]?["event_id"]?.stringValue } == ["T001", "T002", "T003", "T004", "T005", "T006"])
        #expect(features[0]["properties"]?["match_name"] == .string("Erbil"))
        #expect(features[0]["properties"]?["fatalities"] == .integer(1))
        #expect(features[1]["properties"]?["sources"]?.arrayValue?.count == 2)
        #expect(features[0]["properties"]?["analyst"] == .string("ana"))
        #expect(features[4]["properties"]?["match_name"] == nil)
    }

    @Test func outputOpensInValidateGDALAndGeopandas() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("events.geojson").path
        #expect(geo("convert", try fixturePath("convert/events.csv"), "-o", out).status == 0)
        let validate = geo("validate", out)
        #expect(validate.status == 0, "\(validate.out)\(validate.err)")
        let ogr = try #require(runProgram("ogrinfo", ["-ro", "-al", "-so", out]), "ogrinfo is missing: run scripts/install-deps")
        #expect(ogr.status == 0 && ogr.output.contains("Feature Count: 6"), "\(ogr.output)")
        let script = """
            import sys, geopandas
            df = geopandas.read_file(sys.argv[1])
            assert len(df) == 6, len(df)
            assert df.crs.to_epsg() == 4326, df.crs
            assert list(df["event_id"]) == ["T001", "T002", "T003", "T004", "T005", "T006"]
            assert (df.geometry.geom_type == "Point").all()
            assert abs(df.geometry.x[4] - 38.7033) < 1e-9 and abs(df.geometry.y[4] - 33.3142) < 1e-9
            assert int(df["fatalities"][4]) == 3
            print("geopandas ok")
            """
        let py = try #require(runProgram("python3", ["-c", script, out]), "python3 is missing")
        #expect(py.status == 0 && py.output.contains("geopandas ok"), "geopandas could not read the output (scripts/install-deps --python-tests installs it): \(py.output)")
    }

    @Test func csvGeoJSONCSVRoundTripKeepsEveryCell() throws {
        let dir = try temporaryDirectory()
        let input = try fixturePath("convert/events.csv")
        let geojson = dir.appendingPathComponent("e.geojson").path
        let csv = dir.appendingPathComponent("e.csv").path
        #expect(geo("convert", input, "-o", geojson).status == 0)
        #expect(geo("convert", geojson, "-o", csv).status == 0)
        let original = try CSV.parse(String(contentsOfFile: input, encoding: .utf8))
        let back = try CSV.parse(String(contentsOfFile: csv, encoding: .utf8))
        let header = original[0].fields, backHeader = back[0].fields
        #expect(Set(header).isSubset(of: Set(backHeader)))
        for (row, backRow) in zip(original.dropFirst(), back.dropFirst()) {
            for (i, column) in header.enumerated() where !row.fields[i].isEmpty {
                let value = backRow.fields[backHeader.firstIndex(of: column)!]
                if column == "sources" && row.fields[i].hasPrefix("[") {
                    #expect(value == row.fields[i], "sources list with ';' inside is written as JSON")
                } else if column == "fatality_claims" {
                    #expect(try JSONParser.parse(value) == JSONParser.parse(row.fields[i]))
                } else {
                    #expect(value == row.fields[i], "\(column)")
                }
            }
        }
    }

    @Test func geoJSONSeqStreamsAndStdinIsRead() throws {
        let run = geo("convert", try fixturePath("convert/events.csv"), "--format", "geojsonseq")
        #expect(run.status == 0)
        let records = run.out.split(separator: "\u{1E}")
        #expect(records.count == 6)
        #expect(records.allSatisfy { $0.hasSuffix("\n") && $0.hasPrefix("{\"type\":\"Feature\"") })
    }

    @Test func mappedColumnsAndMonthFirst() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("other.csv").path
        try "Day,Town,Nation\n02/25/2021,Abu Kamal,Syria\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = geo("convert", path, "--date-column", "Day", "--place-column", "Town", "--country-column", "Nation", "--month-first", "--format", "csv")
        #expect(run.status == 0, "\(run.err)")
        let rows = try CSV.parse(run.out)
        let header = rows[0].fields
        let row = rows[1].fields
        #expect(row[header.firstIndex(of: "event_date")!] == "2021-02-25")
        #expect(row[header.firstIndex(of: "country")!] == "SY")
        #expect(abs(Double(row[header.firstIndex(of: "latitude")!])! - 34.452) < 0.01)
        #expect(abs(Double(row[header.firstIndex(of: "longitude")!])! - 40.919) < 0.01)
        #expect(row[header.firstIndex(of: "match_source")!] == "geonames")
        let wrongOrder = geo("convert", path, "--date-column", "Day", "--place-column", "Town", "--country-column", "Nation", "--format", "csv")
        #expect(wrongOrder.status == 1)
        #expect(wrongOrder.err.contains("use --month-first"), "\(wrongOrder.err)")
        let missing = geo("convert", path, "--format", "csv")
        #expect(missing.status == 1 && missing.err.contains("--date-column"), "\(missing.err)")
    }

    @Test func acledOutput() throws {
        let run = geo("convert", Self.eventsFixtures + "/acled-export.csv", "--format", "acled")
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out == (try String(contentsOfFile: Self.eventsFixtures + "/acled-export.csv", encoding: .utf8)))
    }

    @Test func summaryCountsByTypeSideCountryMonth() throws {
        let run = geo("events", "summary", try fixturePath("convert/events.csv"), "--format", "json")
        #expect(run.status == 0, "\(run.err)")
        let doc = try JSONParser.parse(run.out)
        #expect(doc["events"] == .integer(6))
        #expect(doc["geocoded"] == .integer(5))
        #expect(doc["first_date"] == .string("2021-02-15"))
        #expect(doc["last_date"] == .string("2024-02-03"))
        #expect(doc["by_side"]?["militia"] == .integer(3))
        #expect(doc["by_country"]?["IQ"] == .integer(3))
        #expect(doc["by_month"]?["2023-11"] == .integer(1))
        #expect(doc["time_precision"]?["month"] == .integer(1))
        let text = geo("events", "summary", Self.eventsFixtures + "/malformed-rows.csv")
        #expect(text.status == 0)
        #expect(text.out.contains("unresolved places"), "\(text.out)")
        #expect(text.out.contains("Zzyzxqwv"))
    }
}

/// `geo convert` to and from GeoPackage, FlatGeobuf and Shapefile (GDAL).
@Suite struct ConvertGDALTests {
    static func properties(_ path: String) throws -> [String: JSONValue] {
        let doc = try JSONParser.parse(String(contentsOfFile: path, encoding: .utf8))
        var byID: [String: JSONValue] = [:]
        for f in doc["features"]?.arrayValue ?? [] {
            guard let id = f["properties"]?["event_id"]?.stringValue else { continue }
            byID[id] = .object(["geometry": f["geometry"] ?? .null, "properties": f["properties"] ?? .null])
        }
        return byID
    }

    @Test(arguments: ["gpkg", "fgb", "shp"])
    func roundTripKeepsEveryField(ext: String) throws {
        let input = try fixturePath("convert/events.expected.geojson")
        let dir = try temporaryDirectory()
        let layer = dir.appendingPathComponent("events.\(ext)").path
        let back = dir.appendingPathComponent("back.geojson").path
        let run = geo("convert", input, "-o", layer)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("read 6, written 6"), "\(run.err)")
        if ext == "shp" {
            #expect(run.err.contains("warning: Shapefile: field names cut to 10 characters:"), "\(run.err)")
            #expect(run.err.contains("sub_event_type → sub_event_"), "\(run.err)")
        } else {
            #expect(!run.err.contains("warning"), "\(run.err)")
            let info = try #require(runProgram("ogrinfo", ["-al", "-so", layer]))
            #expect(info.output.contains("Feature Count: 6"), "\(info.output)")
            #expect(info.output.contains("fatalities: Integer"), "\(info.output)")
            #expect(info.output.contains(ext == "gpkg" ? "event_date: Date" : "event_date: DateTime"), "\(info.output)")
        }
        let again = geo("convert", layer, "-o", back)
        #expect(again.status == 0, "\(again.err)")
        let original = try Self.properties(input), converted = try Self.properties(back)
        #expect(original.count == 6)
        #expect(converted == original)
    }

    @Test func missingFolderLeavesNothingAndSaysWhy() throws {
        let input = try fixturePath("convert/events.expected.geojson")
        let dir = try temporaryDirectory()
        let run = geo("convert", input, "-o", dir.appendingPathComponent("missing/events.gpkg").path)
        #expect(run.status != 0)
        #expect(run.err.contains("events.gpkg") && run.err.contains("does not exist"), "\(run.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        let stdout = geo("convert", input, "--format", "gpkg")
        #expect(stdout.status != 0)
        #expect(stdout.err.contains("standard output"), "\(stdout.err)")
    }
}
