import GeoCore
import GeoGazetteer
import Testing

@Suite struct ReverseTests {
    let reverse: ReverseGeocoder
    init() throws { reverse = try ReverseGeocoder(gazetteer: bundled) }

    @Test(arguments: [
        ("Albu Kamal", 34.45226, 40.91854, "SY"),
        ("al-Qaim", 34.39251, 40.98945, "IQ"),
        ("al-Tanf garrison", 33.50583, 38.61778, "SY"),
        ("Erbil", 36.19117, 44.00943, "IQ"),
        ("Amman", 31.95522, 35.94503, "JO"),
    ])
    func countryOfPlaces(name: String, lat: Double, lon: Double, country: String) throws {
        #expect(try reverse.lookup(Position(longitude: lon, latitude: lat)).countryCode == country, "\(name)")
    }

    @Test func tower22IsInJordan() throws {
        let tower = try #require(bundled.geocode("Tower 22").best)
        #expect(try reverse.lookup(tower.entry.position).countryCode == "JO")
    }

    @Test func theMediterraneanIsAtSea() throws {
        let r = try reverse.lookup(Position(longitude: 33.0, latitude: 33.5))
        #expect(r.countryCode == nil && r.countryName == nil)
        #expect(r.nearestPlace != nil)
    }

    @Test func nearestPlaceWithDistanceAndBearing() throws {
        // 3 km due west of Albu Kamal's GeoNames point (east of it lies al-Baghuz, nearer).
        let r = try reverse.lookup(Position(longitude: 40.88585, latitude: 34.45226))
        let near = try #require(r.nearestPlace)
        #expect(near.entry.id == "geonames:174448")
        #expect(abs(near.distanceMeters - 3000) < 50)
        #expect(near.phrase == "3.0 km W of Ālbū Kamāl")
        #expect(r.nearestSite != nil)
    }

    @Test func outOfRangeIsAnError() {
        #expect(throws: GazetteerError.self) { try reverse.lookup(Position(longitude: 40, latitude: 95)) }
    }
}
