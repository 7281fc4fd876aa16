import Foundation
import GeoCore
import GeoSpatial
import Testing

/// Clustering against an exact reference: every pair of 1,326 real places (the region's
/// GeoNames places and the Pacific places next to the antimeridian) measured with Python's
/// `geographiclib` (Karney's algorithm, independent of PROJ), then single linkage and DBSCAN
/// (PostGIS's rule for edge points) computed in Python from those distances.
/// scripts/install-deps installs geographiclib, so this runs (and can fail) in CI.
@Suite struct ReferenceTests {
    static let script = #"""
        import math, sys
        from geographiclib.geodesic import Geodesic
        radii_km = [float(r) for r in sys.argv[1].split(",")]
        dbscan = [(float(a), int(b)) for a, b in (x.split(":") for x in sys.argv[2].split(","))]
        pts = [tuple(map(float, line.split(","))) for line in sys.stdin if line.strip()]
        n = len(pts)
        reach = max(radii_km + [d for d, _ in dbscan]) * 1000
        # A spherical prefilter with a 3% margin (the ellipsoid differs from the sphere by < 0.7%);
        # every pair it keeps gets geographiclib's exact WGS84 distance.
        R = 6371008.8
        rad = [(math.radians(a), math.radians(b)) for a, b in pts]
        near = []
        for i in range(n):
            p1, l1 = rad[i]
            for j in range(i + 1, n):
                p2, l2 = rad[j]
                h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
                if 2 * R * math.asin(min(1, math.sqrt(h))) <= reach * 1.03:
                    s12 = Geodesic.WGS84.Inverse(pts[i][0], pts[i][1], pts[j][0], pts[j][1], Geodesic.DISTANCE)["s12"]
                    near.append((i, j, s12))
        def find(parent, x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x
        def labels(member, root_of):
            first = {}
            out = []
            for i in range(n):
                if not member(i):
                    out.append(-1)
                    continue
                r = root_of(i)
                first.setdefault(r, i)
                out.append(first[r])
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
            # PostGIS walks core points in input order; an edge point joins the first that reaches it.
            owner = [i if core[i] else min([j for j in nbrs[i] if core[j]], default=-1) for i in range(n)]
            print("dbscan", d, m, " ".join(map(str, labels(lambda i: owner[i] >= 0, lambda i: find(parent, owner[i])))))
            print("roles", d, m, "".join("c" if core[i] else ("e" if owner[i] >= 0 else "n") for i in range(n)))
        """#

    static let radiiKilometers = [10.0, 25.0, 50.0]
    static let dbscanCases = [(25.0, 4), (10.0, 3)]

    static func points() throws -> (latitudes: [Double], longitudes: [Double]) {
        let region = try gazetteerPlaces { lat, lon in (31...37.5).contains(lat) && (35.5...46).contains(lon) }
        let pacific = try gazetteerPlaces { _, lon in abs(lon) > 175 }
        return (region.latitudes + pacific.latitudes, region.longitudes + pacific.longitudes)
    }

    @Test func clusteringEqualsGeographiclibAllPairs() throws {
        let (lats, lons) = try Self.points()
        #expect(lats.count >= 1_000)
        let input = zip(lats, lons).map { "\($0),\($1)" }.joined(separator: "\n") + "\n"
        let radii = Self.radiiKilometers.map { String($0) }.joined(separator: ",")
        let dbscan = Self.dbscanCases.map { "\($0.0):\($0.1)" }.joined(separator: ",")
        let run = try #require(runProgram("python3", ["-c", Self.script, radii, dbscan], stdin: input), "python3 is missing")
        try #require(run.status == 0, "python3 with geographiclib failed (run scripts/install-deps): \(run.error)")
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
            let result = try PointClustering.cluster(latitudes: lats, longitudes: lons, parameters: ClusterParameters(distance: .kilometers(km)))
            let labels = canonicalLabels(result.clusters)
            #expect(labels == expected, "single linkage within \(km) km: \(zip(labels, expected).filter { $0 != $1 }.count) points differ")
            #expect(Set(expected).count == result.clusterCount)
            #expect(result.clusterCount > 10 && result.clusterCount < lats.count, "a meaningful test has some clusters")
        }
        for (km, minPoints) in Self.dbscanCases {
            let expected = try #require(reference["dbscan \(km) \(minPoints)"]).map { Int($0)! }
            let roles = try #require(reference["roles \(km) \(minPoints)"]?.first)
            let result = try PointClustering.cluster(latitudes: lats, longitudes: lons, parameters: ClusterParameters(distance: .kilometers(km), minPoints: minPoints))
            #expect(canonicalLabels(result.clusters) == expected, "DBSCAN \(km) km, \(minPoints) points")
            let ours = String(result.roles.map { $0 == .core ? "c" : $0 == .edge ? "e" : "n" })
            #expect(ours == roles)
            #expect(roles.contains("e") && roles.contains("n") && roles.contains("c"))
        }
    }
}
