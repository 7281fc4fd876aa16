import Dispatch
import GeoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GeoProj

/// One target near a point.
public struct NearbyTarget: Hashable, Sendable {
    /// Index of the target in the arrays the index was built from.
    public var targetIndex: Int
    /// Geodesic distance in metres (WGS84).
    public var distanceMeters: Double
    /// Azimuth from the target towards the point, degrees clockwise from north, 0…360
    /// (meaningless at zero distance, where PROJ reports 180; outputs write null).
    public var bearingDegrees: Double

    /// "12 km NW of al-Tanf garrison"; "3.4 km E of …" under 10 km; "at …" under 500 m
    /// (the wording of `PlaceRelation.phrase`).
    public func phrase(name: String) -> String { phrasePrefix + name }

    /// The phrase before the name: "12 km NW of ", "3.4 km E of " (tenths under 10 km, "3.0"
    /// for a whole number), "at ".
    public var phrasePrefix: String {
        var w = JSONWriter()
        appendPhrasePrefix(to: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// Appends `phrasePrefix`'s bytes (no quotes, nothing to escape), without making a `String`.
    public func appendPhrasePrefix(to w: inout JSONWriter) {
        if distanceMeters < 500 { return w.appendRaw("at ") }
        let km = distanceMeters / 1000
        if km < 10 {
            let tenths = (km * 10).rounded()
            w.appendDecimal(units: tenths, decimals: 1)
            if tenths.truncatingRemainder(dividingBy: 10) == 0 { w.appendRaw(".0") }
        } else {
            w.appendInteger(Int64(km.rounded()))
        }
        w.appendRaw(" km ")
        w.append(utf8: Geodesic.compassPoint(azimuthDegrees: bearingDegrees))
        w.appendRaw(" of ")
    }
}

/// The k nearest of a set of target points (sites) for many query points, exactly, without
/// comparing every pair: queries are answered in rounds of radius search over a
/// `GeodesicGrid` of the targets (25 km, then ×4), a query leaving the rounds once k targets
/// lie within the radius (or the radius spans the globe), so its k nearest are among them.
/// Ties are broken by target index. Degrees in, metres out.
public struct NearestTargets: Sendable {
    public let longitudes: [Double]
    public let latitudes: [Double]

    /// - Throws: `SpatialError.invalidCoordinate` naming the first bad target.
    public init(longitudes: [Double], latitudes: [Double]) throws {
        guard longitudes.count == latitudes.count else {
            throw SpatialError.invalidParameter("\(longitudes.count) longitudes but \(latitudes.count) latitudes")
        }
        for i in latitudes.indices where !(latitudes[i].isFinite && longitudes[i].isFinite && abs(latitudes[i]) <= 90) {
            throw SpatialError.invalidCoordinate(index: i, longitude: longitudes[i], latitude: latitudes[i])
        }
        self.longitudes = longitudes
        self.latitudes = latitudes
    }

    /// For each query point, up to `k` nearest targets, nearest first; with `within`, only
    /// targets at most that far (possibly none). Large query sets are answered on `threads`
    /// threads, with the same results.
    /// - Throws: `SpatialError.invalidCoordinate` naming the first bad query point,
    ///   `.invalidParameter` for k < 1 or a `within` that is not positive.
    public func nearest(longitudes queryLongitudes: [Double], latitudes queryLatitudes: [Double], k: Int, within: Distance? = nil,
                        threads: Int = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))) throws -> [[NearbyTarget]] {
        guard k >= 1 else { throw SpatialError.invalidParameter("k must be at least 1, got \(k)") }
        if let within, !(within.meters > 0 && within.meters.isFinite) {
            throw SpatialError.invalidParameter("the search radius must be a positive distance, got \(within)")
        }
        guard queryLongitudes.count == queryLatitudes.count else {
            throw SpatialError.invalidParameter("\(queryLongitudes.count) longitudes but \(queryLatitudes.count) latitudes")
        }
        for i in queryLatitudes.indices where !(queryLatitudes[i].isFinite && queryLongitudes[i].isFinite && abs(queryLatitudes[i]) <= 90) {
            throw SpatialError.invalidCoordinate(index: i, longitude: queryLongitudes[i], latitude: queryLatitudes[i])
        }
        return try nearest(queryLongitudes, queryLatitudes, k: k, within: within, threads: threads, queriesPerThread: 20_000)
    }

    /// `nearest` on up to `threads` threads, each with `queriesPerThread` queries or more.
    func nearest(_ queryLongitudes: [Double], _ queryLatitudes: [Double], k: Int, within: Distance?, threads: Int,
                 queriesPerThread: Int) throws -> [[NearbyTarget]] {
        let n = queryLatitudes.count
        guard !latitudes.isEmpty else { return [[NearbyTarget]](repeating: [], count: n) }
        // Queries are independent: each thread answers blocks of them with grids of its own.
        let parts = max(1, min(threads, n / max(1, queriesPerThread)))
        guard parts > 1 else {
            var rounds = RoundGrids()
            return try nearest(queryLongitudes, queryLatitudes, 0..<n, k: k, within: within, rounds: &rounds)
        }
        // Blocks taken in turn (`WorkBlocks`), so that the threads finish together.
        let blocks = WorkBlocks(count: n, blockSize: WorkBlocks.blockSize(count: n, threads: parts, minimum: queriesPerThread / 4))
        var results = [[NearbyTarget]](repeating: [], count: n)
        var failures = [Error?](repeating: nil, count: (n + blocks.blockSize - 1) / blocks.blockSize)
        results.withUnsafeMutableBufferPointer { out in
            failures.withUnsafeMutableBufferPointer { errors in
                let shared = SharedResults(results: out, errors: errors)
                DispatchQueue.concurrentPerform(iterations: parts) { _ in
                    // The grids and their candidates, built once per thread for all its blocks.
                    var rounds = RoundGrids()
                    while let block = blocks.take() {
                        do {
                            let part = try nearest(queryLongitudes, queryLatitudes, block, k: k, within: within, rounds: &rounds)
                            for (offset, found) in part.enumerated() { shared.results[block.lowerBound + offset] = found }
                        } catch {
                            shared.errors[block.lowerBound / blocks.blockSize] = error
                        }
                    }
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        return results
    }

    /// The grid of the targets for each round of a search (25 km, then ×4; or `within`) and the
    /// candidates of the cells asked so far, kept by one thread from one block of queries to
    /// the next (the answers do not depend on what is kept).
    struct RoundGrids {
        var rounds: [(grid: GeodesicGrid, cache: GeodesicGrid.CandidateCache)] = []
    }

    /// `nearest` for the queries in `range` (checked already), on this thread, with its grids
    /// (`rounds`); the results of `range` in order.
    private func nearest(_ queryLongitudes: [Double], _ queryLatitudes: [Double], _ range: Range<Int>, k: Int,
                         within: Distance?, rounds: inout RoundGrids) throws -> [[NearbyTarget]] {
        var results = [[NearbyTarget]](repeating: [], count: range.count)
        let halfCircumference = 20_004_000.0
        var radius = within?.meters ?? 25_000
        var pending = Array(range)
        // With the azimuth at the target of the geodesic from the query (degrees).
        var found: [(index: Int, distance: Double, azimuth2: Double)] = []
        var candidates: [(sorted: Int, bound: Double)] = []
        var round = 0
        while !pending.isEmpty {
            if round == rounds.rounds.count {
                rounds.rounds.append((try GeodesicGrid(longitudes: longitudes, latitudes: latitudes, radius: .meters(radius)), GeodesicGrid.CandidateCache()))
            }
            let grid = rounds.rounds[round].grid
            // Taken out while used, so that it is the only reference when changed.
            var cache = rounds.rounds[round].cache
            rounds.rounds[round].cache = GeodesicGrid.CandidateCache()
            let last = within != nil || radius >= halfCircumference
            var next: [Int] = []
            for q in pending {
                // Candidates by their lower bound; the exact distance only while a candidate may
                // still be within the radius and among the k nearest (a bound above the k-th
                // distance found rules it out: ties go by index, so only a larger bound does).
                candidates.removeAll(keepingCapacity: true)
                grid.candidates(longitude: queryLongitudes[q], latitude: queryLatitudes[q], cache: &cache) { candidates.append(($0, $1)) }
                candidates.sort { $0.bound < $1.bound }
                found.removeAll(keepingCapacity: true)
                for c in candidates {
                    if c.bound > grid.radiusMeters || (found.count >= k && c.bound > found[k - 1].distance) { break }
                    let inverse = grid.exactInverse(longitude: queryLongitudes[q], latitude: queryLatitudes[q], to: c.sorted)
                    let d = inverse.distanceMeters
                    guard d <= grid.radiusMeters else { continue }
                    let t = (index: Int(grid.sortedIndex[c.sorted]), distance: d, azimuth2: inverse.azimuth2Degrees)
                    found.insert(t, at: found.firstIndex { ($0.distance, $0.index) > (t.distance, t.index) } ?? found.count)
                }
                guard found.count >= k || last else { next.append(q); continue }
                // The bearing from the target back to the query: the geodesic's azimuth at the
                // target turned round (the same geodesic; no second `geod_inverse`).
                results[q - range.lowerBound] = found.prefix(k).map { t in
                    NearbyTarget(targetIndex: t.index, distanceMeters: t.distance, bearingDegrees: Self.reversed(t.azimuth2))
                }
            }
            rounds.rounds[round].cache = cache
            pending = next
            radius = min(halfCircumference, radius * 4)
            round += 1
        }
        return results
    }
}

extension NearestTargets {
    /// The azimuth (degrees, −180…180) of a geodesic's reverse at the same point: 0…360, 0 for north.
    static func reversed(_ azimuth: Double) -> Double {
        let back = azimuth + 180
        return back >= 360 ? back - 360 : back
    }
}

/// The results and errors, written by several threads, each in the blocks it takes and their elements.
private struct SharedResults: @unchecked Sendable {
    let results: UnsafeMutableBufferPointer<[NearbyTarget]>
    let errors: UnsafeMutableBufferPointer<Error?>
}
