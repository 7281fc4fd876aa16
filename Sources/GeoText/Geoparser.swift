import Foundation
import GeoCore
import GeoGazetteer
import GeoProj

/// Finds every place a report names and resolves it in context, offline, over a `Gazetteer`.
///
/// Recognition: the text is cut once into words (offsets in Unicode scalars); at each word
/// that can start a name, the longest run of up to seven words whose normalised key
/// (`NameNormalizer`, so "Boukamal", "Albu Kamal", "Al-Bukamal" and "البوكمال" agree) is a
/// gazetteer key is taken, then weighed: capitalisation away from a sentence start, a
/// preposition before it, a kind word ("air base", "province", "the town of"), a known
/// spelling, several words, a curated entry for; a stop word, a common English word without
/// evidence, an acronym, a person title or an organisation word against. Demonyms ("Iraqi",
/// "Syrian") become country evidence. Relative phrases ("20 km east of X", "near X", "eastern
/// Syria"), borders ("the Iraq–Syria border"), datelines and speaker locations are read around
/// the names.
///
/// Resolution, in order of evidence: the kind word; the document's country and province focus
/// (countries named, demonyms, the dateline, unambiguous places, `countryHints`), as in CLIFF's
/// co-location passes; proximity to the other places; population; match quality. The same name
/// means the same place throughout a document (one sense per discourse) unless its kind word
/// differs.
///
/// Immutable and `Sendable`: one instance serves every thread.
public final class Geoparser: Sendable {
    public let gazetteer: Gazetteer
    let lexicon: Lexicon
    /// Country code → its country entry number.
    let countryEntries: [String: Int32]
    /// Country code → points that stand for its regions: its governorates' capitals when the
    /// gazetteer has at least three, else its 20 most populous places.
    let regionPoints: [String: [Position]]

    public init(gazetteer: Gazetteer) {
        self.gazetteer = gazetteer
        lexicon = Lexicon.shared
        var countries: [String: Int32] = [:]
        for (i, e) in gazetteer.entries.enumerated() where e.kind == .country && countries[e.country] == nil { countries[e.country] = Int32(i) }
        countryEntries = countries
        var provinces: [String: [Position]] = [:]
        var towns: [String: [(Int, Position)]] = [:]
        for e in gazetteer.entries {
            if e.kind == .province { provinces[e.country, default: []].append(e.position) }
            if e.kind == .place, e.population > 0 { towns[e.country, default: []].append((e.population, e.position)) }
        }
        var points: [String: [Position]] = [:]
        for (code, list) in towns { points[code] = list.sorted { $0.0 > $1.0 }.prefix(20).map(\.1) }
        for (code, list) in provinces where Set(list.map { "\($0.latitude),\($0.longitude)" }).count >= 3 { points[code] = list }
        regionPoints = points
    }

    /// The point that stands for a region of a country ("eastern Syria"): among its region
    /// points, the one furthest in that direction from their mean (distance × cos² of the angle
    /// off the direction); for "central", the one nearest the mean.
    func regionAnchor(country: String, azimuth: Double?) -> Position? {
        guard let points = regionPoints[country], !points.isEmpty else { return nil }
        let lat = points.map(\.latitude).reduce(0, +) / Double(points.count)
        let lon = points.map(\.longitude).reduce(0, +) / Double(points.count)
        let centre = Position(longitude: lon, latitude: lat)
        var best: (Position, Double)?
        for p in points {
            let inverse = Geodesic.wgs84.inverseUnchecked(latitude1: lat, longitude1: lon, latitude2: p.latitude, longitude2: p.longitude)
            let value: Double
            if let azimuth {
                let off = (inverse.azimuth1Degrees - azimuth) * .pi / 180
                value = cos(off) > 0 ? inverse.distanceMeters * cos(off) * cos(off) : -1
            } else {
                value = -inverse.distanceMeters
            }
            if best == nil || value > best!.1 { best = (p, value) }
        }
        _ = centre
        return best?.0
    }

    /// Geoparses bytes (UTF-8; see `TextInput.decode` for what is refused).
    public func parse(bytes: [UInt8], options: GeoparseOptions = GeoparseOptions()) throws -> GeoparseResult {
        let (text, warnings) = try TextInput.decode(bytes)
        var result = parse(text, options: options)
        result.warnings = warnings + result.warnings
        return result
    }

    /// Geoparses a text.
    public func parse(_ text: String, options: GeoparseOptions = GeoparseOptions()) -> GeoparseResult {
        parse(scalarSequence: text.unicodeScalars, count: text.utf8.count, options: options)
    }

    /// Geoparses a text given as its Unicode scalars (`Array(text.unicodeScalars)`, which a
    /// caller may hold already): the same result as `parse(text)`.
    public func parse(scalars: [Unicode.Scalar], options: GeoparseOptions = GeoparseOptions()) -> GeoparseResult {
        parse(scalarSequence: scalars, count: scalars.count, options: options)
    }

    /// `parse` over the text's scalars (`count`: about how many, for the first window's capacity).
    func parse(scalarSequence: some Sequence<Unicode.Scalar>, count: Int, options: GeoparseOptions) -> GeoparseResult {
        var spans: [Span] = []
        var borders: [BorderPhrase] = []
        var demonyms: [String: Double] = [:]
        var window: [UInt32] = []
        window.reserveCapacity(min(options.windowScalars, count) + 16)
        var base = 0
        var first = true
        func process(_ upTo: Int) {
            window.withUnsafeBufferPointer { all in
                let part = UnsafeBufferPointer(rebasing: all[0..<upTo])
                var recognizer = Recognizer(gazetteer: gazetteer, lexicon: lexicon, scalars: part, offset: base, isDocumentStart: first,
                                            explain: options.explain)
                recognizer.run()
                spans += recognizer.spans
                borders += recognizer.borders
                for (code, n) in recognizer.demonyms { demonyms[code, default: 0] += n }
            }
            first = false
            base += upTo
            window.removeFirst(upTo)
        }
        for scalar in scalarSequence {
            window.append(scalar.value)
            if window.count >= options.windowScalars {
                process(Self.cut(window))
            }
        }
        if !window.isEmpty { process(window.count) }
        return resolve(spans: spans, borders: borders, demonyms: demonyms, options: options)
    }

    /// Where to cut a full window: after the last line end in its last quarter, else after the
    /// last sentence end, else after the last space, else anywhere.
    static func cut(_ window: [UInt32]) -> Int {
        let lower = window.count * 3 / 4
        if let i = window[lower...].lastIndex(of: 0x0A) { return i + 1 }
        for i in stride(from: window.count - 2, through: lower, by: -1) where window[i] == 0x2E && window[i + 1] == 0x20 { return i + 2 }
        if let i = window[lower...].lastIndex(where: { $0 == 0x20 || $0 == 0x09 }) { return i + 1 }
        return window.count
    }

    // MARK: resolution

    /// Scored candidates of one name (all mentions with the same key and kind words).
    struct Group {
        var key: [UInt8]
        var kinds: Set<PlaceKind>
        var ids: [Int32]
        var exact: Set<Int32>
        var members: [Int]
        var forcedCountry: String?
        var scored: [(id: Int32, score: Double)] = []
        /// Why the best candidate scored as it did.
        var notes: [String] = []
        /// Runners-up, different places on the ground.
        var alternatives: [MentionCandidate] = []
        var best: Int32? { scored.first?.id }
    }

    /// A province of a country (its gazetteer `admin1` code), without making a string of the pair.
    struct AdminKey: Hashable {
        var country: String
        var admin1: String
    }

    struct Focus {
        var countries: [String: Double] = [:] { didSet { topCountry = countries.values.max() ?? 0 } }
        var admins: [AdminKey: Double] = [:] { didSet { topAdmin = admins.values.max() ?? 0 } }
        private(set) var topCountry = 0.0
        private(set) var topAdmin = 0.0

        func countryShare(_ c: String) -> Double {
            guard topCountry > 0 else { return 0 }
            return (countries[c] ?? 0) / topCountry
        }

        func adminShare(_ key: AdminKey) -> Double {
            guard topAdmin > 0 else { return 0 }
            return (admins[key] ?? 0) / topAdmin
        }
    }

    func resolve(spans: [Span], borders: [BorderPhrase], demonyms: [String: Double], options: GeoparseOptions) -> GeoparseResult {
        // Group mentions by key and kind words.
        struct GroupKey: Hashable {
            var key: [UInt8]
            var kinds: Set<PlaceKind>
            var country: String?
        }
        var groups: [Group] = []
        var groupOf: [GroupKey: Int] = [:]
        var membership = [Int](repeating: 0, count: spans.count)
        for (index, s) in spans.enumerated() {
            let k = GroupKey(key: s.key, kinds: s.kinds, country: s.forcedCountry)
            if let g = groupOf[k] {
                groups[g].members.append(index)
                groups[g].exact.formUnion(s.exact)
                membership[index] = g
            } else {
                var ids = s.ids
                if let code = s.forcedCountry, let id = countryEntries[code] { ids = [id] }
                groupOf[k] = groups.count
                membership[index] = groups.count
                groups.append(Group(key: s.key, kinds: s.kinds, ids: ids, exact: s.exact, members: [index], forcedCountry: s.forcedCountry))
            }
        }
        // Pass 1: each name on its own.
        var focus = Focus()
        let hints = Set(options.countryHints)
        for g in groups.indices { groups[g].scored = score(groups[g], focus: focus, hints: hints, neighbours: Neighbours()) }
        // The document's focus: hints, demonyms, datelines, countries named, confident places.
        for h in hints { focus.countries[h, default: 0] += 3 }
        for (code, n) in demonyms { focus.countries[code, default: 0] += min(3, n) }
        for b in borders {
            focus.countries[b.countries.0, default: 0] += 1
            focus.countries[b.countries.1, default: 0] += 1
        }
        // Groups read in place (by index), not copied one by one.
        for gi in groups.indices {
            guard let best = groups[gi].scored.first else { continue }
            let e = gazetteer.entries[Int(best.id)]
            let margin = groups[gi].scored.count > 1 ? min(1, max(0, best.score - groups[gi].scored[1].score) * 2) : 1
            let dateline = groups[gi].members.contains { spans[$0].role == .dateline }
            var w = (e.kind == .country ? 1.5 : 1.0) * margin * min(3, Double(groups[gi].members.count))
            if dateline { w += 1 }
            focus.countries[e.country, default: 0] += w
            if e.kind != .country, !e.admin1.isEmpty { focus.admins[AdminKey(country: e.country, admin1: e.admin1), default: 0] += w }
        }
        // Pass 2: with the focus; pass 3: with the focus and the other places' points.
        for g in groups.indices { groups[g].scored = score(groups[g], focus: focus, hints: hints, neighbours: Neighbours()) }
        for _ in 0..<1 {
            var points: [(Position, Int)] = []
            for gi in groups.indices {
                guard let best = groups[gi].best else { continue }
                let e = gazetteer.entries[Int(best)]
                if e.kind != .country { points.append((e.position, gi)) }
            }
            for g in groups.indices {
                let others = Neighbours(points: points, excluded: g)
                groups[g].scored = score(groups[g], focus: focus, hints: hints, neighbours: others)
                if options.explain, let best = groups[g].scored.first {
                    var notes: [String] = []
                    _ = candidateScore(gazetteer.entries[Int(best.id)], id: best.id, groups[g], focus: focus, hints: hints, neighbours: others, notes: &notes)
                    groups[g].notes = notes
                }
            }
        }
        for g in groups.indices {
            guard let best = groups[g].scored.first else { continue }
            let e = gazetteer.entries[Int(best.id)]
            var alternatives: [MentionCandidate] = []
            for c in groups[g].scored.dropFirst() where alternatives.count < 3 {
                let a = gazetteer.entries[Int(c.id)]
                if abs(a.position.latitude - e.position.latitude) > 0.1 || Self.kilometres(a.position, e.position) > 10 {
                    alternatives.append(MentionCandidate(entry: a, score: (c.score * 1000).rounded() / 1000))
                }
            }
            groups[g].alternatives = alternatives
        }
        var mentions: [PlaceMention] = []
        mentions.reserveCapacity(spans.count + borders.count)
        // The groups as a constant from here: each is lent to `mention`, not copied for it.
        let resolved = groups
        for (index, s) in spans.enumerated() {
            mentions.append(mention(s, group: resolved[membership[index]]))
        }
        for b in borders { mentions.append(borderMention(b)) }
        mentions.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
        let total = focus.countries.values.reduce(0, +)
        let weights = focus.countries.filter { $0.value > 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(5).map { GeoparseResult.CountryWeight(country: $0.key, weight: ($0.value / max(total, 1e-9) * 1000).rounded() / 1000) }
        return GeoparseResult(mentions: mentions, warnings: [], countryFocus: weights)
    }

    /// The points of the other groups' best places, for the proximity score: `points` (a point
    /// and its group) but those of group `excluded`, read in place rather than copied per group.
    struct Neighbours {
        var points: [(Position, Int)] = []
        var excluded = -1
        /// No point of another group.
        let isEmpty: Bool

        init() { isEmpty = true }

        init(points: [(Position, Int)], excluded: Int) {
            self.points = points
            self.excluded = excluded
            isEmpty = !points.contains { $0.1 != excluded }
        }
    }

    /// Candidates of a group, best first, with their scores (`explain` says why).
    func score(_ g: Group, focus: Focus, hints: Set<String>, neighbours: Neighbours) -> [(id: Int32, score: Double)] {
        var out: [(id: Int32, score: Double)] = []
        out.reserveCapacity(min(g.ids.count, 64))
        var memo = ShareMemo()
        gazetteer.entries.withUnsafeBufferPointer { entries in
            // Very common keys (hundreds of towns): the first 2,000 are enough.
            for id in g.ids.prefix(2_000) {
                out.append((id, candidateScore(entries[Int(id)], id: id, g, focus: focus, hints: hints, neighbours: neighbours, notes: nil, memo: &memo)))
            }
        }
        out.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        return out
    }

    /// The focus shares of the last candidate's country and province: a group's candidates come
    /// mostly from a few, so `score` looks each up once per run of them, not once per candidate.
    struct ShareMemo {
        var country: String?
        var countryShare = 0.0
        var admin: AdminKey?
        var adminShare = 0.0

        @inline(__always)
        mutating func countryShare(_ c: String, _ focus: Focus) -> Double {
            if c != country {
                country = c
                countryShare = focus.countryShare(c)
            }
            return countryShare
        }

        @inline(__always)
        mutating func adminShare(_ key: AdminKey, _ focus: Focus) -> Double {
            if key != admin {
                admin = key
                adminShare = focus.adminShare(key)
            }
            return adminShare
        }
    }

    /// The score of one candidate; `notes`, when given, receives the evidence in words. `memo`
    /// (within one `score`, whose focus does not change) only saves look-ups: the same score.
    @inline(__always)
    func candidateScore(_ e: GazetteerEntry, id: Int32, _ g: Group, focus: Focus, hints: Set<String>, neighbours: Neighbours,
                        notes: UnsafeMutablePointer<[String]>?, memo: UnsafeMutablePointer<ShareMemo>? = nil) -> Double
    {
        let exact = g.exact.contains(id)
        var s = exact ? 0.2 : 0.1
        notes?.pointee.append(exact ? "exact name" : "same key")
        if !g.kinds.isEmpty {
            if g.kinds.contains(e.kind) {
                s += 0.5
                notes?.pointee.append("kind \(e.kind.rawValue)")
            } else {
                s -= 0.3
            }
        } else {
            switch e.kind {
            case .country: s += 0.45
            // A governorate named alone ("Anbar") ranks as a town of 100,000 would.
            case .province, .region: s += 0.3
            case .place: break
            // A named base is what conflict reports usually mean (as in `Gazetteer.geocode`).
            case .garrison, .base, .airBase: s += 0.16
            case .camp, .outpost: s += 0.14
            case .crossing, .airport: s += 0.12
            case .oilField, .gasField: s += 0.11
            }
        }
        // Population: 0 at 100 inhabitants, 0.3 at 100,000, 0.4 at a million.
        if e.population > 100 { s += 0.1 * log10(Double(e.population)) - 0.2 }
        let share = memo?.pointee.countryShare(e.country, focus) ?? focus.countryShare(e.country)
        if share > 0 {
            s += 0.6 * share
            notes?.pointee.append("document focus \(e.country) \(Int((share * 100).rounded())) %")
        }
        if !hints.isEmpty, hints.contains(e.country) {
            s += 0.3
            notes?.pointee.append("country hint")
        }
        if focus.topAdmin > 0, !e.admin1.isEmpty, e.kind != .country {
            let key = AdminKey(country: e.country, admin1: e.admin1)
            let a = memo?.pointee.adminShare(key, focus) ?? focus.adminShare(key)
            if a > 0 {
                s += 0.2 * a
                notes?.pointee.append("document province focus \(Int((a * 100).rounded())) %")
            }
        }
        if !neighbours.isEmpty {
            var nearest = Double.infinity
            for (p, group) in neighbours.points where group != neighbours.excluded {
                // Cheap bound first: more than 3° of latitude is more than 300 km.
                if abs(p.latitude - e.position.latitude) > 3 { continue }
                nearest = min(nearest, Self.approximateKilometres(p, e.position))
            }
            if nearest.isFinite {
                s += 0.3 * exp(-nearest / 150)
                if nearest < 150 { notes?.pointee.append("\(Int(nearest.rounded())) km from another place named") }
            }
        }
        if e.population > 0 { notes?.pointee.append("population \(Self.compact(e.population))") }
        return s
    }

    static func compact(_ n: Int) -> String {
        n >= 1_000_000 ? "\(Double(n / 100_000) / 10)M" : n >= 1000 ? "\(n / 1000)k" : "\(n)"
    }

    /// Distance in km on a sphere by the equirectangular approximation: within 1 % below
    /// 300 km away from the poles, which is all a proximity score needs (and 50 times cheaper
    /// than a geodesic).
    @inline(__always)
    static func approximateKilometres(_ a: Position, _ b: Position) -> Double {
        let radians = Double.pi / 180
        var dLon = abs(a.longitude - b.longitude)
        if dLon > 180 { dLon = 360 - dLon }
        let x = dLon * radians * cos((a.latitude + b.latitude) / 2 * radians)
        let y = (a.latitude - b.latitude) * radians
        return 6_371.0088 * (x * x + y * y).squareRoot()
    }

    static func kilometres(_ a: Position, _ b: Position) -> Double {
        Geodesic.wgs84.inverseUnchecked(latitude1: a.latitude, longitude1: a.longitude, latitude2: b.latitude, longitude2: b.longitude).distanceMeters / 1000
    }

    func mention(_ s: Span, group g: Group) -> PlaceMention {
        var m = PlaceMention(text: s.fullText, start: s.start, end: s.end, entry: nil, name: nil, position: nil, country: nil, kind: nil,
                             geoPrecision: nil, score: 0, role: s.role, alternatives: [], reason: "", relation: nil, id: nil)
        guard let best = g.scored.first else {
            if !s.notes.isEmpty { m.reason = (s.notes + ["no candidate"]).joined(separator: "; ") }
            return m
        }
        let e = gazetteer.entries[Int(best.id)]
        m.entry = e
        m.name = e.name
        m.position = e.position
        m.country = e.country
        m.kind = e.kind.rawValue
        m.geoPrecision = e.geoPrecision
        m.id = e.id
        // Confidence: recognition evidence times the margin over the runner-up.
        let second = g.scored.count > 1 ? g.scored[1].score : best.score - 0.6
        let margin = 1 / (1 + exp(-8 * (best.score - second)))
        m.score = (min(1, s.evidence) * (0.4 + 0.6 * margin) * 1000).rounded() / 1000
        m.alternatives = g.alternatives
        if let r = s.relation {
            var relation = MentionRelation(text: r.text, distanceMeters: r.distanceMeters, azimuthDegrees: r.azimuthDegrees, anchor: e.position)
            if r.regional {
                // A curated region ("eastern Syria" → Deir ez-Zor, Gazetteer/regions.csv) is the
                // documented point; the direction rule is for the phrases it lacks.
                if e.kind == .country, let region = curatedRegion(m.text, country: e.country) {
                    m.entry = region
                    m.name = region.name
                    m.position = region.position
                    m.kind = region.kind.rawValue
                    m.id = region.id
                    relation.anchor = region.position
                } else if e.kind == .country, let anchor = regionAnchor(country: e.country, azimuth: r.azimuthDegrees) {
                    m.position = anchor
                    relation.anchor = anchor
                    m.kind = "region"
                }
                m.geoPrecision = e.kind == .country || e.kind == .province ? 3 : 1
            } else {
                m.geoPrecision = max(2, e.geoPrecision)
                if let d = r.distanceMeters, let az = r.azimuthDegrees, d > 0, d < 2_000_000,
                   let moved = try? Geodesic.wgs84.direct(from: e.position, azimuthDegrees: az, distanceMeters: d)
                {
                    m.position = moved.destination
                }
            }
            m.relation = relation
        }
        guard !s.notes.isEmpty || !g.notes.isEmpty else { return m }
        let candidates = g.ids.count == 1 ? "1 candidate" : "\(g.ids.count) candidates"
        m.reason = ("recognised: " + s.notes.joined(separator: ", ")) + "; chose \(e.name) (\(e.country), \(e.kind.rawValue)) of \(candidates): "
            + g.notes.joined(separator: ", ")
        return m
    }

    /// The gazetteer's curated region named by `phrase` in `country`, if there is one.
    func curatedRegion(_ phrase: String, country: String) -> GazetteerEntry? {
        let r = gazetteer.geocode(phrase, options: GeocodeOptions(country: country))
        guard r.status == .resolved, let best = r.best, best.entry.kind == .region, best.matchType == .exact || best.matchType == .normalized
        else { return nil }
        return best.entry
    }

    func borderMention(_ b: BorderPhrase) -> PlaceMention {
        let (a, c) = b.countries
        let pair = [a, c].sorted()
        let ea = countryEntries[a].map { gazetteer.entries[Int($0)] }, ec = countryEntries[c].map { gazetteer.entries[Int($0)] }
        var m = PlaceMention(text: b.text, start: b.start, end: b.end, entry: nil, name: "\(ea?.name ?? a)–\(ec?.name ?? c) border",
                             position: nil, country: a, kind: "border", geoPrecision: 3, score: 0.9, role: .place, alternatives: [],
                             reason: "border of two countries named together; point midway between their gazetteer points", relation: nil,
                             id: "border:\(pair[0])-\(pair[1])")
        for name in [m.name ?? "", "\(ec?.name ?? c)–\(ea?.name ?? a) border"] {
            if let region = curatedRegion(name, country: a) {
                // The documented point of the curated border region (regions.csv).
                m.entry = region
                m.position = region.position
                m.id = region.id
                m.reason = "border of two countries named together; the curated border region's point (\(region.id))"
                return m
            }
        }
        if let ea, let ec {
            let inverse = Geodesic.wgs84.inverseUnchecked(latitude1: ea.position.latitude, longitude1: ea.position.longitude,
                                                          latitude2: ec.position.latitude, longitude2: ec.position.longitude)
            m.position = (try? Geodesic.wgs84.direct(from: ea.position, azimuthDegrees: inverse.azimuth1Degrees, distanceMeters: inverse.distanceMeters / 2))?.destination
        }
        return m
    }
}
