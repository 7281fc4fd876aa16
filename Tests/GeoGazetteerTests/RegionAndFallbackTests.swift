import Foundation
import GeoCore
import GeoGazetteer
import Testing

/// Region phrases are places at precision 3: curated regions at a documented point, and
/// provinces with compass words or "countryside" around them at the province.
@Suite struct RegionPhraseTests {
    @Test(arguments: [
        ("eastern Syria", "region:SY-east"), ("northeast Syria", "region:SY-northeast"), ("north-east Syria", "region:SY-northeast"),
        ("northeastern Syria", "region:SY-northeast"), ("the Iraq–Syria border", "region:IQ-SY-border"),
        ("Syria-Iraq border", "region:IQ-SY-border"), ("Iraqi-Syrian border", "region:IQ-SY-border"), ("southern Syria", "region:SY-south"),
        ("western Iraq", "region:IQ-west"), ("northern Iraq", "region:IQ-north"), ("western Anbar", "region:IQ-western-anbar"),
        ("the Euphrates valley", "region:SY-euphrates-valley"), ("the Jazira", "region:SY-jazira"), ("شرق سوريا", "region:SY-east"),
        ("Kurdistan region", "prov:IQ-kurdistan-region"),
        ("Deir ez-Zor countryside", "prov:SY-deir-ez-zor"), ("eastern Deir ez-Zor countryside", "prov:SY-deir-ez-zor"),
        ("rural Deir ez-Zor", "prov:SY-deir-ez-zor"), ("eastern Deir ez-Zor", "prov:SY-deir-ez-zor"), ("southern Hasakah", "prov:SY-hasakah"),
        ("the western Hama countryside", "prov:SY-hama"), ("countryside of Homs", "prov:SY-homs"), ("ريف دير الزور الشرقي", "prov:SY-deir-ez-zor"),
        ("northern Lebanon", "prov:LB-north"),
    ])
    func regionPhrasesArePrecisionThree(phrase: String, id: String) throws {
        let r = bundled.geocode(phrase)
        let best = try #require(r.best, "\(phrase) is \(r.status)")
        #expect(best.entry.id == id, "\(phrase) → \(best.entry.id)")
        #expect(r.geoPrecision == 3 && best.entry.geoPrecision == 3)
        #expect(r.status == .resolved, "\(phrase): \(r.status)")
    }

    /// The province's name alone is still the town; only the phrase means the province.
    @Test func aProvinceCapitalsNameIsStillTheTown() {
        #expect(bundled.geocode("Deir ez-Zor").best?.entry.id == "geonames:170794")
        #expect(bundled.geocode("Deir ez-Zor").geoPrecision == 1)
        // "central Homs" is the city centre, not a compass part of the governorate.
        #expect(bundled.geocode("central Homs").best?.entry.kind != .province)
    }

    /// A border region holds both countries: a hint for either side is met.
    @Test func aBorderRegionMeetsEitherCountryHint() throws {
        for country in ["IQ", "SY"] {
            let r = bundled.geocode("Iraq-Syria border", options: GeocodeOptions(country: country))
            #expect(r.status == .resolved && r.best?.entry.id == "region:IQ-SY-border", "\(country)")
        }
        #expect(bundled.geocode("eastern Syria", options: GeocodeOptions(country: "IQ")).status == .unresolved)
    }

    /// Every curated region documents its point: a rule, a source, and the point of the
    /// GeoNames place or site its rule names.
    @Test func curatedRegionsDocumentTheirPoint() throws {
        let regions = bundled.entries.filter { $0.kind == .region }
        #expect(regions.count >= 12)
        for region in regions {
            let source = try #require(region.coordinateSource, "\(region.id)")
            #expect(source.contains("(http"), "\(region.id): \(source)")
            let cited = source.split(whereSeparator: { " (),;".contains($0) }).first { $0.hasPrefix("geonames:") || $0.hasPrefix("site:") }
            let id = try #require(cited.map(String.init), "\(region.id) names no place or site in its rule")
            let place = try #require(bundled.entry(id: id), "\(region.id) cites \(id)")
            #expect(kilometres(place.position, region.position) < 0.01, "\(region.id) is not at \(id)")
            #expect(region.geoPrecision == 3 && !region.kind.isSite)
        }
    }
}
