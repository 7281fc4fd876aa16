import Foundation
import GeoCore
import Testing

/// `geo convert --fallback` places an unresolved name only where the row points, and says so.
@Suite struct HonestFallbackTests {
    static let table = """
        event_id,event_date,event_type,location,country,admin1
        S1,2023-10-20,Air/drone strike,al-Swiah,SY,Deir ez-Zor
        S2,2023-10-20,Air/drone strike,al-Swiah,SY,
        S3,2023-10-21,Air/drone strike,eastern Syria,SY,Deir ez-Zor

        """

    func convert(_ fallback: String) throws -> [String: [String: JSONValue]] {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("t.csv").path
        try Self.table.write(toFile: input, atomically: false, encoding: .utf8)
        let out = dir.appendingPathComponent("o.geojson").path
        let run = geo("convert", input, "--fallback", fallback, "-o", out, "--allow-rejects")
        #expect(run.status == 0, "\(run.err)")
        var byID: [String: [String: JSONValue]] = [:]
        for f in try JSONParser.parse(try String(contentsOfFile: out, encoding: .utf8)).objectValue?["features"]?.arrayValue ?? [] {
            var p: [String: JSONValue] = [:]
            for (k, v) in f.objectValue?["properties"]?.objectValue ?? [:] { p[k] = v }
            if let c = f.objectValue?["geometry"]?.objectValue?["coordinates"]?.arrayValue, c.count == 2 {
                p["lon"] = c[0]
                p["lat"] = c[1]
            }
            byID[p["event_id"]?.stringValue ?? ""] = p
        }
        return byID
    }

    @Test func fallbackProvinceUsesTheRowsAdmin1NotAleppo() throws {
        let rows = try convert("province")
        let s1 = try #require(rows["S1"])
        // Deir ez-Zor city (the governorate's capital), not Aleppo (36.2 N, 37.2 E).
        #expect(abs((s1["lat"]?.numberValue ?? 0) - 35.34) < 0.1 && abs((s1["lon"]?.numberValue ?? 0) - 40.14) < 0.1, "\(s1)")
        #expect(s1["geo_precision"]?.numberValue == 3)
        #expect(s1["match_fallback"]?.stringValue?.contains("Deir ez-Zor") == true, "\(s1)")
        // No admin1 and no province in the text: not placed.
        #expect(rows["S2"] == nil)
    }

    @Test func fallbackCountryUsesTheCapitalOrTheRowsRegion() throws {
        let rows = try convert("country")
        #expect(rows["S1"]?["match_fallback"]?.stringValue?.contains("Deir ez-Zor") == true)
        let s2 = try #require(rows["S2"])
        // Damascus, the capital, not the most populous city.
        #expect(abs((s2["lat"]?.numberValue ?? 0) - 33.51) < 0.1 && abs((s2["lon"]?.numberValue ?? 0) - 36.29) < 0.1, "\(s2)")
        #expect(s2["match_fallback"]?.stringValue?.contains("capital") == true, "\(s2)")
    }

    @Test func regionPhrasesArePlacesAtPrecisionThree() throws {
        let rows = try convert("province")
        let s3 = try #require(rows["S3"])
        #expect(s3["geo_precision"]?.numberValue == 3, "\(s3)")
        #expect(s3["match_fallback"] == .null || s3["match_fallback"] == nil, "a region is a match, not a fallback")
    }
}
