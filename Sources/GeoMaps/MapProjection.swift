import Foundation
import GeoCore
import GeoProj

/// The map's projection (PROJ) and frame: which rectangle of the projected plane the canvas
/// shows, and where.
///
/// The projection is centred on the data, never raw longitude/latitude: Lambert conformal conic
/// with standard parallels at 1/6 and 5/6 of the latitude span (shapes and angles true, scale
/// within a fraction of a percent over a region) for mid-latitude extents, azimuthal equidistant
/// centred on the extent otherwise (near the equator or the poles, or very tall extents). Both
/// have the central meridian straight up at the centre.
struct MapFrame {
    let crs: CRS
    /// "Lambert conformal conic, standard parallels 33.6°N and 36.4°N", for the attribution.
    let projectionName: String
    let transformer: Transformer
    /// The projected rectangle shown, metres.
    let bounds: BoundingBox
    /// The map's rectangle on the canvas, pixels.
    let left: Double
    let top: Double
    let width: Double
    let height: Double

    /// Pixels per projected metre.
    var scale: Double { width / bounds.width }
    var right: Double { left + width }
    var bottom: Double { top + height }
    var centerPixel: (x: Double, y: Double) { (left + width / 2, top + height / 2) }

    /// The projection for an extent given in degrees.
    static func projection(for box: BoundingBox) -> (crs: CRS, name: String) {
        let c = box.center
        let lat1 = box.minY + box.height / 6, lat2 = box.maxY - box.height / 6
        func deg(_ v: Double, _ pos: String, _ neg: String) -> String { Format.trimmed(abs(v), 2) + "°" + (v >= 0 ? pos : neg) }
        let centre = "\(deg(c.latitude, "N", "S")) \(deg(c.longitude, "E", "W"))"
        if abs(c.latitude) >= 12, abs(c.latitude) <= 75, box.height <= 40, lat1 * lat2 > 0 {
            let crs = CRS("+proj=lcc +lat_0=\(c.latitude) +lon_0=\(c.longitude) +lat_1=\(lat1) +lat_2=\(lat2) +datum=WGS84 +units=m +no_defs +type=crs")
            return (crs, "Lambert conformal conic centred on \(centre), standard parallels \(deg(lat1, "N", "S")) and \(deg(lat2, "N", "S"))")
        }
        return (.azimuthalEquidistant(center: c), "azimuthal equidistant centred on \(centre)")
    }

    /// Projects longitudes and latitudes to metres; a coordinate PROJ cannot project is NaN.
    static func project(_ transformer: Transformer, lon: [Double], lat: [Double]) -> (x: [Double], y: [Double]) {
        var x = lon, y = lat
        do { try transformer.transform(x: &x, y: &y) } catch {
            // The arrays hold every result; the failed ones are not finite.
            for i in x.indices where !x[i].isFinite || !y[i].isFinite || abs(x[i]) > 1e12 || abs(y[i]) > 1e12 { x[i] = .nan; y[i] = .nan }
        }
        return (x, y)
    }

    /// The frame for data whose projected positions span `dataBox` (metres), or for a requested
    /// rectangle. Auto extents get 12 % padding on every side (8 % of the other side at least,
    /// so that a line of events gets width) and are at least 100 km across; the aspect ratio
    /// (height / width) is kept between 0.62 and 1.3 by widening the narrow side.
    static func fit(dataBox: BoundingBox, padded: Bool, minimumSpan: Double = 100_000,
                    canvasWidth: Double) -> (bounds: BoundingBox, height: Double) {
        var box = dataBox
        if padded {
            let w = box.width, h = box.height
            let padX = max(0.12 * w, 0.08 * h), padY = max(0.12 * h, 0.08 * w)
            box = BoundingBox(minX: box.minX - padX, minY: box.minY - padY, maxX: box.maxX + padX, maxY: box.maxY + padY)
        }
        let c = box.center
        var halfW = max(box.width, minimumSpan) / 2, halfH = max(box.height, minimumSpan) / 2
        let ratio = halfH / halfW
        if ratio < 0.62 { halfH = 0.62 * halfW } else if ratio > 1.3 { halfW = halfH / 1.3 }
        let bounds = BoundingBox(minX: c.x - halfW, minY: c.y - halfH, maxX: c.x + halfW, maxY: c.y + halfH)
        return (bounds, (canvasWidth * halfH / halfW).rounded())
    }

    /// Canvas pixel of a projected position.
    @inline(__always)
    func pixel(x: Double, y: Double) -> (x: Double, y: Double) {
        (left + (x - bounds.minX) * scale, top + (bounds.maxY - y) * scale)
    }

    /// Canvas pixels of positions in degrees (NaN where PROJ fails).
    func pixels(lon: [Double], lat: [Double]) -> (x: [Double], y: [Double]) {
        var (x, y) = Self.project(transformer, lon: lon, lat: lat)
        let s = scale, minX = bounds.minX, maxY = bounds.maxY
        for i in x.indices {
            x[i] = left + (x[i] - minX) * s
            y[i] = top + (maxY - y[i]) * s
        }
        return (x, y)
    }

    func pixel(_ p: Position) -> (x: Double, y: Double)? {
        let r = pixels(lon: [p.longitude], lat: [p.latitude])
        return r.x[0].isFinite ? (r.x[0], r.y[0]) : nil
    }

    /// The position in degrees under a canvas pixel.
    func lonLat(x: Double, y: Double) throws -> Position {
        let p = Position(x: bounds.minX + (x - left) / scale, y: bounds.maxY - (y - top) / scale)
        return try transformer.transform(p, inverse: true)
    }

    /// The degrees the frame covers: its outline sampled and unprojected.
    func lonLatBox() throws -> BoundingBox {
        var box = BoundingBox.empty
        let n = 24
        for k in 0...n {
            let t = Double(k) / Double(n)
            for (x, y) in [(left + t * width, top), (left + t * width, bottom), (left, top + t * height), (right, top + t * height)] {
                if let p = try? lonLat(x: x, y: y), p.x.isFinite, p.y.isFinite { box.extend(p) }
            }
        }
        if box.isEmpty { throw MapError("the map's frame cannot be unprojected") }
        return box
    }

    /// Pixels per metre on the ground at the map's centre, measured along a short geodesic
    /// eastwards (the projections are conformal or isotropic at the centre).
    func pixelsPerMeterAtCenter() throws -> Double {
        let c = centerPixel
        let centre = try lonLat(x: c.x, y: c.y)
        let step = max(100, 2 / scale)  // ≥ 2 px
        let east = try Geodesic.wgs84.direct(from: centre, azimuthDegrees: 90, distanceMeters: step).destination
        guard let a = pixel(centre), let b = pixel(east) else { throw MapError("cannot measure the scale at the map's centre") }
        return hypot(b.x - a.x, b.y - a.y) / step
    }

    /// Degrees clockwise from straight up of north at the map's centre.
    func northAngleAtCenter() throws -> Double {
        let c = centerPixel
        let centre = try lonLat(x: c.x, y: c.y)
        let north = try Geodesic.wgs84.direct(from: centre, azimuthDegrees: 0, distanceMeters: max(100, 10 / scale)).destination
        guard let a = pixel(centre), let b = pixel(north) else { return 0 }
        return atan2(b.x - a.x, a.y - b.y) * 180 / .pi
    }

    /// A round length (1, 2 or 5 × 10ⁿ metres) of about `pixels` at the centre, and its pixels.
    func scaleBar(aboutPixels pixels: Double) throws -> (meters: Double, pixels: Double) {
        let perMeter = try pixelsPerMeterAtCenter()
        let target = pixels / perMeter
        let magnitude = pow(10, floor(log10(target)))
        var best = magnitude
        for m in [1.0, 2, 5, 10] where m * magnitude <= target * 1.15 { best = m * magnitude }
        return (best, best * perMeter)
    }
}

/// A map that cannot be drawn: no data, an extent that projects to nothing, a missing program.
public struct MapError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
