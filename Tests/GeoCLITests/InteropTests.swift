import Foundation
import GeoCore
import Testing

/// GeoJSON written by geo must open in other tools: GDAL (ogrinfo) and Python's json module.
/// scripts/install-deps installs gdal-bin and python3, so these run (and can fail) in CI.
@Suite struct InteropTests {
    static let albuKamal = Position(longitude: 40.91854, latitude: 34.45226)
    static let erbil = Position(longitude: 44.00943, latitude: 36.19117)

    /// One feature of every geometry type; the polygon deliberately wound the wrong way.
    static var everyType: [Feature] {
        let box = [Position(x: 40.8, y: 34.3), Position(x: 40.8, y: 34.6), Position(x: 41.1, y: 34.6), Position(x: 41.1, y: 34.3), Position(x: 40.8, y: 34.3)]
        let geometries: [Geometry] = [
            .point(albuKamal),
            .multiPoint([albuKamal, erbil]),
            .lineString([albuKamal, erbil]),
            .multiLineString([[albuKamal, erbil], [erbil, albuKamal]]),
            .polygon([box]),
            .multiPolygon([[box]]),
            .geometryCollection([.point(erbil), .lineString([albuKamal, erbil])]),
        ]
        return geometries.enumerated().map { i, g in
            Feature(id: .integer(Int64(i)), geometry: g, properties: ["kind": .string(g.typeName), "note": "quote \" and é"])
        }
    }

    func writeEveryType(to path: String) throws {
        let sink = try FileSink(creating: path)
        let writer = try GeoJSONStreamWriter(sink: sink)
        for f in Self.everyType { try writer.write(f) }
        try writer.finish()
    }

    @Test func gdalOpensWhatGeoWrites() throws {
        let path = try temporaryDirectory().appendingPathComponent("every-type.geojson").path
        try writeEveryType(to: path)
        let result = try #require(runProgram("ogrinfo", ["-ro", "-al", "-so", path]), "ogrinfo is missing: run scripts/install-deps")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Feature Count: 7"), "\(result.output)")
        #expect(result.output.contains("EPSG\",\"4326\"") || result.output.contains("WGS 84"), "\(result.output)")
    }

    @Test func pythonReadsWhatGeoWrites() throws {
        let path = try temporaryDirectory().appendingPathComponent("every-type.geojson").path
        try writeEveryType(to: path)
        // A structural RFC 7946 check written against Python's json module, independent of geo's reader.
        let script = """
            import json, sys
            doc = json.load(open(sys.argv[1], encoding="utf-8"))
            assert doc["type"] == "FeatureCollection" and "crs" not in doc
            w, s, e, n = doc["bbox"]
            def positions(c):
                if isinstance(c[0], (int, float)):
                    yield c
                else:
                    for x in c: yield from positions(x)
            def area2(ring):
                return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:]))
            types = []
            for f in doc["features"]:
                assert f["type"] == "Feature" and isinstance(f["properties"], dict)
                g = f["geometry"]; types.append(g["type"])
                parts = g["geometries"] if g["type"] == "GeometryCollection" else [g]
                for part in parts:
                    for p in positions(part["coordinates"]):
                        assert len(p) == 2 and -180 <= p[0] <= 180 and -90 <= p[1] <= 90
                        assert w <= p[0] <= e and s <= p[1] <= n
                    polys = {"Polygon": [part["coordinates"]], "MultiPolygon": part["coordinates"]}.get(part["type"], [])
                    for rings in polys:
                        for i, r in enumerate(rings):
                            assert r[0] == r[-1] and len(r) >= 4
                            assert (area2(r) > 0) == (i == 0), "right-hand rule"
            assert f["properties"]["note"] == 'quote " and \\u00e9'
            print(" ".join(types))
            """
        let result = try #require(runProgram("python3", ["-c", script, path]), "python3 is missing")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Point MultiPoint LineString MultiLineString Polygon MultiPolygon GeometryCollection"))
    }

    /// End to end: the real `geo` executable, as a user runs it.
    @Test func geoExecutableEndToEnd() throws {
        // The `geo` built beside this test runner (so a sanitizer build in .build-asan tests its
        // own CLI), else the ordinary debug build.
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("geo").path
        let binary = FileManager.default.isExecutableFile(atPath: beside) ? beside : packageRoot.appendingPathComponent(".build/debug/geo").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build geo first (scripts/test does)")
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("erbil-albukamal.geojson").path
        let run = try #require(runProgram(binary, ["distance", "36.19117,44.00943", "34.45226,40.91854", "-o", out]))
        #expect(run.status == 0, "\(run.output)")
        let check = try #require(runProgram(binary, ["validate", out]))
        #expect(check.status == 0 && check.output.contains("valid (Feature (LineString)"), "\(check.output)")
        let gdal = try #require(runProgram("ogrinfo", ["-ro", "-al", "-so", out]))
        #expect(gdal.status == 0 && gdal.output.contains("Feature Count: 1"), "\(gdal.output)")
        let stdin = try #require(runProgram(binary, ["validate", "-"], stdin: "{\"type\":\"Point\",\"coordinates\":[1]}"))
        #expect(stdin.status == 1 && stdin.output.contains("<stdin>: coordinates: error [bad-position]"), "\(stdin.output)")
        let bad = try #require(runProgram(binary, ["distance", "1,1"]))
        #expect(bad.status == 64 && bad.output.contains("Usage:"))
    }
}
