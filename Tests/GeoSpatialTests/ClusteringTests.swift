import Foundation
import GeoCore
import GeoProj
import GeoSpatial
import Testing

/// All-pairs geodesic single linkage in Python geographiclib, labels by first appearance,
/// one JSON list per radius.
let geographiclibSingleLinkage = """
import json, sys
from geographiclib.geodesic import Geodesic
pts = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
radii = [float(r) for r in sys.argv[2].split(',')]
n = len(pts)
g = Geodesic.WGS84
edges = []
for i in range(n):
    for j in range(i + 1, n):
        edges.append((g.Inverse(pts[i][1], pts[i][0], pts[j][1], pts[j][0], Geodesic.DISTANCE)['s12'], i, j))
for r in radii:
    parent = list(range(n))
    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]; x = parent[x]
        return x
    for d, i, j in edges:
        if d <= r:
            a, b = find(i), find(j)
            if a != b: parent[max(a, b)] = min(a, b)
    ids, labels = {}, []
    for i in range(n):
        labels.append(ids.setdefault(find(i), len(ids)))
    print(json.dumps(labels))
"""

@Suite struct ClusteringTests {
    /// 1,200 places of Iraq, Syria, Jordan, Lebanon, Turkey and Iran from the bundled gazetteer
    /// (every k-th in file order).
    static func places() throws -> (longitudes: [Double], latitudes: [Double]) {
        let all = try gazetteerPlaces(countries: ["IQ", "SY", "JO", "LB", "TR", "IR"])
        let step = max(1, all.count / 1_200)
        let picked = stride(from: 0, to: all.count, by: step).prefix(1_200).map { all[$0] }
        return (picked.map(\.longitude), picked.map(\.latitude))
    }

    @Test func singleLinkageEqualsAllPairsGeographiclib() throws {
        let (lons, lats) = try Self.places()
        #expect(lons.count >= 1_000)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("geo-spatial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pointsPath = dir.appendingPathComponent("points.txt").path
        try zip(lons, lats).map { "\($0) \($1)" }.joined(separator: "\n").write(toFile: pointsPath, atomically: true, encoding: .utf8)
        let scriptPath = dir.appendingPathComponent("reference.py").path
        try geographiclibSingleLinkage.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let radiiKm = [10.0, 25.0, 50.0]
        let run = try #require(runProgram("python3", [scriptPath, pointsPath, radiiKm.map { String($0 * 1000) }.joined(separator: ",")]), "python3 is missing")
        try #require(run.status == 0, "geographiclib reference failed: \(run.output)")
        let lines = run.output.split(separator: "\n")
        try #require(lines.count == radiiKm.count)
        for (km, line) in zip(radiiKm, lines) {
            let expected = try #require(try JSONParser.parse(String(line)).arrayValue).map { Int($0.numberValue ?? -1) }
            let result = try SpatialClustering.cluster(longitudes: lons, latitudes: lats, within: .kilometers(km))
            let got = result.clusterIDs.map { $0 ?? -2 }
            #expect(got == expected, "single linkage at \(km) km differs from geographiclib")
            let clusters = Set(expected).count
            // The reference must be a real test: neither all singletons nor one cluster.
            #expect(clusters > 10 && clusters < lons.count - 10, "\(km) km: \(clusters) clusters")
        }
    }

    @Test(arguments: [
        "dbscan-edge-between-two-clusters.geojson", "dbscan-chain-noise-identical.geojson",
        "single-linkage-antimeridian-poles.geojson", "space-time-two-bursts.geojson",
    ])
    func fixture(_ name: String) throws {
        let path = fixturePath(name)
        let (lons, lats, features) = try readPoints(path)
        let raw = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let parameters = try #require(raw.objectValue?["parameters"]?.objectValue)
        let km = try #require(parameters["within_km"]?.numberValue)
        let minPoints = Int(parameters["min_points"]?.numberValue ?? 1)
        var window: TimeSpan?
        var times: TimeSpans?
        if let days = parameters["time_window_days"]?.numberValue {
            window = .days(days)
            let starts = try features.map { try dayStartSeconds(try #require($0[property: "event_date"]?.stringValue)) }
            times = TimeSpans(startSeconds: starts, endSeconds: starts.map { $0 + 86_400 })
        }
        let result = try SpatialClustering.cluster(
            longitudes: lons, latitudes: lats, within: .kilometers(km), minPoints: minPoints, timeWindow: window, times: times)
        for (i, f) in features.enumerated() {
            let name = f[property: "name"]?.stringValue ?? "\(i)"
            let expected = f[property: "expected_cluster"].flatMap(\.numberValue).map(Int.init)
            #expect(result.clusterIDs[i] == expected, "\(name): cluster")
            #expect(result.roles[i].rawValue == f[property: "expected_role"]?.stringValue, "\(name): role")
        }
        // The same input gives the same ids, and reversed input the same partition.
        #expect(try SpatialClustering.cluster(longitudes: lons, latitudes: lats, within: .kilometers(km), minPoints: minPoints, timeWindow: window, times: times) == result)
    }

    @Test func withoutTimeWindowBurstsMerge() throws {
        let (lons, lats, _) = try readPoints(fixturePath("space-time-two-bursts.geojson"))
        let result = try SpatialClustering.cluster(longitudes: lons, latitudes: lats, within: .kilometers(20))
        #expect(result.clusterCount == 1)
    }

    @Test func emptySingleAndIdentical() throws {
        let empty = try SpatialClustering.cluster(longitudes: [], latitudes: [], within: .kilometers(50))
        #expect(empty.clusterCount == 0 && empty.clusterIDs.isEmpty)
        let one = try SpatialClustering.cluster(longitudes: [44], latitudes: [33], within: .kilometers(50), minPoints: 2)
        #expect(one.clusterIDs == [nil] && one.roles == [.noise])
        let same = try SpatialClustering.cluster(longitudes: [44, 44, 44], latitudes: [33, 33, 33], within: .meters(0.001))
        #expect(same.clusterIDs == [0, 0, 0])
    }

    @Test func invalidInputIsNamed() throws {
        #expect(throws: SpatialError.invalidCoordinate(index: 1, longitude: 44, latitude: 91)) {
            try SpatialClustering.cluster(longitudes: [44, 44], latitudes: [33, 91], within: .kilometers(5))
        }
        #expect(throws: SpatialError.self) {
            try SpatialClustering.cluster(longitudes: [44, .nan], latitudes: [33, 33], within: .kilometers(5))
        }
        #expect(throws: SpatialError.self) {
            try SpatialClustering.cluster(longitudes: [44], latitudes: [33], within: .kilometers(0))
        }
        #expect(throws: SpatialError.missingTime(index: 0)) {
            try SpatialClustering.cluster(
                longitudes: [44], latitudes: [33], within: .kilometers(5), timeWindow: .days(1),
                times: TimeSpans(startSeconds: [.nan], endSeconds: [.nan]))
        }
    }

    /// Random points around real places: the grid's answer equals brute force at several radii,
    /// with DBSCAN and a time window too (the cell shortcut and the point path agree), over
    /// instants, days and months.
    @Test(arguments: [0.5, 3.0, 40.0, 300.0])
    func gridEqualsBruteForce(_ km: Double) throws {
        var rng = SeededGenerator(seed: 7)
        var lons: [Double] = [], lats: [Double] = [], starts: [Double] = []
        for i in 0..<400 {
            let high = i % 4 == 0  // some near the pole and across the antimeridian
            lats.append(high ? Double.random(in: 88...90, using: &rng) : Double.random(in: 33...33.6, using: &rng))
            lons.append(high ? Double.random(in: -180...180, using: &rng) : (i % 2 == 0 ? 179.7 : -180.3) + Double.random(in: 0...0.6, using: &rng))
            starts.append(Double(Int.random(in: 0..<30, using: &rng)) * 86_400)
        }
        // Days, with one in seven a month and one in five an instant (a cell's longest span
        // widens the times searched).
        let ends = starts.indices.map { starts[$0] + ($0 % 7 == 3 ? 30 * 86_400 : $0 % 5 == 1 ? 0 : 86_400) }
        for minPoints in [1, 4] {
            for window in [nil, TimeSpan.days(2), TimeSpan.hours(0)] {
                let times = TimeSpans(startSeconds: starts, endSeconds: ends)
                let got = try SpatialClustering.cluster(longitudes: lons, latitudes: lats, within: .kilometers(km), minPoints: minPoints, timeWindow: window, times: times)
                let want = bruteForceDBSCAN(lons, lats, km * 1000, minPoints, window.map { ($0.seconds, times) })
                #expect(got.clusterIDs == want.ids, "\(km) km, minPoints \(minPoints), window \(String(describing: window))")
                #expect(got.roles == want.roles)
            }
        }
    }
}

extension ClusteringTests {
    /// Dense towns (60 points within about 1 km of each) whose spacing straddles the radius,
    /// side by side and diagonally: the tiled search for a close pair between two cells
    /// (`CoreTiles`) finds the same components as brute force, and links no towns too far apart.
    @Test(arguments: [1, 5])
    func denseTownsAtTheRadiusEqualBruteForce(_ minPoints: Int) throws {
        var rng = SeededGenerator(seed: 11)
        var lons: [Double] = [], lats: [Double] = []
        for row in 0..<4 {
            for column in 0..<5 {
                // About 0.40°–0.50° apart: 44–56 km north–south, 37–47 km east–west at 34.5°N.
                let lat = 34 + Double(row) * Double.random(in: 0.40...0.50, using: &rng)
                let lon = 40 + Double(column) * Double.random(in: 0.40...0.50, using: &rng) + Double(row) * 0.23
                for _ in 0..<60 {
                    lats.append(lat + Double.random(in: -0.005...0.005, using: &rng))
                    lons.append(lon + Double.random(in: -0.005...0.005, using: &rng))
                }
            }
        }
        for km in [40.0, 47.0, 52.0] {
            let got = try SpatialClustering.cluster(longitudes: lons, latitudes: lats, within: .kilometers(km), minPoints: minPoints)
            let want = bruteForceDBSCAN(lons, lats, km * 1000, minPoints, nil)
            #expect(got.clusterIDs == want.ids, "\(km) km, minPoints \(minPoints)")
            #expect(got.roles == want.roles)
            #expect(got.clusterCount > 1 && got.clusterCount < 20, "the spacing should split some towns and join others: \(got.clusterCount)")
        }
    }
}

/// Seconds since 1970 of a yyyy-mm-dd date (UTC midnight).
func dayStartSeconds(_ text: String) throws -> Double {
    let parts = text.split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3 else { throw SpatialTestError("bad date \(text)") }
    var c = DateComponents()
    c.year = parts[0]; c.month = parts[1]; c.day = parts[2]
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: c)!.timeIntervalSince1970
}

/// All-pairs DBSCAN with the documented rules (edge → core neighbour with the lowest index),
/// ids by first appearance; `minPoints` 1 is single linkage.
func bruteForceDBSCAN(
    _ lons: [Double], _ lats: [Double], _ meters: Double, _ minPoints: Int, _ time: (window: Double, spans: TimeSpans)?
) -> (ids: [Int?], roles: [ClusterRole]) {
    let n = lons.count
    var near = [[Int]](repeating: [], count: n)
    for i in 0..<n {
        for j in 0..<n {
            if let time, time.spans.gapSeconds(i, j) > time.window { continue }
            let d = Geodesic.wgs84.inverseUnchecked(latitude1: lats[i], longitude1: lons[i], latitude2: lats[j], longitude2: lons[j]).distanceMeters
            if d <= meters { near[i].append(j) }
        }
    }
    let core = near.map { $0.count >= minPoints }
    var component = [Int](repeating: -1, count: n)
    var next = 0
    for i in 0..<n where core[i] && component[i] < 0 {
        var stack = [i]
        component[i] = next
        while let a = stack.popLast() {
            for b in near[a] where core[b] && component[b] < 0 { component[b] = next; stack.append(b) }
        }
        next += 1
    }
    var roles = [ClusterRole](repeating: .noise, count: n)
    var anchor = [Int](repeating: -1, count: n)
    for i in 0..<n {
        if core[i] { roles[i] = .core; anchor[i] = component[i] } else if let c = near[i].filter({ core[$0] }).min() {
            roles[i] = .edge; anchor[i] = component[c]
        }
    }
    var idOf: [Int: Int] = [:]
    let ids: [Int?] = anchor.map { a in
        guard a >= 0 else { return nil }
        if let id = idOf[a] { return id }
        idOf[a] = idOf.count
        return idOf[a]
    }
    return (ids, roles)
}

extension ClusteringTests {
    /// The grid's spherical bounds (`GeodesicGrid.withinRadius`: surely farther, surely
    /// within, else the geodesic) decide every pair as the geodesic does, for pairs from 2 %
    /// inside to 2 % beyond the radius, north–south and east–west, at the equator, mid
    /// latitudes and the pole (where a meridian's geodesic is 0.45 % longer than the sphere's
    /// arc), from metres to thousands of kilometres.
    @Test(arguments: [5.0, 5_000, 500_000, 3_000_000])
    func sphericalBoundsDecideAsTheGeodesic(radiusMeters: Double) throws {
        var lons: [Double] = [], lats: [Double] = []
        let degreesPerMeter = 180 / (.pi * 6_371_008.8)
        for base in [0.0, 45, -60, 89.9] {
            for k in 0...40 {
                let d = radiusMeters * (0.98 + 0.001 * Double(k)) * degreesPerMeter
                // North–south (toward the equator near the pole) and east–west of a base point.
                lats.append(base); lons.append(20)
                lats.append(base > 80 ? base - min(d, 80) : min(90, base + d)); lons.append(20)
                lats.append(base); lons.append(20 + min(170, d / max(0.01, cos(base * .pi / 180))))
            }
        }
        let grid = try GeodesicGrid(longitudes: lons, latitudes: lats, radius: .meters(radiusMeters))
        var differing = 0, near = 0
        for a in 0..<grid.count {
            for b in 0..<grid.count where a != b {
                let geodesic = grid.geodesicMeters(a, b)
                if abs(geodesic / radiusMeters - 1) < 0.01 { near += 1 }
                if grid.withinRadius(a, b) != (geodesic <= radiusMeters) { differing += 1 }
            }
        }
        #expect(differing == 0, "\(differing) pairs decided otherwise at \(radiusMeters) m")
        #expect(near > 100, "\(near) pairs within 1 % of the radius")
    }
}
