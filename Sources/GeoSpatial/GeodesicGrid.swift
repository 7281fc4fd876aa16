import Dispatch
import GeoCore
import GeoProj

/// A neighbour index over points for geodesic radius queries on WGS84: a latitude/longitude
/// grid whose cells are sized from a distance, with every candidate confirmed by the exact
/// geodesic distance (`Geodesic.inverseUnchecked`, PROJ's `geod_inverse`).
///
/// Cells: rows are `r / 2` high (in degrees of latitude at the poles, where a degree is
/// longest); each row is cut into as many equal columns as needed for a column to be at most
/// `r / 2` wide along the row's equatorward edge (where the parallel is longest), so any two
/// points of one cell are within `r` of each other (meridian arc + parallel arc ≤ r). Rows near
/// the poles have few columns, the polar rows one.
///
/// Queries: a point `d` metres from P differs from it in latitude by at most
/// `d / 110 574 m` degrees (the shortest degree of latitude, at the equator) and in longitude
/// by at most `d / p(φ)` degrees, where p(φ) is the length of a degree of longitude at the most
/// poleward latitude the geodesic can reach, `|φ_P| + Δφ`; when that passes a pole every
/// column is searched. Column ranges wrap around the antimeridian.
///
/// Distances: candidates are rejected when their straight-line (3-D chord) distance exceeds
/// the radius, since a geodesic is never shorter than the chord. For radii up to 500 km a
/// candidate whose chord is below `radius × (1 − 10⁻³)` is accepted without `geod_inverse`:
/// a geodesic exceeds its chord `c` by at most `c³ / (24ρ²)` with ρ ≥ 6 300 km the smallest
/// radius of curvature of a plane section of the ellipsoid (≤ 2.6·10⁻⁴ of `c` at 500 km), four
/// times inside that margin. Every other candidate gets the exact geodesic distance.
///
/// The index is an immutable value and may be shared across threads.
public struct GeodesicGrid: Sendable {
    /// The distance the cells are sized for, metres.
    public let cellRadiusMeters: Double
    public var count: Int { latitudes.count }
    public let latitudes: [Double]
    public let longitudes: [Double]
    /// Earth-centred Cartesian coordinates of the points, metres.
    let x: [Double], y: [Double], z: [Double]
    /// Row height, degrees of latitude.
    let rowHeight: Double
    let rowCount: Int
    /// Occupied cells, ascending by key (row << 32 | column).
    let cellKeys: [UInt64]
    /// Start of each occupied cell's points in `order`; one more entry than `cellKeys`.
    let cellStarts: [Int32]
    /// Point indices sorted by cell, ascending input index within a cell.
    let order: [Int32]
    /// The occupied-cell ordinal of each point.
    let cellOfPoint: [Int32]
    let geodesic = Geodesic.wgs84

    /// Smallest supported cell radius, metres.
    public static let minimumRadiusMeters = 1.0

    /// Indexes points given as latitude and longitude arrays (degrees, same length).
    /// - Throws: `SpatialError` naming the first point that is not a longitude/latitude, or for
    ///   a radius below 1 m or not finite.
    public init(latitudes: [Double], longitudes: [Double], cellRadius: Distance, workers: Int = 2) throws(SpatialError) {
        try SpatialError.checkCoordinates(latitudes: latitudes, longitudes: longitudes)
        guard cellRadius.meters.isFinite, cellRadius.meters >= Self.minimumRadiusMeters else {
            throw SpatialError("the distance must be at least 1 m and finite, got \(cellRadius)")
        }
        self.latitudes = latitudes
        self.longitudes = longitudes
        cellRadiusMeters = cellRadius.meters
        let half = cellRadius.meters / 2 * (1 - 1e-9)
        let height = min(180, half / WGS84.maximumMeridianDegree)
        rowHeight = height
        let rows = max(1, Int((180 / height).rounded(.up)))
        rowCount = rows
        let n = latitudes.count

        // Keys and Cartesian coordinates, in parallel chunks.
        var keys = [UInt64](repeating: 0, count: n)
        var xs = [Double](repeating: 0, count: n), ys = xs, zs = xs
        let chunks = Self.chunks(n, workers: workers)
        keys.withUnsafeMutableBufferPointer { kb in
            xs.withUnsafeMutableBufferPointer { xb in
                ys.withUnsafeMutableBufferPointer { yb in
                    zs.withUnsafeMutableBufferPointer { zb in
                        let (k, xp, yp, zp) = (UnsafeSendable(kb), UnsafeSendable(xb), UnsafeSendable(yb), UnsafeSendable(zb))
                        DispatchQueue.concurrentPerform(iterations: chunks.count) { c in
                            for i in chunks[c] {
                                let lat = latitudes[i], lon = longitudes[i]
                                let row = Self.row(lat, height: height, rows: rows)
                                let columns = Self.columnCount(row: row, height: height, halfRadius: half)
                                k.value[i] = UInt64(row) << 32 | UInt64(Self.column(lon, columns: columns))
                                let p = WGS84.cartesian(latitude: lat, longitude: lon)
                                xp.value[i] = p.x; yp.value[i] = p.y; zp.value[i] = p.z
                            }
                        }
                    }
                }
            }
        }
        x = xs; y = ys; z = zs

        // Points sorted by (cell, index): one sort of packed pairs.
        var pairs = [KeyIndex](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n { buffer[i] = KeyIndex(key: keys[i], index: Int32(i)) }
            initialized = n
        }
        pairs.sort()
        var order = [Int32](repeating: 0, count: n)
        var cellOfPoint = [Int32](repeating: 0, count: n)
        var cellKeys: [UInt64] = []
        var cellStarts: [Int32] = []
        for (position, pair) in pairs.enumerated() {
            if cellKeys.last != pair.key {
                cellKeys.append(pair.key)
                cellStarts.append(Int32(position))
            }
            order[position] = pair.index
            cellOfPoint[Int(pair.index)] = Int32(cellKeys.count - 1)
        }
        cellStarts.append(Int32(n))
        self.order = order
        self.cellOfPoint = cellOfPoint
        self.cellKeys = cellKeys
        self.cellStarts = cellStarts
    }

    /// Number of occupied cells.
    public var occupiedCellCount: Int { cellKeys.count }

    // MARK: cells

    @inline(__always)
    static func row(_ latitude: Double, height: Double, rows: Int) -> Int {
        min(rows - 1, max(0, Int((latitude + 90) / height)))
    }

    /// Columns of a row: enough for each to be at most `halfRadius` metres wide along the
    /// row's equatorward edge.
    @inline(__always)
    static func columnCount(row: Int, height: Double, halfRadius: Double) -> Int {
        let lo = -90 + Double(row) * height, hi = min(90, lo + height)
        let equatorward = lo <= 0 && hi >= 0 ? 0 : min(abs(lo), abs(hi))
        let width = halfRadius / WGS84.parallelDegree(latitude: equatorward)
        guard width < 360 else { return 1 }
        return Int(min(Double(Int32.max), (360 / width).rounded(.up)))
    }

    /// Fractional column position of a longitude (−180…180) in a row of `columns` columns.
    @inline(__always)
    static func columnPosition(_ longitude: Double, columns: Int) -> Double {
        (longitude + 180) / 360 * Double(columns)
    }

    @inline(__always)
    static func column(_ longitude: Double, columns: Int) -> Int {
        let c = Int(columnPosition(longitude, columns: columns).rounded(.down))
        return c >= columns ? c - columns : max(0, c)
    }

    @inline(__always)
    var halfRadius: Double { cellRadiusMeters / 2 * (1 - 1e-9) }

    /// The latitude and longitude range of an occupied cell, degrees.
    @inline(__always)
    func bounds(ofCell cell: Int) -> (latLo: Double, latHi: Double, lonLo: Double, lonHi: Double) {
        let key = cellKeys[cell]
        let row = Int(key >> 32), column = Int(key & 0xFFFF_FFFF)
        let columns = Self.columnCount(row: row, height: rowHeight, halfRadius: halfRadius)
        let lo = -90 + Double(row) * rowHeight
        let width = 360 / Double(columns)
        return (lo, min(90, lo + rowHeight), -180 + Double(column) * width, -180 + Double(column + 1) * width)
    }

    /// Index of the first occupied cell with key ≥ `key`.
    @inline(__always)
    func lowerBound(_ key: UInt64) -> Int {
        var lo = 0, hi = cellKeys.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cellKeys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Calls `body` with every occupied cell that may hold a point within `radiusMeters` of
    /// some point of the region (latitudes `latLo…latHi`, longitudes `lonLo…lonHi` with
    /// `lonLo ≤ lonHi`, degrees). Each cell is visited at most once.
    @inline(__always)
    func forEachCandidateCell(latLo: Double, latHi: Double, lonLo: Double, lonHi: Double, radiusMeters: Double, _ body: (Int) -> Void) {
        let reachLat = radiusMeters / WGS84.minimumMeridianDegree * (1 + 1e-9)
        let r0 = Self.row(max(-90, latLo - reachLat), height: rowHeight, rows: rowCount)
        let r1 = Self.row(min(90, latHi + reachLat), height: rowHeight, rows: rowCount)
        let poleward = max(abs(latLo), abs(latHi)) + reachLat
        let reachLon = poleward >= 90 ? 360 : radiusMeters / WGS84.parallelDegree(latitude: poleward) * (1 + 1e-9)
        let wholeRow = !(lonHi - lonLo + 2 * reachLon < 360)
        let half = halfRadius
        for row in r0...r1 {
            let columns = Self.columnCount(row: row, height: rowHeight, halfRadius: half)
            let rowKey = UInt64(row) << 32
            var a = 0, b = columns - 1
            if !wholeRow {
                a = Int(Self.columnPosition(lonLo - reachLon, columns: columns).rounded(.down))
                b = Int(Self.columnPosition(lonHi + reachLon, columns: columns).rounded(.down))
                if b - a + 1 >= columns {
                    a = 0; b = columns - 1
                } else {
                    a = ((a % columns) + columns) % columns
                    b = ((b % columns) + columns) % columns
                }
            }
            if a <= b {
                var c = lowerBound(rowKey | UInt64(a))
                let end = rowKey | UInt64(b)
                while c < cellKeys.count, cellKeys[c] <= end { body(c); c += 1 }
            } else {
                var c = lowerBound(rowKey | UInt64(a))
                let rowEnd = rowKey | UInt64(columns - 1)
                while c < cellKeys.count, cellKeys[c] <= rowEnd { body(c); c += 1 }
                c = lowerBound(rowKey)
                let end = rowKey | UInt64(b)
                while c < cellKeys.count, cellKeys[c] <= end { body(c); c += 1 }
            }
        }
    }

    /// The points of an occupied cell, ascending input index.
    @inline(__always)
    func points(ofCell cell: Int) -> Range<Int> { Int(cellStarts[cell])..<Int(cellStarts[cell + 1]) }

    // MARK: distances

    /// Squared 3-D chord between two indexed points, m².
    @inline(__always)
    func chordSquared(_ i: Int, _ j: Int) -> Double {
        let dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j]
        return dx * dx + dy * dy + dz * dz
    }

    /// Exact geodesic distance between two indexed points, metres.
    @inline(__always)
    public func distanceMeters(_ i: Int, _ j: Int) -> Double {
        geodesic.inverseUnchecked(latitude1: latitudes[i], longitude1: longitudes[i], latitude2: latitudes[j], longitude2: longitudes[j]).distanceMeters
    }

    /// Whether two indexed points are within `test.radius` metres on the ellipsoid (the
    /// geodesic, decided by the chord bounds where they are conclusive).
    @inline(__always)
    func isWithin(_ i: Int, _ j: Int, _ test: RadiusTest) -> Bool {
        let c2 = chordSquared(i, j)
        if c2 > test.chordRejectSquared { return false }
        if c2 <= test.chordAcceptSquared { return true }
        return distanceMeters(i, j) <= test.radius
    }

    /// Points within `radius` of a position (degrees): calls `body(index, distanceMeters)` for
    /// each, in no particular order, with the exact geodesic distance.
    public func forEachPoint(within radius: Distance, ofLatitude latitude: Double, longitude: Double, _ body: (Int, Double) -> Void) {
        let r = radius.meters
        let p = WGS84.cartesian(latitude: latitude, longitude: longitude)
        let reject = (r + RadiusTest.chordSlackMeters) * (r + RadiusTest.chordSlackMeters)
        forEachCandidateCell(latLo: latitude, latHi: latitude, lonLo: longitude, lonHi: longitude, radiusMeters: r) { cell in
            for k in points(ofCell: cell) {
                let j = Int(order[k])
                let dx = x[j] - p.x, dy = y[j] - p.y, dz = z[j] - p.z
                if dx * dx + dy * dy + dz * dz > reject { continue }
                let d = geodesic.inverseUnchecked(latitude1: latitude, longitude1: longitude, latitude2: latitudes[j], longitude2: longitudes[j]).distanceMeters
                if d <= r { body(j, d) }
            }
        }
    }

    static func chunks(_ n: Int, workers: Int) -> [Range<Int>] {
        let parts = max(1, min(workers * 4, n / 4096 + 1))
        let size = (n + parts - 1) / parts
        return stride(from: 0, to: max(n, 1), by: max(size, 1)).map { $0..<min(n, $0 + max(size, 1)) }
    }
}

/// The thresholds for one radius: reject above the chord, accept below the safe chord.
struct RadiusTest {
    /// Rounding of Earth-centred coordinates (about 10⁻⁹ m each) can lengthen a chord; a chord
    /// must exceed the radius by this much to reject.
    static let chordSlackMeters = 1e-6
    var radius: Double
    var chordRejectSquared: Double
    var chordAcceptSquared: Double

    init(radiusMeters r: Double) {
        radius = r
        chordRejectSquared = (r + Self.chordSlackMeters) * (r + Self.chordSlackMeters)
        // The chord shortcut is proven for chords up to 500 km (see GeodesicGrid).
        let accept = r <= 500_000 ? r * (1 - 1e-3) : 0
        chordAcceptSquared = accept * accept
    }
}

struct KeyIndex: Comparable {
    var key: UInt64
    var index: Int32
    @inline(__always)
    static func < (a: KeyIndex, b: KeyIndex) -> Bool { a.key != b.key ? a.key < b.key : a.index < b.index }
}

/// A buffer pointer handed to `concurrentPerform` workers that write disjoint indices.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
