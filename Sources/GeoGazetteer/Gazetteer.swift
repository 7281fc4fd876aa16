import Foundation
import GeoCore

/// A failure to load gazetteer data, naming the file and line.
public struct GazetteerError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)" }
}

/// The offline gazetteer: GeoNames places, curated governorates, regions and sites, and an
/// optional user overlay, indexed by exact name, normalised key and consonant skeleton (see
/// `NameNormalizer`).
/// The trigram index for fuzzy matching is built on first use.
///
/// Immutable after loading, so one instance can be shared by all threads; the fuzzy index is
/// built once under a lock.
public final class Gazetteer: @unchecked Sendable {
    public let entries: [GazetteerEntry]
    /// Each entry's other names, `|`-separated (kept apart from the entries, which are copied
    /// into answers; most alias lists are never read).
    let aliasTexts: [String]
    /// The precomputed index of the first `placesIndex.entryCount` entries (places.tsv), when
    /// `name-index.bin` matches; the in-memory indexes below hold the other entries.
    let placesIndex: NameIndexFile?
    /// The mapping `placesIndex` points into.
    private let placesIndexFile: InputFile?
    /// Per entry, what ranking reads (see `RankFields`).
    let rankFields: [RankFields]
    /// Every country code of the entries → a number (`RankFields.country`).
    let countryNumbers: [String: UInt16]
    /// Country code → its `country:` entry (at the capital), for the country fallback.
    let countryEntries: [String: Int32]
    /// Whether name-index.bin was used, for `geo gazetteer info`.
    public let nameIndexStatus: String
    /// Normalised keys → entries (those not in `placesIndex`).
    let normalized: ByteKeyIndex
    /// Lowercased names in scripts without keys (Cyrillic, CJK, …) → entries (those not in `placesIndex`).
    let otherScripts: ByteKeyIndex
    /// The data folder and what was loaded, for `geo gazetteer info`.
    public let dataDirectory: String
    public let userDirectory: String?
    public let counts: [GazetteerSource: Int]

    private let lazyLock = NSLock()
    private var fuzzyIndex: FuzzyIndex?
    private var skeletons: SkeletonIndex?
    private var provinceKeyList: [(Int32, [UInt32])]?
    private var mainKeyHashList: [UInt64]?
    private var countryShapeList: CountryShapes?

    /// The bundled data folder (`BundledData.directory()`).
    public static func bundledDataDirectory() -> String? { BundledData.directory() }

    /// The user overlay folder: `GEO_GAZETTEER_DIR`, or nil.
    public static func userOverlayDirectory() -> String? {
        guard let env = ProcessInfo.processInfo.environment["GEO_GAZETTEER_DIR"], !env.isEmpty else { return nil }
        return env
    }

    /// Loads the bundled data (and the user overlay, when given or set in the environment).
    ///
    /// `readingCountryShapes`: the country polygons (`countries.geojson`), which the reverse
    /// geocoder reads on first use, are read meanwhile on another thread (for the country check,
    /// which needs them at once). A failure to read them is left to that first use to report.
    public static func load(dataDirectory: String? = nil, userDirectory: String? = userOverlayDirectory(),
                            readingCountryShapes: Bool = false) throws -> Gazetteer {
        guard let dir = dataDirectory ?? bundledDataDirectory() else {
            throw GazetteerError(file: "Gazetteer/places.tsv", reason: "bundled gazetteer not found; set GEO_GAZETTEER_DATA to the Gazetteer folder")
        }
        guard readingCountryShapes else { return try load(dir, userDirectory: userDirectory) }
        let path = CountryShapes.path(dataDirectory: dir)
        let loads = LoadsMeanwhile()
        // A thread of its own, not Dispatch's: a load asked for from inside a `concurrentPerform`
        // (a reading's first row) would get no second Dispatch thread, and read both in turn.
        let countriesRead = DispatchSemaphore(value: 0)
        Thread {
            loads.store(countries: Result { try CountryShapes.readCountries(path) })
            countriesRead.signal()
        }.start()
        loads.store(gazetteer: Result { try load(dir, userDirectory: userDirectory) })
        countriesRead.wait()
        let gazetteer = try loads.gazetteer!.get()
        if case .success(let countries)? = loads.countries {
            gazetteer.keepCountryShapes(CountryShapes(path: path, countries: countries, gazetteer: gazetteer))
        }
        return gazetteer
    }

    /// The two results of a load with the country polygons read meanwhile.
    private final class LoadsMeanwhile: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var gazetteer: Result<Gazetteer, Error>?
        private(set) var countries: Result<[(code: String?, name: String, geometry: Geometry)], Error>?

        func store(gazetteer result: Result<Gazetteer, Error>) { lock.withLock { gazetteer = result } }
        func store(countries result: Result<[(code: String?, name: String, geometry: Geometry)], Error>) { lock.withLock { countries = result } }
    }

    /// Keeps shapes read beforehand, unless some were kept already.
    private func keepCountryShapes(_ shapes: CountryShapes) {
        lazyLock.withLock {
            if countryShapeList == nil { countryShapeList = shapes }
        }
    }

    private static func load(_ dir: String, userDirectory: String?) throws -> Gazetteer {
        var rows = GazetteerRows()
        rows.reserveCapacity(42_000)
        let places = try GazetteerFiles.loadPlaces(dir + "/places.tsv", into: &rows)
        let (index, indexFile, status) = NameIndexFile.open(dir + "/" + indexFileName, placesSize: places.size, placesHash: places.hash, entryCount: rows.entries.count)
        try GazetteerFiles.loadProvinces(dir + "/provinces.csv", into: &rows)
        if FileManager.default.fileExists(atPath: dir + "/regions.csv") {
            try GazetteerFiles.loadRegions(dir + "/regions.csv", into: &rows)
        }
        let sites = dir + "/sites.csv"
        if FileManager.default.fileExists(atPath: sites) {
            try GazetteerFiles.loadSites(sites, source: .sites, into: &rows)
        }
        if FileManager.default.fileExists(atPath: dir + "/country-codes.csv") {
            GazetteerFiles.addCountries(try CountryCodes.load(dataDirectory: dir), into: &rows)
        }
        if let userDirectory {
            let overlay = userDirectory + "/" + GazetteerFiles.overlayFileName
            if FileManager.default.fileExists(atPath: overlay) {
                try GazetteerFiles.loadSites(overlay, source: .user, into: &rows)
            }
        }
        return Gazetteer(rows: rows, placesIndex: index, placesIndexFile: indexFile, nameIndexStatus: status.description, dataDirectory: dir, userDirectory: userDirectory)
    }

    /// The precomputed name index's file name in the data folder.
    public static let indexFileName = "name-index.bin"

    /// Writes `name-index.bin` for the places.tsv of `dataDirectory` (deterministic bytes);
    /// returns the number of keys... written as the file's size in bytes.
    @discardableResult
    public static func buildNameIndex(dataDirectory dir: String) throws -> Int {
        var rows = GazetteerRows()
        let places = try GazetteerFiles.loadPlaces(dir + "/places.tsv", into: &rows)
        let (keys, other) = computeKeys(rows, from: 0)
        let bytes = try NameIndexFile.build(keys: keys, otherScriptNames: other, placesSize: places.size, placesHash: places.hash)
        let sink = try AtomicFileSink(replacing: dir + "/" + indexFileName)  // a reader never sees half an index
        try sink.write(bytes)
        try sink.commit()
        return bytes.count
    }

    /// A gazetteer over given entries and their other names (`aliases[i]` for `entries[i]`;
    /// none when nil). Keys are computed on all cores.
    public convenience init(entries: [GazetteerEntry], aliases: [[String]]? = nil, dataDirectory: String = "", userDirectory: String? = nil) {
        precondition(aliases == nil || aliases!.count == entries.count, "one alias list per entry")
        let texts = aliases?.map { $0.map { $0.replacingOccurrences(of: "|", with: " ") }.joined(separator: "|") }
        self.init(rows: GazetteerRows(entries: entries, aliasTexts: texts ?? Array(repeating: "", count: entries.count)),
                  placesIndex: nil, placesIndexFile: nil, nameIndexStatus: "computed at load", dataDirectory: dataDirectory, userDirectory: userDirectory)
    }

    init(rows: GazetteerRows, placesIndex: NameIndexFile?, placesIndexFile: InputFile?, nameIndexStatus: String, dataDirectory: String, userDirectory: String?) {
        let entries = rows.entries
        self.entries = entries
        aliasTexts = rows.aliasTexts
        self.placesIndex = placesIndex
        self.placesIndexFile = placesIndexFile
        self.nameIndexStatus = nameIndexStatus
        self.dataDirectory = dataDirectory
        self.userDirectory = userDirectory
        let first = placesIndex?.entryCount ?? 0
        let (keys, unkeyed) = Self.computeKeys(rows, from: first)
        var normalized = ByteKeyIndex(capacity: keys.count * 6)
        var otherScripts = ByteKeyIndex(capacity: keys.count)
        for (offset, (k, other)) in zip(keys, unkeyed).enumerated() {
            for key in k { normalized.add(key.utf8, entry: Int32(first + offset)) }
            for name in other { otherScripts.add(name.utf8, entry: Int32(first + offset)) }
        }
        self.normalized = normalized
        self.otherScripts = otherScripts
        var counts: [GazetteerSource: Int] = [:]
        var countryNumbers: [String: UInt16] = [:]
        var countryEntries: [String: Int32] = [:]
        var rankFields: [RankFields] = []
        rankFields.reserveCapacity(entries.count)
        // Country codes are few (two letters, or a user's own); more than 65,535 distinct ones
        // share the last number, which then only costs ranking precision.
        func number(_ code: String) -> UInt16 {
            if let n = countryNumbers[code] { return n }
            let n = UInt16(min(countryNumbers.count, Int(UInt16.max) - 1))
            countryNumbers[code] = n
            return n
        }
        for (i, e) in entries.enumerated() {
            counts[e.source, default: 0] += 1
            if e.kind == .country, countryEntries[e.country] == nil { countryEntries[e.country] = Int32(i) }
            rankFields.append(RankFields(e, country: number(e.country), secondCountry: e.secondCountry.map(number)))
        }
        self.counts = counts
        self.countryNumbers = countryNumbers
        self.countryEntries = countryEntries
        self.rankFields = rankFields
    }

    /// Per entry: its normalised keys, and its names in scripts without keys (lowercased).
    /// Sites and provinces are also keyed without their kind word ("Imam Ali base" under
    /// "Imam Ali"). Runs on all cores for large inputs.
    static func computeKeys(_ rows: GazetteerRows, from first: Int) -> (keys: [[String]], otherScripts: [[String]]) {
        let entries = rows.entries[first...]
        let chunkCount = entries.count < 2_000 ? 1 : max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        let chunkSize = (entries.count + chunkCount - 1) / max(1, chunkCount)
        let results = KeyChunks(count: chunkCount)
        let base = entries.startIndex
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let lo = base + chunk * chunkSize, hi = min(entries.endIndex, lo + chunkSize)
            var keys: [[String]] = []
            var unkeyed: [[String]] = []
            if lo < hi {
                keys.reserveCapacity(hi - lo)
                for i in lo..<hi {
                    let e = entries[i]
                    var k: [String] = []
                    var other: [String] = []
                    GazetteerEntry.forEachName(e.name, rows.aliasTexts[i]) { name in
                        guard let folded = NameNormalizer.foldedWords(name) else {
                            other.append(name.lowercased())
                            return
                        }
                        let key = String(decoding: NameNormalizer.keyBytes(folded), as: UTF8.self)
                        if key.isEmpty { other.append(name.lowercased()) } else if !k.contains(key) { k.append(key) }
                        if e.kind != .place {
                            let (kindWords, kinds) = Gazetteer.kindPhrase(folded)
                            if !kinds.isEmpty {
                                let bare = String(decoding: NameNormalizer.keyBytes(folded, skipping: kindWords), as: UTF8.self)
                                if !bare.isEmpty, !k.contains(bare) { k.append(bare) }
                            }
                        }
                    }
                    keys.append(k)
                    unkeyed.append(other)
                }
            }
            results.store(chunk, keys: keys, unkeyed: unkeyed)
        }
        var allKeys: [[String]] = [], allOther: [[String]] = []
        allKeys.reserveCapacity(entries.count)
        allOther.reserveCapacity(entries.count)
        for chunk in 0..<chunkCount {
            let (k, u) = results.take(chunk)
            allKeys += k
            allOther += u
        }
        return (allKeys, allOther)
    }

    /// The entries under a normalised key, without copying them: the places' postings in the
    /// precomputed index, then the other entries (sites, provinces, countries, user entries;
    /// most keys have none).
    struct Postings {
        var places: UnsafeBufferPointer<UInt32>
        var rest: [Int32]

        var isEmpty: Bool { places.isEmpty && rest.isEmpty }

        @inline(__always) func forEach(_ body: (Int32) -> Void) {
            for id in places { body(Int32(truncatingIfNeeded: id)) }
            for id in rest { body(id) }
        }
    }

    func postings(_ key: UnsafeBufferPointer<UInt8>) -> Postings {
        guard let placesIndex, !key.isEmpty else { return Postings(places: UnsafeBufferPointer(start: nil, count: 0), rest: normalized.entries(for: key)) }
        return Postings(places: placesIndex.entries(forKey: key), rest: normalized.entries(for: key))
    }

    func postings(_ key: [UInt8]) -> Postings {
        key.withUnsafeBufferPointer { postings($0) }
    }

    /// Reads the rank fields of the first `limit` entries of `ids` and fields spread over each
    /// entry object (`GazetteerEntry.readAheadSum`), all at once, so that the processor fetches
    /// them side by side (one memory latency) instead of one after another as the lookup comes
    /// to need them. Returns a value depending on every read; pass it to `keepReads` so that
    /// they are not optimised away.
    @inline(__always)
    func readAhead(_ ids: UnsafeBufferPointer<UInt32>, limit: Int = 4) -> UInt64 {
        var sum: UInt64 = 0
        entries.withUnsafeBufferPointer { all in
            rankFields.withUnsafeBufferPointer { fields in
                for id in ids.prefix(limit) where Int(id) < fields.count {
                    sum &+= UInt64(fields[Int(id)].country)
                    sum &+= all[Int(id)].readAheadSum
                }
            }
        }
        return sum
    }

    /// Makes `readAhead`'s reads count (a branch on their sum that is never taken in
    /// practice, and harmless if it is).
    @inline(__always)
    static func keepReads(_ sum: UInt64) {
        if sum == .max { readsKept.lock(); readsKept.unlock() }
    }

    private static let readsKept = NSLock()

    /// Entries under a normalised key (UTF-8 bytes): places from the precomputed index, then
    /// the rest.
    func normalizedEntries(_ key: UnsafeBufferPointer<UInt8>) -> [Int32] {
        guard let placesIndex, !key.isEmpty else { return normalized.entries(for: key) }
        let places = placesIndex.entries(forKey: key)
        // Sites, provinces and user entries are few: most keys have none.
        let rest = normalized.entries(for: key)
        var result: [Int32] = []
        result.reserveCapacity(places.count + rest.count)
        for id in places { result.append(Int32(truncatingIfNeeded: id)) }
        return rest.isEmpty ? result : result + rest
    }

    func normalizedEntries(_ key: [UInt8]) -> [Int32] {
        key.withUnsafeBufferPointer { normalizedEntries($0) }
    }

    func normalizedEntries(_ key: String) -> [Int32] {
        normalizedEntries(Array(key.utf8))
    }

    /// Per-chunk results of the parallel key computation.
    final class KeyChunks: @unchecked Sendable {
        private let lock = NSLock()
        private var keys: [[[String]]]
        private var unkeyed: [[[String]]]
        init(count: Int) {
            keys = Array(repeating: [], count: count)
            unkeyed = Array(repeating: [], count: count)
        }
        func store(_ chunk: Int, keys k: [[String]], unkeyed u: [[String]]) {
            lock.lock()
            keys[chunk] = k
            unkeyed[chunk] = u
            lock.unlock()
        }
        func take(_ chunk: Int) -> ([[String]], [[String]]) { (keys[chunk], unkeyed[chunk]) }
    }

    /// Entries whose name or alias, lowercased, is exactly `text` lowercased. `key` is the key
    /// of `text` (UTF-8 bytes), which the caller has already computed; `ids` the entries under
    /// it, when known.
    func exactMatches(_ text: String, key: [UInt8], among ids: [Int32]? = nil) -> [Int32] {
        var result: [Int32] = []
        forEachExactMatch(text, key: key, among: ids) { result.append($0) }
        return result
    }

    /// Calls `body` with each entry whose name or alias, lowercased, is exactly `text`
    /// lowercased, in the order of `ids` (all entries under `key` when nil).
    func forEachExactMatch(_ text: String, key: [UInt8], among ids: [Int32]? = nil, _ body: (Int32) -> Void) {
        if key.isEmpty {
            let lower = text.lowercased()
            if let placesIndex { for id in placesIndex.entries(forOtherScriptName: lower) { body(Int32(id)) } }
            for id in otherScripts.entries(for: lower) { body(id) }
            return
        }
        let among = ids.map { Postings(places: UnsafeBufferPointer(start: nil, count: 0), rest: $0) } ?? postings(key)
        forEachExactMatch(text, among: among, body)
    }

    /// Calls `body` with each entry of `ids` whose name or alias, lowercased, is exactly `text`
    /// lowercased (`text` has a key). Names are compared in place, byte by byte, with the
    /// simple lowercase mappings of `CaseFolding`; only text outside its range goes through
    /// `lowercased()`.
    func forEachExactMatch(_ text: String, among ids: Postings, _ body: (Int32) -> Void) {
        if ids.isEmpty { return }
        CaseFolding.withLowercasedUTF8(text) { lower in
            entries.withUnsafeBufferPointer { all in
                aliasTexts.withUnsafeBufferPointer { aliases in
                    guard let lower else {
                        let lower = text.lowercased()
                        ids.forEach { id in
                            var found = false
                            GazetteerEntry.forEachName(all[Int(id)].name, aliases[Int(id)]) { name in
                                if !found, name.lowercased() == lower { found = true }
                            }
                            if found { body(id) }
                        }
                        return
                    }
                    // Fields are read in place: copying an entry would retain its strings.
                    ids.forEach { id in
                        if CaseFolding.names(all[Int(id)].name, lowercasedEqual: lower)
                            || (!aliases[Int(id)].isEmpty && CaseFolding.names(aliases[Int(id)], lowercasedEqual: lower))
                        {
                            body(id)
                        }
                    }
                }
            }
        }
    }

    /// `exactMatches` with the key as a string (tests).
    func exactMatches(_ text: String, key: String) -> [Int32] {
        exactMatches(text, key: Array(key.utf8))
    }

    /// The consonant-skeleton index, built on first use.
    func skeletonIndex() -> SkeletonIndex {
        lazyLock.lock()
        defer { lazyLock.unlock() }
        if let skeletons { return skeletons }
        var index = SkeletonIndex(capacity: normalized.keyCount + (placesIndex?.keyCount ?? 0))
        forEachKey { key, _ in index.add(key) }
        skeletons = index
        return index
    }

    /// The country polygons of `countries.geojson` and the reverse geocoder's grid of places,
    /// read on first use and shared by the reverse geocoders of all threads (each builds its
    /// own GEOS geometries from them). A read that fails is not kept: the next call tries again.
    func countryShapes() throws -> CountryShapes {
        lazyLock.lock()
        defer { lazyLock.unlock() }
        if let countryShapeList { return countryShapeList }
        let shapes = try CountryShapes(gazetteer: self)
        countryShapeList = shapes
        return shapes
    }

    /// The polygon of the country with ISO 3166-1 alpha-2 `code` (any case) in
    /// `countries.geojson` (its `iso_a2`; the last feature with it) and its `name` (`?`
    /// when it has none), from the shapes the reverse geocoder reads (read once); nil when no
    /// country has the code.
    /// - Throws: `GazetteerError` when the countries file cannot be read.
    public func countryShape(code: String) throws -> (name: String, geometry: Geometry)? {
        let wanted = code.uppercased()
        return try countryShapes().countries.last { $0.code?.uppercased() == wanted }.map { ($0.name, $0.geometry) }
    }

    /// The countries file the reverse geocoder and `countryShape(code:)` read.
    public var countriesFile: String { CountryShapes.path(dataDirectory: dataDirectory) }

    /// The trigram index over normalised keys, built on first use.
    func fuzzy() -> FuzzyIndex {
        lazyLock.lock()
        defer { lazyLock.unlock() }
        if let fuzzyIndex { return fuzzyIndex }
        let index = FuzzyIndex { add in
            placesIndex?.forEachKey { key, _ in add(key) }
            // Keys of sites, provinces and user entries, unless a place has the same key.
            normalized.forEachKey { key, _ in
                if placesIndex?.entries(forKey: key).isEmpty ?? true { add(key) }
            }
        }
        fuzzyIndex = index
        return index
    }

    /// Per entry, the FNV-1a hashes of its main name's key and, for a site, province or
    /// region with a kind word in its name, of the key without it ("al-Tanf garrison" →
    /// "al-Tanf"; else 0): entry i at 2i and 2i + 1. Built on first use (about 20 ms), for
    /// telling a main-name match from an alternate-name match.
    func mainNameKeyHashes() -> [UInt64] {
        lazyLock.lock()
        defer { lazyLock.unlock() }
        if let mainKeyHashList { return mainKeyHashList }
        var hashes = [UInt64](repeating: 0, count: 2 * entries.count)
        for (i, e) in entries.enumerated() {
            guard let folded = NameNormalizer.foldedWords(e.name) else { continue }
            let key = NameNormalizer.keyBytes(folded)
            if !key.isEmpty { hashes[2 * i] = fnv1a(key) }
            guard e.kind != .place else { continue }
            let (kindWords, kinds) = Gazetteer.kindPhrase(folded)
            let bare = kinds.isEmpty ? [] : NameNormalizer.keyBytes(folded, skipping: kindWords)
            if !bare.isEmpty { hashes[2 * i + 1] = fnv1a(bare) }
        }
        mainKeyHashList = hashes
        return hashes
    }

    /// Every key (as scalars) of every province entry's names, built on first use (for a row's
    /// region that no name matches exactly).
    func provinceKeys() -> [(Int32, [UInt32])] {
        lazyLock.lock()
        defer { lazyLock.unlock() }
        if let provinceKeyList { return provinceKeyList }
        var list: [(Int32, [UInt32])] = []
        for (i, e) in entries.enumerated() where e.kind == .province {
            GazetteerEntry.forEachName(e.name, aliasTexts[i]) { name in
                guard let folded = NameNormalizer.foldedWords(name) else { return }
                var keys = [NameNormalizer.keyBytes(folded)]
                let (kindWords, kinds) = Gazetteer.kindPhrase(folded)
                if !kinds.isEmpty { keys.append(NameNormalizer.keyBytes(folded, skipping: kindWords)) }
                for key in keys where !key.isEmpty { list.append((Int32(i), SkeletonIndex.scalars(key[...]))) }
            }
        }
        provinceKeyList = list
        return list
    }

    /// Builds the fuzzy index now (benchmarks, servers that want steady latency).
    public func prepareFuzzyIndex() {
        _ = fuzzy()
        _ = skeletonIndex()
    }

    public func entry(id: String) -> GazetteerEntry? { entries.first { $0.id == id } }

    /// Other names and spellings of an entry of this gazetteer (alternate names, aliases);
    /// empty for an entry it does not hold.
    public func aliases(of entry: GazetteerEntry) -> [String] {
        // The entry itself first (one pointer comparison each), then an equal copy by id.
        guard let i = entries.firstIndex(where: { $0 === entry }) ?? entries.firstIndex(where: { $0.id == entry.id }) else { return [] }
        return aliasesOfEntry(at: i)
    }

    /// The name or alias of `entry` that `text` most resembles: one equal to it ignoring case,
    /// else one with the same normalised key, else the closest key by Jaro–Winkler. Explains
    /// why a search listed an entry ("Tanf" finds Anchorage through its alias "Tan"). The main
    /// name when the entry has no other names or is not in this gazetteer.
    public func spelling(of entry: GazetteerEntry, closestTo text: String) -> String {
        let names = [entry.name] + aliases(of: entry)
        let lower = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let same = names.first(where: { $0.lowercased() == lower }) { return same }
        let key = NameNormalizer.keyBytes(text)
        guard !key.isEmpty else { return entry.name }
        let keys = names.map { NameNormalizer.keyBytes($0) }
        if let i = keys.firstIndex(of: key) { return names[i] }
        func scalars(_ bytes: [UInt8]) -> [UInt32] { String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value) }
        let query = scalars(key)
        var best = (name: entry.name, similarity: -1.0)
        for (name, k) in zip(names, keys) where !k.isEmpty {
            let similarity = FuzzyIndex.jaroWinkler(scalars(k), query)
            if similarity > best.similarity { best = (name, similarity) }
        }
        return best.name
    }

    /// Other names of `entries[index]`.
    public func aliasesOfEntry(at index: Int) -> [String] {
        aliasTexts[index].isEmpty ? [] : aliasTexts[index].split(separator: "|").map(String.init)
    }

    /// Every normalised key (UTF-8 bytes) with its entries: precomputed places first, then
    /// the rest (a key may come twice, with places and with other entries).
    func forEachKey(_ body: (UnsafeBufferPointer<UInt8>, [Int32]) -> Void) {
        placesIndex?.forEachKey { key, ids in body(key, ids.map { Int32($0) }) }
        normalized.forEachKey { key, k in body(key, normalized.entries(ofKey: k)) }
    }
}

/// The fields of an entry that ranking reads, kept apart from the entries in one contiguous
/// array (32 bytes an entry, 1.3 MB for the bundled data) so that ranking a query's
/// candidates reads neither the entries nor their strings.
struct RankFields: Sendable {
    /// Degrees (WGS84).
    var latitude: Double
    var longitude: Double
    /// log10(population), 0 without a population (ranking weighs it by how the name matched:
    /// `Gazetteer.populationWeight(for:)`).
    var populationDecades: Double
    /// The entry's country as a number of `Gazetteer.countryNumbers`.
    var country: UInt16
    /// The other side's country of a border entry, as a number; nil for other entries.
    var secondCountry: UInt16?
    var kind: PlaceKind
    /// A population of 100,000 or more (the size that lets a place's name stand inside a longer
    /// proper name in running text: `Recognizer.weighed`).
    var large: Bool

    init(_ entry: GazetteerEntry, country: UInt16, secondCountry: UInt16? = nil) {
        latitude = entry.position.latitude
        longitude = entry.position.longitude
        populationDecades = entry.population > 0 ? log10(Double(entry.population)) : 0
        self.country = country
        self.secondCountry = secondCountry
        kind = entry.kind
        large = entry.population >= 100_000
    }

    var position: Position { Position(x: longitude, y: latitude) }
}

/// Consonant skeletons → the normalised keys that have them ("rbl" → irbil, arbil, …).
/// A skeleton alone is weak evidence (three consonants match towns on every continent), so
/// lookups re-score each key against the query's key.
struct SkeletonIndex: Sendable {
    /// Normalised keys back to back (a key held by places and by other entries comes twice).
    private var keyBytes: [UInt8] = []
    private var keyStart: [Int32] = [0]
    /// Skeleton → key numbers.
    private var skeletons: ByteKeyIndex

    init(capacity: Int) {
        skeletons = ByteKeyIndex(capacity: capacity / 2)
        keyBytes.reserveCapacity(capacity * 10)
        keyStart.reserveCapacity(capacity + 1)
    }

    mutating func add(_ key: UnsafeBufferPointer<UInt8>) {
        let skeleton = NameNormalizer.skeletonBytes(ofKey: key)
        guard !skeleton.isEmpty else { return }
        skeletons.add(skeleton, entry: Int32(keyStart.count - 1))
        keyBytes.append(contentsOf: key)
        keyStart.append(Int32(keyBytes.count))
    }

    /// Keys sharing `key`'s skeleton whose Jaro–Winkler similarity to it is at least
    /// `minimumSimilarity`, with that similarity.
    func keys(like key: [UInt8], minimumSimilarity: Double) -> [(key: [UInt8], similarity: Double)] {
        let skeleton = NameNormalizer.skeletonBytes(ofKey: key)
        guard !skeleton.isEmpty else { return [] }
        let numbers = skeletons.entries(for: skeleton)
        guard !numbers.isEmpty else { return [] }
        let query = Self.scalars(key[...])
        var candidate: [UInt32] = []
        var result: [(key: [UInt8], similarity: Double)] = []
        // Keys much longer or shorter than the query are not spellings of it.
        let slack = FuzzyIndex.lengthSlack(key.count)
        for k in numbers {
            let bytes = keyBytes[Int(keyStart[Int(k)])..<Int(keyStart[Int(k) + 1])]
            guard abs(bytes.count - key.count) <= slack else { continue }
            candidate.removeAll(keepingCapacity: true)
            Self.decode(bytes, into: &candidate)
            let similarity = FuzzyIndex.jaroWinkler(query[...], candidate[...])
            if similarity >= minimumSimilarity, !result.contains(where: { $0.key.elementsEqual(bytes) }) {
                result.append((Array(bytes), similarity))
            }
        }
        return result
    }

    static func scalars(_ bytes: ArraySlice<UInt8>) -> [UInt32] {
        var out: [UInt32] = []
        decode(bytes, into: &out)
        return out
    }

    /// Keys are ASCII or two-byte UTF-8 (Arabic letters).
    static func decode(_ bytes: ArraySlice<UInt8>, into out: inout [UInt32]) {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b < 0x80 || i + 1 == bytes.endIndex {
                out.append(UInt32(b))
                i += 1
            } else {
                out.append(UInt32(b & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F))
                i += 2
            }
        }
    }
}
