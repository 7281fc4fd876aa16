import Foundation
import GeoCore
@_exported import GeoTestSupport

/// Path of a fixture file of this test target.
func fixturePath(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(relative)").path
}

/// Places of the bundled gazetteer (Gazetteer/places.tsv) in the given countries, file order:
/// (name, longitude, latitude).
func gazetteerPlaces(countries: Set<String>) throws -> [(name: String, longitude: Double, latitude: Double)] {
    let text = try String(contentsOfFile: packageRoot.appendingPathComponent("Gazetteer/places.tsv").path, encoding: .utf8)
    var places: [(String, Double, Double)] = []
    for line in text.split(separator: "\n").dropFirst() {
        let f = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard f.count > 4, countries.contains(String(f[4])), let lat = Double(f[2]), let lon = Double(f[3]) else { continue }
        places.append((String(f[1]), lon, lat))
    }
    return places
}

/// Point features of a GeoJSON fixture: longitudes, latitudes and the features.
func readPoints(_ path: String) throws -> (longitudes: [Double], latitudes: [Double], features: [Feature]) {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var decoder = GeoJSONDecoder()
    guard case .featureCollection(let fc)? = try decoder.object(try JSONParser.parse(Array(data))) else { throw SpatialTestError("\(path) is not a FeatureCollection") }
    var lons: [Double] = [], lats: [Double] = []
    for f in fc.features {
        guard case .point(let p)? = f.geometry else { throw SpatialTestError("\(path): a feature is not a point") }
        lons.append(p.longitude); lats.append(p.latitude)
    }
    return (lons, lats, fc.features)
}

struct SpatialTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
