import GeoCore
import GeoProj

/// Geodesics and GeoJSON input/output.
let coreBenchmarks: [Benchmark] = [
    Benchmark(name: "geodesic-inverse") { options in
        let pairs = try geodesicPairs(options)
        let g = Geodesic.wgs84
        var checksum = 0.0
        let seconds = bestSeconds(options.repeats) {
            checksum = 0
            for i in 0..<pairs.lat1.count {
                checksum += g.inverseUnchecked(
                    latitude1: pairs.lat1[i], longitude1: pairs.lon1[i], latitude2: pairs.lat2[i], longitude2: pairs.lon2[i]
                ).distanceMeters
            }
        }
        precondition(checksum > 0)
        emit("geodesic-inverse", Double(pairs.lat1.count) / seconds, "pairs/s", n: pairs.lat1.count)
    },
    Benchmark(name: "geojson-write") { options in
        let features = pointFeatures(options.points)
        let path = options.dataDirectory + "/points-1m.geojson"
        let seconds = try bestSeconds(options.repeats) {
            let sink = try FileSink(creating: path)
            let writer = try GeoJSONStreamWriter(sink: sink)
            for f in features { try writer.write(f) }
            try writer.finish()
        }
        emit("geojson-write", Double(fileSize(path)) / 1e6 / seconds, "MB/s", n: features.count)
    },
    Benchmark(name: "geojson-read") { options in
        let path = options.dataDirectory + "/points-1m.geojson"
        if fileSize(path) == 0 {
            let sink = try FileSink(creating: path)
            let writer = try GeoJSONStreamWriter(sink: sink)
            for f in pointFeatures(options.points) { try writer.write(f) }
            try writer.finish()
        }
        var count = 0
        let seconds = try bestSeconds(options.repeats) {
            let input = try InputFile(path: path)
            var reader = GeoJSONReader()
            count = 0
            try input.withUnsafeBytes { buffer -> Void in
                _ = try reader.forEachFeature(in: buffer) { _, feature in
                    if feature.geometry != nil { count += 1 }
                }
            }
        }
        emit("geojson-read", Double(fileSize(path)) / 1e6 / seconds, "MB/s", n: count)
    },
]
