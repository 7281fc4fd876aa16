import Foundation
import GeoCore
import GeoGazetteer
import Testing

/// One place name as the seed news articles write it, with the point it should resolve to.
struct SeedPlaceName: Sendable, CustomTestStringConvertible {
    var name: String
    var countryHint: String?
    var expected: Position
    var toleranceKilometres: Double
    var note: String

    var testDescription: String { countryHint.map { "\(name) [\($0)]" } ?? name }

    /// Reads `Fixtures/seed-place-names.csv`; a malformed row throws naming its line.
    static func fixture() throws -> [SeedPlaceName] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/seed-place-names.csv", withExtension: nil))
        let records = try CSV.parse(try String(contentsOf: url, encoding: .utf8))
        let header = records[0].fields
        return try records.dropFirst().enumerated().map { offset, record in
            let row = Dictionary(uniqueKeysWithValues: zip(header, record.fields))
            guard let name = row["name"], !name.isEmpty,
                let lat = row["expected_lat"].flatMap(Double.init), let lon = row["expected_lon"].flatMap(Double.init),
                let tolerance = row["tolerance_km"].flatMap(Double.init)
            else {
                throw FixtureError(reason: "seed-place-names.csv line \(offset + 2): needs name, expected_lat, expected_lon, tolerance_km")
            }
            let hint = row["country_hint"] ?? ""
            return SeedPlaceName(name: name, countryHint: hint.isEmpty ? nil : hint,
                                 expected: Position(longitude: lon, latitude: lat), toleranceKilometres: tolerance, note: row["note"] ?? "")
        }
    }

    struct FixtureError: Error, CustomStringConvertible { var reason: String; var description: String { reason } }
}

@Suite struct SeedPlaceNameTests {
    /// Every place name of the seed articles that `geo` must place resolves, top result within tolerance.
    @Test(arguments: try SeedPlaceName.fixture())
    func seedNameResolvesNearItsPoint(_ seed: SeedPlaceName) throws {
        let result = bundled.geocode(seed.name, options: GeocodeOptions(country: seed.countryHint))
        let best = try #require(result.best, "\(seed.name) is unresolved (\(seed.note))")
        let km = kilometres(best.entry.position, seed.expected)
        #expect(km <= seed.toleranceKilometres,
                "\(seed.name) → \(best.entry.name) (\(best.entry.id)) is \(km) km from the expected point (\(seed.note))")
    }

    @Test func fixtureCoversTheSeedArticles() throws {
        let rows = try SeedPlaceName.fixture()
        #expect(rows.count >= 25)
        #expect(Set(rows.map(\.name)).count >= 24)
    }
}

/// Country names mean the country (precision 3, at the capital), not a town that looks like them.
@Suite struct CountryNameTests {
    @Test(arguments: [
        ("Syria", "SY", 33.51), ("Syrian Arab Republic", "SY", 33.51), ("Iraq", "IQ", 33.34), ("Jordan", "JO", 31.96),
        ("Lebanon", "LB", 33.89), ("Iran", "IR", 35.69), ("Saudi Arabia", "SA", 24.69),
    ])
    func countryNamesResolveToTheCountry(name: String, code: String, capitalLatitude: Double) throws {
        let best = try #require(bundled.geocode(name).best, "\(name)")
        #expect(best.entry.kind == .country && best.entry.country == code, "\(name) → \(best.entry.name)")
        #expect(best.entry.geoPrecision == 3)
        #expect(abs(best.entry.position.latitude - capitalLatitude) < 0.1, "\(name) at \(best.entry.position)")
    }
}

/// A weak match in another country than the hint is refused, not placed ("never silently invent
/// a location"): Zummar (Iraq) is not in the bundled data and must not become a town abroad.
@Suite struct CountryHintTests {
    @Test func weakMatchAbroadIsUnresolved() {
        let hinted = bundled.geocode("Zummar", options: GeocodeOptions(country: "IQ"))
        #expect(hinted.status == .unresolved && hinted.best == nil)
        #expect(!hinted.suggestions.isEmpty)
        let fallback = bundled.geocode("Zummar", options: GeocodeOptions(country: "IQ", fallback: .country))
        #expect(fallback.status == .fallback && fallback.best?.entry.country == "IQ")
    }
}

extension CountryHintTests {
    /// An exact name abroad is not taken either (nor suggested, while names in the hinted
    /// country resemble it); a border crossing filed under the other side is taken.
    @Test func exactNameAbroadIsUnresolvedButCrossingsStraddle() {
        let ayash = bundled.geocode("Ayash", options: GeocodeOptions(country: "SY"))
        #expect(ayash.status == .unresolved)
        #expect(!ayash.suggestions.isEmpty && ayash.suggestions.allSatisfy { $0.hasSuffix("(SY)") }, "\(ayash.suggestions)")
        // Without a hint the Turkish town is the answer.
        #expect(bundled.geocode("Ayash").best?.entry.country == "TR")
        let crossing = bundled.geocode("al-Qaim border crossing", options: GeocodeOptions(country: "SY"))
        #expect(crossing.best?.entry.kind == .crossing, "\(String(describing: crossing.best?.entry.name))")
    }
}
