import Dispatch
import GeoCore

/// What a point is in a clustering: DBSCAN's roles (Turf's `core` / `edge` / `noise`).
public enum ClusterRole: String, Hashable, Sendable {
    /// At least `minPoints` points (itself included) lie within the distance.
    case core
    /// Not core, but within the distance of a core point: joins that point's cluster.
    case edge
    /// Neither: no cluster.
    case noise
}

/// When each point happened: `startSeconds[i] ..< endSeconds[i]` in seconds since the Unix
/// epoch, or the instant `startSeconds[i]` when the two are equal.
public struct TimeSpans: Hashable, Sendable {
    public var startSeconds: [Double]
    public var endSeconds: [Double]

    public init(startSeconds: [Double], endSeconds: [Double]) {
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }

    public var count: Int { startSeconds.count }

    /// Whether events `i` and `j` may have happened at most `window` seconds apart: some moment
    /// of one span lies within `window` of some moment of the other. Spans are half-open
    /// (`[start, end)`) except instants, so two whole days are neighbours for a 7-day window
    /// when their dates are at most 7 days apart; overlapping spans always are.
    @inline(__always)
    public func areNeighbors(_ i: Int, _ j: Int, windowSeconds window: Double) -> Bool {
        let si = startSeconds[i], ei = endSeconds[i], sj = startSeconds[j], ej = endSeconds[j]
        if sj >= ei {  // j after i
            let gap = sj - ei
            return si == ei ? gap <= window : gap < window
        }
        if si >= ej {  // i after j
            let gap = si - ej
            return sj == ej ? gap <= window : gap < window
        }
        return true
    }
}

/// Parameters of `PointClustering.cluster`.
public struct ClusterParameters: Hashable, Sendable {
    /// Neighbours are at most this far apart (geodesic, WGS84); at least 1 m.
    public var distance: Distance
    /// 1: single linkage. More: DBSCAN, core when at least this many points (itself included)
    /// are neighbours.
    public var minPoints: Int
    /// With a window, neighbours must also be time-neighbours (`TimeSpans.areNeighbors`).
    public var timeWindow: TimeSpan?
    /// Threads to use; the result does not depend on it.
    public var workers: Int

    public init(distance: Distance, minPoints: Int = 1, timeWindow: TimeSpan? = nil, workers: Int = 2) {
        self.distance = distance
        self.minPoints = minPoints
        self.timeWindow = timeWindow
        self.workers = workers
    }
}

/// The clusters of a point layer.
public struct ClusterAssignment: Hashable, Sendable {
    /// Cluster of each point, 0, 1, 2 … numbered by first appearance in input order; −1 for
    /// noise.
    public var clusters: [Int32]
    public var roles: [ClusterRole]
    /// Points in each cluster.
    public var sizes: [Int]

    public var clusterCount: Int { sizes.count }
}

/// Density and single-linkage clustering of points by geodesic distance, near-linear over a
/// `GeodesicGrid`, never all pairs.
///
/// - `minPoints ≤ 1`: single linkage, the connected components of the graph linking points
///   within `distance` (PostGIS `ST_ClusterWithin`); every point is `core`, a lone point is a
///   cluster of one.
/// - `minPoints > 1`: DBSCAN as PostGIS `ST_ClusterDBSCAN` and Turf `clustersDbscan`: a point is
///   core when at least `minPoints` points, itself included, lie within `distance`; core points
///   within `distance` of each other share a cluster; an edge point joins the cluster of the
///   **first core point in input order** within `distance` of it (what PostGIS does when it
///   walks the input in order; PostGIS documents the choice as arbitrary); the rest is noise.
/// - With a time window, "within" also requires `TimeSpans.areNeighbors`.
/// - Cluster numbers follow the first appearance of any member in input order, so the same
///   input gives the same numbers.
public enum PointClustering {
    /// Clusters points given as latitude/longitude arrays (degrees).
    /// - Throws: `SpatialError` for an invalid coordinate (naming its index), a distance under
    ///   1 m, or time spans of the wrong length.
    public static func cluster(latitudes: [Double], longitudes: [Double], times: TimeSpans? = nil, parameters: ClusterParameters) throws(SpatialError) -> ClusterAssignment {
        let grid = try GeodesicGrid(latitudes: latitudes, longitudes: longitudes, cellRadius: parameters.distance, workers: parameters.workers)
        return try cluster(grid: grid, times: times, parameters: parameters)
    }

    /// Clusters the points of a grid built for `parameters.distance`.
    public static func cluster(grid: GeodesicGrid, times: TimeSpans? = nil, parameters: ClusterParameters) throws(SpatialError) -> ClusterAssignment {
        guard grid.cellRadiusMeters == parameters.distance.meters else {
            throw SpatialError("the grid was built for \(Distance(meters: grid.cellRadiusMeters)), not \(parameters.distance)")
        }
        if parameters.timeWindow != nil {
            guard let times, times.startSeconds.count == grid.count, times.endSeconds.count == grid.count else {
                throw SpatialError("a time window needs the time span of every point (\(grid.count))")
            }
            for i in 0..<grid.count where !(times.startSeconds[i].isFinite && times.endSeconds[i] >= times.startSeconds[i]) {
                throw SpatialError(index: i, "time span \(times.startSeconds[i])…\(times.endSeconds[i]) is not an interval")
            }
            if let w = parameters.timeWindow, !(w.seconds >= 0 && w.seconds.isFinite) {
                throw SpatialError("the time window must be a non-negative duration, got \(w)")
            }
        }
        guard grid.count > 0 else { return ClusterAssignment(clusters: [], roles: [], sizes: []) }
        var engine = Engine(grid: grid, times: parameters.timeWindow == nil ? nil : times,
                            windowSeconds: parameters.timeWindow?.seconds ?? 0,
                            minPoints: max(1, parameters.minPoints), workers: max(1, parameters.workers))
        return engine.run()
    }
}

/// The clustering passes over one grid.
struct Engine {
    let grid: GeodesicGrid
    let times: TimeSpans?
    let windowSeconds: Double
    let minPoints: Int
    let workers: Int
    let test: RadiusTest

    init(grid: GeodesicGrid, times: TimeSpans?, windowSeconds: Double, minPoints: Int, workers: Int) {
        self.grid = grid
        self.times = times
        self.windowSeconds = windowSeconds
        self.minPoints = minPoints
        self.workers = workers
        test = RadiusTest(radiusMeters: grid.cellRadiusMeters)
    }

    /// Neighbours in space (and in time when a window is set).
    @inline(__always)
    func areNeighbors(_ i: Int, _ j: Int) -> Bool {
        if let times, !times.areNeighbors(i, j, windowSeconds: windowSeconds) { return false }
        return grid.isWithin(i, j, test)
    }

    @inline(__always)
    func candidateCells(of cell: Int, _ body: (Int) -> Void) {
        let b = grid.bounds(ofCell: cell)
        grid.forEachCandidateCell(latLo: b.latLo, latHi: b.latHi, lonLo: b.lonLo, lonHi: b.lonHi, radiusMeters: grid.cellRadiusMeters, body)
    }

    /// Work on cells split into small chunks dealt round-robin to the workers; each worker
    /// returns its own result, in worker order.
    func perWorker<T>(_ body: @escaping @Sendable (_ cells: [Range<Int>]) -> T) -> [T] {
        let cellCount = grid.occupiedCellCount
        let chunkSize = max(16, cellCount / (workers * 64) + 1)
        let chunks = stride(from: 0, to: cellCount, by: chunkSize).map { $0..<min(cellCount, $0 + chunkSize) }
        let w = min(workers, max(1, chunks.count))
        let results = ResultSlots<T>(count: w)
        DispatchQueue.concurrentPerform(iterations: w) { worker in
            let mine = stride(from: worker, to: chunks.count, by: w).map { chunks[$0] }
            results.set(worker, body(mine))
        }
        return results.values()
    }

    mutating func run() -> ClusterAssignment {
        let n = grid.count
        // 1. Core points.
        var isCore = [Bool](repeating: minPoints <= 1, count: n)
        if minPoints > 1 { isCore = corePoints() }
        // 2. Components of core points: over cells when every core point of a cell is within
        //    reach of the others (no time window), else over points.
        let byCell = times == nil
        let component = byCell ? cellComponents(isCore) : pointComponents(isCore)
        // 3. Edge points: the component of the first core point (input order) within reach.
        var roots = [Int32](repeating: -1, count: n)
        var roles = [ClusterRole](repeating: .noise, count: n)
        for i in 0..<n where isCore[i] {
            roots[i] = byCell ? component[Int(grid.cellOfPoint[i])] : component[i]
            roles[i] = .core
        }
        if minPoints > 1 {
            let firstCore = firstCoreNeighbors(isCore)
            for i in 0..<n where !isCore[i] && firstCore[i] >= 0 {
                let q = Int(firstCore[i])
                roots[i] = roots[q]
                roles[i] = .edge
            }
        }
        // 4. Numbers by first appearance.
        var number: [Int32: Int32] = [:]
        var clusters = [Int32](repeating: -1, count: n)
        var sizes: [Int] = []
        for i in 0..<n where roots[i] >= 0 {
            let id: Int32
            if let known = number[roots[i]] { id = known } else {
                id = Int32(sizes.count)
                number[roots[i]] = id
                sizes.append(0)
            }
            clusters[i] = id
            sizes[Int(id)] += 1
        }
        return ClusterAssignment(clusters: clusters, roles: roles, sizes: sizes)
    }

    /// DBSCAN core flags: a cell with at least `minPoints` points is all core when there is no
    /// time window (its points are all within reach of each other); other points count their
    /// neighbours until `minPoints`.
    func corePoints() -> [Bool] {
        let n = grid.count
        var isCore = [Bool](repeating: false, count: n)
        let engine = self
        isCore.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeSendable(buffer)
            _ = perWorker { chunks in
                for chunk in chunks {
                    for cell in chunk {
                        let own = engine.grid.points(ofCell: cell)
                        if engine.times == nil && own.count >= engine.minPoints {
                            for k in own { out.value[Int(engine.grid.order[k])] = true }
                            continue
                        }
                        var candidates: [Int] = []
                        engine.candidateCells(of: cell) { candidates.append($0) }
                        for k in own {
                            let i = Int(engine.grid.order[k])
                            var count = 0
                            search: for other in candidates {
                                if engine.times == nil && other == cell {
                                    count += own.count
                                    if count >= engine.minPoints { break search }
                                    continue
                                }
                                for m in engine.grid.points(ofCell: other) {
                                    let j = Int(engine.grid.order[m])
                                    if j == i || engine.areNeighbors(i, j) {
                                        count += 1
                                        if count >= engine.minPoints { break search }
                                    }
                                }
                            }
                            out.value[i] = count >= engine.minPoints
                        }
                    }
                }
                return 0
            }
        }
        return isCore
    }

    /// Root of each occupied cell's component, joining cells that hold core points within
    /// reach of each other (no time window).
    func cellComponents(_ isCore: [Bool]) -> [Int32] {
        let cellCount = grid.occupiedCellCount
        let allCore = minPoints <= 1
        // Core points of each cell (all of them for single linkage).
        var corePoints: [[Int32]] = []
        if !allCore {
            corePoints = (0..<cellCount).map { cell in grid.points(ofCell: cell).compactMap { k in isCore[Int(grid.order[k])] ? grid.order[k] : nil } }
        }
        let cores = corePoints
        let engine = self
        let edgeLists = perWorker { chunks -> [(Int32, Int32)] in
            var local = UnionFind(count: cellCount)
            var edges: [(Int32, Int32)] = []
            for chunk in chunks {
                for cell in chunk {
                    if !allCore && cores[cell].isEmpty { continue }
                    engine.candidateCells(of: cell) { other in
                        guard other > cell else { return }
                        if !allCore && cores[other].isEmpty { return }
                        guard local.find(Int32(cell)) != local.find(Int32(other)) else { return }
                        let linked = allCore
                            ? engine.anyPairWithin(engine.grid.points(ofCell: cell), engine.grid.points(ofCell: other))
                            : engine.anyPairWithin(cores[cell], cores[other])
                        if linked {
                            local.union(Int32(cell), Int32(other))
                            edges.append((Int32(cell), Int32(other)))
                        }
                    }
                }
            }
            return edges
        }
        var uf = UnionFind(count: cellCount)
        for edges in edgeLists { for (a, b) in edges { uf.union(a, b) } }
        return (0..<cellCount).map { uf.find(Int32($0)) }
    }

    @inline(__always)
    func anyPairWithin(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        for k in a {
            let i = Int(grid.order[k])
            for m in b where grid.isWithin(i, Int(grid.order[m]), test) { return true }
        }
        return false
    }

    @inline(__always)
    func anyPairWithin(_ a: [Int32], _ b: [Int32]) -> Bool {
        for i in a {
            for j in b where grid.isWithin(Int(i), Int(j), test) { return true }
        }
        return false
    }

    /// Root of each point's component, joining core points that are neighbours (time window).
    func pointComponents(_ isCore: [Bool]) -> [Int32] {
        let n = grid.count
        let engine = self
        let edgeLists = perWorker { chunks -> [(Int32, Int32)] in
            var local = UnionFind(count: n)
            var edges: [(Int32, Int32)] = []
            for chunk in chunks {
                for cell in chunk {
                    var candidates: [Int] = []
                    engine.candidateCells(of: cell) { candidates.append($0) }
                    for k in engine.grid.points(ofCell: cell) {
                        let i = Int(engine.grid.order[k])
                        guard isCore[i] else { continue }
                        for other in candidates {
                            for m in engine.grid.points(ofCell: other) {
                                let j = Int(engine.grid.order[m])
                                guard j > i, isCore[j], local.find(Int32(i)) != local.find(Int32(j)), engine.areNeighbors(i, j) else { continue }
                                local.union(Int32(i), Int32(j))
                                edges.append((Int32(i), Int32(j)))
                            }
                        }
                    }
                }
            }
            return edges
        }
        var uf = UnionFind(count: n)
        for edges in edgeLists { for (a, b) in edges { uf.union(a, b) } }
        return (0..<n).map { uf.find(Int32($0)) }
    }

    /// For each non-core point, the lowest-index core point that is its neighbour, or −1.
    func firstCoreNeighbors(_ isCore: [Bool]) -> [Int32] {
        let n = grid.count
        var first = [Int32](repeating: -1, count: n)
        let engine = self
        first.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeSendable(buffer)
            _ = perWorker { chunks in
                for chunk in chunks {
                    for cell in chunk {
                        let own = engine.grid.points(ofCell: cell)
                        guard own.contains(where: { !isCore[Int(engine.grid.order[$0])] }) else { continue }
                        var candidates: [Int] = []
                        engine.candidateCells(of: cell) { candidates.append($0) }
                        for k in own {
                            let i = Int(engine.grid.order[k])
                            guard !isCore[i] else { continue }
                            var best = Int.max
                            for other in candidates {
                                // Points of a cell are in input order: the first hit is the cell's lowest.
                                for m in engine.grid.points(ofCell: other) {
                                    let j = Int(engine.grid.order[m])
                                    if j >= best { break }
                                    if isCore[j] && engine.areNeighbors(i, j) { best = j; break }
                                }
                            }
                            if best != Int.max { out.value[i] = Int32(best) }
                        }
                    }
                }
                return 0
            }
        }
        return first
    }
}

/// One slot per worker for `concurrentPerform` results; each worker writes only its own slot
/// and `concurrentPerform` returns after all writes.
final class ResultSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int
    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    func set(_ i: Int, _ value: T) { slots[i] = value }
    func values() -> [T] { (0..<count).map { slots[$0]! } }
}
