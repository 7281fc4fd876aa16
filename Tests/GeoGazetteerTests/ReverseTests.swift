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

    /// A point's country by its cells' answers is the one its own polygon test gives: for points
    /// all over the Middle East (borders, coasts, the Gulf, cell edges and corners), each read
    /// `pointsBeforeCell` times a level, so that every cell of every level is worked out and
    /// both its first answers and the kept ones are compared.
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
        // Close to borders and a coast, where 1/8° cells are mixed and points go down to the
        // 1/64° and 1/512° cells: Albu Kamal / al-Qaim, the Iraq–Syria–Jordan and
        // Iraq–Syria–Turkey tripoints, the Lebanese coast; with the smaller cells' edges.
        for (lon, lat) in [(40.93, 34.45), (38.79, 33.37), (42.36, 37.11), (35.48, 33.9)] {
            for _ in 0..<500 {
                points.append(Position(longitude: lon + Double.random(in: -0.1...0.1, using: &generator),
                                       latitude: lat + Double.random(in: -0.1...0.1, using: &generator)))
            }
            for k in 0..<100 {
                let (x, y) = ((lon * 64).rounded(.down) / 64 + Double(k % 10) / 512, (lat * 64).rounded(.down) / 64 + Double(k / 10) / 512)
                points += [Position(longitude: x, latitude: y), Position(longitude: x.nextDown, latitude: y.nextDown)]
            }
        }
        var mismatches: [String] = []
        // A cell's count starts once the cell around it is worked out and mixed.
        for _ in 0..<(Int(ReverseGeocoder.pointsBeforeCell) * ReverseGeocoder.cellsPerDegree.count) {
            for point in points {
                let byCell = try cells.countryNumber(at: point)
                let byPolygon = try reverse.countryNumberByPolygons(at: point)
                let code = try cells.country(at: point)?.code
                if byCell != byPolygon || code != byPolygon.flatMap({ reverse.countryCodes[$0] }) {
                    mismatches.append("\(point.longitude), \(point.latitude): \(byCell.map { "\($0)" } ?? "sea") | \(byPolygon.map { "\($0)" } ?? "sea")")
                }
            }
        }
        let same = mismatches.isEmpty
        #expect(same, "\(mismatches.count) points differ, first: \(mismatches.prefix(3))")
        // Every cell was worked out, most to one answer (else the comparison tests the polygons
        // alone), at each level.
        let decided = cells.cellCountries.values.filter { $0 != ReverseGeocoder.mixed }.count
        #expect(cells.cellPoints.isEmpty && cells.cellCountries.count > 5_000 && decided > 4_000,
                "\(cells.cellCountries.count) cells worked out, \(decided) to one answer, \(cells.cellPoints.count) waiting")
        for level in ReverseGeocoder.cellsPerDegree.indices {
            let answers = cells.cellCountries.filter { $0.key >> 40 == level }.values
            let decidedHere = answers.filter { $0 != ReverseGeocoder.mixed }.count
            #expect(decidedHere > 100 && answers.count > decidedHere, "level \(level): \(answers.count) cells, \(decidedHere) decided")
        }
    }

    /// How far outside a country a point lies, asked only beyond a distance: the exact distance
    /// when over it, nil when not, whether or not the point's cell meets the country's polygon
    /// (which answers without measuring when the distance is 20 km or more).
    @Test func distanceOutsideBeyondADistanceIsTheExactOnesVerdict() throws {
        let cells = try ReverseGeocoder(gazetteer: bundled)
        var generator = SeededGenerator(seed: 23)
        var measured = 0, near = 0
        for _ in 0..<1_500 {
            let point = Position(longitude: Double.random(in: 34...49, using: &generator), latitude: Double.random(in: 28...38, using: &generator))
            let code = ["SY", "IQ", "JO", "TR", "IR", "LB", "XX"].randomElement(using: &generator)!
            let exact = try reverse.distanceMetersOutside(country: code, from: point)
            for meters in [5_000.0, 20_000, 50_000] {
                let over = try cells.distanceMetersOutside(country: code, from: point, over: meters)
                let expected = exact.flatMap { $0 > meters ? $0 : nil }
                #expect(over == expected, "\(code) \(point) beyond \(meters) m: \(String(describing: over)) | \(String(describing: exact))")
                if let exact, exact > 0, exact <= 20_000 { near += 1 }
                if exact != nil { measured += 1 }
            }
        }
        // Points near a border on both sides of the bound, and cells that meet the country.
        #expect(near > 50 && measured > 3_000 && cells.countryNearCells.values.contains(true), "\(near) near, \(measured) measured")
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
