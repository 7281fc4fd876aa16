import Foundation
import GeoCore
import GeoGEOS
import GeoMetric
import GeoProj

/// Where a point is relative to a border line.
public struct BorderPosition: Hashable, Sendable {
    /// Geodesic distance in metres from the point to the nearest point of the line.
    public var distanceMeters: Double
    /// Geodesic length in metres along the line, from its northern end, of that nearest point.
    public var alongMeters: Double
    /// The nearest point of the line.
    public var nearest: Position
}

/// The shared border of two countries, and a corridor of a given width on both sides of it.
///
/// - The line is the intersection of the two country polygons' boundaries (GEOS
///   `GEOSBoundary_r`, `GEOSIntersection_r`), line-merged (`GEOSLineMerge_r`). Each part runs
///   from its northern end; parts are ordered by the latitude of that end, north first, and
///   measured one after the other (`alongMeters` of a later part starts where the previous
///   part's length ends).
/// - The corridor is the metric buffer of the line (`MetricGeometry.buffer`: local azimuthal
///   equidistant projection through PROJ, GEOS buffer in metres, back to WGS84).
/// - `locate` finds the nearest point of the line in that local projection and measures the
///   distance to it, and the length along the line, as geodesics on WGS84.
///
/// Holds GEOS/PROJ contexts through its `MetricGeometry`: one per thread.
public final class BorderCorridor {
    public let countryCodes: (String, String)
    public let countryNames: (String, String)
    /// Parts of the border, each from its northern end, degrees.
    public let parts: [[Position]]
    public let lengthMeters: Double
    public let width: Distance
    /// The corridor polygon(s), longitude/latitude.
    public let corridor: Geometry
    let metric: MetricGeometry
    /// The segments of all parts in the local projection (metres), in order; per part, the
    /// cumulative geodesic length (metres) at each vertex.
    private let segments: [Segment], cumulativeMeters: [[Double]]
    let toLocal: Transformer

    /// The border between the countries with ISO 3166-1 alpha-2 codes `a` and `b` in a
    /// Natural Earth countries file (`iso_a2` and `name` properties), and its corridor.
    /// - Throws: `SpatialError.invalidParameter` when a code is not in the file or the two
    ///   countries share no border; GEOS/PROJ errors as they come.
    public convenience init(countriesFile path: String, between a: String, and b: String, width: Distance, metric: MetricGeometry) throws {
        let codeA = a.uppercased(), codeB = b.uppercased()
        try Self.check(codeA, codeB, width: width)
        var found: [String: (name: String, geometry: Geometry)] = [:]
        let input = try InputFile(path: path)
        var reader = GeoJSONReader()
        _ = try input.withUnsafeBytes { buffer in
            try reader.forEachFeature(in: buffer) { _, feature in
                guard let code = feature[property: "iso_a2"]?.stringValue?.uppercased(), code == codeA || code == codeB,
                      let g = feature.geometry else { return }
                found[code] = (feature[property: "name"]?.stringValue ?? code, g)
            }
        }
        try self.init(countriesFile: path, between: (codeA, found[codeA]), and: (codeB, found[codeB]), width: width, metric: metric)
    }

    /// The border between two countries given by their ISO codes and their name and polygon
    /// (nil: not in the countries file `path`, named in the error), and its corridor.
    /// - Throws: as `init(countriesFile:between:and:width:metric:)`.
    public init(countriesFile path: String, between a: (code: String, shape: (name: String, geometry: Geometry)?),
                and b: (code: String, shape: (name: String, geometry: Geometry)?), width: Distance, metric: MetricGeometry) throws {
        let codeA = a.code.uppercased(), codeB = b.code.uppercased()
        try Self.check(codeA, codeB, width: width)
        self.metric = metric
        self.width = width
        for (code, shape) in [(codeA, a.shape), (codeB, b.shape)] where shape == nil {
            throw SpatialError.invalidParameter("\(path): no country with iso_a2 \(code)")
        }
        let shapeA = a.shape!, shapeB = b.shape!
        countryCodes = (codeA, codeB)
        countryNames = (shapeA.name, shapeB.name)
        let geos = metric.geos
        let boundaryA = try geos.geometry(from: shapeA.geometry).boundary()
        let boundaryB = try geos.geometry(from: shapeB.geometry).boundary()
        let shared = try boundaryA.intersection(boundaryB).lineMerged().toGeometry()
        var lines: [[Position]] = []
        func collect(_ g: Geometry) {
            switch g {
            case .lineString(let ps) where ps.count >= 2: lines.append(ps)
            case .multiLineString(let ls): lines += ls.filter { $0.count >= 2 }
            case .geometryCollection(let gs): gs.forEach(collect)
            default: break
            }
        }
        collect(shared)
        guard !lines.isEmpty else {
            throw SpatialError.invalidParameter("\(countryNames.0) (\(codeA)) and \(countryNames.1) (\(codeB)) share no border in \(path)")
        }
        lines = lines.map { $0.last!.latitude > $0.first!.latitude ? $0.reversed() : $0 }
        lines.sort { $0[0].latitude > $1[0].latitude }
        parts = lines
        let geometry: Geometry = lines.count == 1 ? .lineString(lines[0]) : .multiLineString(lines)
        let box = geometry.boundingBox
        toLocal = try Transformer(from: .wgs84, to: LocalProjection.centered(on: box.center).crs, context: metric.proj)
        var total = 0.0
        var segments: [Segment] = [], cumulativeMeters: [[Double]] = []
        for part in lines {
            var xs = part.map(\.longitude), ys = part.map(\.latitude)
            try toLocal.transform(x: &xs, y: &ys)
            for i in 0..<(xs.count - 1) {
                segments.append(Segment(part: Int32(cumulativeMeters.count), index: Int32(i), ax: xs[i], ay: ys[i],
                                        dx: xs[i + 1] - xs[i], dy: ys[i + 1] - ys[i]))
            }
            var cumulative = [total]
            for (p, q) in zip(part, part.dropFirst()) {
                total += Geodesic.wgs84.distanceMetersUnchecked(latitude1: p.latitude, longitude1: p.longitude, latitude2: q.latitude, longitude2: q.longitude)
                cumulative.append(total)
            }
            cumulativeMeters.append(cumulative)
        }
        (self.segments, self.cumulativeMeters) = (segments, cumulativeMeters)
        lengthMeters = total
        corridor = try metric.buffer(geometry, distance: width)
    }

    private static func check(_ codeA: String, _ codeB: String, width: Distance) throws {
        guard width.meters > 0, width.meters.isFinite else { throw SpatialError.invalidParameter("the corridor width must be a positive distance, got \(width)") }
        guard codeA != codeB else { throw SpatialError.invalidParameter("a border needs two different countries, got \(codeA)-\(codeB)") }
    }

    /// The border as one geometry: a LineString, or a MultiLineString of its parts.
    public var line: Geometry { parts.count == 1 ? .lineString(parts[0]) : .multiLineString(parts) }

    /// Distance to the border and position along it of a point (degrees), every segment of the
    /// line measured (many points: `locate(longitudes:latitudes:)`, which measures fewer).
    /// - Throws: `SpatialError.invalidCoordinate` (index 0) for a position that is not one.
    public func locate(longitude: Double, latitude: Double) throws -> BorderPosition {
        guard longitude.isFinite, latitude.isFinite, abs(latitude) <= 90 else {
            throw SpatialError.invalidCoordinate(index: 0, longitude: longitude, latitude: latitude)
        }
        let local = try toLocal.transform(Position(longitude: longitude, latitude: latitude))
        var cells = SegmentCells(self, maxCells: 0)
        return position(projectedX: local.x, projectedY: local.y, longitude: longitude, latitude: latitude, cells: &cells)
    }

    /// `locate` for many points (degrees), in order: on up to `threads` threads (at least
    /// `pointsPerThread` points for each), each with a PROJ context and transformer of its own,
    /// taking blocks of points in turn (`WorkBlocks`); a block is projected in one
    /// `proj_trans_generic` call. Same results as one point at a time.
    /// - Throws: `SpatialError.invalidCoordinate` naming the first point that is not a position;
    ///   PROJ's error, with the point's index, for one it cannot project.
    public func locate(longitudes: [Double], latitudes: [Double], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                       pointsPerThread: Int = 50_000) throws -> [BorderPosition] {
        try locate(longitudes: longitudes, latitudes: latitudes, threads: threads, pointsPerThread: pointsPerThread, maxCells: 1 << 16)
    }

    /// `locate(longitudes:latitudes:threads:pointsPerThread:)` keeping at most `maxCells` cells of
    /// candidate segments per thread (`SegmentCells`).
    func locate(longitudes: [Double], latitudes: [Double], threads: Int, pointsPerThread: Int, maxCells: Int) throws -> [BorderPosition] {
        guard longitudes.count == latitudes.count else {
            throw SpatialError.invalidParameter("\(longitudes.count) longitudes but \(latitudes.count) latitudes")
        }
        for i in latitudes.indices where !(longitudes[i].isFinite && latitudes[i].isFinite && abs(latitudes[i]) <= 90) {
            throw SpatialError.invalidCoordinate(index: i, longitude: longitudes[i], latitude: latitudes[i])
        }
        let n = latitudes.count
        let parts = max(1, min(threads, n / max(1, pointsPerThread)))
        var results = [BorderPosition](repeating: BorderPosition(distanceMeters: 0, alongMeters: 0, nearest: Position(longitude: 0, latitude: 0)), count: n)
        try results.withUnsafeMutableBufferPointer { out in
            guard parts > 1 else {
                var cells = SegmentCells(self, maxCells: maxCells)
                return try locate(longitudes, latitudes, 0..<n, with: toLocal, cells: &cells, into: out)
            }
            // Blocks taken in turn (`WorkBlocks`), each thread with a transformer and cells of its own.
            let blocks = WorkBlocks(count: n, blockSize: WorkBlocks.blockSize(count: n, threads: parts, minimum: pointsPerThread / 4))
            // One per block, then one per thread (a transformer that could not be made).
            var failures = [Error?](repeating: nil, count: (n + blocks.blockSize - 1) / blocks.blockSize + parts)
            failures.withUnsafeMutableBufferPointer { errors in
                let shared = SharedPositions(border: self, results: out, errors: errors)
                DispatchQueue.concurrentPerform(iterations: parts) { j in
                    let border = shared.border
                    let transformer: Transformer
                    do {
                        transformer = j == 0 ? border.toLocal : try Transformer(from: border.toLocal.source, to: border.toLocal.target, context: ProjContext())
                    } catch {
                        shared.errors[shared.errors.count - parts + j] = error
                        return
                    }
                    var cells = SegmentCells(border, maxCells: maxCells)
                    while let block = blocks.take() {
                        do {
                            try border.locate(longitudes, latitudes, block, with: transformer, cells: &cells, into: shared.results)
                        } catch {
                            shared.errors[block.lowerBound / blocks.blockSize] = error
                        }
                    }
                }
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        }
        return results
    }

    /// The points of `range`, projected by `transformer` (of this thread) in one call, located
    /// into `out` with this thread's `cells`.
    private func locate(_ longitudes: [Double], _ latitudes: [Double], _ range: Range<Int>, with transformer: Transformer,
                        cells: inout SegmentCells, into out: UnsafeMutableBufferPointer<BorderPosition>) throws {
        var xs = Array(longitudes[range]), ys = Array(latitudes[range])
        do {
            try transformer.transform(x: &xs, y: &ys)
        } catch ProjError.coordinateFailed(let index, let x, let y, let message) {
            throw ProjError.coordinateFailed(index: range.lowerBound + index, x: x, y: y, message: message)
        }
        for (k, i) in range.enumerated() {
            out[i] = position(projectedX: xs[k], projectedY: ys[k], longitude: longitudes[i], latitude: latitudes[i], cells: &cells)
        }
    }

    /// A segment of the line in the local projection: its part, its number in the part, its
    /// start and the offset to its end (metres).
    private struct Segment {
        var part: Int32, index: Int32
        var ax: Double, ay: Double, dx: Double, dy: Double
    }

    /// Where a point (local projection, metres) lies on a segment: the squared distance and the
    /// fraction along it of the nearest point.
    @inline(__always)
    private static func nearest(_ s: Segment, _ px: Double, _ py: Double) -> (d2: Double, t: Double) {
        let length2 = s.dx * s.dx + s.dy * s.dy
        var t = length2 > 0 ? ((px - s.ax) * s.dx + (py - s.ay) * s.dy) / length2 : 0
        t = min(1, max(0, t))
        let ex = s.ax + t * s.dx - px, ey = s.ay + t * s.dy - py
        return (ex * ex + ey * ey, t)
    }

    /// The segments that may be nearest to a point, by square cell of the local projection,
    /// worked out when a cell is first met (one thread's own): those whose distance from the
    /// cell's centre is at most the least such distance plus the cell's diagonal (and a metre
    /// for rounding). A point of the cell is at most half a diagonal from the centre, so its
    /// nearest segments are among them, in the line's order, as the full scan meets them.
    /// At most `maxCells` cells are kept (points scattered worldwide): beyond, all segments.
    private struct SegmentCells {
        static let cellMeters = 10_000.0
        let segments: [Segment]
        let maxCells: Int
        var candidates: [Int64: [Int32]] = [:]

        init(_ border: BorderCorridor, maxCells: Int) {
            segments = border.segments
            self.maxCells = maxCells
        }

        /// The candidates of the cell holding the point; nil for all segments (a point too far
        /// out to key, or a new cell when `maxCells` are kept).
        mutating func candidates(_ px: Double, _ py: Double) -> [Int32]? {
            let cx = (px / Self.cellMeters).rounded(.down), cy = (py / Self.cellMeters).rounded(.down)
            guard abs(cx) < 1e9, abs(cy) < 1e9 else { return nil }
            let key = Int64(cx) << 32 | Int64(Int32(cy)) & 0xFFFF_FFFF
            if let known = candidates[key] { return known }
            guard candidates.count < maxCells else { return nil }
            let centreX = (cx + 0.5) * Self.cellMeters, centreY = (cy + 0.5) * Self.cellMeters
            let distances = segments.map { BorderCorridor.nearest($0, centreX, centreY).d2.squareRoot() }
            let bound = distances.min()! + 2.squareRoot() * Self.cellMeters + 1
            let found = distances.indices.filter { distances[$0] <= bound }.map(Int32.init)
            candidates[key] = found
            return found
        }
    }

    /// The nearest point of the line to a point already in the local projection (`px`, `py`,
    /// metres), measured on WGS84 from the point itself (`longitude`, `latitude`, degrees):
    /// the first nearest segment in the line's order, among the candidates of the point's cell.
    private func position(projectedX px: Double, projectedY py: Double, longitude: Double, latitude: Double,
                          cells: inout SegmentCells) -> BorderPosition {
        var best = (d2: Double.infinity, segment: 0, t: 0.0)
        if px.isFinite, py.isFinite, let candidates = cells.candidates(px, py) {
            for j in candidates {
                let (d2, t) = Self.nearest(cells.segments[Int(j)], px, py)
                if d2 < best.d2 { best = (d2, Int(j), t) }
            }
        } else {
            for j in cells.segments.indices {
                let (d2, t) = Self.nearest(cells.segments[j], px, py)
                if d2 < best.d2 { best = (d2, j, t) }
            }
        }
        return position(along: cells.segments[best.segment], t: best.t, longitude: longitude, latitude: latitude)
    }

    /// The point at fraction `t` of a segment, measured on WGS84 from a point (degrees).
    private func position(along s: Segment, t: Double, longitude: Double, latitude: Double) -> BorderPosition {
        let (part, segment) = (Int(s.part), Int(s.index))
        let a = parts[part][segment], b = parts[part][segment + 1]
        let nearest = Position(longitude: a.longitude + t * (b.longitude - a.longitude), latitude: a.latitude + t * (b.latitude - a.latitude))
        let distance = Geodesic.wgs84.distanceMetersUnchecked(latitude1: latitude, longitude1: longitude, latitude2: nearest.latitude, longitude2: nearest.longitude)
        let c = cumulativeMeters[part]
        let along = c[segment] + t * (c[segment + 1] - c[segment])
        return BorderPosition(distanceMeters: distance, alongMeters: along, nearest: nearest)
    }

    /// Groups of points along the border: the points with a position (nil = not grouped),
    /// sorted by `alongMeters`, split wherever two consecutive ones are more than `maxGap`
    /// apart. Group ids 0, 1, 2… run from the northern end.
    public static func groupsAlong(_ alongMeters: [Double?], maxGap: Distance) -> [Int?] {
        let order = alongMeters.indices.filter { alongMeters[$0] != nil }.sorted { (alongMeters[$0]!, $0) < (alongMeters[$1]!, $1) }
        var groups = [Int?](repeating: nil, count: alongMeters.count)
        var group = -1
        var previous = -Double.infinity
        for i in order {
            if alongMeters[i]! - previous > maxGap.meters { group += 1 }
            groups[i] = group
            previous = alongMeters[i]!
        }
        return groups
    }
}

/// The positions and errors of `BorderCorridor.locate(longitudes:latitudes:)`, written by several
/// threads, each in the blocks it takes and their elements (or its own, past the blocks').
private struct SharedPositions: @unchecked Sendable {
    /// Read only: `position(projectedX:…)` reads its segments.
    let border: BorderCorridor
    let results: UnsafeMutableBufferPointer<BorderPosition>
    let errors: UnsafeMutableBufferPointer<Error?>
}
