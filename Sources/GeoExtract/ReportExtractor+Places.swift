import GeoCore
import GeoEvents
import GeoText

/// Places, actors and speakers: which mentions are event places, which actors only speak, and copying a place into an event.
extension ReportExtractor {
    /// Institutions whose place is the event's when they are attacked ("the embassy in Baghdad").
    static let targetNouns: Set<String> = ["embassy", "consulate", "prison", "jail", "parliament", "headquarters", "compound", "office", "offices", "camp"]

    /// Sides that fire rather than intercept.
    static let hostileSides: Set<String> = ["militia", "IS", "unknown", "Hezbollah"]

    /// Verbs that make a place the subject of a sentence ("Washington did not comment"): an actor.
    static let subjectVerbs: Set<String> = ["did", "does", "said", "says", "announced", "blamed", "warned", "denied", "accused", "responded", "vowed", "declined", "condemned", "called", "urged"]

    /// Why a place-role mention is no place in this text, or nil: a dateline that opens a paragraph
    /// ("Baghdad: The …", "ERBIL - …"), a possessor ("Washington's approach"), a sentence subject
    /// ("Washington did not comment"), an outlet's name ("Deir Ezzor 24").
    static func notAPlaceReason(_ p: PlaceMention, _ s: [Unicode.Scalar], _ lower: [Unicode.Scalar]) -> String? {
        var a = p.start - 1
        while a >= 0 && (s[a] == " " || s[a] == "\t") { a -= 1 }
        let lineStart = a < 0 || s[a] == "\n"
        var b = p.end
        while b < s.count && s[b] == " " { b += 1 }
        // The three words before, compared in place (their strings are made only for the reason).
        if wordRangesBefore(p.start, lower, count: 3).contains(where: { r in Self.backgroundNouns.contains { isWord(lower, r, $0) } }) {
            let twoBefore = wordsBefore(p.start, lower, count: 3)
            return "the place of a war named as background ('\(twoBefore.joined(separator: " ")) \(p.text)')"
        }
        if lineStart, b < s.count, [":", "—", "–"].contains(s[b]) || (s[b] == "-" && b + 1 < s.count && s[b + 1] == " ") {
            return "a dateline opening the paragraph ('\(p.text)\(s[b])'): never an event location"
        }
        if p.end + 1 < s.count, ["'", "\u{2019}"].contains(s[p.end]), lower[p.end + 1] == "s",
           p.end + 2 >= s.count || !s[p.end + 2].properties.isAlphabetic {
            // "Syria's Hasaka province" keeps Hasaka; "Washington's support" names an actor.
            let next = wordsAfter(p.end + 2, s, count: 1).first ?? ""
            if !Self.partOfPlaceNouns.contains(next),
               !(wordsAfter(p.end + 2, s, count: 1).first.map { _ in
                   var k = p.end + 2
                   while k < s.count && !s[k].properties.isAlphabetic { k += 1 }
                   return k < s.count && s[k].properties.isUppercase } ?? false) { return "a possessor ('\(p.text)'s \(next)'), not the event's place" }
        }
        if let next = wordsAfter(p.end, s, count: 1).first, subjectVerbs.contains(next), !locatives.contains(wordBefore(p.start, s)),
           wordsBefore(p.start, s, count: 1).isEmpty || ["however", "but", "and", "while"].contains(wordBefore(p.start, s)) {
            return "the subject of '\(next)': an actor, not a place"
        }
        if b < s.count, s[b].properties.numericType != nil, b > p.end {
            var c = b
            while c < s.count && s[c].properties.numericType != nil { c += 1 }
            if c >= s.count || !s[c].properties.isAlphabetic { return "an outlet's name ('\(p.text) \(ScalarText.string(s, b..<c))'), not a place" }
        }
        return nil
    }

    /// "the Syria war", "the Iraq crisis": a place named as the background of a conflict.
    /// (Lower-case ASCII without a "k", as `isWord` compares.)
    static let backgroundNouns: [StaticString] = ["war", "conflict", "crisis", "massacres", "occupation"]
    /// "Syria's Hasaka province", "Baghdad's outskirts": a part of the place, which stays the place.
    static let partOfPlaceNouns: Set<String> = [
        "province", "governorate", "capital", "city", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
        "border", "airport", "outskirts", "suburbs", "centre", "center", "old", "district", "neighbourhood", "neighborhood", "countryside", "desert",
    ]

    static let timeZoneCues: PhraseList = ["local time", " gmt", " utc", "eastern time", " est)", " et)", "in washington", "washington time", "time zone"]

    static let timesOfDay: PhraseList = ["a.m.", "p.m.", "morning", "evening", "night", "o'clock"]

    static let locatives: Set<String> = ["in", "near", "at", "of", "to", "on", "across", "over", "from", "inside", "into", "outside", "around", "northern", "southern", "eastern", "western", "central"]

    static let definite: Set<String> = ["the", "this", "that", "same", "its"]

    static let speakerWords: Set<String> = [
        "official", "officials", "spokesman", "spokesperson", "spokeswoman", "source", "sources", "statement", "media",
        "television", "tv", "outlet", "channel", "agency", "said", "says", "told", "commander", "commanders", "leader",
    ]

    /// Why an actor mention names a speaker rather than one who acted, or nil.
    static func speakerReason(_ a: ActorHit, _ scalars: [Unicode.Scalar]) -> String? {
        // "the UK-based monitor", "a U.S.-designated group": a qualifier, not an actor.
        if a.end < scalars.count, scalars[a.end] == "-" { return "part of a compound ('\(a.text)-…')" }
        let after = wordsAfter(a.end, scalars, count: 2)
        if let w = after.first, speakerWords.contains(w) { return "followed by '\(w)'" }
        if after.count == 2, speakerWords.contains(after[1]), !["said", "says", "told"].contains(after[1]) { return "followed by '\(after[1])'" }
        if wordsBefore(a.start, scalars, count: 3).suffix(2) == ["according", "to"] { return "after 'according to'" }
        return nil
    }

    func apply(_ p: PlaceMention, to event: inout Event) {
        event.location = p.name ?? p.text
        event.latitude = p.position?.latitude
        event.longitude = p.position?.longitude
        event.geoPrecision = p.geoPrecision
        event.country = p.country ?? ""
        event.admin1 = p.entry?.admin1 ?? ""
    }

    func copyPlace(from e: Event, to event: inout Event) {
        event.location = e.location
        event.latitude = e.latitude
        event.longitude = e.longitude
        event.geoPrecision = e.geoPrecision
        event.country = e.country
        event.admin1 = e.admin1
    }

    /// URLs of `URL:` / `Source:` header lines in the first 40 lines.
    func headerURLs(_ s: [Unicode.Scalar], lower: [Unicode.Scalar]) -> [String] {
        var urls: [String] = []
        var lineStart = 0, lines = 0
        while lineStart < min(s.count, 8_000) && lines < 40 {
            var lineEnd = lineStart
            while lineEnd < s.count && s[lineEnd] != "\n" { lineEnd += 1 }
            for label in ["url:", "source:", "link:"] where PhraseSearch.find(label, in: lower, lineStart..<min(lineEnd, lineStart + label.unicodeScalars.count)) == lineStart {
                let rest = ScalarText.string(s, (lineStart + label.unicodeScalars.count)..<lineEnd).trimmingSpaces
                if rest.hasPrefix("http://") || rest.hasPrefix("https://") { urls.append(rest) }
            }
            lineStart = lineEnd + 1
            lines += 1
        }
        return urls
    }
}
