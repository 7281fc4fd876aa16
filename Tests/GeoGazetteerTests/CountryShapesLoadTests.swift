import Foundation
import GeoCore
@testable import GeoGazetteer
import GeoTestSupport
import Testing

@Suite struct CountryShapesLoadTests {
    /// The country polygons read while the gazetteer loads are those read on first use, and a
    /// reverse geocoder over them answers alike.
    @Test func readMeanwhileEqualsReadOnFirstUse() throws {
        let dir = packageRoot.appendingPathComponent("Gazetteer").path
        let meanwhile = try Gazetteer.load(dataDirectory: dir, userDirectory: nil, readingCountryShapes: true)
        let later = try Gazetteer.load(dataDirectory: dir, userDirectory: nil)
        let (a, b) = (try meanwhile.countryShapes(), try later.countryShapes())
        let same = a.path == b.path && a.countries.count == b.countries.count
            && zip(a.countries, b.countries).allSatisfy { $0.code == $1.code && $0.name == $1.name && $0.geometry == $1.geometry }
            && a.placeGrid == b.placeGrid && a.sites == b.sites
        #expect(same)
        #expect(a.countries.count > 200)
        let (r1, r2) = (try ReverseGeocoder(gazetteer: meanwhile), try ReverseGeocoder(gazetteer: later))
        for (lon, lat) in [(40.92, 34.45), (44.01, 36.19), (38.63, 33.5), (35.0, 34.0)] {
            let p = Position(longitude: lon, latitude: lat)
            #expect(try r1.country(at: p)?.code == r2.country(at: p)?.code)
        }
    }

    /// Without a countries file the gazetteer still loads; the first use reports the file once.
    @Test func missingCountriesFileIsReportedOnFirstUse() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("geo-no-countries-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundled = packageRoot.appendingPathComponent("Gazetteer")
        for name in try FileManager.default.contentsOfDirectory(atPath: bundled.path) where name != "countries.geojson" {
            try FileManager.default.copyItem(at: bundled.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let gazetteer = try Gazetteer.load(dataDirectory: dir.path, userDirectory: nil, readingCountryShapes: true)
        #expect(gazetteer.entries.count > 40_000)
        let error = #expect(throws: GazetteerError.self) { try ReverseGeocoder(gazetteer: gazetteer) }
        #expect(error?.description == "\(dir.path)/countries.geojson: no such file")
    }
}
