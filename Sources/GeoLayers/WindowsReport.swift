import Foundation
import GeoCore
import GeoEvents
import GeoProj
import GeoTemporal
import OrderedCollections

/// Which pair lines a windows report writes.
public enum WindowsPairs: String, CaseIterable, Hashable, Sendable {
    /// Every pair in a window.
    case all
    /// Only each response's most recent attack and each attack's first response.
    case closest
}

/// What `geo windows` does, for any front end: which events are attacks and which responses,
/// the window, and the test against chance.
public struct WindowsOptions: Hashable, Sendable {
    /// Which events are attacks.
    public var attacks: EventFilter
    /// Which events are responses; no event may match both filters.
    public var responses: EventFilter
    /// Shortest lag from attack to response (0 or more).
    public var minLag: TimeSpan
    /// Longest lag (at least `minLag`).
    public var maxLag: TimeSpan
    /// Only pairs at most this far apart (geodesic on WGS84); nil: any distance.
    public var within: Distance?
    /// Also pair responses with the counter-attacks that followed them.
    public var bothDirections: Bool
    /// Which pair lines `forEachPairFeature` writes.
    public var pairs: WindowsPairs
    /// Random re-timings of the test against chance; 0 skips the test.
    public var permutations: Int
    /// Seed of the re-timings.
    public var seed: UInt64

    public static let defaultPermutations = 999
    public static let defaultSeed: UInt64 = 20_240_128

    public init(attacks: EventFilter, responses: EventFilter, minLag: TimeSpan = .hours(0), maxLag: TimeSpan,
                within: Distance? = nil, bothDirections: Bool = false, pairs: WindowsPairs = .all,
                permutations: Int = WindowsOptions.defaultPermutations, seed: UInt64 = WindowsOptions.defaultSeed) {
        self.attacks = attacks
        self.responses = responses
        self.minLag = minLag
        self.maxLag = maxLag
        self.within = within
        self.bothDirections = bothDirections
        self.pairs = pairs
        self.permutations = permutations
        self.seed = seed
    }

    /// The same from filter text (`actor_side=militia & country=IQ,JO`; see `EventFilter`);
    /// a filter that does not parse is a `LayerError` naming it.
    public init(attacks: String, responses: String, minLag: TimeSpan = .hours(0), maxLag: TimeSpan,
                within: Distance? = nil, bothDirections: Bool = false, pairs: WindowsPairs = .all,
                permutations: Int = WindowsOptions.defaultPermutations, seed: UInt64 = WindowsOptions.defaultSeed) throws {
        func parse(_ text: String, _ option: String) throws -> EventFilter {
            do { return try EventFilter(parsing: text) } catch { throw LayerError("\(option): \(error.description)") }
        }
        self.init(attacks: try parse(attacks, "--attacks"), responses: try parse(responses, "--responses"), minLag: minLag,
                  maxLag: maxLag, within: within, bothDirections: bothDirections, pairs: pairs, permutations: permutations, seed: seed)
    }
}

/// The events of one role in a windows report: their layer indices (ascending), how they are
/// named (`FeatureValues.label`) and their `event_date` as written. Kept for these events only.
public struct WindowsEvents: Sendable {
    /// Indices into the event layer, in input order.
    public internal(set) var indices: [Int] = []
    /// The event id of each (`event_id`, else the feature id, else `feature N`).
    public internal(set) var labels: [String] = []
    /// The `event_date` of each as the input wrote it (null when absent).
    public internal(set) var dates: [JSONValue] = []

    public var count: Int { indices.count }

    mutating func append(_ index: Int, label: String, date: JSONValue) {
        indices.append(index)
        labels.append(label)
        dates.append(date)
    }
}

/// One direction of pairing: the events that come first (`from`), those that may follow
/// (`to`), the window finder over them, its summary and its test against chance.
public struct WindowsDirection: Sendable {
    public enum Kind: Sendable {
        /// Attacks followed by responses.
        case attackToResponse
        /// Responses followed by counter-attacks (the attacks again), with `bothDirections`.
        case responseToCounterAttack
    }

    public let kind: Kind
    public let from: WindowsEvents
    public let to: WindowsEvents
    /// Indices into `from` and `to` (not into the layer).
    public let windows: ResponseWindows
    public let summary: WindowSummary
    /// Nil with 0 permutations or when either side has no event.
    public let test: PermutationTest?
    /// For each `from` event, its first `to` event (index into `to`), −1 when none.
    public let firstFollowers: [Int]
    /// For each `to` event, its most recent `from` event (index into `from`), −1 when none.
    public let mostRecentPredecessors: [Int]

    /// `attack→response` or `response→counter-attack`.
    public var name: String { kind.name }
    /// `attack` or `response`.
    public var fromRole: String { kind == .attackToResponse ? "attack" : "response" }
    /// `response` or `counter-attack`.
    public var toRole: String { kind == .attackToResponse ? "response" : "counter-attack" }
}

/// Which response followed which attack, how fast, and whether chance alone would pair as many:
/// event-coincidence analysis of an event layer.
///
/// Selection: an event is an attack when it matches `WindowsOptions.attacks`, a response when
/// it matches `responses`; an event matching both is an error, and so is a selected event
/// without `event_date`, or a filter naming a field no event has (almost always a typo).
///
/// Dates: an event covers the span its date allows (`EventLayer.startSeconds`…`endSeconds`):
/// a day; week precision the 7 days centred on the date; month precision the calendar month;
/// an exact time an instant.
///
/// Pairing rule: an attack and a response pair when the lag between them could lie in the
/// window, i.e. the interval of possible lags [response start − attack end, response end −
/// attack start] overlaps [minLag, maxLag] (span ends exclusive), and, with `within`, they are at
/// most that far apart (geodesic, WGS84). For two day-dated events that means a calendar-day
/// difference in the window rounded out to whole days, the same day included when minLag is 0.
/// A week- or month-dated event widens the interval by its span, so it pairs when any day of
/// its span would; such a pair is `certain` only when the whole interval lies in the window.
/// Each pair reports the nominal lag (difference of midpoints: whole days for day dates, hours
/// for two exact times), the lag interval, and the geodesic distance.
///
/// Most recent and first: a response's most recent attack is the paired attack with the latest
/// midpoint, an attack's first response the paired response with the earliest midpoint (ties:
/// input order). Both prefer pairs whose nominal lag is at least minLag, so that a month-dated
/// event whose midpoint falls on the wrong side does not displace a clear pair. With
/// `WindowsPairs.closest` only those pairs are written as lines.
///
/// Significance: the number of attacks followed by a response is compared with the same number
/// after re-timing every response uniformly within the study period (the first to the last
/// dated event of the whole layer; day-, week- and month-dated responses move by whole days),
/// `permutations` times from `seed`; p = (1 + #{permuted ≥ observed}) / (1 + permutations).
/// With `bothDirections` the same is done for responses followed by counter-attacks.
public struct WindowsReport {
    public let events: EventLayer
    public let options: WindowsOptions
    public let attacks: WindowsEvents
    public let responses: WindowsEvents
    /// First and last instant of the dated events of the layer, seconds (0 when none is dated).
    public let studyStartSeconds: Double
    public let studyEndSeconds: Double
    /// Attacks followed by responses.
    public let forward: WindowsDirection
    /// Responses followed by counter-attacks, with `bothDirections`.
    public let reverse: WindowsDirection?

    public var directions: [WindowsDirection] { [forward] + (reverse.map { [$0] } ?? []) }

    /// The pairing rule in one line, as the summary states it.
    public static let pairingRule = "pair when the interval of possible lags overlaps [min_lag, max_lag]; lag_days is the difference of midpoints"

    /// `onPermutations` is told, for each direction's test against chance, its name, the
    /// re-timings counted and how many there will be (for a progress line).
    public init(_ events: EventLayer, _ options: WindowsOptions, onPermutations: ((String, Int, Int) -> Void)? = nil) throws {
        let minLag = options.minLag.seconds, maxLag = options.maxLag.seconds
        guard minLag >= 0, minLag.isFinite else { throw LayerError("--min-lag must be 0 or more, got \(options.minLag)") }
        guard maxLag >= minLag, maxLag.isFinite else {
            throw LayerError("--max-lag \(options.maxLag) is shorter than --min-lag \(options.minLag)")
        }
        if let within = options.within, !(within.meters > 0) { throw LayerError("--within must be more than 0, got \(within)") }
        guard options.permutations >= 0 else { throw LayerError("--permutations must be 0 or more, got \(options.permutations)") }
        self.events = events
        self.options = options
        var start = Double.infinity, end = -Double.infinity
        for i in 0..<events.count where events.isDated(i) {
            start = min(start, events.startSeconds[i])
            end = max(end, events.endSeconds[i])
        }
        let studyStart = start.isFinite ? start : 0, studyEnd = end.isFinite ? end : 0
        studyStartSeconds = studyStart
        studyEndSeconds = studyEnd

        let rule = WindowRule(minLagSeconds: minLag, maxLagSeconds: maxLag, withinMeters: options.within?.meters)
        func direction(_ kind: WindowsDirection.Kind, _ from: WindowsEvents, _ to: WindowsEvents) -> WindowsDirection {
            func points(_ e: WindowsEvents) -> TimedPoints {
                TimedPoints(startSeconds: e.indices.map { events.startSeconds[$0] }, endSeconds: e.indices.map { events.endSeconds[$0] },
                            longitudes: e.indices.map { events.longitudes[$0] }, latitudes: e.indices.map { events.latitudes[$0] })
            }
            let geodesic = Geodesic.wgs84
            let windows = ResponseWindows(attacks: points(from), responses: points(to), rule: rule) {
                geodesic.distanceMetersUnchecked(latitude1: $0, longitude1: $1, latitude2: $2, longitude2: $3)
            }
            let test = options.permutations > 0 && from.count > 0 && to.count > 0
                ? windows.permutationTest(studyStartSeconds: studyStart, studyEndSeconds: studyEnd,
                                          permutations: options.permutations, seed: options.seed,
                                          progress: onPermutations.map { tell in { tell(kind.name, $0, options.permutations) } })
                : nil
            let first = windows.firstResponseIndices(), (mostRecent, windowCounts) = windows.mostRecentAttacksAndWindowCounts()
            return WindowsDirection(kind: kind, from: from, to: to, windows: windows,
                                    summary: windows.summary(firstResponses: first, mostRecentAttacks: mostRecent, windowCounts: windowCounts),
                                    test: test,
                                    firstFollowers: first, mostRecentPredecessors: mostRecent)
        }
        let (attacks, responses) = try Self.select(events, options)
        self.attacks = attacks
        self.responses = responses
        forward = direction(.attackToResponse, attacks, responses)
        reverse = options.bothDirections ? direction(.responseToCounterAttack, responses, attacks) : nil
    }

    /// One pass over the layer's values (plain GeoJSON features are not decoded whole): the
    /// attacks and responses, with their labels and dates only. A selected event without an
    /// `event_id`, and the first one refused, are then looked up whole for their labels.
    static func select(_ events: EventLayer, _ options: WindowsOptions) throws -> (WindowsEvents, WindowsEvents) {
        let filters = [(options.attacks, "--attacks"), (options.responses, "--responses")]
        // The properties read: what the filters search, then the id and the date.
        var names: [String] = []
        for (filter, _) in filters {
            for field in filter.fields { for name in EventFilter.fieldsSearched(by: field) where !names.contains(name) { names.append(name) } }
        }
        let idSlot = names.firstIndex(of: "event_id") ?? { names.append("event_id"); return names.count - 1 }()
        let dateName = EventField.eventDate.rawValue
        let dateSlot = names.firstIndex(of: dateName) ?? { names.append(dateName); return names.count - 1 }()
        // Each filter field and the slots of the names it may be found under, until one is seen.
        var unseen = filters.flatMap { filter, option in
            filter.fields.map { (filter: filter, option: option, field: $0, slots: EventFilter.fieldsSearched(by: $0).map { names.firstIndex(of: $0)! }) }
        }
        var attacks = WindowsEvents(), responses = WindowsEvents()
        var unlabelled: [(isAttack: Bool, slot: Int)] = []  // selected events without an event_id
        var problem: (index: Int, bothMatch: Bool)?
        // Each event's roles, label and date worked out on the threads that read its values.
        try events.forEachValue(of: names, mapping: { _, values in
            func texts(_ field: String) -> [String] {
                guard let k = names.firstIndex(of: field), let value = values[k] else { return [] }
                return FeatureValues.texts(value) ?? []
            }
            var selected = SelectedEvent(values: values, isAttack: options.attacks.matches(texts), isResponse: options.responses.matches(texts))
            if selected.isAttack || selected.isResponse {
                selected.label = values[idSlot].flatMap(FeatureValues.texts)?.first.flatMap { $0.isEmpty ? nil : $0 }
                selected.date = values[dateSlot] ?? .null
            }
            return selected
        }) { i, selected in
            if !unseen.isEmpty { unseen.removeAll { $0.slots.contains(where: selected.has) } }
            guard problem == nil else { return }
            let (isAttack, isResponse) = (selected.isAttack, selected.isResponse)
            guard isAttack || isResponse else { return }
            guard !(isAttack && isResponse), events.isDated(i) else {
                problem = (i, isAttack && isResponse)
                return
            }
            let label = selected.label
            if label == nil { unlabelled.append((isAttack, isAttack ? attacks.count : responses.count)) }
            if isAttack {
                attacks.append(i, label: label ?? "", date: selected.date)
            } else {
                responses.append(i, label: label ?? "", date: selected.date)
            }
        }
        let source = events.sourceName
        if let missing = unseen.first, events.count > 0 {
            // The fields of the first 50 features, for the message.
            var known: [String] = []
            for (_, feature) in try events.features(at: 0..<min(50, events.count)).sorted(by: { $0.key < $1.key }) {
                for key in feature.properties?.keys ?? [] where !known.contains(key) { known.append(key) }
            }
            throw LayerError("\(source): \(missing.option) '\(missing.filter.text)': no event has a field '\(missing.field)'; fields: \(known.joined(separator: ", "))")
        }
        if let (i, bothMatch) = problem {
            let label = try events.features(at: [i])[i].map { FeatureValues.label($0, index: i) } ?? "feature \(i)"
            throw LayerError(bothMatch
                ? "\(source): event \(label) (feature \(i)) matches both --attacks and --responses; make the filters exclusive"
                : "\(source): event \(label) (feature \(i)) has no event_date")
        }
        if !unlabelled.isEmpty {
            let indices = unlabelled.map { $0.isAttack ? attacks.indices[$0.slot] : responses.indices[$0.slot] }
            let features = try events.features(at: indices)
            for ((isAttack, slot), i) in zip(unlabelled, indices) {
                let label = features[i].map { FeatureValues.label($0, index: i) } ?? "feature \(i)"
                if isAttack { attacks.labels[slot] = label } else { responses.labels[slot] = label }
            }
        }
        return (attacks, responses)
    }

    /// What `select` keeps of one event's values: which of them it has, its roles and, when it
    /// has one, its label (nil: no `event_id`) and date.
    struct SelectedEvent {
        /// Slots 0…63 present (a bit each); the values themselves past 64 names.
        private let present: UInt64, values: [JSONValue?]?
        let isAttack: Bool, isResponse: Bool
        var label: String?
        var date: JSONValue = .null

        init(values: [JSONValue?], isAttack: Bool, isResponse: Bool) {
            var present: UInt64 = 0
            for k in values.indices.prefix(64) where values[k] != nil { present |= 1 << UInt64(k) }
            self.present = present
            self.values = values.count > 64 ? values : nil
            (self.isAttack, self.isResponse) = (isAttack, isResponse)
        }

        /// Whether the event has a value in slot `k`.
        func has(_ k: Int) -> Bool { k < 64 ? present & (1 << UInt64(k)) != 0 : values![k] != nil }
    }

    // MARK: Features

    /// The `layer` of the selected events in the output.
    public static let eventsLayer = "events"
    /// The `layer` of the pair lines.
    public static let pairsLayer = "pairs"

    static func lagMembers(_ lag: LagInterval, prefix: String = "") -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            (prefix + "lag_days", Format.rounded(lag.nominalSeconds / 86_400, 4)),
            (prefix + "lag_min_days", Format.rounded(lag.lowerSeconds / 86_400, 4)),
            (prefix + "lag_max_days", Format.rounded(lag.upperSeconds / 86_400, 4)),
        ]
        if lag.isExact { members.append((prefix + "lag_hours", Format.rounded(lag.nominalSeconds / 3600, 3))) }
        return members
    }

    /// The attacks and responses in input order, with their properties and, first added,
    /// `layer: events` and `role` (attack or response); then for an attack `followed`,
    /// `first_response_id` and `response_lag_days`/`_min_days`/`_max_days` (`_hours` when
    /// exact), with both directions `answers_response_id` (the response it most recently
    /// followed); for a response `window_attacks`, `window_attack_ids` (most recent first),
    /// `most_recent_attack_id`, `lag_days`…, `distance_km`, with both directions `countered`,
    /// `counter_attack_id` and `counter_lag_days`…. Other events are not written.
    public func forEachEventFeature(_ body: (Feature) throws -> Void) throws {
        let windows = WindowAttackLists(forward)
        try events.forEachStampedFeature { i, feature in
            guard let added = addedProperties(i, attacksInWindow: windows.attacks(inWindowOf:)) else { return }
            var feature = feature
            var p = feature.properties ?? [:]
            for (name, value) in added { p[name] = value }
            feature.properties = p
            try body(feature)
        }
    }

    /// The same features on their way out (`EventLayer.forEachOutgoingFeature`): a plain
    /// input feature's text copied, the properties above written after it.
    public func forEachOutgoingEventFeature(_ body: (OutgoingFeature) throws -> Void) throws {
        let windows = WindowAttackLists(forward)
        try events.forEachOutgoingFeature(selecting: { addedProperties($0, attacksInWindow: windows.attacks(inWindowOf:)) }, body)
    }

    /// The same features encoded on all cores in batches (`EventLayer.encodeOutgoingFeatures`),
    /// handed to `deliver` in input order: the bytes `forEachOutgoingEventFeature` writes. Each
    /// response's window is searched where its feature is made. `style` runs on several
    /// threads at once.
    public func encodeOutgoingEventFeatures(
        sequence: Bool, encoder: GeoJSONEncoder, style: ((OutgoingFeature) -> OutgoingFeature)?,
        deliver: (EncodedFeatures) throws -> Void
    ) throws {
        let batchBytes = events.outgoingBatchBytes
        try events.encodeOutgoingFeatures(
            selecting: { addedProperties($0, attacksInWindow: nil) },
            makeBatch: { EncodedFeatures(sequence: sequence, encoder: encoder, reservingCapacity: batchBytes) },
            encode: { feature, batch in batch.append(style?(feature) ?? feature) }, deliver: deliver)
    }

    /// The attacks in each forward response's window, worked out on all cores a block of
    /// responses at a time (`ResponseWindows.attacksInWindows`, sized as `forEachPair` sizes
    /// them) from the first response asked for outside the block before: the events are asked
    /// for in input order, so each window once. One thread's.
    final class WindowAttackLists {
        private let direction: WindowsDirection
        /// The most responses searched at once, and the next block's.
        private let largest: Int
        private var size: Int
        private var first = 0, lists: [[Int]] = []

        init(_ direction: WindowsDirection, block: Int = ResponseWindows.windowBlock) {
            self.direction = direction
            largest = max(1, block)
            size = ResponseWindows.firstBlockSize(largest)
        }

        /// `attacksInWindow(ofResponse: r)`.
        func attacks(inWindowOf r: Int) -> [Int] {
            if !(first..<(first + lists.count)).contains(r) {
                first = r
                let block = first..<min(direction.windows.responses.count, first + size)
                lists = direction.windows.attacksInWindows(ofResponses: block, mostRecentAttacks: direction.mostRecentPredecessors)
                size = ResponseWindows.nextBlockSize(after: size, found: lists.reduce(0) { $0 + $1.count }, largest: largest)
            }
            return lists[r - first]
        }
    }

    /// The properties `forEachEventFeature` sets on event `i`, in order, the attacks in a
    /// forward response's window given by `attacksInWindow` (asked only for a response with a
    /// most recent attack; nil: searched here); nil for an event that is neither an attack nor
    /// a response.
    private func addedProperties(_ i: Int, attacksInWindow: ((Int) -> [Int])?) -> [(String, JSONValue)]? {
        let a = Self.slot(of: i, in: attacks.indices), r = Self.slot(of: i, in: responses.indices)
        guard a != nil || r != nil else { return nil }
        var p = OrderedDictionary<String, JSONValue>()
        p[EventLayer.layerProperty] = .string(Self.eventsLayer)
        if let a {
            p["role"] = "attack"
            let first = forward.firstFollowers[a]
            p["followed"] = .bool(first >= 0)
            if first >= 0 {
                p["first_response_id"] = .string(responses.labels[first])
                for (k, v) in Self.lagMembers(forward.windows.lag(attack: a, response: first), prefix: "response_") { p[k] = v }
            }
            if let reverse {
                let last = reverse.mostRecentPredecessors[a]
                p["answers_response_id"] = last >= 0 ? .string(responses.labels[last]) : .null
            }
        }
        if let r {
            p["role"] = "response"
            // Only a response with a most recent attack has attacks in its window.
            let last = forward.mostRecentPredecessors[r]
            let inWindow = last < 0 ? [] : attacksInWindow?(r) ?? forward.windows.attacksInWindow(ofResponse: r)
            p["window_attacks"] = .integer(Int64(inWindow.count))
            p["window_attack_ids"] = .array(inWindow.map { .string(attacks.labels[$0]) })
            if last >= 0 {
                let pair = forward.windows.pair(attack: last, response: r)
                p["most_recent_attack_id"] = .string(attacks.labels[last])
                for (k, v) in Self.lagMembers(pair.lag) { p[k] = v }
                if let d = pair.distanceMeters { p["distance_km"] = Format.rounded(d / 1000, 3) }
            }
            if let reverse {
                let counter = reverse.firstFollowers[r]
                p["countered"] = .bool(counter >= 0)
                if counter >= 0 {
                    p["counter_attack_id"] = .string(attacks.labels[counter])
                    for (k, v) in Self.lagMembers(reverse.windows.lag(attack: r, response: counter), prefix: "counter_") { p[k] = v }
                }
            }
        }
        return p.map { ($0.key, $0.value) }
    }

    /// The place of layer index `i` in ascending `indices`, nil when it is not there.
    private static func slot(of i: Int, in indices: [Int]) -> Int? {
        var (low, high) = (0, indices.count)
        while low < high {
            let mid = (low + high) / 2
            if indices[mid] < i { low = mid + 1 } else { high = mid }
        }
        return low < indices.count && indices[low] == i ? low : nil
    }

    /// One LineString per pair, from the earlier event to the later, forward direction first,
    /// responses in input order and each response's attacks most recent first: `layer: pairs`,
    /// `role: pair`, `direction`, the two ids (`attack_id`/`response_id`, or
    /// `response_id`/`counter_attack_id`), `from_date`/`to_date` as written, the lags,
    /// `certain`, `distance_km`, and whether the pair is the response's `most_recent` attack and
    /// the attack's `first_response`. With `WindowsPairs.closest` only pairs that are one or
    /// the other.
    public func forEachPairFeature(_ body: (Feature) throws -> Void) throws {
        for d in directions {
            try forEachPairIndex(d) { a, r in
                if let feature = pairFeature(d, attack: a, response: r) { try body(feature) }
            }
        }
    }

    /// The collection's members as `geo windows` writes them: the events, then the pair lines,
    /// styled by `style` (`encodeOutgoingEventFeatures`, `encodePairFeatures`).
    public func encodeFeatures(encoder: GeoJSONEncoder, style: SimpleStyle?, pairsPerBatch: Int = 2_048,
                               deliver: (EncodedFeatures) throws -> Void) throws {
        try encodeOutgoingEventFeatures(sequence: false, encoder: encoder, style: style.map { s in { s.apply($0) } }, deliver: deliver)
        try encodePairFeatures(sequence: false, encoder: encoder, style: style.map { s in { s.apply($0) } }, pairsPerBatch: pairsPerBatch,
                               deliver: deliver)
    }

    /// The same features encoded on all cores, `pairsPerBatch` to a batch, and handed to
    /// `deliver` in order: the bytes `forEachPairFeature` writes. The pairs are found in order
    /// on this thread (each block of windows searched on all cores); their lags, distances and
    /// features are made on all cores, `4 × cores` batches at a time. `style` runs on several
    /// threads at once.
    public func encodePairFeatures(
        sequence: Bool, encoder: GeoJSONEncoder, style: ((Feature) -> Feature)?, pairsPerBatch: Int = 2_048,
        deliver: (EncodedFeatures) throws -> Void
    ) throws {
        let perBatch = max(1, pairsPerBatch)
        let roundPairs = 4 * ProcessInfo.processInfo.activeProcessorCount * perBatch
        let styled = style != nil
        try withoutActuallyEscaping(style ?? { $0 }) { style in
            for d in directions {
                var pending: [(attack: Int, response: Int)] = []
                pending.reserveCapacity(roundPairs)
                func flush() throws {
                    let work = PairEncoding(report: self, direction: d, pairs: pending, perBatch: perBatch, sequence: sequence,
                                            encoder: encoder, style: style, styled: styled)
                    for batch in work.batches() { try deliver(batch) }
                    pending.removeAll(keepingCapacity: true)
                }
                try forEachPairIndex(d) { a, r in
                    pending.append((a, r))
                    if pending.count == roundPairs { try flush() }
                }
                if !pending.isEmpty { try flush() }
            }
        }
    }

    /// One round of `encodePairFeatures`: its pairs made into batches of features on all cores.
    private struct PairEncoding: @unchecked Sendable {
        let report: WindowsReport
        let direction: WindowsDirection
        let pairs: [(attack: Int, response: Int)]
        let perBatch: Int
        let sequence: Bool
        let encoder: GeoJSONEncoder
        let style: (Feature) -> Feature
        let styled: Bool

        /// The batches, in order.
        func batches() -> [EncodedFeatures] {
            let count = (pairs.count + perBatch - 1) / perBatch
            let made = UnsafeMutableBufferPointer<EncodedFeatures?>.allocate(capacity: count)
            made.initialize(repeating: nil)
            defer {
                _ = made.deinitialize()
                made.deallocate()
            }
            let slots = SendableSlots(slots: made)
            let encodeOne: @Sendable (Int) -> Void = { j in slots.slots[j] = self.batch(j) }
            if count == 1 { encodeOne(0) } else { DispatchQueue.concurrentPerform(iterations: count, execute: encodeOne) }
            return made.map { $0! }
        }

        /// Batch `j`: pairs `j × perBatch` onwards; unstyled, written as text
        /// (`appendPairFeature`), not made as features.
        private func batch(_ j: Int) -> EncodedFeatures {
            let range = (j * perBatch)..<min(pairs.count, (j + 1) * perBatch)
            var batch = EncodedFeatures(sequence: sequence, encoder: encoder, reservingCapacity: range.count * 512)
            for (a, r) in pairs[range] {
                if styled {
                    guard let feature = report.pairFeature(direction, attack: a, response: r) else { continue }
                    batch.append(.feature(style(feature)))
                } else {
                    report.appendPairFeature(direction, attack: a, response: r, to: &batch)
                }
            }
            return batch
        }
    }

    /// Slots that the threads of `PairEncoding.batches` write, each its own.
    private struct SendableSlots: @unchecked Sendable {
        let slots: UnsafeMutableBufferPointer<EncodedFeatures?>
    }

    /// The pairs `forEachPairFeature` writes in direction `d`, in its order, as (index into
    /// `d.from`, index into `d.to`).
    private func forEachPairIndex(_ d: WindowsDirection, _ body: (Int, Int) throws -> Void) throws {
        if options.pairs == .closest {
            try Self.forEachClosestPairIndex(d, body)
        } else {
            try d.windows.forEachPairIndex(mostRecentAttacks: d.mostRecentPredecessors, body)
        }
    }

    /// The line of pair (`a`, `r`) of direction `d` as `forEachPairFeature` writes it; nil
    /// with `WindowsPairs.closest` when it is neither the response's most recent attack nor
    /// the attack's first response. Reads only (any thread).
    func pairFeature(_ d: WindowsDirection, attack a: Int, response r: Int) -> Feature? {
        let mostRecent = d.mostRecentPredecessors[r] == a
        let firstResponse = d.firstFollowers[a] == r
        if options.pairs == .closest, !mostRecent, !firstResponse { return nil }
        let pair = d.windows.pair(attack: a, response: r)
        let from = d.from.indices[a], to = d.to.indices[r]
        var p: OrderedDictionary<String, JSONValue> = [
            EventLayer.layerProperty: .string(Self.pairsLayer),
            "role": "pair",
            "direction": .string(d.name),
            (d.kind == .attackToResponse ? "attack_id" : "response_id"): .string(d.from.labels[a]),
            (d.kind == .attackToResponse ? "response_id" : "counter_attack_id"): .string(d.to.labels[r]),
            "from_date": d.from.dates[a],
            "to_date": d.to.dates[r],
        ]
        for (k, v) in Self.lagMembers(pair.lag) { p[k] = v }
        p["certain"] = .bool(pair.certain)
        if let m = pair.distanceMeters { p["distance_km"] = Format.rounded(m / 1000, 3) }
        p["most_recent"] = .bool(mostRecent)
        p["first_response"] = .bool(firstResponse)
        let line = [
            Position(longitude: events.longitudes[from], latitude: events.latitudes[from]),
            Position(longitude: events.longitudes[to], latitude: events.latitudes[to]),
        ]
        return Feature(geometry: .lineString(line), properties: p)
    }

    /// The bytes the encoder writes for `pairFeature(d, attack: a, response: r)`, added to
    /// `batch` (nothing when that is nil), written from the pair's values: no dictionary or
    /// feature made. Reads only (any thread).
    func appendPairFeature(_ d: WindowsDirection, attack a: Int, response r: Int, to batch: inout EncodedFeatures) {
        let mostRecent = d.mostRecentPredecessors[r] == a
        let firstResponse = d.firstFollowers[a] == r
        if options.pairs == .closest, !mostRecent, !firstResponse { return }
        let pair = d.windows.pair(attack: a, response: r)
        let from = d.from.indices[a], to = d.to.indices[r]
        let ends = [Position(longitude: events.longitudes[from], latitude: events.latitudes[from]),
                    Position(longitude: events.longitudes[to], latitude: events.latitudes[to])]
        batch.appendText(positions: ends) { encoder, w in
            encoder.appendTwoPointLineFeatureHead(ends[0], ends[1], to: &w)
            w.appendRaw("{\"layer\":\"pairs\",\"role\":\"pair\",\"direction\":")
            w.appendString(d.name)
            w.appendRaw(d.kind == .attackToResponse ? ",\"attack_id\":" : ",\"response_id\":")
            w.appendString(d.from.labels[a])
            w.appendRaw(d.kind == .attackToResponse ? ",\"response_id\":" : ",\"counter_attack_id\":")
            w.appendString(d.to.labels[r])
            w.appendRaw(",\"from_date\":")
            w.append(d.from.dates[a])
            w.appendRaw(",\"to_date\":")
            w.append(d.to.dates[r])
            for (name, value) in Self.lagMembers(pair.lag) {
                w.appendByte(UInt8(ascii: ","))
                w.appendString(name)
                w.appendByte(UInt8(ascii: ":"))
                w.append(value)
            }
            w.appendRaw(pair.certain ? ",\"certain\":true" : ",\"certain\":false")
            if let m = pair.distanceMeters {
                w.appendRaw(",\"distance_km\":")
                w.append(Format.rounded(m / 1000, 3))
            }
            w.appendRaw(mostRecent ? ",\"most_recent\":true" : ",\"most_recent\":false")
            w.appendRaw(firstResponse ? ",\"first_response\":true}}" : ",\"first_response\":false}}")
        }
    }

    /// The pairs (attack, response) of each response with its most recent attack and with the
    /// attacks it first followed, as `ResponseWindows.forEachPair` orders them (responses in
    /// input order, each one's attacks most recent first), from the direction's arrays: no
    /// other pair is visited.
    static func forEachClosestPairIndex(_ d: WindowsDirection, _ body: (_ attack: Int, _ response: Int) throws -> Void) rethrows {
        var firstOf = [[Int]](repeating: [], count: d.to.count)  // the attacks each response first followed
        for (a, r) in d.firstFollowers.enumerated() where r >= 0 { firstOf[r].append(a) }
        let attacks = d.windows.attacks
        for r in 0..<d.to.count {
            var closest = firstOf[r]
            let last = d.mostRecentPredecessors[r]
            if last >= 0, !closest.contains(last) { closest.append(last) }
            closest.sort { (attacks.midpointSeconds($0), -$0) > (attacks.midpointSeconds($1), -$1) }
            for a in closest { try body(a, r) }
        }
    }

    // MARK: Summary

    /// The report as JSON: the filters, window and study period, and per direction (`forward`,
    /// with both directions `reverse`) the counts, shares, lag quartiles (days), a histogram of
    /// the lags to the first follower and the permutation test (null when skipped).
    public func summary() -> JSONValue {
        var o: OrderedDictionary<String, JSONValue> = [
            "attacks_filter": .string(options.attacks.text),
            "responses_filter": .string(options.responses.text),
            "min_lag": .string(options.minLag.seconds == 0 ? "0h" : options.minLag.description),
            "max_lag": .string(options.maxLag.description),
            "within_km": options.within.map { Format.rounded($0.meters / 1000, 3) } ?? .null,
            "study_period": [
                "from": .string(UTCCalendar.isoDate(daysSinceEpoch: UTCCalendar.day(containingSeconds: studyStartSeconds))),
                "to": .string(UTCCalendar.isoDate(daysSinceEpoch: UTCCalendar.day(
                    containingSeconds: max(studyStartSeconds, studyEndSeconds - 1)))),
            ],
            "pairing_rule": .string(Self.pairingRule),
        ]
        o["forward"] = Self.summary(of: forward)
        if let reverse { o["reverse"] = Self.summary(of: reverse) }
        return .object(o)
    }

    static func summary(of d: WindowsDirection) -> JSONValue {
        func quartiles(_ q: [Double]?) -> JSONValue {
            guard let q else { return .null }
            return ["q1": Format.rounded(q[0] / 86_400, 4), "median": Format.rounded(q[1] / 86_400, 4), "q3": Format.rounded(q[2] / 86_400, 4)]
        }
        let s = d.summary
        let h = s.firstResponseLagHistogram
        var o: OrderedDictionary<String, JSONValue> = [
            "direction": .string(d.name),
            "\(d.fromRole)s": .integer(Int64(s.attackCount)),
            "\(d.toRole)s": .integer(Int64(s.responseCount)),
            "pairs": s.pairCount.map { .integer(Int64($0)) } ?? .null,
            "\(d.fromRole)s_followed": .integer(Int64(s.followedAttackCount)),
            "share_followed": Format.rounded(s.followedShare, 4),
            "\(d.toRole)s_preceded": .integer(Int64(s.precededResponseCount)),
            "share_preceded": Format.rounded(s.precededShare, 4),
            "uncertain_first_pairs": .integer(Int64(s.uncertainFirstResponseCount)),
            "first_\(d.toRole)_lag_days": quartiles(s.firstResponseLagQuartilesSeconds),
            "most_recent_\(d.fromRole)_lag_days": quartiles(s.mostRecentAttackLagQuartilesSeconds),
            "lag_histogram": [
                "of": .string("lag from each \(d.fromRole) to its first \(d.toRole)"),
                "lower_days": Format.rounded(h.lower / 86_400, 4),
                "bin_days": Format.rounded(h.binWidth / 86_400, 6),
                "counts": .array(h.counts.map { .integer(Int64($0)) }),
                "below": .integer(Int64(h.below)), "above": .integer(Int64(h.above)),
            ],
        ]
        if let t = d.test {
            o["permutation_test"] = [
                "statistic": .string("\(d.fromRole)s followed by a \(d.toRole) in the window"),
                "observed": .integer(Int64(t.observedFollowedAttacks)),
                "mean_under_chance": Format.rounded(t.meanFollowedAttacksUnderChance, 3),
                "sd_under_chance": Format.rounded(t.standardDeviationUnderChance, 3),
                "permutations": .integer(Int64(t.permutations)),
                "at_least_observed": .integer(Int64(t.atLeastObservedCount)),
                "p_value": Format.rounded(t.pValue, 6),
                "seed": .integer(Int64(bitPattern: t.seed)),
            ]
        } else {
            o["permutation_test"] = .null
        }
        return .object(o)
    }
}

extension WindowsDirection.Kind {
    /// `attack→response` or `response→counter-attack`.
    public var name: String { self == .attackToResponse ? "attack→response" : "response→counter-attack" }
}
