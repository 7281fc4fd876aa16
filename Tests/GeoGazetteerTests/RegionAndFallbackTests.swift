import Foundation
import GeoCore
import GeoGazetteer
import Testing

/// Unresolved names are placed only where the row itself says (its admin1, a province in its
/// text) or at the country's capital, and the answer says which. Seed article 000: al-Swiah, a
/// village of Deir ez-Zor that GeoNames lacks, was placed at Aleppo, 393 km away.
@Suite struct FallbackTests {
    /// A village in the row's own governorate, absent from the gazetteer.
    static let swiah = "al-Swiah"

    @Test func fallbackProvinceUsesTheRowsAdmin1NotAleppo() throws {
        for region in ["Deir ez-Zor", "Dayr az Zawr Governorate", "Deir-ez-Zor", "deir ez zor province", "محافظة دير الزور"] {
            let r = bundled.geocode(Self.swiah, options: GeocodeOptions(country: "SY", fallback: .province, region: region))
            let best = try #require(r.best, "\(region)")
            #expect(r.status == .fallback && best.entry.id == "prov:SY-deir-ez-zor", "\(region) → \(best.entry.id)")
            #expect(r.geoPrecision == 3)
            #expect(r.fallbackBasis == "admin1 '\(region)' → Deir ez-Zor Governorate")
            #expect(best.entry.name != "Aleppo")
        }
        // "eastern Syria" as the query text, Deir ez-Zor as admin1: a region phrase now resolves
        // by itself (to Deir ez-Zor city, the region's point), without any fallback.
        let eastern = bundled.geocode("eastern Syria", options: GeocodeOptions(country: "SY", fallback: .province, region: "Deir ez-Zor"))
        #expect(eastern.status == .resolved && eastern.best?.entry.kind == .region && eastern.geoPrecision == 3)
    }

    /// No region and no province in the text: the name stays unresolved (it used to fall
    /// through to the country's most populous place, Aleppo, as if that were a province).
    @Test func fallbackProvinceNeverPicksAnArbitraryProvince() {
        let none = bundled.geocode(Self.swiah, options: GeocodeOptions(country: "SY", fallback: .province))
        #expect(none.status == .unresolved && none.best == nil && none.fallbackBasis == nil)
        // A region that names no province (a town, a country, another country's province).
        for region in ["Al Mayadin", "Syria", "Anbar", "", "   "] {
            let r = bundled.geocode(Self.swiah, options: GeocodeOptions(country: "SY", fallback: .province, region: region))
            #expect(r.status == .unresolved, "\(region) → \(r.best?.entry.name ?? "-")")
        }
    }

    @Test func fallbackProvinceUsesAProvinceNamedInTheText() throws {
        let r = bundled.geocode("Tell Xqzzy, Hasakah countryside", options: GeocodeOptions(country: "SY", fallback: .province))
        #expect(r.status == .fallback && r.best?.entry.id == "prov:SY-hasakah")
        #expect(r.fallbackBasis == "province named in the text")
        // The row's admin1 comes first.
        let both = bundled.geocode("Tell Xqzzy, Hasakah", options: GeocodeOptions(country: "SY", fallback: .province, region: "Raqqa"))
        #expect(both.best?.entry.id == "prov:SY-raqqa")
    }

    @Test func fallbackCountryUsesTheCapital() throws {
        let sy = bundled.geocode(Self.swiah, options: GeocodeOptions(country: "SY", fallback: .country))
        let best = try #require(sy.best)
        #expect(sy.status == .fallback && best.entry.id == "country:SY" && sy.geoPrecision == 3)
        #expect(kilometres(best.entry.position, Position(longitude: 36.29128, latitude: 33.5102)) < 1)  // Damascus, not Aleppo
        #expect(sy.fallbackBasis == "capital of SY")
        let iq = bundled.geocode("Tell Xqzzy", options: GeocodeOptions(country: "IQ", fallback: .country))
        #expect(iq.best.map { kilometres($0.entry.position, Position(longitude: 44.40088, latitude: 33.34058)) < 1 } == true)  // Baghdad
        // Without a country there is no capital to fall back on.
        #expect(bundled.geocode("Tell Xqzzy", options: GeocodeOptions(fallback: .country)).status == .unresolved)
    }

    @Test func fallbackCountryUsesTheRowsAdmin1First() throws {
        let r = bundled.geocode(Self.swiah, options: GeocodeOptions(country: "SY", fallback: .country, region: "Deir ez-Zor"))
        #expect(r.status == .fallback && r.best?.entry.id == "prov:SY-deir-ez-zor")
        #expect(r.fallbackBasis == "admin1 'Deir ez-Zor' → Deir ez-Zor Governorate")
        // An admin1 that names nothing: the capital.
        let other = bundled.geocode(Self.swiah, options: GeocodeOptions(country: "SY", fallback: .country, region: "Qzx District"))
        #expect(other.best?.entry.id == "country:SY" && other.fallbackBasis == "capital of SY")
    }

    /// Region text as event tables write admin1 (ACLED's spellings among them).
    @Test(arguments: [
        ("Deir-ez-Zor", "SY", "prov:SY-deir-ez-zor"), ("Al Hasakeh", "SY", "prov:SY-hasakah"), ("Ar-Raqqa", "SY", "prov:SY-raqqa"),
        ("Rural Damascus", "SY", "prov:SY-rif-dimashq"), ("Idleb", "SY", "prov:SY-idlib"), ("As-Sweida", "SY", "prov:SY-suwayda"),
        ("Lattakia", "SY", "prov:SY-latakia"), ("Tartous", "SY", "prov:SY-tartus"), ("Dar'a", "SY", "prov:SY-daraa"),
        ("Al-Anbar", "IQ", "prov:IQ-anbar"), ("Anbar", "IQ", "prov:IQ-anbar"), ("Ninewa", "IQ", "prov:IQ-nineveh"),
        ("Salah al-Din", "IQ", "prov:IQ-saladin"), ("Thi-Qar", "IQ", "prov:IQ-dhi-qar"), ("Dahuk", "IQ", "prov:IQ-dohuk"),
        ("rural Idlib", "SY", "prov:SY-idlib"), ("Deir Ezzour Governorate", "SY", "prov:SY-deir-ez-zor"),
    ])
    func regionTextNamesTheProvince(text: String, country: String, id: String) {
        #expect(bundled.province(named: text, country: country)?.id == id, "\(text)")
    }

    @Test func regionTextOfAnotherCountryIsNotAProvinceOfTheHint() {
        #expect(bundled.province(named: "Anbar", country: "SY") == nil)
        #expect(bundled.province(named: "Anbar")?.id == "prov:IQ-anbar")
        #expect(bundled.province(named: "eastern Syria", country: "SY") == nil)
        #expect(bundled.province(named: "Damascus", country: "SY")?.id == "prov:SY-damascus")
    }
}

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

/// A capital or a large city beats a village of the same name abroad, without a country hint;
/// a weak fuzzy spelling is not an answer.
@Suite struct RankingTests {
    @Test func baghdadBeatsBaghdadehClearly() throws {
        let r = bundled.geocode("Baghdad")
        #expect(r.status == .resolved && r.best?.entry.id == "geonames:98182")
        let best = try #require(r.best)
        for a in r.alternatives { #expect(best.rankScore - a.rankScore >= 0.05, "\(a.entry.name)") }
        #expect(bundled.geocode("BAGHDAD").status == .resolved)
    }

    @Test func homsBeatsAlKhumsClearly() throws {
        let r = bundled.geocode("Homs")
        #expect(r.status == .resolved && r.best?.entry.id == "geonames:169577")
        let best = try #require(r.best)
        for a in r.alternatives { #expect(best.rankScore - a.rankScore >= 0.05, "\(a.entry.name)") }
        // Libya's Al Khums is still found by its own name.
        #expect(bundled.geocode("Al Khums").best?.entry.id == "geonames:2219905")
    }

    @Test(arguments: [("Damascus", "geonames:170654"), ("Najaf", "geonames:98860"), ("Hama", "geonames:170017"), ("Tehran", "geonames:112931")])
    func capitalsAndCitiesBeatVillagesAbroad(name: String, id: String) {
        let r = bundled.geocode(name)
        #expect(r.status == .resolved && r.best?.entry.id == id, "\(name): \(r.status) \(r.best?.entry.name ?? "-")")
    }

    /// Two cities of similar size stay ambiguous: no hint, no guess.
    @Test func citiesOfSimilarSizeStayAmbiguous() {
        let r = bundled.geocode("Tripoli")
        #expect(r.status == .ambiguous)
        let countries = Set(([r.best].compactMap { $0 } + r.alternatives).map(\.entry.country))
        #expect(countries.isSuperset(of: ["LY", "LB"]))
    }

    /// السويعية (al-Suwai'iya) differs by one letter from السويدية, an alternate name of
    /// Samandağ in Turkey: it came back resolved there, 485 km from the village.
    @Test func arabicSwiahIsNotResolvedToSamandag() {
        for country in [nil, "SY"] {
            let r = bundled.geocode("السويعية", options: GeocodeOptions(country: country))
            #expect(r.status == .unresolved && r.best == nil, "\(country ?? "no hint"): \(r.status) \(r.best?.entry.name ?? "")")
            #expect(!r.suggestions.isEmpty)
            if country != nil { #expect(r.suggestions.allSatisfy { $0.hasSuffix("(SY)") }, "\(r.suggestions)") }
        }
        // With the row's admin1 and a fallback it goes to its governorate.
        let placed = bundled.geocode("السويعية", options: GeocodeOptions(country: "SY", fallback: .province, region: "Deir ez-Zor"))
        #expect(placed.best?.entry.id == "prov:SY-deir-ez-zor")
    }

    /// A weak approximate Latin spelling stays the best guess but is never `resolved`.
    @Test func aWeakLatinSpellingIsAtMostAmbiguous() throws {
        let r = bundled.geocode("Khasham", options: GeocodeOptions(country: "SY"))  // Khushām, a vowel apart
        #expect(r.status == .ambiguous && r.best?.entry.id == "geonames:167899")
        let best = try #require(r.best)
        #expect(best.matchType == .skeleton || best.matchType == .fuzzy)
    }

    @Test func unresolvedSuggestionsRespectTheCountryHint() {
        // Unhinted, "North Oil Company" suggested towns in the US and Australia.
        for query in ["North Oil Company", "Nineveh Plains", "Zummar", "Besmaya"] {
            let r = bundled.geocode(query, options: GeocodeOptions(country: "IQ"))
            #expect(r.status == .unresolved, "\(query)")
            #expect(!r.suggestions.isEmpty && r.suggestions.allSatisfy { $0.hasSuffix("(IQ)") }, "\(query): \(r.suggestions)")
        }
        // No name in the hinted country resembles it: the names abroad are still offered.
        let far = bundled.geocode("Xqzzyvillea", options: GeocodeOptions(country: "IQ"))
        #expect(!far.suggestions.isEmpty)
    }
}
