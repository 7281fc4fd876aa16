import ArgumentParser
import GeoCore
import GeoEvents
import GeoProj
import GeoTemporal

extension GeoCommand {
    /// `geo windows EVENTS --attacks F --responses F --max-lag 14d`: which response followed
    /// which attack, how fast, and whether chance alone would pair as many.
    public struct WindowsCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "windows",
            abstract: "Pair attacks with the responses that followed them within a time window, with a test against chance.",
            discussion: """
                For every response: the attacks in the window before it (minLag…maxLag earlier, \
                optionally within a geodesic distance on WGS84), the most recent of them and the lag. \
                For every attack: whether a response followed in the window and after how long.
                \(EventSelection.filterHelp)
                Dates: an event covers the span its date allows (a day; week precision: the 7 days \
                centred on the date; month precision: the calendar month; exact times: an instant). \
                Pairing rule: an attack and a response pair when the lag between them could lie in \
                the window, i.e. the interval of possible lags [response start − attack end, \
                response end − attack start] overlaps [min-lag, max-lag] (span ends exclusive). For \
                two day-dated events that means a calendar-day difference in the window rounded out \
                to whole days, the same day included when --min-lag is 0. Each pair reports the \
                nominal lag (difference of midpoints: whole days for day dates, hours for exact \
                times), lag_min/lag_max, and certain=false when only part of the lag interval is in \
                the window. The most recent attack has the latest midpoint; the first response the \
                earliest.
                Significance (event-coincidence analysis): the number of attacks followed by a \
                response is compared with the same number after re-timing every response uniformly \
                within the study period (first to last dated event of the file; day-dated responses \
                move by whole days), --permutations times with a fixed --seed; \
                p = (1 + #{permuted ≥ observed}) / (1 + permutations).
                Output: GeoJSON (default) with the selected events (role, pairing properties) and \
                one LineString per pair, attack → response, with lag and distance; the summary is \
                the collection's "summary" member. --format json writes the summary only.
                """
        )

        @Argument(help: ArgumentHelp("Events: GeoJSON / GeoJSONSeq point features with event fields; - for standard input.", valueName: "events"))
        var events: String

        @Option(help: ArgumentHelp("Which events are attacks (see FILTER).", valueName: "filter"))
        var attacks: String

        @Option(help: ArgumentHelp("Which events are responses (see FILTER).", valueName: "filter"))
        var responses: String

        @Option(help: ArgumentHelp("Longest lag from attack to response (e.g. 14d, 36h).", valueName: "duration"),
                transform: ArgumentParsers.timeSpan)
        var maxLag: TimeSpan

        @Option(help: ArgumentHelp("Shortest lag (default 0h).", valueName: "duration"), transform: ArgumentParsers.timeSpan)
        var minLag: TimeSpan = .hours(0)

        @Option(help: ArgumentHelp("Only pairs at most this far apart (geodesic, e.g. 300km).", valueName: "distance"),
                transform: ArgumentParsers.distance)
        var within: GeoCore.Distance?

        @Flag(help: "Also pair responses with the counter-attacks that followed them.")
        var bothDirections = false

        @Option(help: ArgumentHelp("Pair lines written: all (every pair in a window) or closest (each response's most recent attack and each attack's first response).", valueName: "mode"))
        var pairs: String = "all"

        @Option(help: ArgumentHelp("Random re-timings for the test against chance (0 to skip).", valueName: "n"))
        var permutations: Int = 999

        @Option(help: ArgumentHelp("Seed of the re-timings.", valueName: "n"))
        var seed: UInt64 = 20_240_128

        @OptionGroup var layerInput: LayerInputOptions
        @OptionGroup var output: OutputOptions

        public init() {}

        public func validate() throws {
            try OutputSafety.check(inputs: [events], outputs: [("-o", output.output)])
            _ = try EventSelection.filter(attacks, option: "--attacks")
            _ = try EventSelection.filter(responses, option: "--responses")
            try OptionRange.duration(minLag, "--min-lag", allowZero: true)
            try OptionRange.duration(maxLag, "--max-lag")
            guard maxLag >= minLag else { throw ValidationError("--max-lag \(maxLag) is shorter than --min-lag \(minLag)") }
            if let within { try OptionRange.distance(within, "--within") }
            guard ["all", "closest"].contains(pairs) else { throw ValidationError("unknown --pairs '\(pairs)'; use all or closest") }
            guard permutations >= 0 else { throw ValidationError("--permutations must be 0 or more, got \(permutations)") }
        }

        /// One direction of pairing: its events (layer indices) and finder.
        struct Direction {
            var name: String
            var fromRole: String
            var toRole: String
            var fromIndices: [Int]
            var toIndices: [Int]
            var windows: ResponseWindows
            var summary: WindowSummary
            var test: PermutationTest?
        }

        public func run() throws {
            let format = try output.resolvedFormat([.geojson, .json])
            let layer = try PointLayer.read(events, options: layerInput)
            let attackFilter = try EventSelection.filter(attacks, option: "--attacks")
            let responseFilter = try EventSelection.filter(responses, option: "--responses")
            try EventSelection.checkFields(of: attackFilter, option: "--attacks", in: layer)
            try EventSelection.checkFields(of: responseFilter, option: "--responses", in: layer)

            var attackIndices: [Int] = [], responseIndices: [Int] = []
            for (i, feature) in layer.features.enumerated() {
                let isAttack = attackFilter.matches { EventSelection.values(feature, $0) }
                let isResponse = responseFilter.matches { EventSelection.values(feature, $0) }
                if isAttack && isResponse {
                    throw CommandError(
                        "\(events): event \(EventSelection.label(feature, index: i)) (feature \(i)) matches both --attacks and --responses; make the filters exclusive")
                }
                guard isAttack || isResponse else { continue }
                guard layer.intervals[i] != nil else {
                    throw CommandError("\(events): event \(EventSelection.label(feature, index: i)) (feature \(i)) has no event_date")
                }
                if isAttack { attackIndices.append(i) } else { responseIndices.append(i) }
            }
            let console = Console.current
            console.printError("\(events): \(attackIndices.count) attacks, \(responseIndices.count) responses of \(layer.count) events")

            let dated = layer.intervals.compactMap { $0 }
            let studyStart = dated.map(\.startSeconds).min() ?? 0
            let studyEnd = dated.map(\.endSeconds).max() ?? 0
            let rule = WindowRule(minLagSeconds: minLag.seconds, maxLagSeconds: maxLag.seconds, withinMeters: within?.meters)
            let geodesic = Geodesic.wgs84
            func points(_ indices: [Int]) -> TimedPoints {
                TimedPoints(
                    startSeconds: indices.map { layer.intervals[$0]!.startSeconds },
                    endSeconds: indices.map { layer.intervals[$0]!.endSeconds },
                    longitudes: indices.map { layer.longitudes[$0] }, latitudes: indices.map { layer.latitudes[$0] })
            }
            func direction(_ name: String, _ fromRole: String, _ toRole: String, _ from: [Int], _ to: [Int]) -> Direction {
                let windows = ResponseWindows(attacks: points(from), responses: points(to), rule: rule) {
                    geodesic.inverseUnchecked(latitude1: $0, longitude1: $1, latitude2: $2, longitude2: $3).distanceMeters
                }
                let test = permutations > 0 && !from.isEmpty && !to.isEmpty
                    ? windows.permutationTest(studyStartSeconds: studyStart, studyEndSeconds: studyEnd, permutations: permutations, seed: seed)
                    : nil
                return Direction(name: name, fromRole: fromRole, toRole: toRole, fromIndices: from, toIndices: to,
                                 windows: windows, summary: windows.summary(), test: test)
            }
            var directions = [direction("attack→response", "attack", "response", attackIndices, responseIndices)]
            if bothDirections {
                directions.append(direction("response→counter-attack", "response", "counter-attack", responseIndices, attackIndices))
            }
            let summary = summaryJSON(directions, studyStart: studyStart, studyEnd: studyEnd)
            let sink = try console.sink(forOutput: output.output)
            if format == .json {
                var w = JSONWriter()
                w.append(summary)
                w.appendByte(UInt8(ascii: "\n"))
                try sink.write(w.bytes)
                try sink.flush()
                return
            }
            let writer = try GeoJSONStreamWriter(sink: sink, encoder: output.encoder, foreignMembers: ["summary": summary])
            try writeFeatures(layer, directions, to: writer)
            try writer.finish()
        }

        // MARK: output

        static func lagMembers(_ lag: LagInterval, prefix: String = "") -> [(String, JSONValue)] {
            var members: [(String, JSONValue)] = [
                (prefix + "lag_days", EventSelection.rounded(lag.nominalSeconds / 86_400, 4)),
                (prefix + "lag_min_days", EventSelection.rounded(lag.lowerSeconds / 86_400, 4)),
                (prefix + "lag_max_days", EventSelection.rounded(lag.upperSeconds / 86_400, 4)),
            ]
            if lag.isExact { members.append((prefix + "lag_hours", EventSelection.rounded(lag.nominalSeconds / 3600, 3))) }
            return members
        }

        func writeFeatures(_ layer: PointLayer, _ directions: [Direction], to writer: GeoJSONStreamWriter) throws {
            let forward = directions[0]
            let reverse = directions.count > 1 ? directions[1] : nil
            let label = { (i: Int) in EventSelection.label(layer.features[i], index: i) }
            // Events, in input order, with what the pairing found for each.
            var roleOf = [Int: (attack: Int?, response: Int?)]()
            for (k, i) in forward.fromIndices.enumerated() { roleOf[i] = (k, nil) }
            for (k, i) in forward.toIndices.enumerated() { roleOf[i] = (nil, k) }
            for i in 0..<layer.count {
                guard let role = roleOf[i] else { continue }
                var feature = layer.features[i]
                var p = feature.properties ?? [:]
                if let a = role.attack {
                    p["role"] = "attack"
                    let first = forward.windows.firstResponse(toAttack: a)
                    p["followed"] = .bool(first != nil)
                    if let first {
                        p["first_response_id"] = .string(label(forward.toIndices[first.response]))
                        for (k, v) in Self.lagMembers(first.lag, prefix: "response_") { p[k] = v }
                    }
                    if let reverse {
                        let last = reverse.windows.mostRecentAttack(forResponse: a)
                        p["answers_response_id"] = last.map { .string(label(reverse.fromIndices[$0.attack])) } ?? .null
                    }
                }
                if let r = role.response {
                    p["role"] = "response"
                    let inWindow = forward.windows.attacksInWindow(ofResponse: r)
                    p["window_attacks"] = .integer(Int64(inWindow.count))
                    p["window_attack_ids"] = .array(inWindow.map { .string(label(forward.fromIndices[$0])) })
                    if let last = forward.windows.mostRecentAttack(forResponse: r) {
                        p["most_recent_attack_id"] = .string(label(forward.fromIndices[last.attack]))
                        for (k, v) in Self.lagMembers(last.lag) { p[k] = v }
                        if let d = last.distanceMeters { p["distance_km"] = EventSelection.rounded(d / 1000, 3) }
                    }
                    if let reverse {
                        let counter = reverse.windows.firstResponse(toAttack: r)
                        p["countered"] = .bool(counter != nil)
                        if let counter {
                            p["counter_attack_id"] = .string(label(reverse.toIndices[counter.response]))
                            for (k, v) in Self.lagMembers(counter.lag, prefix: "counter_") { p[k] = v }
                        }
                    }
                }
                feature.properties = p
                try writer.write(feature)
            }
            // One line per pair.
            for d in directions {
                var closest = Set<[Int]>()
                if pairs == "closest" {
                    for r in 0..<d.toIndices.count { if let p = d.windows.mostRecentAttack(forResponse: r) { closest.insert([p.attack, r]) } }
                    for a in 0..<d.fromIndices.count { if let p = d.windows.firstResponse(toAttack: a) { closest.insert([a, p.response]) } }
                }
                var firstOf = [Int: Int]()  // attack → its first response
                for a in 0..<d.fromIndices.count { if let p = d.windows.firstResponse(toAttack: a) { firstOf[a] = p.response } }
                var lastOf = [Int: Int]()  // response → its most recent attack
                for r in 0..<d.toIndices.count { if let p = d.windows.mostRecentAttack(forResponse: r) { lastOf[r] = p.attack } }
                try d.windows.forEachPair { pair in
                    if pairs == "closest", !closest.contains([pair.attack, pair.response]) { return }
                    let from = d.fromIndices[pair.attack], to = d.toIndices[pair.response]
                    var p: OrderedDictionaryJSON = [
                        "role": "pair",
                        "direction": .string(d.name),
                        "\(d.fromRole == "attack" ? "attack" : "response")_id": .string(label(from)),
                        "\(d.toRole == "response" ? "response" : "counter_attack")_id": .string(label(to)),
                        "from_date": layer.features[from][property: "event_date"] ?? .null,
                        "to_date": layer.features[to][property: "event_date"] ?? .null,
                    ]
                    for (k, v) in Self.lagMembers(pair.lag) { p[k] = v }
                    p["certain"] = .bool(pair.certain)
                    if let m = pair.distanceMeters { p["distance_km"] = EventSelection.rounded(m / 1000, 3) }
                    p["most_recent"] = .bool(lastOf[pair.response] == pair.attack)
                    p["first_response"] = .bool(firstOf[pair.attack] == pair.response)
                    let line = [
                        Position(longitude: layer.longitudes[from], latitude: layer.latitudes[from]),
                        Position(longitude: layer.longitudes[to], latitude: layer.latitudes[to]),
                    ]
                    try writer.write(Feature(geometry: .lineString(line), properties: p))
                }
            }
        }

        func summaryJSON(_ directions: [Direction], studyStart: Double, studyEnd: Double) -> JSONValue {
            func quartiles(_ q: [Double]?) -> JSONValue {
                guard let q else { return .null }
                return ["q1": EventSelection.rounded(q[0] / 86_400, 4), "median": EventSelection.rounded(q[1] / 86_400, 4),
                        "q3": EventSelection.rounded(q[2] / 86_400, 4)]
            }
            func block(_ d: Direction) -> JSONValue {
                let s = d.summary
                let h = s.firstResponseLagHistogram
                var o: OrderedDictionaryJSON = [
                    "direction": .string(d.name),
                    "\(d.fromRole)s": .integer(Int64(s.attackCount)),
                    "\(d.toRole)s": .integer(Int64(s.responseCount)),
                    "pairs": s.pairCount.map { .integer(Int64($0)) } ?? .null,
                    "\(d.fromRole)s_followed": .integer(Int64(s.followedAttackCount)),
                    "share_followed": EventSelection.rounded(s.followedShare, 4),
                    "\(d.toRole)s_preceded": .integer(Int64(s.precededResponseCount)),
                    "share_preceded": EventSelection.rounded(s.precededShare, 4),
                    "uncertain_first_pairs": .integer(Int64(s.uncertainFirstResponseCount)),
                    "first_\(d.toRole)_lag_days": quartiles(s.firstResponseLagQuartilesSeconds),
                    "most_recent_\(d.fromRole)_lag_days": quartiles(s.mostRecentAttackLagQuartilesSeconds),
                    "lag_histogram": [
                        "of": .string("lag from each \(d.fromRole) to its first \(d.toRole)"),
                        "lower_days": EventSelection.rounded(h.lower / 86_400, 4),
                        "bin_days": EventSelection.rounded(h.binWidth / 86_400, 6),
                        "counts": .array(h.counts.map { .integer(Int64($0)) }),
                        "below": .integer(Int64(h.below)), "above": .integer(Int64(h.above)),
                    ],
                ]
                if let t = d.test {
                    o["permutation_test"] = [
                        "statistic": .string("\(d.fromRole)s followed by a \(d.toRole) in the window"),
                        "observed": .integer(Int64(t.observedFollowedAttacks)),
                        "mean_under_chance": EventSelection.rounded(t.meanFollowedAttacksUnderChance, 3),
                        "sd_under_chance": EventSelection.rounded(t.standardDeviationUnderChance, 3),
                        "permutations": .integer(Int64(t.permutations)),
                        "at_least_observed": .integer(Int64(t.atLeastObservedCount)),
                        "p_value": EventSelection.rounded(t.pValue, 6),
                        "seed": .integer(Int64(bitPattern: t.seed)),
                    ]
                } else {
                    o["permutation_test"] = .null
                }
                return .object(o)
            }
            var o: OrderedDictionaryJSON = [
                "attacks_filter": .string(attacks),
                "responses_filter": .string(responses),
                "min_lag": .string(minLag.seconds == 0 ? "0h" : minLag.description),
                "max_lag": .string(maxLag.description),
                "within_km": within.map { EventSelection.rounded($0.meters / 1000, 3) } ?? .null,
                "study_period": [
                    "from": .string(UTCCalendar.isoDate(daysSinceEpoch: UTCCalendar.day(containingSeconds: studyStart))),
                    "to": .string(UTCCalendar.isoDate(daysSinceEpoch: UTCCalendar.day(containingSeconds: max(studyStart, studyEnd - 1)))),
                ],
                "pairing_rule": "pair when the interval of possible lags overlaps [min_lag, max_lag]; lag_days is the difference of midpoints",
            ]
            o["forward"] = block(directions[0])
            if directions.count > 1 { o["reverse"] = block(directions[1]) }
            return .object(o)
        }
    }
}

typealias OrderedDictionaryJSON = ForeignMembers
