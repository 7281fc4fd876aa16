import Foundation
import GeoCore
import Testing

/// An analyst's own table (plain-language event types, group names only, no coordinates):
/// `Fixtures/analyst-table/attacks-and-strikes.csv`, written from the sample data's facts, row n
/// being the sample's event GEO0n. It converts with column options alone, and `geo windows`
/// pairs every response documented in its notes ("answers A012").
@Suite(.serialized) struct AnalystTableTests {
    static let convertArguments = [
        "--date-column", "date", "--place-column", "site_name", "--country-column", "country", "--actor-column", "actor",
        "--type-column", "event_type", "--column", "event_id=id", "--column", "fatalities=killed", "--column", "sources=source_url",
    ]

    func converted() throws -> (dir: URL, path: String, run: GeoRun) {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("events.geojson").path
        let run = geo(["convert", try fixturePath("analyst-table/attacks-and-strikes.csv")] + Self.convertArguments + ["-o", out])
        return (dir, out, run)
    }

    func csvRows(_ path: String) throws -> [[String: String]] {
        let records = try CSV.parse(try String(contentsOfFile: path, encoding: .utf8))
        let header = records[0].fields
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.fields)) }
    }

    @Test func convertsWithZeroRejectsAndTheSampleTaxonomy() throws {
        let (_, out, run) = try converted()
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("read 151, written 151, geocoded 151, rejected 0"), "\(run.err)")
        let features = try #require(try JSONParser.parse(try String(contentsOfFile: out, encoding: .utf8)).objectValue?["features"]?.arrayValue)
        let table = try csvRows(try fixturePath("analyst-table/attacks-and-strikes.csv"))
        let sample = try csvRows(packageRoot.appendingPathComponent("Notebooks/data/events.csv").path)
        #expect(features.count == 151 && table.count == 151 && sample.count == 151)
        for (feature, (row, coded)) in zip(features, zip(table, sample)) {
            let p = try #require(feature.objectValue?["properties"]?.objectValue)
            let id = row["id"]!
            // The plain wording maps to the pair the sample's coder chose by hand.
            #expect(p["event_type"]?.stringValue == coded["event_type"], "\(id) '\(row["event_type"]!)'")
            #expect(p["sub_event_type"]?.stringValue == coded["sub_event_type"], "\(id) '\(row["event_type"]!)'")
            #expect(p["event_type_reported"]?.stringValue == row["event_type"], "\(id): the wording is kept")
            #expect(p["event_id"]?.stringValue == id)
            #expect(p["fatalities"]?.numberValue.map { String(Int($0)) } ?? "" == row["killed"], "\(id) fatalities as a number")
            // Sides come from the actor list; unattributed rows stay unknown, never guessed.
            let actor = row["actor"]!
            if ["unidentified", "unknown gunmen"].contains(actor) {
                #expect(p["actor_side"]?.stringValue == "unknown", "\(id) \(actor)")
            } else {
                #expect(p["actor_side"]?.stringValue == coded["actor_side"], "\(id) \(actor)")
                #expect(p["actor_match"]?.stringValue?.isEmpty == false, "\(id) the match is recorded")
            }
            #expect(p["actor1"]?.stringValue == actor, "\(id): actor1 as given without --normalise-actors")
        }
    }

    @Test func windowsPairsEveryDocumentedResponse() throws {
        let (dir, out, run) = try converted()
        #expect(run.status == 0, "\(run.err)")
        let pairsPath = dir.appendingPathComponent("pairs.geojson").path
        let windows = geo("windows", out, "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "14d",
                          "--permutations", "0", "-o", pairsPath)
        #expect(windows.status == 0, "\(windows.err)")
        let features = try #require(try JSONParser.parse(try String(contentsOfFile: pairsPath, encoding: .utf8)).objectValue?["features"]?.arrayValue)
        var found = Set<String>()
        for f in features {
            guard let p = f.objectValue?["properties"]?.objectValue, p["role"]?.stringValue == "pair",
                  let a = p["attack_id"]?.stringValue, let r = p["response_id"]?.stringValue else { continue }
            found.insert(a + "→" + r)
        }
        var documented: [String] = []
        for row in try csvRows(try fixturePath("analyst-table/attacks-and-strikes.csv")) {
            guard let range = row["notes"]!.range(of: "answers ") else { continue }
            let ids = row["notes"]![range.upperBound...].prefix { !$0.isWhitespace }.split(separator: ";")
            documented += ids.map { $0.trimmingCharacters(in: .punctuationCharacters) + "→" + row["id"]! }
        }
        #expect(documented.count >= 30)
        #expect(documented.filter { !found.contains($0) } == [], "documented pairs windows did not find")
    }

    @Test func normaliseActorsKeepsTheGivenName() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("events.csv").path
        let run = geo(["convert", try fixturePath("analyst-table/attacks-and-strikes.csv")] + Self.convertArguments + ["--normalise-actors", "-o", out])
        #expect(run.status == 0, "\(run.err)")
        let rows = try csvRows(out)
        let kh = try #require(rows.first { $0["actor1_reported"] == "IRI" })
        #expect(kh["actor1"] == "Islamic Resistance in Iraq")
        #expect(rows.allSatisfy { $0["actor1_reported"] != "" || $0["actor1"] == $0["actor_match"] || $0["actor_match"] == "" })
    }
}
