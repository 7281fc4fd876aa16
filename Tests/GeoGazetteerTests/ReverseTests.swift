import GeoCore
@testable import GeoGazetteer
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

    /// A point's country by its cell's answer is the one its own polygon test gives: for points
    /// all over the Middle East (borders, coasts, the Gulf, cell edges and corners), each read
    /// `pointsBeforeCell` times, so that every cell is worked out and both its first answers
    /// and the kept ones are compared.
    @Test func cellAnswersEqualPolygonTests() throws {
        let cells = try ReverseGeocoder(gazetteer: bundled)
        var generator = SeededGenerator(seed: 19)
        var points: [Position] = []
        for _ in 0..<6_000 {
            points.append(Position(longitude: Double.random(in: 29...60, using: &generator), latitude: Double.random(in: 12...42, using: &generator)))
        }
        // Cell edges and corners, and points just beside them.
        for k in 0..<400 {
            let (lon, lat) = (35 + Double(k % 20) / 8, 31 + Double(k / 20) / 8)
            points += [Position(longitude: lon, latitude: lat), Position(longitude: lon.nextDown, latitude: lat),
                       Position(longitude: lon, latitude: lat.nextDown), Position(longitude: lon + 1e-9, latitude: lat + 1e-9)]
        }
        var mismatches: [String] = []
        for _ in 0..<ReverseGeocoder.pointsBeforeCell {
            for point in points {
                let byCell = try cells.country(at: point)
                let byPolygon = try reverse.countryByPolygons(at: point)
                if byCell?.code != byPolygon?.code || byCell?.name != byPolygon?.name {
                    mismatches.append("\(point.longitude), \(point.latitude): \(byCell?.name ?? "sea") | \(byPolygon?.name ?? "sea")")
                }
            }
        }
        let same = mismatches.isEmpty
        #expect(same, "\(mismatches.count) points differ, first: \(mismatches.prefix(3))")
        // Every cell was worked out, most to one answer (else the comparison tests the polygons alone).
        let decided = cells.cellCountries.values.filter { $0 != ReverseGeocoder.mixed }.count
        #expect(cells.cellPoints.isEmpty && cells.cellCountries.count > 5_000 && decided > 4_000,
                "\(cells.cellCountries.count) cells worked out, \(decided) to one answer, \(cells.cellPoints.count) waiting")
    }

    /// A cell is worked out only at its `pointsBeforeCell`-th point: scattered points are each
    /// tested on their own, without the cost of working out their cells.
    @Test func cellsOfScatteredPointsAreNotWorkedOut() throws {
        let cells = try ReverseGeocoder(gazetteer: bundled)
        let point = Position(longitude: 44.01, latitude: 36.19)  // Erbil
        for k in 1...Int(ReverseGeocoder.pointsBeforeCell) {
            #expect(try cells.country(at: point)?.code == "IQ")
            #expect(cells.cellCountries.isEmpty == (k < Int(ReverseGeocoder.pointsBeforeCell)), "point \(k)")
        }
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
