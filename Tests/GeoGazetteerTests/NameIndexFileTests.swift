import Foundation
import GeoCore
@testable import GeoGazetteer
import Testing

/// The precomputed name index (Gazetteer/name-index.bin) must match places.tsv and answer
/// exactly as keys computed at load do.
@Suite struct NameIndexFileTests {
    @Test func committedIndexIsCurrent() {
        #expect(bundled.nameIndexStatus == "precomputed (name-index.bin)",
                "run `geo gazetteer build-index` (scripts/build-gazetteer) after changing places.tsv or NameNormalizer")
    }

    @Test func indexAnswersLikeKeysComputedAtLoad() throws {
        let computed = Gazetteer(entries: bundled.entries, aliases: bundled.entries.indices.map(bundled.aliasesOfEntry), dataDirectory: bundled.dataDirectory)
        var rng = SeededGenerator(seed: 7)
        var checked = 0
        for _ in 0..<3_000 {
            let i = Int.random(in: 0..<bundled.entries.count, using: &rng)
            let names = [bundled.entries[i].name] + bundled.aliasesOfEntry(at: i).prefix(3)
            for name in names {
                let key = NameNormalizer.key(name)
                #expect(bundled.normalizedEntries(key) == computed.normalizedEntries(key), "\(name)")
                #expect(bundled.exactMatches(name, key: key) == computed.exactMatches(name, key: key), "\(name)")
                checked += 1
            }
        }
        #expect(checked > 3_000)
        for query in ["Boukamal", "Irbil", "أربيل", "Ain al-Asad air base", "Хомс", "Deir Ezzor governorate"] {
            #expect(bundled.geocode(query).best?.entry.id == computed.geocode(query).best?.entry.id, "\(query)")
        }
    }

    @Test func aStaleIndexIsIgnored() throws {
        let dir = try FileManager.default.url(for: .itemReplacementDirectory, in: .userDomainMask,
                                              appropriateFor: URL(fileURLWithPath: NSTemporaryDirectory()), create: true).path
        let places = "geonameid\tname\tlatitude\tlongitude\tcountry\tadmin1\tpopulation\talternatenames\n"
            + "1\tTestville\t34.0\t40.0\tSY\t01\t100\tTest Town|Тест\n"
        try places.write(toFile: dir + "/places.tsv", atomically: true, encoding: .utf8)
        try "id,name,aliases,country,capital_geonameid\n".write(toFile: dir + "/provinces.csv", atomically: true, encoding: .utf8)
        try Gazetteer.buildNameIndex(dataDirectory: dir)
        let fresh = try Gazetteer.load(dataDirectory: dir, userDirectory: nil)
        #expect(fresh.nameIndexStatus == "precomputed (name-index.bin)")
        #expect(fresh.geocode("test town").best?.entry.name == "Testville")
        #expect(fresh.geocode("тест").best?.entry.name == "Testville")
        // The same places.tsv with a changed byte: the index no longer applies.
        try places.replacingOccurrences(of: "100", with: "200").write(toFile: dir + "/places.tsv", atomically: true, encoding: .utf8)
        let stale = try Gazetteer.load(dataDirectory: dir, userDirectory: nil)
        #expect(stale.nameIndexStatus.contains("built from another places.tsv"))
        #expect(stale.geocode("test town").best?.entry.name == "Testville")
    }
}
