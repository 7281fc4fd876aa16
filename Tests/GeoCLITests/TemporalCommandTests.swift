import Foundation
import GeoCore
import Testing

/// Parses a JSON text with GeoCore's parser.
func parseJSON(_ text: String) throws -> JSONValue {
    try JSONParser.parse(Array(text.utf8))
}

/// The features of a GeoJSON output with the given `role` property.
func features(_ json: JSONValue, role: String) -> [JSONValue] {
    (json["features"]?.arrayValue ?? []).filter { $0["properties"]?["role"]?.stringValue == role }
}

@Suite struct WindowsCommandTests {
    let militiaToUS = ["--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "14d"]

    @Test func pairsTheHandWrittenEvents() throws {
        let path = try fixturePath("temporal/windows-events.geojson")
        let run = geo(["windows", path] + militiaToUS + ["--permutations", "99"])
        #expect(run.status == 0, "\(run.err)")
        let json = try parseJSON(run.out)
        let pairs = features(json, role: "pair")
        let found = pairs.map { p -> String in
            let q = p["properties"]!
            return "\(q["attack_id"]!.stringValue!)→\(q["response_id"]!.stringValue!)"
        }
        #expect(Set(found) == ["IRQ3→SYR1", "IRQ2→SYR1", "IRQ1→SYR1", "IRQ6→SYR4", "SYR3→SYR4", "IRQ5→SYR4",
                               "IRQ7→SYR5", "IRQ6→SYR5", "JOR1→IRQ4", "JOR1→SYR2"])
        #expect(found.count == 10)
        func pair(_ a: String, _ r: String) -> JSONValue? {
            pairs.first { $0["properties"]?["attack_id"]?.stringValue == a && $0["properties"]?["response_id"]?.stringValue == r }?["properties"]
        }
        // Erbil 15 Feb 2021 → Albu Kamal 25 Feb 2021: ten calendar days, ~341 km (geodesic).
        let erbil = try #require(pair("IRQ1", "SYR1"))
        #expect(erbil["lag_days"]?.numberValue == 10 && erbil["certain"] == .bool(true))
        #expect(erbil["lag_min_days"]?.numberValue == 9 && erbil["lag_max_days"]?.numberValue == 11)
        #expect(abs(erbil["distance_km"]!.numberValue! - 340.7) < 1)
        #expect(erbil["most_recent"] == .bool(false) && erbil["first_response"] == .bool(true))
        // Tower 22 (an exact time) → the 2 Feb 2024 strikes.
        let tower = try #require(pair("JOR1", "IRQ4"))
        #expect(abs(tower["lag_days"]!.numberValue! - 5.2708) < 1e-3)
        #expect(tower["lag_hours"] == nil)  // the response is known to the day only
        // Week precision: IRQ6 (21–27 Oct) → SYR4 (27 Oct) could be −1…7 days.
        let week = try #require(pair("IRQ6", "SYR4"))
        #expect(week["lag_min_days"]?.numberValue == -1 && week["lag_max_days"]?.numberValue == 7)
        #expect(week["lag_days"]?.numberValue == 3 && week["certain"] == .bool(false))
        // …and to SYR5 (8 Nov) only possibly within 14 days (11…19).
        let late = try #require(pair("IRQ6", "SYR5"))
        #expect(late["lag_days"]?.numberValue == 15 && late["certain"] == .bool(false))
        // Lines go from the attack to the response.
        let line = try #require(pairs.first { $0["properties"]?["attack_id"]?.stringValue == "IRQ1" })
        #expect(line["geometry"]?["coordinates"] == [[44.0092, 36.1911], [40.9189, 34.4536]])

        let responses = features(json, role: "response")
        #expect(responses.count == 5)
        let syr1 = try #require(responses.first { $0["properties"]?["event_id"]?.stringValue == "SYR1" })["properties"]!
        #expect(syr1["window_attacks"]?.numberValue == 3 && syr1["most_recent_attack_id"]?.stringValue == "IRQ3")
        #expect(syr1["window_attack_ids"] == ["IRQ3", "IRQ2", "IRQ1"])
        let attacks = features(json, role: "attack")
        #expect(attacks.count == 8 && attacks.allSatisfy { $0["properties"]?["followed"] == .bool(true) })

        let summary = try #require(json["summary"]?["forward"])
        #expect(summary["attacks"]?.numberValue == 8 && summary["responses"]?.numberValue == 5 && summary["pairs"]?.numberValue == 10)
        #expect(summary["share_followed"]?.numberValue == 1)

        // Layer contract: events are layer "events" (the property added first, before role),
        // pair lines layer "pairs" (their first property).
        #expect((attacks + responses).allSatisfy { $0["properties"]?["layer"] == "events" })
        let erbilKeys = try #require(attacks.first?["properties"]?.objectValue?.keys.map { $0 })
        #expect(erbilKeys.firstIndex(of: "layer").map { erbilKeys[$0 + 1] } == "role")
        #expect(pairs.allSatisfy { $0["properties"]?.objectValue?.keys.first == "layer" && $0["properties"]?["layer"] == "pairs" })
    }

    @Test func distanceLimitAndClosestPairs() throws {
        let path = try fixturePath("temporal/windows-events.geojson")
        let near = geo(["windows", path] + militiaToUS + ["--within", "300km", "--permutations", "0"])
        #expect(near.status == 0, "\(near.err)")
        let pairs = features(try parseJSON(near.out), role: "pair")
        #expect(pairs.allSatisfy { $0["properties"]!["distance_km"]!.numberValue! <= 300 })
        #expect(!pairs.contains { $0["properties"]?["attack_id"]?.stringValue == "IRQ1" })  // Erbil is 341 km away
        #expect(pairs.count == 6)

        let closest = geo(["windows", path] + militiaToUS + ["--pairs", "closest", "--permutations", "0"])
        let closestPairs = features(try parseJSON(closest.out), role: "pair")
        // Every pair here is some response's most recent attack or some attack's first response;
        // SYR5's most recent is IRQ6 (nominal lag 15 d), preferred to the month-dated IRQ7 whose
        // midpoint (16 Nov) lies after the strike.
        #expect(closestPairs.count == 10)
        let syr5 = features(try parseJSON(closest.out), role: "response").first { $0["properties"]?["event_id"]?.stringValue == "SYR5" }
        #expect(syr5?["properties"]?["most_recent_attack_id"]?.stringValue == "IRQ6")
        #expect(closestPairs.allSatisfy {
            $0["properties"]?["most_recent"] == .bool(true) || $0["properties"]?["first_response"] == .bool(true)
        })
    }

    @Test func summaryJSONWithBothDirectionsAndATest() throws {
        let path = try fixturePath("temporal/windows-events.geojson")
        let run = geo(["windows", path, "--attacks", "actor_side=militia & country=IQ,JO", "--responses", "event_type=Air/drone strike & actor_side=US",
                       "--max-lag", "14d", "--both-directions", "--format", "json", "--permutations", "199", "--seed", "5"])
        #expect(run.status == 0, "\(run.err)")
        let json = try parseJSON(run.out)
        #expect(json["forward"]?["attacks"]?.numberValue == 7)
        #expect(json["forward"]?["responses"]?.numberValue == 5)
        let test = try #require(json["forward"]?["permutation_test"])
        let p = try #require(test["p_value"]?.numberValue)
        #expect(p > 0 && p <= 1)
        #expect(abs(p - (1 + test["at_least_observed"]!.numberValue!) / 200) < 1e-9)
        #expect(json["reverse"]?["direction"]?.stringValue == "response→counter-attack")
        // Same seed, same output.
        #expect(geo(["windows", path, "--attacks", "actor_side=militia & country=IQ,JO", "--responses", "event_type=Air/drone strike & actor_side=US",
                     "--max-lag", "14d", "--both-directions", "--format", "json", "--permutations", "199", "--seed", "5"]).out == run.out)
    }

    @Test func plantedResponsesAreSignificant() throws {
        // 40 attacks over two years; 30 answered 1–3 days later: p must be small.
        var rng = SeededGenerator(seed: 8)
        var lines: [String] = []
        func event(_ id: String, _ day: Int, _ side: String) -> String {
            let date = Date(timeIntervalSince1970: Double(day) * 86_400)
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd"
            f.timeZone = TimeZone(identifier: "UTC")
            return #"{"type":"Feature","geometry":{"type":"Point","coordinates":[42,33]},"properties":{"event_id":"\#(id)","event_date":"\#(f.string(from: date))","actor_side":"\#(side)"}}"#
        }
        for i in 0..<40 {
            let d = 19_000 + Int.random(in: 0..<730, using: &rng)
            lines.append(event("A\(i)", d, "militia"))
            if i < 30 { lines.append(event("R\(i)", d + Int.random(in: 1...3, using: &rng), "US")) }
        }
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("planted.geojsonl").path
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let run = geo(["windows", file, "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--min-lag", "1d",
                       "--max-lag", "3d", "--format", "json"])
        #expect(run.status == 0, "\(run.err)")
        let p = try #require(try parseJSON(run.out)["forward"]?["permutation_test"]?["p_value"]?.numberValue)
        #expect(p <= 0.002, "p = \(p)")
    }

    @Test func refusesBadFiltersAndOptions() throws {
        let path = try fixturePath("temporal/windows-events.geojson")
        let syntax = geo(["windows", path, "--attacks", "actor_side==militia", "--responses", "actor_side=US", "--max-lag", "14d"])
        #expect(syntax.status == 64 && syntax.err.contains("'=='"), "\(syntax.err)")
        let field = geo(["windows", path, "--attacks", "side=militia", "--responses", "actor_side=US", "--max-lag", "14d"])
        #expect(field.status == 1 && field.err.contains("no event has a field 'side'"), "\(field.err)")
        let both = geo(["windows", path, "--attacks", "country=SY", "--responses", "actor_side=US", "--max-lag", "14d"])
        #expect(both.status == 1 && both.err.contains("matches both --attacks and --responses"), "\(both.err)")
        let lag = geo(["windows", path, "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "2d", "--min-lag", "3d"])
        #expect(lag.status == 64 && lag.err.contains("shorter than --min-lag"))
        let unit = geo(["windows", path, "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "1m"])
        #expect(unit.status == 64 && unit.err.contains("ambiguous"))
    }

    /// `geo convert` rejects a row whose date_end lies before its event_date; windows used to
    /// pair it anyway (its own date reading had no such rule). It reads the event layer now.
    @Test func windowsRefusesADateEndBeforeTheEventDateAsConvertDoes() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("ends.geojson").path
        try """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Point","coordinates":[42.44,33.80]},"properties":{"event_id":"A1","event_date":"2024-01-10","actor_side":"militia"}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[40.92,34.45]},"properties":{"event_id":"R1","event_date":"2024-01-14","date_end":"2024-01-12","actor_side":"US"}}
            ]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let convert = geo("convert", path, "-o", dir.appendingPathComponent("out.geojson").path)
        #expect(convert.status == 1 && convert.err.contains("date_end 2024-01-12 is before event_date 2024-01-14"), "\(convert.err)")
        for format in ["geojson", "json"] {
            let run = geo(["windows", path] + militiaToUS + ["--permutations", "0", "--format", format])
            #expect(run.status == 1, "\(run.out)")
            #expect(run.err.contains("feature 1") && run.err.contains("date_end 2024-01-12 is before event_date 2024-01-14"), "\(run.err)")
            #expect(run.out.isEmpty)
        }
    }

    /// Windows output read back as an event layer: `geo cluster` takes the events layer by
    /// default and says on stderr that it skipped the pair lines.
    @Test func windowsOutputIsALayeredInputForCluster() throws {
        let dir = try temporaryDirectory()
        let windowsOut = dir.appendingPathComponent("windows.geojson").path
        let run = geo(["windows", try fixturePath("temporal/windows-events.geojson")] + militiaToUS + ["--permutations", "0", "-o", windowsOut])
        #expect(run.status == 0, "\(run.err)")
        let cluster = geo("cluster", windowsOut, "--within", "50km")
        #expect(cluster.status == 0, "\(cluster.err)")
        #expect(cluster.err.contains("read 13 features of layer events; skipped 10 of layer pairs"), "\(cluster.err)")
        let points = try #require(try parseJSON(cluster.out)["features"]?.arrayValue)
        #expect(points.count == 13)
        #expect(points.allSatisfy { $0["geometry"]?["type"] == "Point" && $0["properties"]?["cluster"] != nil })
        // The summary-only output goes to a file too, closed and complete.
        let summaryOut = dir.appendingPathComponent("summary.json").path
        #expect(geo(["windows", windowsOut] + militiaToUS + ["--permutations", "0", "-o", summaryOut]).status == 0)
        #expect(try parseJSON(String(contentsOfFile: summaryOut, encoding: .utf8))["forward"]?["pairs"]?.numberValue == 10)
    }
}

@Suite struct EscalationCommandTests {
    @Test func weeklySeriesSpreadsImpreciseEvents() throws {
        let path = try fixturePath("temporal/windows-events.geojson")
        let run = geo("escalation", path, "--by", "week", "--from", "2023-10-09", "--to", "2023-11-05")
        #expect(run.status == 0, "\(run.err)")
        let json = try parseJSON(run.out)
        #expect(json["metadata"]?["fractional_counts"]?.stringValue?.contains("spread") == true)
        let rows = try #require(json["series"]?["all"]?.arrayValue)
        #expect(rows.map { $0["period"]!.stringValue! } == ["2023-W41", "2023-W42", "2023-W43", "2023-W44"])
        // W42: 17 and 19 Oct, plus 2 of the 7 days of IRQ6 (21–27 Oct).
        #expect(abs(rows[1]["count"]!.numberValue! - (2 + 2.0 / 7)) < 1e-4)
        #expect(abs(rows[1]["spread_count"]!.numberValue! - 2.0 / 7) < 1e-4)
        // W44 (30 Oct – 5 Nov) holds 5/30 of the November month-precision event.
        #expect(abs(rows[3]["count"]!.numberValue! - 5.0 / 30) < 1e-4)
        #expect(abs(rows[3]["cumulative_count"]!.numberValue! - (4 + 5.0 / 30)) < 1e-4)
    }

    @Test func monthlyCSVPerSide() throws {
        let path = try fixturePath("temporal/windows-events.geojson")
        let run = geo("escalation", path, "--by", "month", "--split", "actor_side", "--from", "2023-10-01", "--to", "2024-02-29", "--format", "csv")
        #expect(run.status == 0, "\(run.err)")
        let lines = run.out.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("period,period_start,split,count,fatalities,spread_count,cumulative_count"))
        #expect(lines.count == 1 + 3 * 5)
        #expect(lines.contains { $0.hasPrefix("2024-02,2024-02-01,US,2,39,0,4,39,") })
        #expect(lines.contains { $0.hasPrefix("2023-11,2023-11-01,militia,1,0,1,") })
    }

    /// Daily events: 0.5 a day for 120 days, 6 a day for 50, 1 a day for 90.
    func plantedFile() throws -> String {
        var rng = SeededGenerator(seed: 17)
        var lines: [String] = []
        var day = UTCDay(year: 2023, month: 6, day: 19)
        var n = 0
        for (rate, length) in [(0.5, 120), (6.0, 50), (1.0, 90)] {
            for _ in 0..<length {
                // Poisson by counting unit-rate exponential gaps.
                var t = 0.0
                while true {
                    t += -log(1 - Double(rng.next() >> 11) * 0x1p-53) / rate
                    if t >= 1 { break }
                    n += 1
                    lines.append(#"{"type":"Feature","geometry":{"type":"Point","coordinates":[42,33]},"properties":{"event_id":"E\#(n)","event_date":"\#(day.iso)","actor_side":"militia","fatalities":0}}"#)
                }
                day = day.next
            }
        }
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("planted.geojsonl").path
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func findsPlantedChangePoints() throws {
        let run = geo("escalation", try plantedFile(), "--by", "day", "--from", "2023-06-19", "--to", "2024-03-04")
        #expect(run.status == 0, "\(run.err)")
        let changes = try #require(try parseJSON(run.out)["change_points"]?["all"]?["change_points"]?.arrayValue)
        let dates = changes.map { $0["date"]!.stringValue! }
        // Planted at 2023-10-17 (day 120) and 2023-12-06 (day 170).
        #expect(dates.count == 2, "\(dates)")
        #expect(dates.first.map { (try? daysBetween($0, "2023-10-17")).map { abs($0) <= 3 } ?? false } == true, "\(dates)")
        #expect(dates.last.map { (try? daysBetween($0, "2023-12-06")).map { abs($0) <= 3 } ?? false } == true, "\(dates)")
        #expect(changes[0]["rate_before"]!.numberValue! < 1 && changes[0]["rate_after"]!.numberValue! > 4)
    }

    @Test func hawkesFitWithBootstrap() throws {
        let run = geo("escalation", try plantedFile(), "--by", "week", "--hawkes", "--bootstrap", "5", "--penalty", "none")
        #expect(run.status == 0, "\(run.err)")
        let h = try #require(try parseJSON(run.out)["hawkes"]?["univariate"])
        let n = try #require(h["branching_ratio"]?.numberValue)
        #expect(n >= 0 && n < 1)
        #expect(h["ci95"]?["branching_ratio"]?.arrayValue?.count == 2)
        #expect(h["ci95"]?["replicates_used"]?.numberValue == 5)
    }

    @Test func hawkesFitBinnedIsReported() throws {
        let run = geo("escalation", try plantedFile(), "--by", "week", "--hawkes", "--hawkes-fit", "binned", "--bootstrap", "4", "--penalty", "none")
        #expect(run.status == 0, "\(run.err)")
        let h = try #require(try parseJSON(run.out)["hawkes"])
        #expect(h["fit_method"]?.stringValue == "binned")
        #expect(h["bootstrap"]?["interval"]?.stringValue == "percentile")
        #expect(h["univariate"]?["ci95"]?["replicates_used"]?.numberValue == 4)
        #expect(geo("escalation", try plantedFile(), "--by", "week", "--hawkes", "--hawkes-fit", "placed").status == 64)
        let basic = geo("escalation", try plantedFile(), "--by", "week", "--hawkes", "--hawkes-interval", "basic", "--bootstrap", "2")
        #expect(try parseJSON(basic.out)["hawkes"]?["bootstrap"]?["interval"]?.stringValue == "basic", "\(basic.err)")
    }

    @Test func bivariateNeedsTwoSplitValues() throws {
        let path = try fixturePath("temporal/windows-events.geojson")
        let noSplit = geo("escalation", path, "--by", "week", "--cross", "militia,US")
        #expect(noSplit.status == 64 && noSplit.err.contains("--cross needs --split"))
        let unknown = geo("escalation", path, "--by", "week", "--split", "actor_side", "--cross", "militia,Iran")
        #expect(unknown.status == 1 && unknown.err.contains("no actor_side 'Iran'"), "\(unknown.err)")
        let tooFew = geo("escalation", path, "--by", "week", "--split", "actor_side", "--cross", "militia,US")
        #expect(tooFew.status == 1 && tooFew.err.contains("a Hawkes fit needs at least 10"), "\(tooFew.err)")
        #expect(geo("escalation", path, "--by", "year").status == 64)
        #expect(geo("escalation", path, "--by", "week", "--penalty", "lots").status == 64)
    }

    /// `--cross militia,US --hawkes` on a handful of events once failed with `Error: MarkedTimes(times: […], marks: …)`
    /// (the event times, not the file name) and left an output file behind. It says which series
    /// have how many events, and writes nothing.
    @Test func crossOnASmallFileSaysWhyNotADump() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func event(_ n: Int, _ date: String, _ side: String?, precision: Int = 1) -> String {
            let sideText = side.map { #","actor_side":"\#($0)""# } ?? ""
            return #"{"type":"Feature","geometry":{"type":"Point","coordinates":[42,33]},"properties":{"event_id":"E\#(n)","event_date":"\#(date)","time_precision":\#(precision)\#(sideText)}}"#
        }
        // 12 events: militia 2, US 1 (and one US event dated to the week), the rest without a side.
        var lines = [event(1, "2024-01-02", "militia"), event(2, "2024-01-04", "militia"), event(3, "2024-01-05", "US"),
                     event(4, "2024-01-10", "US", precision: 2)]
        lines += (5...12).map { event($0, "2024-01-\($0 + 6)", nil) }
        let input = dir.appendingPathComponent("events.geojsonl").path
        try lines.joined(separator: "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("escalation.json").path
        let run = geo("escalation", input, "--by", "week", "--split", "actor_side", "--cross", "militia,US", "--hawkes",
                      "--bootstrap", "20", "-o", out)
        #expect(run.status == 1, "\(run.err)")
        #expect(run.err.contains("Hawkes fit of militia and US: too few events to fit: militia 2, US 1 dated to the day in the study range (1 more, dated to the week or month, is left out); a Hawkes fit needs at least 10 events per series"), "\(run.err)")
        #expect(!run.err.contains("MarkedTimes") && !run.err.contains("times:"), "\(run.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["events.geojsonl"])
        // With fewer than 10 events in all, the univariate fit says so first.
        let few = geo("escalation", input, "--by", "week", "--where", "actor_side=militia,US", "--hawkes", "-o", out)
        #expect(few.status == 1 && few.err.contains("Hawkes fit: too few events to fit: 3 dated to the day in the study range (1 more, dated to the week or month, is left out); a Hawkes fit needs at least 10"), "\(few.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["events.geojsonl"])
    }
}

/// A calendar day for building fixtures.
struct UTCDay {
    var date: Date
    init(year: Int, month: Int, day: Int) {
        var c = DateComponents()
        c.year = year; c.month = month; c.day = day
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        date = cal.date(from: c)!
    }
    init(date: Date) { self.date = date }
    var next: UTCDay { UTCDay(date: date.addingTimeInterval(86_400)) }
    var iso: String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}

func daysBetween(_ a: String, _ b: String) throws -> Int {
    let f = DateFormatter()
    f.dateFormat = "yyyy-MM-dd"
    f.timeZone = TimeZone(identifier: "UTC")
    return Int((f.date(from: a)!.timeIntervalSince(f.date(from: b)!) / 86_400).rounded())
}
