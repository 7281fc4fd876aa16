import Foundation

/// A place named with descriptive words around it, as the press writes it: "the US base at
/// Erbil Airport", "Umm Qasr port", "al-Qaim district", "Rukban displaced person camp",
/// "Mission Support Site Green Village", "Al-Omar Oil Field complex".
///
/// `readings(of:)` gives the shorter queries to try, in order: each side of "at" / "near" /
/// "in" ("Victory Base at Baghdad airport": "Victory Base", then "Baghdad airport"), then the
/// whole phrase without descriptive words (articles, nationalities and "military", and words for
/// a part of a place: district, area, port, complex, point, outskirts…). The geocoder accepts a
/// reading only when it matches a name exactly or after normalisation, never by approximate
/// spelling, and gives geo precision 2 when a part-of word was dropped (the district around a
/// town, a port beside it).
struct DescriptivePhrase {
    struct Reading: Hashable {
        var text: String
        /// A word saying "part of / near the place" was dropped: geo precision 2.
        var partOf: Bool
    }

    /// Words that describe rather than name, dropped from a reading.
    static let descriptive: Set<String> = [
        "the", "a", "an", "us", "u.s", "u.s.", "american", "coalition", "military", "iraqi", "syrian", "jordanian",
        "displaced", "person", "persons", "people", "idp", "idps", "refugee", "refugees", "shahid", "martyr", "former",
        "so-called", "mission", "support", "site", "main", "key", "strategic", "nearby",
    ]
    /// Words for a part of or a spot near a place: dropping one lowers the precision to 2.
    static let partOf: Set<String> = [
        "district", "subdistrict", "sub-district", "area", "areas", "outskirts", "vicinity", "port", "complex", "compound",
        "point", "facility", "facilities", "surroundings", "environs", "neighbourhood", "neighborhood", "quarter",
    ]
    /// Words that split a phrase into a description and a place.
    static let splitters: Set<String> = ["at", "near", "in", "outside", "by"]

    /// The shorter queries worth trying, most specific first; empty when the phrase has nothing
    /// to drop.
    static func readings(of query: String) -> [Reading] {
        let words = query.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count > 1 else { return [] }
        func key(_ w: String) -> String {
            w.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ",;:()\"“”'’"))
        }
        func reduced(_ part: ArraySlice<String>) -> Reading? {
            var kept: [String] = []
            var droppedPart = false
            for (n, w) in part.enumerated() {
                let k = key(w)
                if descriptive.contains(k) { continue }
                // A part-of word leading a name is the name ("Port Said", "Point Fortin").
                if partOf.contains(k), n > 0 { droppedPart = true; continue }
                kept.append(w)
            }
            guard !kept.isEmpty, kept.contains(where: { $0.contains(where: \.isUppercase) || $0.unicodeScalars.first.map { $0.value >= 0x600 } == true })
            else { return nil }
            return Reading(text: kept.joined(separator: " "), partOf: droppedPart)
        }
        var result: [Reading] = []
        if let split = words.firstIndex(where: { splitters.contains(key($0)) }), split > 0, split < words.count - 1 {
            let near = ["near", "outside", "by"].contains(key(words[split]))
            for part in [words[..<split], words[(split + 1)...]] {
                if var r = reduced(part) {
                    if near { r.partOf = true }
                    // A part that is only a kind word ("the US base") names nothing.
                    if !(part.count == words[..<split].count && r.text.split(separator: " ").count == 1 && r.text.first?.isLowercase == true) {
                        result.append(r)
                    }
                }
            }
        }
        if let whole = reduced(words[...]), whole.text != query { result.append(whole) }
        var seen = Set<String>()
        return result.filter { seen.insert($0.text).inserted && $0.text != query }
    }
}
