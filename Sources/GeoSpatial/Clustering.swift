import GeoCore

/// The role of a point in a density clustering (the names Turf's `clustersDbscan` writes).
public enum ClusterRole: String, Hashable, Sendable {
    /// At least `minPoints` points (itself included) lie within the distance.
    case core
    /// Not core, but within the distance of a core point: joins that core point's cluster.
    case edge
    /// Neither: no cluster.
    case noise
}

/// Cluster of each point, ids 0, 1, 2… in order of first appearance in the input.
public struct ClusterAssignment: Hashable, Sendable {
    /// Cluster id of each input point, nil for noise.
    public var clusterIDs: [Int?]
    public var roles: [ClusterRole]
    public var clusterCount: Int

    /// Input indices of each cluster's points, in input order.
    public var members: [[Int]] {
        var lists = [[Int]](repeating: [], count: clusterCount)
        for (i, id) in clusterIDs.enumerated() { if let id { lists[id].append(i) } }
        return lists
    }
}

/// Geodesic clustering of points on WGS84 (degrees; distances in metres via `Distance`).
///
/// - `minPoints ≤ 1`: single linkage, the connected components of the graph "within the
///   distance" (PostGIS `ST_ClusterWithin`); every point is `core`.
/// - `minPoints > 1`: DBSCAN (PostGIS `ST_ClusterDBSCAN`, Turf `clustersDbscan`): a point is
///   core when at least `minPoints` points, itself included, are within the distance; cores
///   within the distance of each other share a cluster; a non-core point within the distance
///   of a core point is an `edge` of the cluster of **its core neighbour with the lowest input
///   index** (so an edge point reachable from two clusters always goes to the same one, and
///   never links them); the rest is `noise`.
/// - With a time window, two points are neighbours only when they are within the distance
///   **and** the gap between their time spans (0 when they overlap) is at most the window.
///
/// Ids are 0, 1, 2… by the first input point (core or edge) of each cluster, so the same input
/// gives the same ids. Distances are exact geodesics (`GeodesicGrid`); the work is near-linear:
/// without a time window points of one grid cell are linked whole and neighbouring cells by
/// the first close pair found (`CoreTiles`); with one, each point's candidates are the points of its
/// neighbouring cells.
public enum SpatialClustering {
    public static func cluster(
        longitudes: [Double], latitudes: [Double], within distance: Distance, minPoints: Int = 1,
        timeWindow: TimeSpan? = nil, times: TimeSpans? = nil
    ) throws -> ClusterAssignment {
        let n = latitudes.count
        if let timeWindow {
            guard timeWindow.seconds >= 0, timeWindow.seconds.isFinite else {
                throw SpatialError.invalidParameter("the time window must be zero or more, got \(timeWindow)")
            }
            guard let times, times.startSeconds.count == n, times.endSeconds.count == n else {
                throw SpatialError.invalidParameter("a time window needs a time span for each of the \(n) points")
            }
            for i in 0..<n where !(times.startSeconds[i].isFinite && times.endSeconds[i].isFinite) {
                throw SpatialError.missingTime(index: i)
            }
        }
        let grid = try GeodesicGrid(longitudes: longitudes, latitudes: latitudes, radius: distance)
        if n == 0 { return ClusterAssignment(clusterIDs: [], roles: [], clusterCount: 0) }

        // Times in sorted (cell) order.
        var sortedStart: [Double] = [], sortedEnd: [Double] = []
        let windowSeconds = timeWindow?.seconds ?? .infinity
        if timeWindow != nil, let times {
            sortedStart = grid.sortedIndex.map { times.startSeconds[Int($0)] }
            sortedEnd = grid.sortedIndex.map { times.endSeconds[Int($0)] }
        }
        let useTime = timeWindow != nil
        @inline(__always) func neighbours(_ a: Int, _ b: Int) -> Bool {
            if useTime {
                let gap = max(sortedStart[a], sortedStart[b]) - min(sortedEnd[a], sortedEnd[b])
                if gap > windowSeconds { return false }
            }
            return grid.withinRadius(a, b)
        }
        // Whole cells are neighbourhoods only without a time window.
        let wholeCells = grid.cellsAreWithinRadius && !useTime
        // With one, a point's candidates in a cell are those whose starts lie near its span.
        let timed = useTime ? TimeSortedCells(grid: grid, starts: sortedStart, ends: sortedEnd) : nil
        /// Calls `body` with the points of cell `d` that may be neighbours of point `a` in time
        /// (all of them without a time window), in no particular order.
        @inline(__always) func forEachCandidate(of a: Int, inCell d: Int, _ body: (Int) -> Bool) {
            if let timed {
                // A second wider either side: the exact test (`neighbours`) decides, whatever the rounding here.
                timed.forEachPoint(inCell: d, startingFrom: sortedStart[a] - windowSeconds - 1, to: sortedEnd[a] + windowSeconds + 1, body)
            } else {
                for b in grid.points(ofCell: d) where !body(b) { return }
            }
        }

        var isCore = [Bool](repeating: minPoints <= 1, count: n)
        var candidates: [Int] = []
        candidates.reserveCapacity(64)
        func collectCandidates(_ c: Int) {
            candidates.removeAll(keepingCapacity: true)
            grid.forEachCandidateCell(of: c) { candidates.append($0) }
        }

        // 1. Core points.
        if minPoints > 1 {
            for c in 0..<grid.cellCount {
                let own = grid.points(ofCell: c)
                if wholeCells && own.count >= minPoints {
                    for s in own { isCore[s] = true }
                    continue
                }
                collectCandidates(c)
                for a in own {
                    var count = wholeCells ? own.count : 0
                    for d in candidates where !(wholeCells && d == c) && grid.pointMayBeWithinRadius(a, cell: d) {
                        forEachCandidate(of: a, inCell: d) { b in
                            if neighbours(a, b) { count += 1 }
                            return count < minPoints
                        }
                        if count >= minPoints { break }
                    }
                    isCore[a] = count >= minPoints
                }
            }
        }

        // 2. Link core points (union–find over sorted positions).
        // Through a pointer: an array captured by the nested functions below was boxed, and each
        // of their reads and writes checked for exclusive access at run time.
        let parent = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
        defer { parent.deallocate() }
        for i in 0..<n { parent[i] = Int32(i) }
        @inline(__always) func find(_ x: Int) -> Int {
            var x = x
            while Int(parent[x]) != x {
                let up = Int(parent[Int(parent[x])])
                parent[x] = Int32(up)
                x = up
            }
            return x
        }
        @inline(__always) func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra < rb { parent[rb] = Int32(ra) } else if rb < ra { parent[ra] = Int32(rb) }
        }
        if wholeCells {
            var firstCore = [Int32](repeating: -1, count: grid.cellCount)
            for c in 0..<grid.cellCount {
                for s in grid.points(ofCell: c) where isCore[s] {
                    if firstCore[c] < 0 { firstCore[c] = Int32(s) } else { union(Int(firstCore[c]), s) }
                }
            }
            let tiles = CoreTiles(grid: grid, isCore: isCore)
            for c in 0..<grid.cellCount where firstCore[c] >= 0 {
                collectCandidates(c)
                for d in candidates where d > c && firstCore[d] >= 0 {
                    if find(Int(firstCore[c])) == find(Int(firstCore[d])) { continue }
                    if let (a, b) = tiles.closePair(grid, c, d) { union(a, b) }
                }
            }
        } else {
            for c in 0..<grid.cellCount {
                collectCandidates(c)
                for a in grid.points(ofCell: c) where isCore[a] {
                    for d in candidates where d >= c && grid.pointMayBeWithinRadius(a, cell: d) {
                        forEachCandidate(of: a, inCell: d) { b in
                            if b > a && isCore[b] && find(a) != find(b) && neighbours(a, b) { union(a, b) }
                            return true
                        }
                    }
                }
            }
        }

        // 3. Edge points: the cluster of the core neighbour with the lowest input index.
        var edgeOf = [Int32](repeating: -1, count: minPoints > 1 ? n : 0)
        if minPoints > 1 {
            for c in 0..<grid.cellCount {
                var collected = false
                for a in grid.points(ofCell: c) where !isCore[a] {
                    if !collected { collectCandidates(c); collected = true }
                    var bestInput = Int32.max, best = -1
                    for d in candidates where grid.pointMayBeWithinRadius(a, cell: d) {
                        forEachCandidate(of: a, inCell: d) { b in
                            if isCore[b] && grid.sortedIndex[b] < bestInput && neighbours(a, b) {
                                bestInput = grid.sortedIndex[b]
                                best = b
                            }
                            return true
                        }
                    }
                    edgeOf[a] = Int32(best)
                }
            }
        }

        // 4. Ids by first appearance in input order.
        var positionOfInput = [Int32](repeating: 0, count: n)
        for (s, i) in grid.sortedIndex.enumerated() { positionOfInput[Int(i)] = Int32(s) }
        var idOfRoot = [Int32](repeating: -1, count: n)
        var ids = [Int?](repeating: nil, count: n)
        var roles = [ClusterRole](repeating: .noise, count: n)
        var next: Int32 = 0
        for i in 0..<n {
            let s = Int(positionOfInput[i])
            let anchor: Int
            if isCore[s] {
                anchor = s
                roles[i] = .core
            } else if edgeOf[s] >= 0 {
                anchor = Int(edgeOf[s])
                roles[i] = .edge
            } else {
                continue
            }
            let root = find(anchor)
            if idOfRoot[root] < 0 { idOfRoot[root] = next; next += 1 }
            ids[i] = Int(idOfRoot[root])
        }
        return ClusterAssignment(clusterIDs: ids, roles: roles, clusterCount: Int(next))
    }
}

/// Each grid cell's points by the start of their time spans, with the cell's longest span,
/// for clustering with a time window: two spans are within the window of each other only
/// when the later start is at most the window after the earlier end, so a point's
/// candidates in a cell are those starting from its start less the window and the cell's
/// longest span, to its end plus the window (two binary searches).
struct TimeSortedCells {
    /// Cell c's points (sorted positions) by start: `positions[cellStart[c]..<cellStart[c + 1]]`.
    private var positions: [Int32]
    private var starts: [Double]
    private var longest: [Double]
    private let cellStart: [Int32]

    /// `starts` and `ends`: seconds, by sorted position.
    init(grid: GeodesicGrid, starts byPosition: [Double], ends: [Double]) {
        cellStart = grid.cellStart
        positions = []
        positions.reserveCapacity(byPosition.count)
        longest = []
        longest.reserveCapacity(grid.cellCount)
        for c in 0..<grid.cellCount {
            let own = grid.points(ofCell: c)
            positions += own.sorted { byPosition[$0] < byPosition[$1] }.map(Int32.init)
            longest.append(own.reduce(0) { max($0, ends[$1] - byPosition[$1]) })
        }
        starts = positions.map { byPosition[Int($0)] }
    }

    /// Calls `body` with the points of cell `d` whose spans may reach `[from, to]` (seconds),
    /// until it returns false.
    @inline(__always)
    func forEachPoint(inCell d: Int, startingFrom from: Double, to: Double, _ body: (Int) -> Bool) {
        let cell = Int(cellStart[d])..<Int(cellStart[d + 1])
        starts.withUnsafeBufferPointer { starts in
            // The first start at or after `from − longest`; then up to the last at or before `to`.
            var lo = cell.lowerBound, hi = cell.upperBound
            let earliest = from - longest[d]
            while lo < hi {
                let mid = (lo + hi) >> 1
                if starts[mid] < earliest { lo = mid + 1 } else { hi = mid }
            }
            var k = lo
            while k < cell.upperBound && starts[k] <= to {
                if !body(Int(positions[k])) { return }
                k += 1
            }
        }
    }
}

/// The core points of each grid cell in tiles of about eight points, each tile bounded by a
/// ball in 3-D (centre and chord radius on the unit sphere), so that looking for a close pair
/// between two cells checks only the points of tiles that may be within the radius of each
/// other. Dense data (thousands of events around each town, towns 40–70 km apart) would
/// otherwise check millions of pairs for each two cells that hold no close pair.
///
/// The bound is the triangle inequality: two points of tiles with centres `p`, `q` and radii
/// `ρ`, `σ` are at least |p − q| − ρ − σ apart as chords, so a tile pair is skipped when that
/// exceeds the grid's rejection chord (`GeodesicGrid.rejectChordSquared`), the same
/// conservative test `withinRadius` applies to each pair before the exact geodesic.
struct CoreTiles {
    /// Tiles of cell c: `cellTileStart[c]..<cellTileStart[c + 1]`.
    private var cellTileStart: [Int32] = [0]
    /// Sorted positions of tile t: `members[memberStart[t]..<memberStart[t + 1]]`.
    private var memberStart: [Int32] = [0]
    private var members: [Int32] = []
    private var tileBalls: [Ball] = []
    /// The ball of each cell's core points.
    private var cellBalls: [Ball] = []

    /// A centre (not on the sphere) and the chord distance from it to the farthest member.
    struct Ball {
        var x = 0.0, y = 0.0, z = 0.0, radius = 0.0

        init(_ grid: GeodesicGrid, _ points: ArraySlice<Int32>) {
            for s in points { x += grid.unitX[Int(s)]; y += grid.unitY[Int(s)]; z += grid.unitZ[Int(s)] }
            let n = Double(max(1, points.count))
            x /= n; y /= n; z /= n
            var farthest = 0.0
            for s in points {
                let dx = grid.unitX[Int(s)] - x, dy = grid.unitY[Int(s)] - y, dz = grid.unitZ[Int(s)] - z
                farthest = max(farthest, dx * dx + dy * dy + dz * dz)
            }
            // A hair wider than the rounding of these sums.
            radius = farthest.squareRoot() * (1 + 1e-12) + 1e-15
        }

        /// Whether a point of one ball may be within `chord` of a point of the other.
        @inline(__always) func mayReach(_ other: Ball, within chord: Double) -> Bool {
            let dx = x - other.x, dy = y - other.y, dz = z - other.z
            let reach = chord + radius + other.radius
            return dx * dx + dy * dy + dz * dz <= reach * reach
        }
    }

    init(grid: GeodesicGrid, isCore: [Bool]) {
        members.reserveCapacity(grid.count)
        var core: [Int32] = [], tileOf: [Int32] = []
        for c in 0..<grid.cellCount {
            core.removeAll(keepingCapacity: true)
            var box = GeodesicGrid.Box.empty
            for s in grid.points(ofCell: c) where isCore[s] {
                core.append(Int32(s))
                box.include(latitude: grid.sortedLatitudes[s], longitude: grid.sortedLongitudes[s])
            }
            cellBalls.append(Ball(grid, core[...]))
            // k × k tiles over the cell's core extent, about 8 points a tile, at most 32 × 32.
            let k = core.count <= 16 ? 1 : min(32, Int((Double(core.count) / 8).squareRoot().rounded(.up)))
            let latStep = (box.maxLatitude - box.minLatitude) / Double(k), lonStep = (box.maxLongitude - box.minLongitude) / Double(k)
            @inline(__always) func index(_ value: Double, _ low: Double, _ step: Double) -> Int {
                step > 0 ? min(k - 1, max(0, Int((value - low) / step))) : 0
            }
            tileOf.removeAll(keepingCapacity: true)
            var counts = [Int32](repeating: 0, count: k * k + 1)
            for s in core {
                let t = index(grid.sortedLatitudes[Int(s)], box.minLatitude, latStep) * k
                    + index(grid.sortedLongitudes[Int(s)], box.minLongitude, lonStep)
                tileOf.append(Int32(t))
                counts[t + 1] += 1
            }
            for t in 0..<k * k { counts[t + 1] += counts[t] }
            let base = members.count
            members.append(contentsOf: repeatElement(0, count: core.count))
            var next = counts
            for (i, s) in core.enumerated() {
                let t = Int(tileOf[i])
                members[base + Int(next[t])] = s
                next[t] += 1
            }
            for t in 0..<k * k where counts[t + 1] > counts[t] {
                tileBalls.append(Ball(grid, members[(base + Int(counts[t]))..<(base + Int(counts[t + 1]))]))
                memberStart.append(Int32(base + Int(counts[t + 1])))
            }
            cellTileStart.append(Int32(tileBalls.count))
        }
    }

    /// A pair of core points, one of cell `c` and one of cell `d`, within the radius; nil when
    /// there is none. Pairs are confirmed with `withinRadius` (the exact geodesic).
    func closePair(_ grid: GeodesicGrid, _ c: Int, _ d: Int) -> (Int, Int)? {
        let chord = grid.rejectChordSquared.squareRoot()
        guard cellBalls[c].mayReach(cellBalls[d], within: chord) else { return nil }
        let tilesOfD = (Int(cellTileStart[d])..<Int(cellTileStart[d + 1])).filter { tileBalls[$0].mayReach(cellBalls[c], within: chord) }
        if tilesOfD.isEmpty { return nil }
        for tc in Int(cellTileStart[c])..<Int(cellTileStart[c + 1]) where tileBalls[tc].mayReach(cellBalls[d], within: chord) {
            for td in tilesOfD where tileBalls[tc].mayReach(tileBalls[td], within: chord) {
                for m in Int(memberStart[tc])..<Int(memberStart[tc + 1]) {
                    let a = Int(members[m])
                    for n in Int(memberStart[td])..<Int(memberStart[td + 1]) where grid.withinRadius(a, Int(members[n])) {
                        return (a, Int(members[n]))
                    }
                }
            }
        }
        return nil
    }
}
