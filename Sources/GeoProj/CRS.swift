import GeoCore
/// A coordinate reference system as PROJ names it: `EPSG:4326`, a PROJ string
/// (`+proj=aeqd +lat_0=34.45 +lon_0=40.92 +datum=WGS84 +units=m`), WKT, or PROJJSON.
public struct CRS: Hashable, Sendable, CustomStringConvertible {
    /// The definition passed to `proj_create_crs_to_crs`.
    public var definition: String

    public init(_ definition: String) { self.definition = definition }

    /// An EPSG code, e.g. `.epsg(32637)` for WGS 84 / UTM zone 37N.
    public static func epsg(_ code: Int) -> CRS { CRS("EPSG:\(code)") }

    /// WGS 84 geographic (EPSG:4326); with `Transformer` axis normalisation, longitude first.
    public static let wgs84 = CRS.epsg(4326)

    /// Web Mercator (EPSG:3857), for tiles only: it is neither equal-area nor equidistant.
    public static let webMercator = CRS.epsg(3857)

    /// An azimuthal equidistant projection centred on `center` (degrees) in metres: distances
    /// and azimuths from the centre are true on the WGS84 ellipsoid.
    public static func azimuthalEquidistant(center: Position) -> CRS {
        CRS("+proj=aeqd +lat_0=\(center.latitude) +lon_0=\(center.longitude) +datum=WGS84 +units=m +no_defs +type=crs")
    }

    /// A Lambert azimuthal equal-area projection centred on `center`, in metres: areas are true.
    public static func lambertAzimuthalEqualArea(center: Position) -> CRS {
        CRS("+proj=laea +lat_0=\(center.latitude) +lon_0=\(center.longitude) +datum=WGS84 +units=m +no_defs +type=crs")
    }

    /// WGS 84 / UTM: EPSG 326zz north of the equator, 327zz south.
    public static func utm(zone: Int, north: Bool) -> CRS { .epsg((north ? 32600 : 32700) + zone) }

    public var description: String { definition }
}

/// A metric projection chosen for an area, for metre-based work on lon/lat data.
public struct LocalProjection: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A UTM zone (1…60), north or south.
        case utm(zone: Int, north: Bool)
        /// Azimuthal equidistant centred on a point (longitude, latitude in degrees).
        case azimuthalEquidistant(center: Position)
    }

    public var kind: Kind

    public var crs: CRS {
        switch kind {
        case .utm(let zone, let north): .utm(zone: zone, north: north)
        case .azimuthalEquidistant(let center): .azimuthalEquidistant(center: center)
        }
    }

    /// The UTM zone (1…60) of a longitude in degrees (the Norway/Svalbard exceptions are ignored).
    public static func utmZone(longitude: Double) -> Int {
        if longitude == 180 { return 60 }  // the east edge of zone 60
        let normalized = (longitude + 180).truncatingRemainder(dividingBy: 360)
        let wrapped = normalized < 0 ? normalized + 360 : normalized
        return min(60, Int(wrapped / 6) + 1)
    }

    /// Azimuthal equidistant centred on `center`: exact distances from the centre, the right
    /// choice for buffers around a point or a compact area.
    public static func centered(on center: Position) -> LocalProjection {
        LocalProjection(kind: .azimuthalEquidistant(center: center))
    }

    /// The projection for an area given as a lon/lat box: its UTM zone when the box lies
    /// within one zone (6° of longitude) between 80°S and 84°N, where UTM's scale error stays
    /// under 0.1 %; otherwise azimuthal equidistant centred on the box.
    public static func forArea(_ box: BoundingBox) -> LocalProjection {
        let center = box.center
        let zone = utmZone(longitude: center.longitude)
        let zoneWest = Double(zone - 1) * 6 - 180
        if box.minX >= zoneWest, box.maxX <= zoneWest + 6, box.minY >= -80, box.maxY <= 84 {
            return LocalProjection(kind: .utm(zone: zone, north: center.latitude >= 0))
        }
        return centered(on: center)
    }
}
