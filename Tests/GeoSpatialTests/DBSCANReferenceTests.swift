import Foundation
import GeoCore
import GeoSpatial
import Testing

/// DBSCAN and single linkage against an independent exact reference: every pair of 1,326 real
/// places (the GeoNames places of 31–37.5°N, 35.5–46°E, and the Pacific places within 5° of
/// the antimeridian) measured with Python's `geographiclib` (Karney's algorithm, not PROJ's
/// code), then in Python: components, DBSCAN core flags, and PostGIS's rule for edge points
/// (it walks the input in order, so an edge point joins the cluster of the first core point
/// that reaches it). scripts/install-deps --python-tests installs geographiclib.
@Suite struct DBSCANReferenceTests {
    static let script = #"""
        import math, sys
        from geographiclib.geodesic import Geodesic
        pts = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]  # lon lat
        radii_km = [float(r) for r in sys.argv[2].split(",")]
        dbscan = [(float(a), int(b)) for a, b in (x.split(":") for x in sys.argv[3].split(","))]
        n = len(pts)
        reach = max(radii_km + [d for d, _ in dbscan]) * 1000
        # A spherical prefilter with a 3% margin (WGS84 distances are within 0.6% of the sphere's);
        # every pair it keeps gets geographiclib's exact distance.
        R = 6371008.8
        rad = [(math.radians(lat), math.radians(lon)) for lon, lat in pts]
        near = []
        for i in range(n):
            p1, l1 = rad[i]
            for j in range(i + 1, n):
                p2, l2 = rad[j]
                h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
                if 2 * R * math.asin(min(1, math.sqrt(h))) <= reach * 1.03:
                    s12 = Geodesic.WGS84.Inverse(pts[i][1], pts[i][0], pts[j][1], pts[j][0], Geodesic.DISTANCE)["s12"]
                    near.append((i, j, s12))
        def find(parent, x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x
        def labels(member, root_of):
            first, out = {}, []
            for i in range(n):
                if not member(i):
                    out.append(-1)
                    continue
                out.append(first.setdefault(root_of(i), i))
            return out
        for r in radii_km:
            parent = list(range(n))
            for i, j, s in near:
                if s <= r * 1000:
                    a, b = find(parent, i), find(parent, j)
                    if a != b: parent[max(a, b)] = min(a, b)
            print("single", r, " ".join(map(str, labels(lambda i: True, lambda i: find(parent, i)))))
        for d, m in dbscan:
            nbrs = [[i] for i in range(n)]
            for i, j, s in near:
                if s <= d * 1000:
                    nbrs[i].append(j); nbrs[j].append(i)
            core = [len(x) >= m for x in nbrs]
            parent = list(range(n))
            for i in range(n):
                if core[i]:
                    for j in nbrs[i]:
                        if core[j]:
                            a, b = find(parent, i), find(parent, j)
                            if a != b: parent[max(a, b)] = min(a, b)
            owner = [i if core[i] else min([j for j in nbrs[i] if core[j]], default=-1) for i in range(n)]
            print("dbscan", d, m, " ".join(map(str, labels(lambda i: owner[i] >= 0, lambda i: find(parent, owner[i])))))
            print("roles", d, m, "".join("c" if core[i] else ("e" if owner[i] >= 0 else "n") for i in range(n)))
        """#

    static let radiiKilometers = [10.0, 25.0, 50.0]
    static let dbscanCases = [(25.0, 4), (10.0, 3)]

    /// Places in a latitude/longitude box or near the antimeridian, file order.
    static func points() throws -> (longitudes: [Double], latitudes: [Double]) {
        let text = try String(contentsOfFile: packageRoot.appendingPathComponent("Gazetteer/places.tsv").path, encoding: .utf8)
        var lons: [Double] = [], lats: [Double] = [], pacificLons: [Double] = [], pacificLats: [Double] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", maxSplits: 5, omittingEmptySubsequences: false)
            guard f.count > 4, let lat = Double(f[2]), let lon = Double(f[3]) else { continue }
            if (31...37.5).contains(lat) && (35.5...46).contains(lon) { lons.append(lon); lats.append(lat) }
            if abs(lon) > 175 { pacificLons.append(lon); pacificLats.append(lat) }
        }
        return (lons + pacificLons, lats + pacificLats)
    }

    /// Labels that name each cluster by its first member's index; −1 for noise.
    static func labels(_ ids: [Int?]) -> [Int] {
        var first: [Int: Int] = [:]
        return ids.enumerated().map { i, c in
            guard let c else { return -1 }
            if let f = first[c] { return f }
            first[c] = i
            return i
        }
    }

    /// One expectation per comparison, naming the first points that differ.
    static func expectSame<T: Equatable>(_ got: [T], _ expected: [T], _ what: String) {
        let differing = zip(got, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(got.count == expected.count && differing.isEmpty,
                "\(what): \(differing.count) of \(expected.count) points differ, first \(differing.prefix(5).map { "\($0): \(got[$0]) ≠ \(expected[$0])" })")
    }

    @Test func dbscanAndSingleLinkageEqualGeographiclib() throws {
        let (lons, lats) = try Self.points()
        #expect(lats.count >= 1_000)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("geo-dbscan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pointsPath = dir.appendingPathComponent("points.txt").path
        try zip(lons, lats).map { "\($0) \($1)" }.joined(separator: "\n").write(toFile: pointsPath, atomically: true, encoding: .utf8)
        let scriptPath = dir.appendingPathComponent("reference.py").path
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let radii = Self.radiiKilometers.map { String($0) }.joined(separator: ",")
        let dbscan = Self.dbscanCases.map { "\($0.0):\($0.1)" }.joined(separator: ",")
        let run = try #require(runProgram("python3", [scriptPath, pointsPath, radii, dbscan]), "python3 is missing")
        try #require(run.status == 0, "geographiclib reference failed (scripts/install-deps --python-tests): \(run.output)")
        var reference: [String: [String]] = [:]
        for line in run.output.split(separator: "\n") {
            let parts = line.split(separator: " ").map(String.init)
            switch parts[0] {
            case "single": reference["single \(Double(parts[1])!)"] = Array(parts[2...])
            case "dbscan": reference["dbscan \(Double(parts[1])!) \(parts[2])"] = Array(parts[3...])
            case "roles": reference["roles \(Double(parts[1])!) \(parts[2])"] = [parts[3]]
            default: Issue.record("unexpected line \(line)")
            }
        }
        for km in Self.radiiKilometers {
            let expected = try #require(reference["single \(km)"]).map { Int($0)! }
            let result = try SpatialClustering.cluster(longitudes: lons, latitudes: lats, within: .kilometers(km))
            Self.expectSame(Self.labels(result.clusterIDs), expected, "single linkage within \(km) km")
            #expect(result.clusterCount > 10 && result.clusterCount < lats.count - 10)
        }
        for (km, minPoints) in Self.dbscanCases {
            let expected = try #require(reference["dbscan \(km) \(minPoints)"]).map { Int($0)! }
            let roles = try #require(reference["roles \(km) \(minPoints)"]?.first)
            let result = try SpatialClustering.cluster(longitudes: lons, latitudes: lats, within: .kilometers(km), minPoints: minPoints)
            Self.expectSame(Self.labels(result.clusterIDs), expected, "DBSCAN within \(km) km, \(minPoints) points")
            Self.expectSame(result.roles.map { $0 == .core ? "c" : $0 == .edge ? "e" : "n" }, roles.map(String.init), "roles, \(km) km, \(minPoints) points")
            // A real test: all three roles occur.
            #expect(roles.contains("c") && roles.contains("e") && roles.contains("n"))
        }
    }
}
