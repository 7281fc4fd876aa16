import Foundation
import GeoCore
import GeoGEOS
import GeoProj

/// A named place relative to a point: how far and in which direction the point lies from it.
public struct PlaceRelation: Hashable, Sendable {
    public var entry: GazetteerEntry
    /// Geodesic distance from the place to the point, metres.
    public var distanceMeters: Double
    /// Azimuth from the place towards the point, degrees clockwise from north (0…360).
    public var bearingDegrees: Double

    /// "3 km E of Ālbū Kamāl", "at Ālbū Kamāl" under 500 m.
    public var phrase: String {
        if distanceMeters < 500 { return "at \(entry.name)" }
        let km = distanceMeters / 1000
        let amount = km < 10 ? String(Double((km * 10).rounded()) / 10) : String(Int(km.rounded()))
        return "\(amount) km \(Geodesic.compassPoint(azimuthDegrees: bearingDegrees)) of \(entry.name)"
    }
}

/// The answer to "where is this point?".
public struct ReverseResult: Hashable, Sendable {
    public var position: Position
    /// ISO 3166-1 alpha-2 of the country polygon containing the point; nil at sea (or in a
    /// territory without a code).
    public var countryCode: String?
    /// The Natural Earth name of that polygon; nil at sea.
    public var countryName: String?
    public var nearestPlace: PlaceRelation?
    public var nearestSite: PlaceRelation?
}

/// Reverse lookup over the Natural Earth country polygons (GEOS STR-tree and prepared
/// geometries) and the gazetteer's places and sites (a 1° grid searched ring by ring).
///
/// Owns a GEOS context: one per thread. Its caches are `@exclusivity(unchecked)`: written by
/// that thread alone, without the run-time bookkeeping of a class's `var` at every lookup.
public final class ReverseGeocoder {
    public let gazetteer: Gazetteer
    let geos: GeosContext
    let countries: [(code: String?, name: String, geometry: GeosGeometry)]
    let countryTree: GeosSTRtree
    @exclusivity(unchecked) var prepared: [Int: PreparedGeosGeometry] = [:]
    /// What `country(at:)` answers in each cell worked out so far (by `cellKey`): a country's
    /// index when its polygon covers the whole cell and no other polygon meets the cell (every
    /// point of it lies in that country alone), `Self.atSea` when no polygon meets it,
    /// `Self.mixed` otherwise (its points are then looked up in its smaller cells, and in the
    /// smallest tested on their own).
    @exclusivity(unchecked) var cellCountries: [Int64: Int32] = [:]
    /// Points met in cells not worked out yet: a cell is worked out at its
    /// `pointsBeforeCell`-th point (working one out costs several points' tests, so cells of
    /// scattered points are never worked out).
    @exclusivity(unchecked) var cellPoints: [Int64: Int32] = [:]
    /// Cells per degree at each level: 1/8° (about 14 km), and inside a mixed cell 1/64° and
    /// 1/512° (about 200 m), so that only points that close to a border or coast are tested on
    /// their own. Powers of two: cell edges are exact in binary.
    static let cellsPerDegree: [Double] = [8, 64, 512]
    static let atSea: Int32 = -1, mixed: Int32 = -2, pointsBeforeCell: Int32 = 4
    /// Whether a country's polygon meets the 1/8° cell of a point (`distanceMetersOutside(country:from:over:)`),
    /// by cell key × 2¹⁶ + the country's index.
    @exclusivity(unchecked) var countryNearCells: [Int64: Bool] = [:]
    let placeGrid: [Int64: [Int32]]
    let sites: [Int32]

    /// Builds the country polygons (read once per gazetteer from `countries.geojson` in its data
    /// folder) in a GEOS context of its own.
    public init(gazetteer: Gazetteer) throws {
        self.gazetteer = gazetteer
        geos = try GeosContext()
        let shapes = try gazetteer.countryShapes()
        let context = geos
        do {
            countries = try shapes.countries.map { ($0.code, $0.name, try context.geometry(from: $0.geometry)) }
        } catch {
            throw GazetteerError(file: shapes.path, reason: "\(error)")
        }
        countryTree = try GeosSTRtree(context: geos, geometries: countries.map(\.geometry))
        placeGrid = shapes.placeGrid
        sites = shapes.sites
    }

    static func cell(_ p: Position) -> Int64 { cell(Int(p.latitude.rounded(.down)), Int(p.longitude.rounded(.down))) }
    static func cell(_ lat: Int, _ lon: Int) -> Int64 { Int64(lat + 90) * 1000 + Int64((lon + 540) % 360) }

    /// Country, nearest place and nearest site of a point (longitude, latitude in degrees).
    public func lookup(_ position: Position) throws -> ReverseResult {
        guard (-90...90).contains(position.latitude), (-180...180).contains(position.longitude) else {
            throw GazetteerError(file: "point", reason: "latitude \(position.latitude), longitude \(position.longitude) are outside −90…90 / −180…180")
        }
        var result = ReverseResult(position: position)
        if let country = try country(at: position) {
            result.countryCode = country.code
            result.countryName = country.name
        }
        result.nearestPlace = nearestPlace(to: position)
        result.nearestSite = nearest(among: sites, to: position)
        return result
    }

    /// The country whose polygon covers the point (Natural Earth 10m; GEOS prepared `covers`
    /// after an STRtree query), or nil at sea. Longitude, latitude in degrees.
    ///
    /// A point in a cell that one country's polygon covers whole, or that no polygon meets,
    /// takes the cell's answer (`cellCountries`, worked out once per cell the same way), which
    /// is the answer for every point of the cell; any other point is tested on its own.
    public func country(at position: Position) throws -> (code: String?, name: String)? {
        try countryNumber(at: position).map { (countries[$0].code, countries[$0].name) }
    }

    /// `country(at:)` as the country's number: its index in `countryCodes`; nil at sea.
    public func countryNumber(at position: Position) throws -> Int? {
        switch try cellCountry(position) {
        case Self.atSea?: return nil
        case let i? where i >= 0: return Int(i)
        default: return try countryNumberByPolygons(at: position)
        }
    }

    /// The ISO code of each country polygon, by number (`countryNumber(at:)`); nil for one without.
    public var countryCodes: [String?] { countries.map(\.code) }

    /// `countryNumber(at:)` by testing the point against the polygons.
    func countryNumberByPolygons(at position: Position) throws -> Int? {
        let point = try geos.point(x: position.longitude, y: position.latitude)
        for i in try countryTree.query(point) where try preparedCountry(i).covers(point) { return i }
        return nil
    }

    private func preparedCountry(_ i: Int) throws -> PreparedGeosGeometry {
        if let cached = prepared[i] { return cached }
        let p = try countries[i].geometry.prepared()
        prepared[i] = p
        return p
    }

    /// The answer of the smallest cell worked out that holds the point: of its 1/8° cell, and
    /// when that is mixed of its 1/64° cell, and so on (`cellsPerDegree`). A cell is worked out
    /// at its `pointsBeforeCell`-th point: the polygons whose envelopes meet the cell, each
    /// tested with `covers` and `intersects` on the closed cell. Nil when the point's cell at
    /// some level is not worked out yet, and for a point that is not a finite position inside
    /// ±90° / ±180°; `mixed` when its smallest cell is.
    func cellCountry(_ position: Position) throws -> Int32? {
        let (latitude, longitude) = (position.latitude, position.longitude)
        guard latitude.isFinite, longitude.isFinite, abs(latitude) < 90, abs(longitude) < 180 else { return nil }
        for level in Self.cellsPerDegree.indices {
            let (key, row, column) = Self.cellKey(latitude: latitude, longitude: longitude, level: level)
            let answer: Int32
            if let known = cellCountries[key] {
                answer = known
            } else {
                let points = cellPoints[key, default: 0] + 1
                if points < Self.pointsBeforeCell {
                    cellPoints[key] = points
                    return nil
                }
                cellPoints.removeValue(forKey: key)
                answer = try workOutCell(row: row, column: column, perDegree: Self.cellsPerDegree[level])
                cellCountries[key] = answer
            }
            if answer != Self.mixed { return answer }
        }
        return Self.mixed
    }

    /// The key of the cell at `level` holding a point (inside ±90° / ±180°), and the cell's row
    /// and column (its south-west corner × cells per degree). Multiples of 1/2ⁿ are exact in
    /// binary: a point on a cell's edge lies in that closed cell.
    static func cellKey(latitude: Double, longitude: Double, level: Int) -> (key: Int64, row: Double, column: Double) {
        let perDegree = cellsPerDegree[level]
        let row = (latitude * perDegree).rounded(.down), column = (longitude * perDegree).rounded(.down)
        // Rows from the south pole (< 2^17 at 512 a degree), columns from the antimeridian (< 2^18).
        let key = Int64(level) << 40 | Int64(row + 90 * perDegree) << 20 | Int64(column + 180 * perDegree)
        return (key, row, column)
    }

    /// The closed cell at `row`, `column` of `perDegree` cells a degree, as a GEOS polygon.
    func cellPolygon(row: Double, column: Double, perDegree: Double) throws -> GeosGeometry {
        let (south, north) = (row / perDegree, (row + 1) / perDegree)
        let (west, east) = (column / perDegree, (column + 1) / perDegree)
        return try geos.geometry(from: .polygon([[Position(x: west, y: south), Position(x: east, y: south), Position(x: east, y: north),
                                                  Position(x: west, y: north), Position(x: west, y: south)]]))
    }

    /// A cell's answer (`cellCountries`).
    func workOutCell(row: Double, column: Double, perDegree: Double) throws -> Int32 {
        let cell = try cellPolygon(row: row, column: column, perDegree: perDegree)
        var answer = Self.atSea
        for i in try countryTree.query(cell) {
            let p = try preparedCountry(i)
            if answer == Self.atSea, try p.covers(cell) {
                answer = Int32(i)
            } else if try p.intersects(cell) {
                return Self.mixed
            }
        }
        return answer
    }

    /// How far the point lies outside the country with ISO code `code`, in metres: 0 inside
    /// it, nil when the gazetteer has no polygon for the code. The boundary point is GEOS's
    /// nearest point on the polygon (`GEOSNearestPoints_r`, found in longitude/latitude), and the
    /// distance to it is geodesic (PROJ, Karney): an upper bound of the true distance to the
    /// country, within a fraction of a percent of it at these distances and latitudes.
    public func distanceMetersOutside(country code: String, from position: Position) throws -> Double? {
        let upper = code.uppercased()
        guard let i = countries.firstIndex(where: { $0.code == upper }) else { return nil }
        let point = try geos.point(x: position.longitude, y: position.latitude)
        if try preparedCountry(i).covers(point) { return 0 }
        let (_, onBorder) = try point.nearestPoints(with: countries[i].geometry)
        return Geodesic.wgs84.inverseUnchecked(latitude1: position.latitude, longitude1: position.longitude,
                                               latitude2: onBorder.latitude, longitude2: onBorder.longitude).distanceMeters
    }

    /// `distanceMetersOutside` when it is over `meters`; nil when it is not (or the gazetteer has
    /// no polygon for the code).
    ///
    /// Not measured when the country's polygon meets the closed 1/8° cell holding the point
    /// (`intersects`, kept per cell and country): the nearest point GEOS finds is then at most the
    /// cell's diagonal away in longitude/latitude (√2/8°), and the geodesic to it is no longer
    /// than the path along that straight line, under 111,695 m a degree in any direction on
    /// WGS84 (the meridional radius at the poles, a/√(1−e²), is the largest): under
    /// `nearbyBoundMeters` (19.8 km). Used when `meters` is at least that.
    public func distanceMetersOutside(country code: String, from position: Position, over meters: Double) throws -> Double? {
        let (latitude, longitude) = (position.latitude, position.longitude)
        if meters >= Self.nearbyBoundMeters, latitude.isFinite, longitude.isFinite, abs(latitude) < 90, abs(longitude) < 180 {
            let upper = code.uppercased()
            guard let i = countries.firstIndex(where: { $0.code == upper }) else { return nil }
            let (cell, row, column) = Self.cellKey(latitude: latitude, longitude: longitude, level: 0)
            let key = cell << 16 | Int64(i)
            let near: Bool
            if let known = countryNearCells[key] {
                near = known
            } else {
                near = try preparedCountry(i).intersects(try cellPolygon(row: row, column: column, perDegree: Self.cellsPerDegree[0]))
                countryNearCells[key] = near
            }
            if near { return nil }
        }
        guard let outside = try distanceMetersOutside(country: code, from: position), outside > meters else { return nil }
        return outside
    }

    /// The farthest a point can lie from a country whose polygon meets the point's 1/8° cell, in
    /// metres (with a metre to spare): the cell's diagonal at 111,695 m a degree.
    static let nearbyBoundMeters = (2.0.squareRoot() / 8 * 111_695).rounded(.up) + 1

    func relation(_ id: Int32, _ position: Position) -> PlaceRelation {
        let e = gazetteer.entries[Int(id)]
        let r = Geodesic.wgs84.inverseUnchecked(latitude1: e.position.latitude, longitude1: e.position.longitude,
                                                latitude2: position.latitude, longitude2: position.longitude)
        let bearing = r.azimuth1Degrees < 0 ? r.azimuth1Degrees + 360 : r.azimuth1Degrees
        return PlaceRelation(entry: e, distanceMeters: r.distanceMeters, bearingDegrees: bearing)
    }

    func nearest(among ids: [Int32], to position: Position) -> PlaceRelation? {
        ids.map { relation($0, position) }.min { $0.distanceMeters < $1.distanceMeters }
    }

    /// Rings of 1° cells around the point until the best distance is shorter than anything
    /// the next ring could hold (a ring is at least `ring − 1` degrees of latitude away).
    func nearestPlace(to position: Position) -> PlaceRelation? {
        let lat0 = Int(position.latitude.rounded(.down)), lon0 = Int(position.longitude.rounded(.down))
        var best: PlaceRelation?
        for ring in 0...180 {
            if let best, best.distanceMeters < Double(max(0, ring - 1)) * 110_574 { break }
            var ids: [Int32] = []
            for dLat in -ring...ring {
                let lat = lat0 + dLat
                guard lat >= -90, lat < 90 else { continue }
                for dLon in -ring...ring where abs(dLat) == ring || abs(dLon) == ring {
                    ids += placeGrid[Self.cell(lat, lon0 + dLon)] ?? []
                }
            }
            if let candidate = nearest(among: ids, to: position), candidate.distanceMeters < (best?.distanceMeters ?? .infinity) {
                best = candidate
            }
        }
        return best
    }
}

/// What every reverse geocoder of one gazetteer reads: the country polygons as Swift values
/// and the places by 1° cell (`Gazetteer.countryShapes()`).
struct CountryShapes: Sendable {
    let path: String
    let countries: [(code: String?, name: String, geometry: Geometry)]
    let placeGrid: [Int64: [Int32]]
    let sites: [Int32]

    init(gazetteer: Gazetteer) throws {
        let path = Self.path(dataDirectory: gazetteer.dataDirectory)
        self.init(path: path, countries: try Self.readCountries(path), gazetteer: gazetteer)
    }

    static func path(dataDirectory: String) -> String { dataDirectory + "/countries.geojson" }

    /// The countries of a countries file: `iso_a2`, `name` (`?` when none) and geometry of
    /// each feature with one. - Throws: `GazetteerError` naming the file.
    static func readCountries(_ path: String) throws -> [(code: String?, name: String, geometry: Geometry)] {
        let input: InputFile
        do {
            input = try InputFile(path: path)
        } catch let error as IOError {
            throw GazetteerError(file: path, reason: error.reason)  // the path once
        } catch {
            throw GazetteerError(file: path, reason: "\(error)")
        }
        var list: [(code: String?, name: String, geometry: Geometry)] = []
        // The plain case straight from the text; anything else through the decoder, which reports it.
        if let plain = input.withUnsafeBytes(PolygonalCollection.read) {
            return plain.map { ($0.properties?["iso_a2"]?.stringValue, $0.properties?["name"]?.stringValue ?? "?", $0.geometry) }
        }
        var reader = GeoJSONReader()
        do {
            _ = try input.withUnsafeBytes { buffer in
                try reader.forEachFeature(in: buffer) { _, feature in
                    guard let g = feature.geometry else { return }
                    list.append((feature[property: "iso_a2"]?.stringValue, feature[property: "name"]?.stringValue ?? "?", g))
                }
            }
        } catch {
            throw GazetteerError(file: path, reason: "\(error)")
        }
        return list
    }

    /// The shapes of countries read from `path`, with the gazetteer's places by cell.
    init(path: String, countries list: [(code: String?, name: String, geometry: Geometry)], gazetteer: Gazetteer) {
        self.path = path
        countries = list
        var grid: [Int64: [Int32]] = [:]
        var siteIDs: [Int32] = []
        for (i, e) in gazetteer.entries.enumerated() {
            switch e.kind {
            case .place: grid[ReverseGeocoder.cell(e.position), default: []].append(Int32(i))
            case .province, .country, .region: continue
            default: siteIDs.append(Int32(i))
            }
        }
        placeGrid = grid
        sites = siteIDs
    }
}
