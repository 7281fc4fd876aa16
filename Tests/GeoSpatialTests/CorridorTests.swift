import Foundation
import GeoCore
import GeoGazetteer
import GeoMetric
import GeoProj
@testable import GeoSpatial
import Testing

@Suite struct CorridorTests {
    static let countriesPath = packageRoot.appendingPathComponent("Gazetteer/countries.geojson").path

    @Test func iraqSyriaPlaces() throws {
        let corridor = try BorderCorridor(countriesFile: Self.countriesPath, between: "IQ", and: "SY", width: .kilometers(25), metric: try MetricGeometry())
        #expect(corridor.lengthMeters > 550_000 && corridor.lengthMeters < 650_000, "IQ–SY border \(corridor.lengthMeters) m")
        // The northern end comes first.
        #expect(corridor.parts[0].first!.latitude > corridor.parts[0].last!.latitude)
        let reverse = try ReverseGeocoder(gazetteer: Gazetteer(entries: [], dataDirectory: packageRoot.appendingPathComponent("Gazetteer").path))
        let (lons, lats, features) = try readPoints(fixturePath("corridor-iq-sy-places.geojson"))
        var found: [String: (BorderPosition, String?)] = [:]
        for (i, f) in features.enumerated() {
            let name = f[property: "name"]!.stringValue!
            let position = try corridor.locate(longitude: lons[i], latitude: lats[i])
            let side = try reverse.country(at: Position(longitude: lons[i], latitude: lats[i]))?.code
            found[name] = (position, side)
            #expect(side == f[property: "expected_side"]?.stringValue, "\(name): side")
            #expect((position.distanceMeters <= 25_000) == (f[property: "expected_in_corridor"] == .bool(true)), "\(name): \(position.distanceMeters) m")
        }
        let albuKamal = try #require(found["Ālbū Kamāl"]), qaim = try #require(found["Al Qā’im"])
        #expect(albuKamal.0.distanceMeters < 20_000 && qaim.0.distanceMeters < 20_000)
        #expect(albuKamal.1 != qaim.1)
        // Facing each other: a few km apart along the border.
        #expect(abs(albuKamal.0.alongMeters - qaim.0.alongMeters) < 10_000)
        #expect(try #require(found["Erbil"]).0.distanceMeters > 100_000)
        #expect(try #require(found["Damascus"]).0.distanceMeters > 100_000)
    }

    /// The corridor polygon is valid and 2 × width wide within 1 %. From a point of the border
    /// the shortest geodesic distance to the corridor's edge on each side (searched every 5° of
    /// azimuth, the edge found by bisection) is the width where the border is straight for
    /// ± 2 × width (midpoints of segments at least 4 × width long), and at least the width at
    /// every vertex (more on the inside of a bend); every edge point found lies `width` from
    /// the border.
    @Test(arguments: [("IQ", "SY", 25.0), ("SY", "JO", 10.0), ("IQ", "IR", 40.0), ("IQ", "SY", 5.0), ("SY", "JO", 5.0), ("IQ", "IR", 5.0)])
    func corridorIsTwiceTheWidthWide(_ a: String, _ b: String, _ km: Double) throws {
        let metric = try MetricGeometry()
        let width = km * 1000
        let corridor = try BorderCorridor(countriesFile: Self.countriesPath, between: a, and: b, width: .kilometers(km), metric: metric)
        let polygon = try metric.geos.geometry(from: corridor.corridor)
        #expect(polygon.isValid, "\(a)-\(b): \(polygon.validityReason)")
        let prepared = try polygon.prepared()
        let part = corridor.parts.max { $0.count < $1.count }!
        // Samples: (point, border direction, straight for ± 2 × width).
        var samples: [(Position, Double, Bool)] = []
        for i in stride(from: 1, to: part.count - 1, by: max(1, part.count / 20)) {
            samples.append((part[i], try Geodesic.wgs84.inverse(from: part[i - 1], to: part[i + 1]).azimuth1Degrees, false))
        }
        for (p, q) in zip(part, part.dropFirst()) {
            let segment = try Geodesic.wgs84.inverse(from: p, to: q)
            guard segment.distanceMeters >= 4 * width else { continue }
            let middle = try Geodesic.wgs84.direct(from: p, azimuthDegrees: segment.azimuth1Degrees, distanceMeters: segment.distanceMeters / 2)
            samples.append((middle.destination, middle.azimuth2Degrees, true))
        }
        var straightSamples = 0
        for (center, direction, straight) in samples {
            func inside(_ azimuth: Double, _ d: Double) throws -> Bool {
                let x = try Geodesic.wgs84.direct(from: center, azimuthDegrees: azimuth, distanceMeters: d).destination
                return try prepared.covers(try metric.geos.point(x: x.longitude, y: x.latitude))
            }
            #expect(try inside(0, 0), "\(a)-\(b) at \(center): the border is inside its corridor")
            var nearestEdge = [Double.infinity, Double.infinity]  // left, right of the border's direction
            var nearestAzimuth = [0.0, 0.0]
            for step in 1..<72 where step != 36 {
                let azimuth = direction + Double(step) * 5
                // The first exit: step out until outside, then bisect.
                var low = 0.0, high = width / 8
                while try inside(azimuth, high) { low = high; high += width / 8 }
                for _ in 0..<30 {
                    let mid = (low + high) / 2
                    if try inside(azimuth, mid) { low = mid } else { high = mid }
                }
                let side = step < 36 ? 0 : 1
                if low < nearestEdge[side] { nearestEdge[side] = low; nearestAzimuth[side] = azimuth }
            }
            for side in 0..<2 {
                if straight {
                    #expect(abs(nearestEdge[side] - width) / width < 0.01, "\(a)-\(b) at \(center): edge \(nearestEdge[side]) m away")
                } else {
                    #expect(nearestEdge[side] > width * 0.99, "\(a)-\(b) at \(center): edge \(nearestEdge[side]) m away")
                }
                let edge = try Geodesic.wgs84.direct(from: center, azimuthDegrees: nearestAzimuth[side], distanceMeters: nearestEdge[side]).destination
                let fromBorder = try corridor.locate(longitude: edge.longitude, latitude: edge.latitude).distanceMeters
                #expect(abs(fromBorder - width) / width < 0.01, "\(a)-\(b) at \(center): edge \(fromBorder) m from the border")
            }
            if straight {
                #expect(abs(nearestEdge[0] + nearestEdge[1] - 2 * width) / (2 * width) < 0.01, "\(a)-\(b) at \(center)")
                straightSamples += 1
            }
        }
        #expect(samples.count >= 15)
        if km <= 5 { #expect(straightSamples >= 2, "\(a)-\(b): \(straightSamples) straight samples") }
    }

    /// Many points located at once (candidate segments by cell, kept or not) land exactly where
    /// one point at a time does (every segment measured): points near the border and on the
    /// bisectors of its vertices (equally near two segments), far from it, and worldwide.
    @Test(arguments: [("IQ", "SY"), ("IQ", "IR"), ("SY", "TR")])
    func manyPointsEqualOneAtATime(_ a: String, _ b: String) throws {
        let corridor = try BorderCorridor(countriesFile: Self.countriesPath, between: a, and: b, width: .kilometers(10), metric: try MetricGeometry())
        var rng = SeededGenerator(seed: 5)
        var lons: [Double] = [], lats: [Double] = []
        for part in corridor.parts {
            for (p, q) in zip(part, part.dropFirst()) {
                // The vertex q's neighbours p and r: points off q along the bisector, both ways.
                lons.append(q.longitude + (q.longitude - p.longitude) * 0.5); lats.append(q.latitude - (q.latitude - p.latitude) * 0.5)
                lons.append((p.longitude + q.longitude) / 2 + Double.random(in: -0.3...0.3, using: &rng))
                lats.append((p.latitude + q.latitude) / 2 + Double.random(in: -0.3...0.3, using: &rng))
            }
            for (p, (q, r)) in zip(part, zip(part.dropFirst(), part.dropFirst(2))) {
                for step in [0.01, 0.2, 2.0] {
                    lons.append(q.longitude + step * ((q.longitude - p.longitude) + (q.longitude - r.longitude)))
                    lats.append(q.latitude + step * ((q.latitude - p.latitude) + (q.latitude - r.latitude)))
                }
            }
        }
        for _ in 0..<1_000 {
            lons.append(Double.random(in: 30...55, using: &rng)); lats.append(Double.random(in: 25...42, using: &rng))
            lons.append(Double.random(in: -180...180, using: &rng)); lats.append(Double.random(in: -89...89, using: &rng))
        }
        let one = try lons.indices.map { try corridor.locate(longitude: lons[$0], latitude: lats[$0]) }
        for (threads, maxCells) in [(1, 1 << 16), (2, 1 << 16), (2, 50)] {
            let many = try corridor.locate(longitudes: lons, latitudes: lats, threads: threads, pointsPerThread: 100, maxCells: maxCells)
            let differing = lons.indices.filter { many[$0] != one[$0] }
            #expect(differing.isEmpty, "\(a)-\(b), \(threads) threads, \(maxCells) cells: \(differing.count) of \(lons.count) points differ, first \(differing.prefix(3))")
        }
    }

    @Test func noSharedBorderIsAnError() throws {
        #expect(throws: SpatialError.self) {
            try BorderCorridor(countriesFile: Self.countriesPath, between: "IQ", and: "EG", width: .kilometers(25), metric: try MetricGeometry())
        }
        #expect(throws: SpatialError.self) {
            try BorderCorridor(countriesFile: Self.countriesPath, between: "IQ", and: "XX", width: .kilometers(25), metric: try MetricGeometry())
        }
    }

    @Test func groupsAlongSplitAtGaps() {
        let groups = BorderCorridor.groupsAlong([10_000, nil, 30_000, 200_000, 95_000, 150_000], maxGap: .kilometers(50))
        #expect(groups == [0, nil, 0, 2, 1, 2])
    }
}

@Suite struct NearestTargetsTests {
    /// The phrase before a site's name, written as bytes, is the wording it always had:
    /// "at " under 500 m, tenths under 10 km ("3.0" for a whole number), whole kilometres
    /// beyond, then the compass point.
    @Test func phrasePrefixKeepsItsWording() {
        func wording(_ meters: Double, _ bearing: Double) -> String {
            if meters < 500 { return "at " }
            let km = meters / 1000
            let amount = km < 10 ? String(Double((km * 10).rounded()) / 10) : String(Int(km.rounded()))
            return "\(amount) km \(Geodesic.compassPoint(azimuthDegrees: bearing)) of "
        }
        var rng = SeededGenerator(seed: 5)
        var meters: [Double] = [0, 499.999, 500, 949.99, 950, 1_000, 9_949.99, 9_950, 9_999.9, 10_000, 10_499, 10_500, 20_003_931]
        meters += (0..<20_000).map { _ in Double.random(in: 0...30_000, using: &rng) }
        meters += (0..<2_000).map { _ in Double.random(in: 0...20_004_000, using: &rng) }
        var differing: [String] = []
        for m in meters {
            let bearing = Double.random(in: 0..<360, using: &rng)
            let target = NearbyTarget(targetIndex: 0, distanceMeters: m, bearingDegrees: bearing)
            if target.phrasePrefix != wording(m, bearing), differing.count < 5 { differing.append("\(m) m: \(target.phrasePrefix)") }
        }
        let none = differing.isEmpty
        #expect(none, "\(differing)")
    }

    /// Equals brute force (distance, then index) for k 1 and 3, with and without a radius,
    /// with targets on both sides of the antimeridian and near a pole.
    @Test func equalsBruteForce() throws {
        var rng = SeededGenerator(seed: 11)
        var tLon: [Double] = [], tLat: [Double] = [], qLon: [Double] = [], qLat: [Double] = []
        for i in 0..<300 {
            tLat.append(i % 3 == 0 ? Double.random(in: 85...90, using: &rng) : Double.random(in: -10...10, using: &rng))
            tLon.append(i % 2 == 0 ? Double.random(in: 170...180, using: &rng) : Double.random(in: -180...(-170), using: &rng))
        }
        for i in 0..<200 {
            qLat.append(i % 5 == 0 ? Double.random(in: -60...89, using: &rng) : Double.random(in: -12...12, using: &rng))
            qLon.append(Double.random(in: -180...180, using: &rng))
        }
        let index = try NearestTargets(longitudes: tLon, latitudes: tLat)
        for k in [1, 3] {
            for within in [nil, Distance.kilometers(300)] {
                let got = try index.nearest(longitudes: qLon, latitudes: qLat, k: k, within: within)
                // Shared among threads, the queries get the same answers in the same order.
                for (threads, perThread) in [(2, 1), (3, 7), (2, 150)] {
                    #expect(try index.nearest(qLon, qLat, k: k, within: within, threads: threads, queriesPerThread: perThread) == got,
                            "\(threads) threads of at least \(perThread) queries, k \(k)")
                }
                for q in qLat.indices {
                    let all = tLat.indices.map { t in
                        (t, Geodesic.wgs84.inverseUnchecked(latitude1: tLat[t], longitude1: tLon[t], latitude2: qLat[q], longitude2: qLon[q]).distanceMeters)
                    }
                    .filter { within == nil || $0.1 <= within!.meters }
                    .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
                    #expect(got[q].map(\.targetIndex) == all.prefix(k).map(\.0), "query \(q), k \(k), within \(String(describing: within))")
                }
            }
        }
    }

    /// Each result's bearing is the azimuth at the target of the geodesic from the target to the
    /// query (`geod_inverse` that way round, 0–360), to within 1e-9°, though it is taken from the
    /// search's own geodesic (query to target) turned round; its distance is that geodesic's.
    @Test func bearingIsTheAzimuthFromTheTarget() throws {
        var rng = SeededGenerator(seed: 23)
        var tLon: [Double] = [], tLat: [Double] = [], qLon: [Double] = [], qLat: [Double] = []
        for _ in 0..<200 {
            tLat.append(Double.random(in: -89...89, using: &rng))
            tLon.append(Double.random(in: -180...180, using: &rng))
        }
        // Queries anywhere, and due north, south, east and west of a target.
        for _ in 0..<300 {
            qLat.append(Double.random(in: -89...89, using: &rng))
            qLon.append(Double.random(in: -180...180, using: &rng))
        }
        for (dLat, dLon) in [(0.1, 0.0), (-0.1, 0.0), (0.0, 0.1), (0.0, -0.1)] {
            qLat.append(tLat[0] + dLat)
            qLon.append(tLon[0] + dLon)
        }
        let index = try NearestTargets(longitudes: tLon, latitudes: tLat)
        let got = try index.nearest(longitudes: qLon, latitudes: qLat, k: 3)
        var worst = 0.0
        for q in qLat.indices {
            for m in got[q] {
                let back = Geodesic.wgs84.inverseUnchecked(latitude1: tLat[m.targetIndex], longitude1: tLon[m.targetIndex],
                                                           latitude2: qLat[q], longitude2: qLon[q])
                let expected = back.azimuth1Degrees < 0 ? back.azimuth1Degrees + 360 : back.azimuth1Degrees
                var gap = abs(m.bearingDegrees - expected)
                gap = min(gap, 360 - gap)
                worst = max(worst, gap)
                #expect(m.bearingDegrees >= 0 && m.bearingDegrees < 360)
                let forth = Geodesic.wgs84.inverseUnchecked(latitude1: qLat[q], longitude1: qLon[q],
                                                            latitude2: tLat[m.targetIndex], longitude2: tLon[m.targetIndex])
                #expect(m.distanceMeters == forth.distanceMeters)
            }
        }
        #expect(worst < 1e-9, "largest bearing gap \(worst)°")
        #expect(NearestTargets.reversed(180) == 0 && NearestTargets.reversed(-180) == 0 && NearestTargets.reversed(0) == 180)
        #expect(NearestTargets.reversed(-90) == 90 && NearestTargets.reversed(90) == 270)
    }

    @Test func phraseAndEdgeCases() throws {
        let index = try NearestTargets(longitudes: [38.61778], latitudes: [33.50583])
        // 12 km north-west of the garrison.
        let p = try Geodesic.wgs84.direct(from: Position(longitude: 38.61778, latitude: 33.50583), azimuthDegrees: 315, distanceMeters: 12_000).destination
        let m = try #require(try index.nearest(longitudes: [p.longitude], latitudes: [p.latitude], k: 1)[0].first)
        #expect(m.phrase(name: "al-Tanf garrison") == "12 km NW of al-Tanf garrison")
        #expect(abs(m.bearingDegrees - 315) < 0.5)
        #expect(try index.nearest(longitudes: [], latitudes: [], k: 1).isEmpty)
        #expect(try index.nearest(longitudes: [p.longitude], latitudes: [p.latitude], k: 1, within: .kilometers(5)) == [[]])
        #expect(throws: SpatialError.invalidCoordinate(index: 0, longitude: 40, latitude: -95)) {
            try index.nearest(longitudes: [40], latitudes: [-95], k: 1)
        }
        let empty = try NearestTargets(longitudes: [], latitudes: [])
        #expect(try empty.nearest(longitudes: [40], latitudes: [30], k: 2) == [[]])
    }
}
