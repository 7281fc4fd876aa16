import GeoCore
@testable import GeoEvents
@testable import GeoLayers
import Testing

@Suite struct WindowsReportTests {
    static func layer(_ features: [String]) throws -> EventLayer {
        let text = #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}"
        return try EventLayer.read(file: InputFile(name: "t.geojson", bytes: Array(text.utf8)), source: "t.geojson", options: EventLayerOptions())
    }

    static func event(_ id: String, _ date: String?, _ side: String, _ lon: Double = 42, _ lat: Double = 33) -> String {
        let date = date.map { #","event_date":"\#($0)""# } ?? ""
        return #"{"type":"Feature","geometry":{"type":"Point","coordinates":[\#(lon),\#(lat)]},"properties":{"event_id":"\#(id)"\#(date),"actor_side":"\#(side)"}}"#
    }

    static let militiaToUS = (attacks: "actor_side=militia", responses: "actor_side=US")

    /// Whether `a` and `b` are the same bytes; where they first differ is recorded as an issue.
    static func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a != b else { return true }
        let at = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        Issue.record("\(a.count) and \(b.count) bytes, first different at byte \(at): \(String(decoding: a[at..<min(a.count, at + 120)], as: UTF8.self))")
        return false
    }

    /// A report's collection as `geo windows` wrote it one feature at a time (events, then pair
    /// lines, styled by `style`), and as it writes it now (`encodeFeatures`, in batches on all
    /// cores).
    static func writtenBothWays(_ report: WindowsReport, style: SimpleStyle?, pairsPerBatch: Int = 2_048) throws
        -> (oneAtATime: [UInt8], encoded: [UInt8]) {
        let encoder = GeoJSONEncoder(coordinateDecimals: 5)
        let oneSink = MemorySink(), encodedSink = MemorySink()
        let one = try GeoJSONStreamWriter(sink: oneSink, encoder: encoder, foreignMembers: ["summary": report.summary()])
        try report.forEachOutgoingEventFeature { try one.write(style?.apply($0) ?? $0) }
        try report.forEachPairFeature { try one.write(style?.apply($0) ?? $0) }
        try one.finish()
        let encoded = try GeoJSONStreamWriter(sink: encodedSink, encoder: encoder, foreignMembers: ["summary": report.summary()])
        try report.encodeFeatures(encoder: encoder, style: style, pairsPerBatch: pairsPerBatch, deliver: encoded.writeEncoded)
        try encoded.finish()
        return (oneSink.bytes, encodedSink.bytes)
    }

    @Test func keepsIndicesAndLabelsOfTheSelectedEventsOnly() throws {
        let events = try Self.layer([
            Self.event("a1", "2024-01-02", "militia"), Self.event("x1", nil, "civilian"), Self.event("r1", "2024-01-04", "US"),
            Self.event("a2", "2024-01-20", "militia"),
        ])
        let report = try WindowsReport(events, WindowsOptions(attacks: "actor_side=militia", responses: "actor_side=US",
                                                              maxLag: .days(7), permutations: 0))
        #expect(report.attacks.indices == [0, 3] && report.attacks.labels == ["a1", "a2"])
        #expect(report.responses.indices == [2] && report.responses.labels == ["r1"])
        #expect(report.attacks.dates == ["2024-01-02", "2024-01-20"])
        #expect(report.forward.firstFollowers == [0, -1] && report.forward.mostRecentPredecessors == [0])
        #expect(report.reverse == nil && report.forward.test == nil)

        var roles: [String] = []
        try report.forEachEventFeature { roles.append("\($0[property: "event_id"]!.stringValue!):\($0[property: "role"]!.stringValue!)") }
        #expect(roles == ["a1:attack", "r1:response", "a2:attack"])
        var lines: [Feature] = []
        try report.forEachPairFeature { lines.append($0) }
        #expect(lines.count == 1)
        #expect(lines[0].properties?.keys.first == "layer" && lines[0][property: "layer"] == "pairs")
        #expect(lines[0][property: "lag_days"] == .integer(2) && lines[0][property: "certain"] == .bool(true))
    }

    /// The closest pairs (`--pairs closest`, listed from the first-response and most-recent
    /// arrays) are, in order, the pairs of all that are a response's most recent attack or an
    /// attack's first response: many ties of dates, both directions, with and without distance.
    /// A layer large enough to be read again on several threads (its events selected where
    /// their values are read, `forEachValue(of:mapping:_:)`) gives the report one thread gives:
    /// the same attacks and responses, labels (those without an `event_id` looked up), dates
    /// and summary, as GeoJSONSeq and as CSV.
    @Test(arguments: ["t.geojsons", "t.csv"]) func selectionOnThreadsIsOneThreads(name: String) throws {
        var text = name.hasSuffix(".csv") ? "event_id,event_date,actor_side,latitude,longitude,country\n" : ""
        for i in 0..<40_000 {
            let side = ["militia", "US", "civilian", "militia", "US"][i % 5]
            let id = i % 997 == 0 ? "" : "E\(i)"
            let date = "2024-0\(1 + i % 9)-1\(i % 10)"
            let (lon, lat) = (40 + Double(i % 300) / 100, 33 + Double(i % 211) / 100)
            if name.hasSuffix(".csv") {
                text += "\(id),\(date),\(side),\(lat),\(lon),SY\n"
            } else {
                let idMember = id.isEmpty ? "" : #""event_id":"\#(id)","#
                text += #"{"type":"Feature","geometry":{"type":"Point","coordinates":[\#(lon),\#(lat)]},"properties":{\#(idMember)"event_date":"\#(date)","actor_side":"\#(side)"}}"# + "\n"
            }
        }
        let file = InputFile(name: name, bytes: Array(text.utf8))
        func report(threads: Int) throws -> WindowsReport {
            var options = EventLayerOptions()
            options.threads = threads
            options.chunkBytes = 100_000  // a table of two chunks or more is read again on all threads
            let layer = try EventLayer.read(file: file, source: name, options: options)
            return try WindowsReport(layer, WindowsOptions(attacks: "actor_side=militia", responses: "actor_side=US", maxLag: .days(3),
                                                           within: .kilometers(20), permutations: 0))
        }
        let one = try report(threads: 1), two = try report(threads: 2)
        #expect(one.attacks.count == 16_000 && one.responses.count == 16_000)
        #expect(one.attacks.labels.contains("feature 0") && one.attacks.labels[1] == "E3")
        #expect(two.attacks.indices == one.attacks.indices && two.responses.indices == one.responses.indices)
        #expect(two.attacks.labels == one.attacks.labels && two.responses.labels == one.responses.labels)
        #expect(two.attacks.dates == one.attacks.dates && two.responses.dates == one.responses.dates)
        #expect(two.forward.summary == one.forward.summary && two.forward.mostRecentPredecessors == one.forward.mostRecentPredecessors)
        // The windows' attacks worked out a block of responses at a time are each window's.
        let lists = WindowsReport.WindowAttackLists(one.forward, block: 1_000)
        for r in stride(from: 0, to: one.responses.count, by: 7) {
            #expect(lists.attacks(inWindowOf: r) == (one.forward.mostRecentPredecessors[r] < 0 ? [] : one.forward.windows.attacksInWindow(ofResponse: r)))
        }
    }

    /// The events and pair lines encoded on all cores in batches (events neither attack nor
    /// response left out, each response's window searched where its feature is made; pairs in
    /// rounds of batches) are the bytes written one feature at a time: GeoJSONSeq read on two
    /// threads and a table read again, all pairs and the closest, one and both directions,
    /// styled and not, batches of 2,048 and of 7 pairs.
    @Test(arguments: ["t.geojsons", "t.csv"]) func encodedFeaturesAreThoseWrittenOneAtATime(name: String) throws {
        var text = name.hasSuffix(".csv") ? "event_id,event_date,actor_side,latitude,longitude,country,fatalities\n" : ""
        for i in 0..<12_000 {
            let side = ["militia", "US", "civilian", "militia", "US"][i % 5]
            let date = "2024-0\(1 + i % 9)-1\(i % 10)"
            let (lon, lat) = (40 + Double(i % 300) / 100, 33 + Double(i % 211) / 100)
            if name.hasSuffix(".csv") {
                text += "E\(i),\(date),\(side),\(lat),\(lon),SY,\(i % 4)\n"
            } else {
                text += #"{"type":"Feature","geometry":{"type":"Point","coordinates":[\#(lon),\#(lat)]},"properties":{"event_id":"E\#(i)","event_date":"\#(date)","actor_side":"\#(side)","fatalities":\#(i % 4)}}"# + "\n"
            }
        }
        var options = EventLayerOptions()
        options.threads = 2
        options.chunkBytes = 100_000
        let layer = try EventLayer.read(file: InputFile(name: name, bytes: Array(text.utf8)), source: name, options: options)
        let style = SimpleStyle(sideCounts: ["militia": 3, "US": 2, "civilian": 1])
        for (pairs, both) in [(WindowsPairs.all, false), (.all, true), (.closest, true)] {
            let report = try WindowsReport(layer, WindowsOptions(attacks: "actor_side=militia", responses: "actor_side=US", maxLag: .days(2),
                                                                 within: .kilometers(30), bothDirections: both, pairs: pairs, permutations: 0))
            for (styled, perBatch) in [(false, 2_048), (true, 7)] {
                let (oneAtATime, encoded) = try Self.writtenBothWays(report, style: styled ? style : nil, pairsPerBatch: perBatch)
                // Compared as one Bool: a failing `==` of two megabyte arrays would be diffed element by element.
                let same = Self.sameBytes(encoded, oneAtATime)
                #expect(same, "\(pairs) both \(both) styled \(styled)")
                #expect(oneAtATime.count > 1_000_000, "\(oneAtATime.count)")
            }
        }
    }

    @Test(arguments: [nil, 30.0]) func closestPairsAreTheClosestOfAllPairs(withinKm: Double?) throws {
        var rng = SeededGenerator(seed: 17)
        var features: [String] = []
        for i in 0..<300 {
            let day = 1 + Int.random(in: 0..<28, using: &rng)
            features.append(Self.event("e\(i)", "2024-02-\(day < 10 ? "0" : "")\(day)", i % 3 == 0 ? "US" : "militia",
                                       42 + Double(Int.random(in: 0..<5, using: &rng)) * 0.2, 33))
        }
        let events = try Self.layer(features)
        func lines(_ pairs: WindowsPairs) throws -> [Feature] {
            let report = try WindowsReport(events, WindowsOptions(
                attacks: "actor_side=militia", responses: "actor_side=US", maxLag: .days(3), within: withinKm.map { .kilometers($0) },
                bothDirections: true, pairs: pairs, permutations: 0))
            var lines: [Feature] = []
            try report.forEachPairFeature { lines.append($0) }
            return lines
        }
        let all = try lines(.all)
        let expected = all.filter { $0[property: "most_recent"] == .bool(true) || $0[property: "first_response"] == .bool(true) }
        let closest = try lines(.closest)
        #expect(closest == expected)
        #expect(expected.count > 100 && expected.count < all.count, "\(expected.count) of \(all.count)")
    }

    @Test func refusesWhatCannotBePaired() throws {
        let events = try Self.layer([Self.event("a1", "2024-01-02", "militia"), Self.event("r1", nil, "US")])
        func message(_ attacks: String, _ responses: String) -> String {
            do {
                _ = try WindowsReport(events, WindowsOptions(attacks: attacks, responses: responses, maxLag: .days(7)))
                return ""
            } catch { return "\(error)" }
        }
        #expect(message("actor_side=militia", "actor_side=US") == "t.geojson: event r1 (feature 1) has no event_date")
        #expect(message("side=militia", "actor_side=US").contains("--attacks 'side=militia': no event has a field 'side'; fields: event_id, event_date, actor_side"))
        #expect(message("actor_side!=US", "event_id=a1").contains("event a1 (feature 0) matches both --attacks and --responses"))
        #expect(message("actor_side==militia", "actor_side=US").hasPrefix("--attacks: filter 'actor_side==militia'"))
        // event_type is looked for under event_type and sub_event_type; no event has either.
        #expect(message("event_type=Battles", "actor_side=US").contains("no event has a field 'event_type'"))
    }
}

@Suite struct WindowsFixtureTests {
    /// Fixtures/windows: parameters attacks, responses (filters), min_lag_days, max_lag_days,
    /// within_km, both_directions, pairs (all, closest), permutations, seed. The output is what
    /// `geo windows` writes: the events, the pair lines and the summary as the collection's
    /// `summary` member.
    @Test func fixtures() throws {
        try LayerFixtures.check("windows") { events, p in
            let options = try WindowsOptions(
                attacks: p["attacks"]?.stringValue ?? "", responses: p["responses"]?.stringValue ?? "",
                minLag: .days(p["min_lag_days"]?.numberValue ?? 0), maxLag: .days(p["max_lag_days"]?.numberValue ?? 14),
                within: p["within_km"]?.numberValue.map { Distance.kilometers($0) }, bothDirections: p["both_directions"] == .bool(true),
                pairs: p["pairs"]?.stringValue.flatMap(WindowsPairs.init(rawValue:)) ?? .all,
                permutations: Int(p["permutations"]?.numberValue ?? 0),
                seed: p["seed"]?.numberValue.map { UInt64($0) } ?? WindowsOptions.defaultSeed)
            let report = try WindowsReport(events, options)
            // The events as the command writes them (text copied where it can be) are the same bytes.
            let decodedSink = MemorySink(), outgoingSink = MemorySink()
            let decoded = GeoJSONSeqWriter(sink: decodedSink, encoder: GeoJSONEncoder(coordinateDecimals: 6))
            let outgoing = GeoJSONSeqWriter(sink: outgoingSink, encoder: GeoJSONEncoder(coordinateDecimals: 6))
            try report.forEachEventFeature { try decoded.write($0) }
            try report.forEachOutgoingEventFeature { try outgoing.write($0) }
            try decoded.finish()
            try outgoing.finish()
            #expect(outgoingSink.bytes == decodedSink.bytes && !decodedSink.bytes.isEmpty)
            let (oneAtATime, encoded) = try WindowsReportTests.writtenBothWays(report, style: nil, pairsPerBatch: 3)
            let same = WindowsReportTests.sameBytes(encoded, oneAtATime)
            #expect(same)
            var features: [Feature] = []
            try report.forEachEventFeature { features.append($0) }
            try report.forEachPairFeature { features.append($0) }
            return try LayerFixtures.collection(features, foreignMembers: ["summary": report.summary()])
        }
    }
}
