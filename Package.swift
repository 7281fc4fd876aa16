// swift-tools-version: 6.1
// geo: geocoded conflict events over real GEOS and PROJ.
import PackageDescription

let package = Package(
    name: "geo",
    platforms: [.macOS(.v14)],
    products: [
        .library(
            name: "GeoKit",
            targets: ["GeoCore", "GeoGEOS", "GeoProj", "GeoMetric", "GeoGazetteer", "GeoText", "GeoEvents", "GeoLocate", "GeoSpatial", "GeoTemporal", "GeoExtract", "GeoLayers", "GeoMaps", "GeoGDAL"]
        ),
        .executable(name: "geo", targets: ["geo"]),
        .executable(name: "geo-bench", targets: ["geo-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // C stays in these system-library targets; Swift modules import them with `internal import`.
        .systemLibrary(
            name: "CGEOS",
            pkgConfig: "geos",
            providers: [.apt(["libgeos-dev"]), .brew(["geos"])]
        ),
        .systemLibrary(
            name: "CPROJ",
            pkgConfig: "proj",
            providers: [.apt(["libproj-dev", "proj-data"]), .brew(["proj"])]
        ),
        .systemLibrary(
            name: "CGDAL",
            providers: [.apt(["libgdal-dev"]), .brew(["gdal"])]
        ),

        // Domain modules.
        .target(
            name: "GeoCore",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]
        ),
        .target(name: "GeoGEOS", dependencies: ["GeoCore", "CGEOS"]),
        .target(name: "GeoProj", dependencies: ["GeoCore", "CPROJ"]),
        .target(name: "GeoMetric", dependencies: ["GeoCore", "GeoGEOS", "GeoProj"]),
        .target(name: "GeoGazetteer", dependencies: ["GeoCore", "GeoGEOS", "GeoProj"]),
        // Reports → places: recognition and resolution of place names in running text.
        .target(
            name: "GeoText",
            dependencies: ["GeoCore", "GeoGazetteer", "GeoProj", .product(name: "OrderedCollections", package: "swift-collections")]
        ),
        // Conflict events: the model, its formats, geocoding of rows without coordinates.
        .target(
            name: "GeoEvents",
            dependencies: ["GeoCore", .product(name: "OrderedCollections", package: "swift-collections")]
        ),
        // Tables → events, placed: rows without coordinates geocoded through the gazetteer, given
        // coordinates checked against the row's country. Events reach it only through a closure.
        .target(name: "GeoLocate", dependencies: ["GeoCore", "GeoEvents", "GeoGazetteer"]),
        // Reports → events: dated, placed events with claims and evidence, from news text.
        .target(
            name: "GeoExtract",
            dependencies: ["GeoCore", "GeoGazetteer", "GeoText", "GeoEvents", .product(name: "OrderedCollections", package: "swift-collections")]
        ),
        // Spatial analysis over point layers: proximity, clustering, border corridors.
        .target(name: "GeoSpatial", dependencies: ["GeoCore", "GeoGEOS", "GeoProj", "GeoMetric"]),
        // Temporal analysis over event times: response windows, escalation series, change points, Hawkes.
        // Numerical kernels: optimised even in debug builds, so that the calibration test of the
        // bootstrap (thousands of fits) runs in CI time.
        .target(name: "GeoTemporal", dependencies: ["GeoCore"], swiftSettings: [.unsafeFlags(["-O"])]),

        // Events → analyses → layers: each analysis takes an event layer and options and returns
        // features and a typed summary; every rule a report, notebook or database must share lives here.
        .target(
            name: "GeoLayers",
            dependencies: [
                "GeoCore", "GeoProj", "GeoMetric", "GeoGazetteer", "GeoEvents", "GeoLocate", "GeoSpatial", "GeoTemporal",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),

        // Events ↔ the vector formats map tools prefer (GeoPackage, FlatGeobuf, Shapefile), through GDAL.
        .target(name: "GeoGDAL", dependencies: ["GeoCore", "GeoEvents", "GeoLocate", "CGDAL", .product(name: "OrderedCollections", package: "swift-collections")]),

        // Layers → pictures: maps (SVG, PNG, self-contained HTML) and timelines, offline.
        .target(
            name: "GeoMaps",
            dependencies: [
                "GeoCore", "GeoGEOS", "GeoProj", "GeoGazetteer", "GeoEvents", "GeoTemporal", "GeoLayers",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),

        // Command line: a thin library of subcommands, and a few-line executable over it.
        .target(
            name: "GeoCLI",
            dependencies: [
                "GeoCore", "GeoGEOS", "GeoProj", "GeoMetric", "GeoGazetteer", "GeoText", "GeoEvents", "GeoLocate", "GeoSpatial", "GeoTemporal", "GeoExtract", "GeoLayers", "GeoMaps", "GeoGDAL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .executableTarget(name: "geo", dependencies: ["GeoCLI"]),
        .executableTarget(
            name: "geo-bench",
            dependencies: ["GeoCore", "GeoProj", "GeoGazetteer", "GeoText", "GeoEvents", "GeoExtract", "GeoSpatial", "GeoTemporal"]
        ),

        // Helpers the test targets share.
        .target(name: "GeoTestSupport", path: "Tests/GeoTestSupport"),
        .testTarget(name: "GeoCoreTests", dependencies: ["GeoCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GeoGEOSTests", dependencies: ["GeoGEOS", "GeoCore"]),
        .testTarget(
            name: "GeoProjTests",
            dependencies: ["GeoProj", "GeoCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "GeoMetricTests", dependencies: ["GeoMetric", "GeoGEOS", "GeoProj", "GeoCore"]),
        .testTarget(name: "GeoGazetteerTests", dependencies: ["GeoGazetteer", "GeoCore", "GeoProj"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GeoEventsTests", dependencies: ["GeoEvents", "GeoLocate", "GeoGazetteer", "GeoCore", .product(name: "OrderedCollections", package: "swift-collections")], resources: [.copy("Fixtures")]),
        .testTarget(name: "GeoSpatialTests", dependencies: ["GeoSpatial", "GeoGazetteer", "GeoCore", "GeoTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GeoTemporalTests", dependencies: ["GeoTemporal", "GeoCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GeoTextTests", dependencies: ["GeoText", "GeoGazetteer", "GeoCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GeoExtractTests", dependencies: ["GeoExtract", "GeoEvents", "GeoGazetteer", "GeoCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GeoLayersTests", dependencies: ["GeoLayers", "GeoEvents", "GeoLocate", "GeoTemporal", "GeoGazetteer", "GeoCore", "GeoTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GeoMapsTests", dependencies: ["GeoMaps", "GeoLayers", "GeoEvents", "GeoGazetteer", "GeoProj", "GeoCore", "GeoTestSupport"]),
        .testTarget(name: "GeoGDALTests", dependencies: ["GeoGDAL", "GeoEvents", "GeoLocate", "GeoCore", "GeoTestSupport"]),
        .testTarget(name: "GeoCLITests", dependencies: ["GeoCLI", "GeoCore", "GeoTestSupport"], resources: [.copy("Fixtures")]),
    ]
)

// Fuzzing (scripts/fuzz): one libFuzzer executable over the library modules, declared only when
// GEO_FUZZ=1 so ordinary `swift build` / `swift test` never see it (it has no `main`; the
// `-sanitize=fuzzer` link supplies libFuzzer's).
if Context.environment["GEO_FUZZ"] == "1" {
    package.targets.append(.executableTarget(
        name: "geo-fuzz",
        dependencies: ["GeoCore", "GeoEvents", "GeoGazetteer", "GeoText", "GeoExtract"],
        path: "Tests/Fuzz/Sources",
        swiftSettings: [.enableExperimentalFeature("Extern")]
    ))
    package.products.append(.executable(name: "geo-fuzz", targets: ["geo-fuzz"]))
}
