import GeoCore
import GeoProj

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors of spatial analysis: bad input named by its index, or a request that cannot be met.
public enum SpatialError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Point `index` (0-based, input order) is not a longitude/latitude in degrees.
    case invalidCoordinate(index: Int, longitude: Double, latitude: Double)
    /// A parameter out of range (radius not positive, window negative, arrays of different lengths…).
    case invalidParameter(String)
    /// Time-window clustering needs a time span for every point.
    case missingTime(index: Int)
    /// Anything else, with a reason.
    case failed(String)

    public var description: String {
        switch self {
        case .invalidCoordinate(let i, let lon, let lat):
            "point \(i): longitude \(lon), latitude \(lat) is not a position (latitude must be within −90…90, both finite)"
        case .invalidParameter(let reason): reason
        case .missingTime(let i): "point \(i) has no time (event_date); a time window needs one for every point"
        case .failed(let reason): reason
        }
    }
}

/// A lat/lon grid over points for geodesic radius queries on WGS84, tied to one radius.
///
/// Rows are bands of latitude `cellHeightDegrees` high; each row is cut into equal longitude
/// cells whose width grows as 1/cos of the row's equatorward latitude, so that every cell is
/// at most 0.98 × radius across on the ground (meridian arc + parallel arc, with the largest
/// metres-per-degree of the ellipsoid). Points of one cell are therefore always within the
/// radius of each other (`cellsAreWithinRadius`), which clustering uses to link cells whole.
///
/// Queries look at the rows within the radius (at least 110 574 m per degree of latitude) and,
/// in each, at the longitudes within radius / (a·cos φ) of the cell, φ the most poleward
/// latitude the geodesic can reach; rows touching a pole, or ranges wider than 360°, are
/// scanned whole, and ranges wrap across the antimeridian. Candidates are rejected by a
/// conservative spherical bound (the WGS84 distance is within 0.9944…1.0045 of the distance on
/// the 6 371 008.8 m sphere) and confirmed with the exact geodesic (`geod_inverse`).
///
/// Points are stored sorted by cell (struct of arrays); `sortedIndex` maps back to input order.
/// Units: degrees, metres.
public struct GeodesicGrid: Sendable {
    public let radiusMeters: Double
    public let cellHeightDegrees: Double
    /// True when any two points of one cell are within the radius.
    public let cellsAreWithinRadius: Bool
    let rowCount: Int
    let maxColumns: Int64
    /// Degrees of latitude a geodesic of length radius can span (conservative).
    let reachLatitudeDegrees: Double

    /// Occupied cells, sorted by key (row × maxColumns + column).
    public private(set) var cellKeys: [Int64] = []
    /// Points of cell c are `cellStart[c]..<cellStart[c + 1]` in sorted order.
    public private(set) var cellStart: [Int32] = []
    /// Input index of each sorted point.
    public private(set) var sortedIndex: [Int32] = []
    public private(set) var sortedLatitudes: [Double] = []
    /// Longitudes reduced to −180…180.
    public private(set) var sortedLongitudes: [Double] = []
    var unitX: [Double] = [], unitY: [Double] = [], unitZ: [Double] = []
    /// Extent of each cell's points, degrees (longitudes reduced; a cell never crosses ±180).
    var cellMinLatitude: [Double] = [], cellMaxLatitude: [Double] = []
    var cellMinLongitude: [Double] = [], cellMaxLongitude: [Double] = []
    /// Squared chord (unit sphere) above which a pair is surely farther than the radius.
    let rejectChordSquared: Double
    /// Squared chord below which a pair is surely within the radius: on WGS84 a geodesic is at
    /// most max(M, N) / R ≤ 6 399.6 / 6 371.0 (1.0045) times the sphere's arc between the same
    /// latitudes and longitudes (the ellipsoid's radii of curvature against the mean radius,
    /// along the arc mapped onto it), taken as 1.006; 0 when the radius is too short to tell.
    let acceptChordSquared: Double
    /// `columns(row:)` of every row, worked out once when there are at most 2¹⁶ rows (radii
    /// of about 630 m and more); empty otherwise (each worked out when asked).
    private var rowColumns: [Int64] = []

    static let minMetersPerDegreeLatitude = 110_574.0  // meridian at the equator (slightly under 110 574.27)
    static let maxMetersPerDegree = 111_700.0  // meridian at the poles is 111 694 m, parallel at the equator 111 320 m
    static let equatorialRadius = 6_378_137.0
    static let sphereRadius = 6_371_008.8

    /// Indexes the points (degrees). Longitudes may be any finite value (reduced to −180…180);
    /// latitudes must be in −90…90.
    /// - Throws: `SpatialError.invalidCoordinate` naming the first bad point;
    ///   `.invalidParameter` for a radius that is not positive and finite.
    public init(longitudes: [Double], latitudes: [Double], radius: Distance) throws {
        guard longitudes.count == latitudes.count else {
            throw SpatialError.invalidParameter("\(longitudes.count) longitudes but \(latitudes.count) latitudes")
        }
        guard radius.meters > 0, radius.meters.isFinite else {
            throw SpatialError.invalidParameter("the radius must be a positive distance, got \(radius)")
        }
        for i in 0..<latitudes.count {
            let lat = latitudes[i], lon = longitudes[i]
            guard lat.isFinite, lon.isFinite, lat >= -90, lat <= 90 else {
                throw SpatialError.invalidCoordinate(index: i, longitude: lon, latitude: lat)
            }
        }
        radiusMeters = radius.meters
        // Below ~0.2 m the cells would be too many to number; they are then larger than the
        // radius and only used as buckets.
        let wanted = 0.49 * radius.meters / Self.maxMetersPerDegree
        cellHeightDegrees = min(180, max(wanted, 1e-6))
        cellsAreWithinRadius = wanted >= 1e-6
        rowCount = max(1, Int((180 / cellHeightDegrees).rounded(.up)))
        maxColumns = Int64((360 / cellHeightDegrees).rounded(.up)) + 1
        reachLatitudeDegrees = radius.meters / Self.minMetersPerDegreeLatitude * 1.000_001 + 1e-12
        let angle = min(Double.pi, radius.meters / (Self.sphereRadius * 0.994_4))
        rejectChordSquared = angle >= Double.pi ? 4.000_001 : pow(2 * sin(angle / 2), 2) * 1.000_001
        let sureAngle = min(Double.pi, radius.meters / (Self.sphereRadius * 1.006))
        acceptChordSquared = pow(2 * sin(sureAngle / 2), 2) * 0.999_999
        if rowCount <= 1 << 16 { rowColumns = (0..<rowCount).map(computedColumns) }
        build(longitudes: longitudes, latitudes: latitudes)
    }

    public var count: Int { sortedIndex.count }

    @inline(__always) func row(latitude: Double) -> Int {
        min(rowCount - 1, max(0, Int((latitude + 90) / cellHeightDegrees)))
    }

    /// Longitude cells in a row: each at most 0.49 × radius wide at the row's equatorward edge.
    @inline(__always) func columns(row: Int) -> Int64 {
        row < rowColumns.count ? rowColumns[row] : computedColumns(row: row)
    }

    private func computedColumns(row: Int) -> Int64 {
        let south = -90 + Double(row) * cellHeightDegrees
        let north = min(90, south + cellHeightDegrees)
        let equatorward = south > 0 ? south : (north < 0 ? -north : 0)
        let width = cellHeightDegrees / max(1e-12, cos(equatorward * .pi / 180))
        if width >= 360 { return 1 }
        return min(maxColumns, Int64((360 / width).rounded(.up)))
    }

    @inline(__always) static func reduced(_ longitude: Double) -> Double {
        if longitude >= -180 && longitude < 180 { return longitude }
        var x = (longitude + 180).truncatingRemainder(dividingBy: 360)
        if x < 0 { x += 360 }
        return x - 180
    }

    mutating func build(longitudes: [Double], latitudes: [Double]) {
        let n = latitudes.count
        var keys = [Int64](repeating: 0, count: n)
        var lastRow = -1, lastColumns: Int64 = 1
        var maxKey: Int64 = 0
        for i in 0..<n {
            let lat = latitudes[i], lon = Self.reduced(longitudes[i])
            let r = row(latitude: lat)
            if r != lastRow { lastRow = r; lastColumns = columns(row: r) }
            let c = min(lastColumns - 1, Int64((lon + 180) / 360 * Double(lastColumns)))
            keys[i] = Int64(r) * maxColumns + c
            maxKey = max(maxKey, keys[i])
        }
        // Points by (cell key, input index): a counting sort when the keys are few enough,
        // else a sort of packed or paired keys.
        var order = [Int32](repeating: 0, count: n)
        if n > 0 && maxKey < Int64(max(4 * n, 1 << 22)) {
            var counts = [Int32](repeating: 0, count: Int(maxKey) + 2)
            for k in keys { counts[Int(k) + 1] += 1 }
            for k in 1..<counts.count { counts[k] += counts[k - 1] }
            for i in 0..<n {
                let k = Int(keys[i])
                order[Int(counts[k])] = Int32(i)
                counts[k] += 1
            }
        } else if maxKey < Int64(UInt32.max) {
            var packed = (0..<n).map { UInt64(keys[$0]) << 32 | UInt64($0) }
            packed.sort()
            for s in 0..<n { order[s] = Int32(truncatingIfNeeded: packed[s] & 0xFFFF_FFFF) }
        } else {
            var pairs = (0..<n).map { (key: keys[$0], index: Int32($0)) }
            pairs.sort { $0.key < $1.key || ($0.key == $1.key && $0.index < $1.index) }
            for s in 0..<n { order[s] = pairs[s].index }
        }
        sortedIndex = order
        sortedLatitudes = order.map { latitudes[Int($0)] }
        sortedLongitudes = order.map { Self.reduced(longitudes[Int($0)]) }
        unitX = [Double](repeating: 0, count: n); unitY = unitX; unitZ = unitX
        for s in 0..<n {
            let phi = sortedLatitudes[s] * .pi / 180, lambda = sortedLongitudes[s] * .pi / 180
            let cosPhi = cos(phi)
            unitX[s] = cosPhi * cos(lambda); unitY[s] = cosPhi * sin(lambda); unitZ[s] = sin(phi)
        }
        cellKeys.removeAll(); cellStart.removeAll()
        for s in 0..<n where s == 0 || keys[Int(order[s])] != keys[Int(order[s - 1])] {
            cellKeys.append(keys[Int(order[s])])
            cellStart.append(Int32(s))
        }
        cellStart.append(Int32(n))
        let cells = cellKeys.count
        cellMinLatitude = [Double](repeating: 90, count: cells); cellMaxLatitude = [Double](repeating: -90, count: cells)
        cellMinLongitude = [Double](repeating: 180, count: cells); cellMaxLongitude = [Double](repeating: -180, count: cells)
        for c in 0..<cells {
            for s in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                cellMinLatitude[c] = min(cellMinLatitude[c], sortedLatitudes[s]); cellMaxLatitude[c] = max(cellMaxLatitude[c], sortedLatitudes[s])
                cellMinLongitude[c] = min(cellMinLongitude[c], sortedLongitudes[s]); cellMaxLongitude[c] = max(cellMaxLongitude[c], sortedLongitudes[s])
            }
        }
    }

    /// A box of latitudes × longitudes, degrees (longitudes reduced to −180…180; a box never
    /// crosses ±180).
    public struct Box: Sendable {
        public var minLatitude, maxLatitude, minLongitude, maxLongitude: Double

        /// The empty box: every `including` widens it.
        public static let empty = Box(minLatitude: 90, maxLatitude: -90, minLongitude: 180, maxLongitude: -180)

        @inline(__always) public mutating func include(latitude: Double, longitude: Double) {
            minLatitude = min(minLatitude, latitude); maxLatitude = max(maxLatitude, latitude)
            minLongitude = min(minLongitude, longitude); maxLongitude = max(maxLongitude, longitude)
        }
    }

    /// The extent of cell `c`'s points.
    @inline(__always) public func box(ofCell c: Int) -> Box {
        Box(minLatitude: cellMinLatitude[c], maxLatitude: cellMaxLatitude[c], minLongitude: cellMinLongitude[c], maxLongitude: cellMaxLongitude[c])
    }

    /// A lower bound in metres on the geodesic distance between any point of box `a` and any
    /// point of box `b`: the latitude gap at 110 574 m per degree, or the distance to the
    /// meridian plane at the longitude gap on the sphere (asin(cos φ · sin Δλ), φ the most
    /// poleward latitude) scaled by 0.9944 to the ellipsoid; 0 when the boxes may be more than
    /// 90° of longitude apart.
    @inline(__always) public static func gapLowerBoundMeters(_ a: Box, _ b: Box) -> Double {
        let latGap = max(0, b.minLatitude - a.maxLatitude, a.minLatitude - b.maxLatitude)
        let byLatitude = latGap * minMetersPerDegreeLatitude
        // Longitude gap on the circle, and the widest separation of the two boxes.
        var lonGap = max(0, b.minLongitude - a.maxLongitude, a.minLongitude - b.maxLongitude)
        let spread = max(b.maxLongitude, a.maxLongitude) - min(b.minLongitude, a.minLongitude)
        let poleward = max(abs(a.minLatitude), abs(a.maxLatitude), abs(b.minLatitude), abs(b.maxLatitude))
        if spread > 180 {
            // Nearer the other way round the antimeridian.
            lonGap = max(0, 360 - spread)
            if lonGap + (a.maxLongitude - a.minLongitude) + (b.maxLongitude - b.minLongitude) > 90 || poleward >= 90 { return byLatitude }
            return max(byLatitude, sphereRadius * 0.994_4 * asin(min(1, cos(poleward * .pi / 180) * sin(lonGap * .pi / 180))))
        }
        if lonGap == 0 || spread > 90 || poleward >= 90 { return byLatitude }
        return max(byLatitude, sphereRadius * 0.994_4 * asin(min(1, cos(poleward * .pi / 180) * sin(lonGap * .pi / 180))))
    }

    /// `gapLowerBoundMeters` between a box and cell `d`'s points.
    @inline(__always) func gapLowerBoundMeters(
        minLatitude: Double, maxLatitude: Double, minLongitude: Double, maxLongitude: Double, cell d: Int
    ) -> Double {
        Self.gapLowerBoundMeters(
            Box(minLatitude: minLatitude, maxLatitude: maxLatitude, minLongitude: minLongitude, maxLongitude: maxLongitude), box(ofCell: d))
    }

    /// False when no point of cell `d` can be within the radius of any point of cell `c`.
    @inline(__always) public func cellsMayBeWithinRadius(_ c: Int, _ d: Int) -> Bool {
        gapLowerBoundMeters(
            minLatitude: cellMinLatitude[c], maxLatitude: cellMaxLatitude[c],
            minLongitude: cellMinLongitude[c], maxLongitude: cellMaxLongitude[c], cell: d) <= radiusMeters
    }

    /// False when no point of cell `d` can be within the radius of sorted point `s`.
    @inline(__always) public func pointMayBeWithinRadius(_ s: Int, cell d: Int) -> Bool {
        let lat = sortedLatitudes[s], lon = sortedLongitudes[s]
        return gapLowerBoundMeters(minLatitude: lat, maxLatitude: lat, minLongitude: lon, maxLongitude: lon, cell: d) <= radiusMeters
    }

    public var cellCount: Int { cellKeys.count }

    /// Sorted positions of the points of cell `c`.
    @inline(__always) public func points(ofCell c: Int) -> Range<Int> { Int(cellStart[c])..<Int(cellStart[c + 1]) }

    /// Calls `body` with every occupied cell that may hold a point within the radius of a point
    /// of cell `c` (including `c` itself).
    public func forEachCandidateCell(of c: Int, _ body: (Int) -> Void) {
        candidateKeyRanges(ofKey: cellKeys[c]) { low, high in
            visit(low, high) { d in if cellsMayBeWithinRadius(c, d) { body(d) } }
        }
    }

    /// Ranges of cell keys (inclusive) that may hold a point within the radius of a point of
    /// the cell with this key, occupied or not: whole rows near the poles or for wide reaches,
    /// two ranges where the reach crosses the antimeridian.
    func candidateKeyRanges(ofKey key: Int64, _ body: (Int64, Int64) -> Void) {
        let r = Int(key / maxColumns), col = key % maxColumns
        let cols = columns(row: r)
        let west = -180 + Double(col) * 360 / Double(cols), east = -180 + Double(col + 1) * 360 / Double(cols)
        let south = -90 + Double(r) * cellHeightDegrees, north = south + cellHeightDegrees
        let lowLat = south - reachLatitudeDegrees, highLat = north + reachLatitudeDegrees
        let firstRow = max(0, row(latitude: max(-90, lowLat))), lastRow = min(rowCount - 1, row(latitude: min(90, highLat)))
        let poleward = max(abs(lowLat), abs(highLat))
        var reachLongitude = 360.0
        if poleward < 90 && cols > 1 {
            reachLongitude = radiusMeters / (Self.equatorialRadius * cos(poleward * .pi / 180)) * 180 / .pi * 1.000_001 + 1e-9
        }
        for q in firstRow...lastRow {
            let qCols = columns(row: q)
            let base = Int64(q) * maxColumns
            if reachLongitude >= 180 || qCols == 1 { body(base, base + qCols - 1); continue }
            let from = Int64(((west - reachLongitude + 180) / 360 * Double(qCols)).rounded(.down))
            let to = Int64(((east + reachLongitude + 180) / 360 * Double(qCols)).rounded(.down))
            if to - from + 1 >= qCols {
                body(base, base + qCols - 1)
            } else if from < 0 {
                body(base, base + to); body(base + from + qCols, base + qCols - 1)
            } else if to >= qCols {
                body(base, base + to - qCols); body(base + from, base + qCols - 1)
            } else {
                body(base + from, base + to)
            }
        }
    }

    @inline(__always) func visit(_ lowKey: Int64, _ highKey: Int64, _ body: (Int) -> Void) {
        var lo = 0, hi = cellKeys.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cellKeys[mid] < lowKey { lo = mid + 1 } else { hi = mid }
        }
        while lo < cellKeys.count && cellKeys[lo] <= highKey {
            body(lo)
            lo += 1
        }
    }

    /// Whether sorted points `a` and `b` are within the radius: spherical rejection and
    /// acceptance with their margins, then the exact geodesic distance (`geod_inverse`).
    @inline(__always) public func withinRadius(_ a: Int, _ b: Int) -> Bool {
        let dx = unitX[a] - unitX[b], dy = unitY[a] - unitY[b], dz = unitZ[a] - unitZ[b]
        let chordSquared = dx * dx + dy * dy + dz * dz
        if chordSquared > rejectChordSquared { return false }
        if chordSquared < acceptChordSquared { return true }
        return geodesicMeters(a, b) <= radiusMeters
    }

    /// Exact geodesic distance in metres between sorted points `a` and `b`.
    @inline(__always) public func geodesicMeters(_ a: Int, _ b: Int) -> Double {
        Geodesic.wgs84.distanceMetersUnchecked(
            latitude1: sortedLatitudes[a], longitude1: sortedLongitudes[a],
            latitude2: sortedLatitudes[b], longitude2: sortedLongitudes[b]
        )
    }

    /// Calls `body` with the sorted index and squared chord (unit sphere) of every point the
    /// spherical test cannot rule out of the radius of a position (degrees), in no particular
    /// order. Nothing for an invalid position.
    @inline(__always) private func forEachUnrejected(longitude: Double, latitude: Double, _ body: (_ s: Int, _ chordSquared: Double) -> Void) {
        guard let (key, lon) = cellKey(longitude: longitude, latitude: latitude) else { return }
        let (ux, uy, uz) = Self.unitVector(longitude: lon, latitude: latitude)
        candidateKeyRanges(ofKey: key) { low, high in
            visit(low, high) { cell in
                for s in points(ofCell: cell) {
                    let dx = ux - unitX[s], dy = uy - unitY[s], dz = uz - unitZ[s]
                    let chordSquared = dx * dx + dy * dy + dz * dz
                    if chordSquared <= rejectChordSquared { body(s, chordSquared) }
                }
            }
        }
    }

    /// The key of the cell of a position (degrees) and its longitude reduced; nil when it is
    /// not a position or there are no points.
    @inline(__always) private func cellKey(longitude: Double, latitude: Double) -> (key: Int64, longitude: Double)? {
        guard count > 0, latitude.isFinite, longitude.isFinite, abs(latitude) <= 90 else { return nil }
        let lon = Self.reduced(longitude)
        let r = row(latitude: latitude), cols = columns(row: r)
        let c = min(cols - 1, Int64((lon + 180) / 360 * Double(cols)))
        return (Int64(r) * maxColumns + c, lon)
    }

    /// The point on the unit sphere of a position (degrees, longitude reduced).
    @inline(__always) private static func unitVector(longitude: Double, latitude: Double) -> (Double, Double, Double) {
        let phi = latitude * .pi / 180, lambda = longitude * .pi / 180
        return (cos(phi) * cos(lambda), cos(phi) * sin(lambda), sin(phi))
    }

    /// The points of the cells a query from each cell looks at, worked out once per cell for
    /// the many queries of one grid (`candidates(longitude:latitude:cache:_:)`): up to 2¹⁶ cells
    /// and 2²² points (16 MB). One cache per grid.
    public struct CandidateCache {
        var ranges: [Int64: Range<Int>] = [:]
        var points: [Int32] = []

        public init() {}
    }

    /// `candidates(longitude:latitude:_:)`, the same points in the same order, with the points
    /// of the cells to look at taken from `cache` when the position's cell was asked before.
    public func candidates(longitude: Double, latitude: Double, cache: inout CandidateCache,
                           _ body: (_ sortedIndex: Int, _ lowerBoundMeters: Double) -> Void) {
        guard let (key, lon) = cellKey(longitude: longitude, latitude: latitude) else { return }
        var range = cache.ranges[key]
        let kept = range != nil
        if range == nil {
            let first = cache.points.count
            candidateKeyRanges(ofKey: key) { low, high in
                visit(low, high) { cell in
                    for s in points(ofCell: cell) { cache.points.append(Int32(s)) }
                }
            }
            range = first..<cache.points.count
        }
        let (ux, uy, uz) = Self.unitVector(longitude: lon, latitude: latitude)
        for j in range! {
            let s = Int(cache.points[j])
            let dx = ux - unitX[s], dy = uy - unitY[s], dz = uz - unitZ[s]
            let chordSquared = dx * dx + dy * dy + dz * dz
            if chordSquared <= rejectChordSquared { body(s, Self.lowerBoundMeters(chordSquared: chordSquared)) }
        }
        if !kept {
            if cache.ranges.count < 1 << 16, cache.points.count <= 1 << 22 { cache.ranges[key] = range } else { cache.points.removeSubrange(range!) }
        }
    }

    /// Calls `body` with the sorted index and a lower bound of the geodesic distance (metres) of
    /// every point the spherical test cannot rule out of the radius of a position (degrees), in
    /// no particular order; `exactMeters` gives a candidate's distance as `query` measures it.
    /// The bound is 0.9944 × the distance on the 6 371 008.8 m sphere (the sphere through the
    /// geodetic latitudes: the ellipsoid's radii of curvature are at least 0.99442 of it), less
    /// 1 µm and a relative 1e-9 for rounding. Nothing for an invalid position.
    public func candidates(longitude: Double, latitude: Double, _ body: (_ sortedIndex: Int, _ lowerBoundMeters: Double) -> Void) {
        forEachUnrejected(longitude: longitude, latitude: latitude) { s, chordSquared in
            body(s, Self.lowerBoundMeters(chordSquared: chordSquared))
        }
    }

    /// `candidates`' lower bound of the geodesic distance (metres) for a squared chord of the unit sphere.
    @inline(__always) private static func lowerBoundMeters(chordSquared: Double) -> Double {
        let angle = 2 * asin(min(1, chordSquared.squareRoot() / 2))
        return max(0, sphereRadius * 0.994_4 * (1 - 1e-9) * angle - 1e-6)
    }

    /// The geodesic distance (metres) from a position (degrees) to sorted point `s`, exactly as
    /// `query` measures it (`geod_inverse`).
    @inline(__always) public func exactMeters(longitude: Double, latitude: Double, to s: Int) -> Double {
        Geodesic.wgs84.distanceMetersUnchecked(
            latitude1: latitude, longitude1: Self.reduced(longitude), latitude2: sortedLatitudes[s], longitude2: sortedLongitudes[s]
        )
    }

    /// `exactMeters` with the azimuths at both ends (degrees; `geod_inverse` from the position
    /// to sorted point `s`).
    @inline(__always) public func exactInverse(longitude: Double, latitude: Double, to s: Int) -> Geodesic.Inverse {
        Geodesic.wgs84.inverseUnchecked(
            latitude1: latitude, longitude1: Self.reduced(longitude), latitude2: sortedLatitudes[s], longitude2: sortedLongitudes[s]
        )
    }

    /// Calls `body` with the input index and geodesic distance (metres) of every point within
    /// the radius of a position (degrees), in no particular order. Nothing for an invalid position.
    public func query(longitude: Double, latitude: Double, _ body: (_ inputIndex: Int, _ distanceMeters: Double) -> Void) {
        forEachUnrejected(longitude: longitude, latitude: latitude) { s, _ in
            let d = exactMeters(longitude: longitude, latitude: latitude, to: s)
            if d <= radiusMeters { body(Int(sortedIndex[s]), d) }
        }
    }
}
