import Foundation
import GeoCore
import GeoProj
import Testing

/// Rows of a CSV fixture as dictionaries of column → text.
func csvRows(_ name: String) throws -> [[String: String]] {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    let header = lines[0].split(separator: ",").map(String.init)
    return lines.dropFirst().map { line in
        Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
    }
}

/// Difference between two azimuths in degrees, modulo 360.
func azimuthDifference(_ a: Double, _ b: Double) -> Double {
    var d = (a - b).truncatingRemainder(dividingBy: 360)
    if d > 180 { d -= 360 }
    if d < -180 { d += 360 }
    return abs(d)
}

@Suite struct GeodesicTests {
    let g = Geodesic.wgs84

    @Test func albuKamalToErbil() throws {
        let r = try g.inverse(from: Position(longitude: 40.91854, latitude: 34.45226), to: Position(longitude: 44.00943, latitude: 36.19117))
        #expect(abs(r.distanceMeters - 340_865.86) < 0.01)
    }

    /// GeographicLib (Python) reference values: scripts/make-geodesic-fixture.py.
    @Test func inverseAgreesWithGeographicLibToOneMillimetre() throws {
        let rows = try csvRows("geodesic-reference.csv")
        #expect(rows.count >= 1000)
        var categories = Set<String>()
        var worstMeters = 0.0
        for row in rows {
            let d = { (k: String) in Double(row[k]!)! }
            let r = try g.inverse(from: Position(longitude: d("lon1"), latitude: d("lat1")), to: Position(longitude: d("lon2"), latitude: d("lat2")))
            let error = abs(r.distanceMeters - d("s12_m"))
            worstMeters = max(worstMeters, error)
            #expect(error < 0.001, "\(row)")
            categories.insert(row["case"]!)
            // Azimuths are ill-defined for coincident and (nearly) antipodal points and at the poles.
            let hard = row["case"]!.contains("antipodal") || row["case"]!.contains("pole") || row["case"]!.contains("coincident")
            if !hard {
                #expect(azimuthDifference(r.azimuth1Degrees, d("azi1_deg")) < 1e-6, "\(row)")
                #expect(azimuthDifference(r.azimuth2Degrees, d("azi2_deg")) < 1e-6, "\(row)")
            }
        }
        #expect(categories.contains { $0.contains("antipodal") })
        #expect(categories.contains { $0.contains("pole") })
        #expect(worstMeters < 1e-6, "worst \(worstMeters) m")
    }

    /// The distance-only call is the full inverse's distance, bit for bit: on the reference
    /// rows (antipodal, polar, coincident cases included) and on random pairs, near and far.
    @Test func distanceAloneIsTheInversesDistanceBitForBit() throws {
        var pairs = try csvRows("geodesic-reference.csv").map { row in
            let d = { (k: String) in Double(row[k]!)! }
            return (d("lat1"), d("lon1"), d("lat2"), d("lon2"))
        }
        var rng = SeededGenerator(seed: 19)
        for k in 0..<20_000 {
            let lat1 = Double.random(in: -90...90, using: &rng), lon1 = Double.random(in: -180...180, using: &rng)
            let spread = k % 2 == 0 ? 1.0 : 180.0
            pairs.append((lat1, lon1, max(-90, min(90, lat1 + Double.random(in: -spread...spread, using: &rng))),
                          lon1 + Double.random(in: -spread...spread, using: &rng)))
        }
        var differing = 0
        for (lat1, lon1, lat2, lon2) in pairs {
            let full = g.inverseUnchecked(latitude1: lat1, longitude1: lon1, latitude2: lat2, longitude2: lon2).distanceMeters
            let alone = g.distanceMetersUnchecked(latitude1: lat1, longitude1: lon1, latitude2: lat2, longitude2: lon2)
            if full.bitPattern != alone.bitPattern { differing += 1 }
        }
        let none = differing == 0
        #expect(none, "\(differing) of \(pairs.count) distances differ")
    }

    @Test func directAgreesWithGeographicLib() throws {
        let rows = try csvRows("geodesic-direct-reference.csv")
        #expect(rows.count >= 300)
        for row in rows {
            let d = { (k: String) in Double(row[k]!)! }
            let r = try g.direct(from: Position(longitude: d("lon1"), latitude: d("lat1")), azimuthDegrees: d("azi1_deg"), distanceMeters: d("s12_m"))
            // 1e-9 degrees of latitude is about 0.1 mm.
            #expect(abs(r.destination.latitude - d("lat2")) < 1e-9, "\(row)")
            let lonError = azimuthDifference(r.destination.longitude, d("lon2")) * cos(d("lat2") * .pi / 180)
            #expect(lonError < 1e-9, "\(row)")
        }
    }

    @Test func badLatitudesAreErrorsNotNaN() {
        #expect(throws: ProjError.self) { try g.inverse(from: Position(longitude: 0, latitude: 91), to: Position(longitude: 0, latitude: 0)) }
        #expect(throws: ProjError.self) { try g.inverse(from: Position(longitude: .nan, latitude: 0), to: Position(longitude: 0, latitude: 0)) }
        #expect(throws: ProjError.self) { try g.direct(from: Position(longitude: 0, latitude: 0), azimuthDegrees: .infinity, distanceMeters: 1) }
    }

    @Test func polygonAreaOfAOneDegreeCellAtTheEquator() throws {
        // GeographicLib's Planimeter gives 12,308,778,361.47 m² for this cell.
        let cell = [Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 1), Position(x: 0, y: 0)]
        let area = try g.areaSquareMeters(of: .polygon([cell]))
        #expect(abs(area - 12_308_778_361.47) < 1)
    }

    @Test func compassPoints() {
        #expect(Geodesic.compassPoint(azimuthDegrees: 0) == "N")
        #expect(Geodesic.compassPoint(azimuthDegrees: -45) == "NW")
        #expect(Geodesic.compassPoint(azimuthDegrees: 100) == "E")
        #expect(Geodesic.compassPoint(azimuthDegrees: 359) == "N")
    }
}

@Suite struct TransformTests {
    @Test func wgs84ToUTMIsLongitudeFirstAndRoundTrips() throws {
        let ctx = try ProjContext()
        #expect(!ctx.isNetworkEnabled)
        let t = try Transformer(from: .wgs84, to: .utm(zone: 37, north: true), context: ctx)
        // The central meridian of zone 37 is 39°E: easting there is exactly 500 km.
        let p = try t.transform(Position(longitude: 39, latitude: 34))
        #expect(abs(p.x - 500_000) < 1e-6)
        #expect(abs(p.y - 3_762_155.15) < 1)
        var positions = [Position(longitude: 40.91854, latitude: 34.45226), Position(longitude: 38.62, latitude: 33.5, height: 700)]
        let original = positions
        try t.transform(&positions)
        #expect(positions[1].hasZ && !positions[0].hasZ)
        try t.transform(&positions, inverse: true)
        for (a, b) in zip(positions, original) {
            #expect(abs(a.x - b.x) < 1e-9 && abs(a.y - b.y) < 1e-9)
        }
    }

    @Test func structOfArraysTransform() throws {
        let ctx = try ProjContext()
        let t = try Transformer(from: .wgs84, to: .webMercator, context: ctx)
        var x = [0.0, 180.0, -90], y = [0.0, 0, 45]
        try t.transform(x: &x, y: &y)
        #expect(abs(x[1] - 20_037_508.342789244) < 1e-6)
        #expect(x[0] == 0 && y[0] == 0)
    }

    @Test func unknownCRSIsATypedErrorWithPROJsMessage() throws {
        let ctx = try ProjContext()
        #expect {
            _ = try Transformer(from: .wgs84, to: .epsg(999_999), context: ctx)
        } throws: { error in
            guard case .library(_, let message)? = error as? ProjError else { return false }
            return !message.isEmpty
        }
    }

    @Test func failedCoordinatesNameTheirIndex() throws {
        let ctx = try ProjContext()
        let t = try Transformer(from: .wgs84, to: .webMercator, context: ctx)
        var positions = [Position(longitude: 10, latitude: 10), Position(longitude: 0, latitude: 91)]
        #expect {
            try t.transform(&positions)
        } throws: { error in
            guard case .coordinateFailed(let index, _, _, _)? = error as? ProjError else { return false }
            return index == 1
        }
    }

    @Test func localProjectionChoice() {
        let small = BoundingBox(minX: 40.5, minY: 34, maxX: 41.5, maxY: 35)
        #expect(LocalProjection.forArea(small).kind == .utm(zone: 37, north: true))
        let wide = BoundingBox(minX: 36, minY: 29, maxX: 49, maxY: 38)
        #expect(LocalProjection.forArea(wide).kind == .azimuthalEquidistant(center: Position(x: 42.5, y: 33.5)))
        #expect(LocalProjection.utmZone(longitude: -180) == 1)
        #expect(LocalProjection.utmZone(longitude: 180) == 60)
    }
}
