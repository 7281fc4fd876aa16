import Foundation
import GeoCore
import Testing

/// The acceptance checks of the events and temporal issues on the sample dataset
/// (Notebooks/data/events.csv), end to end through the CLI.
@Suite(.serialized) struct SampleDatasetTests {
    static let sample = packageRoot.appendingPathComponent("Notebooks/data/events.csv").path

    /// The sample converted (every row must geocode; none may be rejected) into a file of its
    /// own, removed after `body`.
    func withConverted<R>(_ body: (String) throws -> R) throws -> R {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("geo-sample-\(UUID().uuidString).geojson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = geo("convert", Self.sample, "-o", path)
        try #require(run.status == 0, "sample conversion failed: \(run.err)")
        return try body(path)
    }

    @Test func everyRowConvertsAndValidates() throws {
        let run = geo("convert", Self.sample, "--format", "geojson")
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("rejected 0"), "\(run.err)")
        let doc = try JSONParser.parse(run.out)
        let features = try #require(doc["features"]?.arrayValue)
        #expect(features.count >= 150)
        try withConverted { converted in #expect(geo("validate", converted).status == 0) }
    }

    /// Pairs (attack date, attack place) → (response date, response place) that must be found.
    @Test func windowsPairKnownAttacksWithTheirResponses() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("geo-sample-pairs-\(UUID().uuidString).geojson").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = try withConverted { converted in
            geo("windows", converted, "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "14d", "-o", out)
        }
        #expect(run.status == 0, "\(run.err)")
        let doc = try JSONParser.parse(String(contentsOfFile: out, encoding: .utf8))
        let features = try #require(doc["features"]?.arrayValue)
        var locationByID: [String: String] = [:]
        var pairs: [(String, String, String, String, Double)] = []
        for f in features {
            let p = f["properties"]
            if let id = p?["event_id"]?.stringValue, let location = p?["location"]?.stringValue { locationByID[id] = location }
        }
        for f in features where f["geometry"]?["type"] == .string("LineString") {
            let p = f["properties"]
            pairs.append((p?["from_date"]?.stringValue ?? "", locationByID[p?["attack_id"]?.stringValue ?? ""] ?? "",
                          p?["to_date"]?.stringValue ?? "", locationByID[p?["response_id"]?.stringValue ?? ""] ?? "",
                          p?["lag_days"]?.numberValue ?? -1))
        }
        let erbil = pairs.first { $0.0 == "2021-02-15" && $0.1.contains("Erbil") && $0.2 == "2021-02-25" && $0.3.contains("Albu Kamal") }
        #expect(erbil?.4 == 10, "Erbil 15 Feb 2021 → Albu Kamal 25 Feb 2021")
        let tower22 = pairs.filter { $0.0 == "2024-01-28" && $0.1 == "Tower 22" && $0.2 == "2024-02-02" }
        #expect(tower22.count >= 3, "Tower 22 → the 2 February 2024 strikes at several places")
        #expect(tower22.allSatisfy { $0.4 == 5 })
    }

    @Test func changePointsMarkTheCampaignAndThePause() throws {
        let run = try withConverted { converted in geo("escalation", converted, "--by", "week", "--to", "2024-12-30") }
        #expect(run.status == 0, "\(run.err)")
        let doc = try JSONParser.parse(run.out)
        let points = try #require(doc["change_points"]?["all"]?["change_points"]?.arrayValue)
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withFullDate]
        func day(_ text: String) -> Date { parser.date(from: text)! }
        let start = points.first { p in
            guard let d = p["date"]?.stringValue else { return false }
            return abs(day(d).timeIntervalSince(day("2023-10-17"))) <= 7 * 86_400
                && (p["rate_after"]?.numberValue ?? 0) > (p["rate_before"]?.numberValue ?? 0)
        }
        #expect(start != nil, "a rise within a week of 17 October 2023: \(points)")
        let pause = points.first { p in
            guard let d = p["date"]?.stringValue else { return false }
            return day(d) >= day("2024-02-01") && day(d) <= day("2024-03-15")
                && (p["rate_after"]?.numberValue ?? 1) < (p["rate_before"]?.numberValue ?? 0)
        }
        #expect(pause != nil, "a drop after early February 2024: \(points)")
    }
}
