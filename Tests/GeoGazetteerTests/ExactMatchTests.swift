import Foundation
import GeoCore
@testable import GeoGazetteer
import Testing

/// Exact matching compares names in place with a table of simple lowercase mappings; it must
/// agree with `lowercased() ==` (Unicode canonical equivalence) on every name, in every case.
@Suite struct ExactMatchTests {
    @Test func agreesWithLowercasedEquality() {
        var rng = SeededGenerator(seed: 5)
        var checked = 0, matched = 0
        for _ in 0..<2_500 {
            let i = Int.random(in: 0..<bundled.entries.count, using: &rng)
            let names = [bundled.entries[i].name] + bundled.aliasesOfEntry(at: i).shuffled(using: &rng).prefix(3)
            for base in names {
                for name in [base, base.uppercased(), base.lowercased(), base.capitalized] {
                    let key = NameNormalizer.keyBytes(name)
                    guard !key.isEmpty else { continue }
                    let ids = bundled.normalizedEntries(key)
                    let lower = name.lowercased()
                    let expected = ids.filter { id in
                        var found = false
                        GazetteerEntry.forEachName(bundled.entries[Int(id)].name, bundled.aliasTexts[Int(id)]) { if $0.lowercased() == lower { found = true } }
                        return found
                    }
                    #expect(bundled.exactMatches(name, key: key, among: ids) == expected, "\(name)")
                    checked += 1
                    if !expected.isEmpty { matched += 1 }
                }
            }
        }
        #expect(checked > 20_000)
        #expect(matched > checked * 9 / 10)
    }

    @Test(arguments: [
        ("ÅLESUND", "Ålesund", true),  // Latin-1 capitals
        ("ĦAMRUN", "Ħamrun", true),  // Latin Extended-A
        ("ⱥbc", "Ⱥbc", true),  // a capital whose lowercase takes three bytes
        ("\u{212A}arbala", "Karbala", true),  // KELVIN SIGN lowercases to k
        ("e\u{301}", "é", true),  // decomposed and composed é are canonically equal
        ("Ḩalab", "halab", false),  // a dotted letter is not its base letter
        ("İzmir", "izmir", false),  // İ lowercases to i + combining dot
    ])
    func caseFoldingEdgeCases(_ name: String, _ text: String, _ equal: Bool) {
        let expected = name.lowercased() == text.lowercased()
        #expect(expected == equal)
        let agrees: Bool? = CaseFolding.withLowercasedUTF8(text) { lower in
            guard let lower else { return nil }
            var copy = name
            return copy.withUTF8 { CaseFolding.anyName(in: $0, lowercasedEqual: lower) }
        }
        if let agrees { #expect(agrees == expected, "\(name) vs \(text)") }
    }
}

/// The batch API answers exactly as one call per name does, whatever the thread count.
@Suite struct BatchGeocodeTests {
    @Test func batchAnswersEqualSingleAnswers() {
        var rng = SeededGenerator(seed: 11)
        var queries: [GeocodeQuery] = [
            GeocodeQuery(""), GeocodeQuery("   "), GeocodeQuery("Хомс"), GeocodeQuery("أربيل"), GeocodeQuery("Albu Kamxl"),
            GeocodeQuery("Ain al-Asad air base"), GeocodeQuery("Akashat", options: GeocodeOptions(country: "IQ")),
            GeocodeQuery("Tanf", options: GeocodeOptions(near: Position(longitude: 38.6, latitude: 33.5))),
            GeocodeQuery("Nowhere-at-all-xyz", options: GeocodeOptions(country: "SY", fallback: .country)),
        ]
        for _ in 0..<1_500 {
            let e = bundled.entries[Int.random(in: 0..<bundled.entries.count, using: &rng)]
            var name = e.name
            if Bool.random(using: &rng), name.count > 4 { name.remove(at: name.index(name.startIndex, offsetBy: 2)) }
            queries.append(GeocodeQuery(name, options: GeocodeOptions(country: Bool.random(using: &rng) ? e.country : nil)))
        }
        let single = queries.map { bundled.geocode($0.text, options: $0.options) }
        for threads in [1, 2, 3] {
            let batch = bundled.geocode(queries, threads: threads)
            #expect(batch.count == queries.count)
            #expect(batch == single, "threads: \(threads)")
        }
        #expect(bundled.geocode([GeocodeQuery]()).isEmpty)
    }
}
