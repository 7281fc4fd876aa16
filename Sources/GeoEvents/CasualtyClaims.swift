/// Casualty figures in a report's sentences, each with who gave it: "SOHR said at least 22
/// fighters were killed", "a medical source told Reuters 17 died", "no casualties", "the driver
/// was killed", "wounded at least nine".
///
/// Rules:
/// - A figure is a number (digits or words up to twenty, "a dozen"), optionally after "at least",
///   "more than", "up to", "some", "about"; vague words as ACLED codes them, conservatively:
///   "dozens" 12, "scores" 20, "hundreds" 100, "several", "a few", "some" 3, "a number of" 3.
/// - Killed: killed, dead, died, deaths, fatalities, lost their lives, "killing N"; injured:
///   injured, wounded, hurt, "injuring N". The figure stands within a few words before the verb
///   ("17 fighters were killed") or right after it ("killing 17", "wounded at least nine").
/// - "no casualties", "no injuries", "no one was hurt/killed", "without casualties": 0 killed
///   (and 0 injured where injuries are denied).
/// - "the driver was killed", "a soldier was wounded": one.
/// - The source is the sentence's attribution: "according to X", "X said/says/told/reported/
///   claimed/confirmed", "told X"; else `report` (the article itself).
/// - Ranges ("between 17 and 22") give the lower figure, ACLED's conservative rule.
public enum CasualtyClaims {
    /// One figure found in a sentence.
    public struct Found: Hashable, Sendable {
        public var claim: FatalityClaim
        /// Offsets (Unicode scalars) of the words the figure was read from, in the sentence.
        public var start: Int
        public var end: Int
    }

    /// The claims of one sentence, one per source: a sentence of two sources ("X said eight were
    /// killed, while Y said six died", "X said eight, but Y put the toll at 19") is read clause by
    /// clause, a clause without its own attribution taking the sentence's.
    public static func find(in sentence: String) -> [Found] {
        let sentenceScalars = Array(sentence.unicodeScalars)
        let words = ReportDates.Word.split(scalars: sentenceScalars)
        guard words.contains(where: { verbKind($0.lower, next: nil) != nil || $0.lower == "toll" || $0.lower == "casualties" || $0.lower == "nobody" || $0.lower == "one" }) else { return [] }
        let whole = attribution(words, sentence: sentence, scalars: sentenceScalars)
        var cuts: [Int] = []
        if let asciiCuts = asciiClauseCuts(sentence) {
            cuts = asciiCuts
        } else if case let lowerSentence = sentence.lowercased(), lowerSentence.unicodeScalars.count == sentence.unicodeScalars.count {
            if let found = scalarClauseCuts(lowerSentence) {
                cuts = found
            } else {
                for joiner in clauseJoiners {
                var from = lowerSentence.startIndex
                    while let r = lowerSentence.range(of: joiner, range: from..<lowerSentence.endIndex) {
                        cuts.append(lowerSentence.unicodeScalars.distance(from: lowerSentence.unicodeScalars.startIndex, to: r.lowerBound))
                        from = r.upperBound
                    }
                }
            }
        }
        cuts.sort()
        guard !cuts.isEmpty else { return findInClause(sentence, words: words, source: whole ?? "report", scalars: sentenceScalars) }
        let scalars = sentenceScalars
        var found: [Found] = []
        var a = 0
        for b in cuts + [scalars.count] {
            let clause = String(String.UnicodeScalarView(scalars[a..<b]))
            let clauseWords = ReportDates.Word.split(clause)
            let source = attribution(clauseWords, sentence: clause) ?? whole ?? "report"
            for var f in findInClause(clause, words: clauseWords, source: source) {
                f.start += a; f.end += a
                if let i = found.firstIndex(where: { $0.claim.source == f.claim.source }) {
                    var m = found[i]
                    if let k = f.claim.killed, m.claim.killed.map({ k < $0 }) ?? true { m.claim.killed = k }
                    if let w = f.claim.injured, m.claim.injured.map({ w < $0 }) ?? true { m.claim.injured = w }
                    m.start = min(m.start, f.start); m.end = max(m.end, f.end)
                    found[i] = m
                } else {
                    found.append(f)
                }
            }
            a = b
        }
        return found
    }

    static let clauseJoiners = [", while ", ", but ", "; ", ", whereas "]

    /// The offsets where `clauseJoiners` start in an ASCII sentence (lower-cased, scalar = byte
    /// offsets), joiner by joiner as `find` searches them in the general case; nil when the
    /// sentence is not ASCII.
    static func asciiClauseCuts(_ sentence: String) -> [Int]? {
        var sentence = sentence
        return sentence.withUTF8 { bytes -> [Int]? in
            guard !bytes.contains(where: { $0 >= 128 }) else { return nil }
            var cuts: [Int] = []
            for joiner in clauseJoiners {
                let needle = Array(joiner.utf8)
                var i = 0
                let last = bytes.count - needle.count
                while i <= last {
                    var k = 0
                    while k < needle.count {
                        let b = bytes[i + k]
                        if (b >= 65 && b <= 90 ? b + 32 : b) != needle[k] { break }
                        k += 1
                    }
                    if k == needle.count {
                        cuts.append(i)
                        i += needle.count
                    } else {
                        i += 1
                    }
                }
            }
            return cuts
        }
    }

    /// The offsets where `clauseJoiners` start in a lower-cased sentence whose scalars are ASCII
    /// or each a `Character` of its own (`ScalarClusters.standsAlone`), joiner by joiner as
    /// `find` searches them with Foundation's `range(of:)`: there an ASCII joiner matches exactly
    /// its own scalars, since no scalar of the sentence decomposes into or combines with them.
    /// Nil for any other sentence.
    static func scalarClauseCuts(_ lowerSentence: String) -> [Int]? {
        let scalars = lowerSentence.unicodeScalars.map(\.value)
        guard scalars.allSatisfy({ $0 < 128 || ScalarClusters.standsAlone($0) }) else { return nil }
        var cuts: [Int] = []
        for joiner in clauseJoiners {
            let needle = joiner.unicodeScalars.map(\.value)
            var i = 0
            let last = scalars.count - needle.count
            while i <= last {
                if scalars[i..<(i + needle.count)].elementsEqual(needle) {
                    cuts.append(i)
                    i += needle.count
                } else {
                    i += 1
                }
            }
        }
        return cuts
    }

    /// `scalars`: the sentence's, when the caller holds them.
    static func findInClause(_ sentence: String, words: [ReportDates.Word], source: String, scalars known: [Unicode.Scalar]? = nil) -> [Found] {
        let lower = words.map(\.lower)
        let scalars = known ?? Array(sentence.unicodeScalars)
        var killed: (Int, Int, Int)?  // value, start, end
        var injured: (Int, Int, Int)?

        func record(_ kind: Kind, _ value: Int, _ first: Int, _ last: Int) {
            let item = (value, words[first].start, words[last].end)
            switch kind {
            case .killed: if killed == nil || value < killed!.0 { killed = item }
            case .injured: if injured == nil || value < injured!.0 { injured = item }
            }
        }

        // Denials of casualties.
        for i in lower.indices {
            // "nobody was hurt", "no one was killed"
            if lower[i] == "nobody", let verb = [at(lower, i + 2), at(lower, i + 3)].compactMap({ $0 }).first(where: { verbKind($0, next: nil) != nil }) {
                record(verbKind(verb, next: nil)!, 0, i, min(words.count - 1, i + 2))
            }
            // "did not result in any casualties"
            if lower[i] == "any", ["casualties", "fatalities", "deaths", "injuries"].contains(at(lower, i + 1) ?? ""),
               lower[max(0, i - 6)..<i].contains(where: { ["not", "no", "without", "nt"].contains($0) }) {
                if at(lower, i + 1) != "injuries" { record(.killed, 0, i, i + 1) }
                if at(lower, i + 1) == "casualties" || at(lower, i + 1) == "injuries" { record(.injured, 0, i, i + 1) }
            }
            // "put the toll at 19", "the death toll rose to 25"
            if lower[i] == "toll" {
                var k = i + 1
                while k < min(words.count, i + 4), ["at", "to", "of", "rose", "reached", "stood", "climbed", "was", "is"].contains(lower[k]) { k += 1 }
                if k > i + 1, let (value, last) = figure(lower, from: k) { record(.killed, value, i, last) }
            }
            if lower[i] == "no" || lower[i] == "without", let next = at(lower, i + 1) {
                if ["casualties", "casualty", "fatalities", "deaths"].contains(next) { record(.killed, 0, i, i + 1) }
                if next == "casualties" || next == "casualty" { record(.injured, 0, i, i + 1) }
                if ["injuries", "injured"].contains(next) { record(.injured, 0, i, i + 1) }
                if next == "one", let verb = at(lower, i + 3) ?? at(lower, i + 2), ["killed", "hurt", "injured", "wounded"].contains(verb) || ["killed", "hurt", "injured", "wounded"].contains(at(lower, i + 2) ?? "") {
                    let v = ["killed"].contains(verb) || at(lower, i + 2) == "killed" ? Kind.killed : .injured
                    record(v, 0, i, min(words.count - 1, i + 3))
                }
            }
        }

        for (i, word) in lower.enumerated() {
            guard let kind = verbKind(word, next: at(lower, i + 1)) else { continue }
            // "four of the killed were Lebanese", "the wounded included": a part, not a figure.
            if at(lower, i - 1) == "the" { continue }
            // "dozens were killed or wounded": casualties of both kinds, no count of either.
            if at(lower, i + 1) == "or", let other = at(lower, i + 2), let k = verbKind(other, next: nil), k != kind { continue }
            if at(lower, i - 1) == "or", let other = at(lower, i - 2), let k = verbKind(other, next: nil), k != kind { continue }
            // Figure after the verb: "killing 17", "wounded at least nine", "killed 3 fighters",
            // "killing a commander and two others", "killed two soldiers and a contractor"; not
            // across a comma or other break ("2 killed, 4 wounded": the 4 were wounded).
            if !["dead", "died", "deaths", "fatalities", "injuries", "dies"].contains(word),
               !(i + 1 < words.count && sentenceBreak(between: words[i], words[i + 1], scalars)),
               let (value, last) = listFigure(lower, words, scalars, from: i + 1) {
                record(kind, value, i, last)
                continue
            }
            // Figure before the verb within six words: "17 fighters were killed", "two dead".
            var found = false
            var j = i - 1
            while j >= max(0, i - 6) {
                if let (value, first) = figureEnding(lower, at: j) {
                    record(kind, value, first, i)
                    found = true
                    break
                }
                if [".", ";"].contains(lower[j]) || ["and", "but", "while"].contains(lower[j]) && j < i - 1 { break }
                j -= 1
            }
            if found { continue }
            // "the driver was killed", "a soldier was wounded", "the driver was also killed",
            // "Wissam al-Tawil, a senior commander, was killed", "Soleimani was killed": one person.
            if let subject = onePersonSubject(lower, words, scalars, beforeVerb: i) {
                record(kind, 1, subject, i)
            } else if i >= 2, ["died", "dies"].contains(word), personNouns.contains(lower[i - 1]),
                      lower[max(0, i - 5)..<(i - 1)].contains(where: { ["a", "an", "the", "one"].contains($0) }) {
                // "a US civilian contractor died"
                record(kind, 1, i - 1, i)
            }
        }

        var merged = FatalityClaim(source: source)
        var start = Int.max, end = 0
        if let k = killed { merged.killed = k.0; start = min(start, k.1); end = max(end, k.2) }
        if let w = injured { merged.injured = w.0; start = min(start, w.1); end = max(end, w.2) }
        guard killed != nil || injured != nil else { return [] }
        return [Found(claim: merged, start: start, end: end)]
    }

    enum Kind { case killed, injured }

    /// Adverbs between "was" and the verb ("was also killed", "was reportedly killed").
    static let beAdverbs: Set<String> = ["also", "reportedly", "later", "allegedly", "apparently", "then"]
    /// Capitalised words before "was killed" that name no one person.
    static let notOnePerson: Set<String> = ["nobody", "none", "it", "he", "she", "this", "that", "who", "which", "everyone", "anyone", "no", "one", "there", "what"]

    /// The first word of a singular subject of "was/is [adverb] <verb>" that names one person:
    /// a person noun ("the driver"), a name ("Soleimani", "Wissam al-Tawil"), or a name with an
    /// apposition holding a person noun ("X, a senior commander of Y, was killed"); nil otherwise.
    static func onePersonSubject(_ lower: [String], _ words: [ReportDates.Word], _ scalars: [Unicode.Scalar], beforeVerb i: Int) -> Int? {
        var be = i - 1
        if be >= 1, beAdverbs.contains(lower[be]) { be -= 1 }
        guard be >= 1, ["was", "is"].contains(lower[be]) else { return nil }
        let s = be - 1
        if personNouns.contains(PhraseKey.singular(lower[s])) { return s }
        let gap = scalars[words[s].end..<words[be].start]
        func capitalised(_ k: Int) -> Bool { words[k].text.unicodeScalars.first.map { $0.properties.isUppercase } ?? false }
        if gap.allSatisfy({ $0 == " " }) {
            return capitalised(s) && !notOnePerson.contains(lower[s]) ? s : nil
        }
        // An apposition closed by a comma: its start is after the comma before it, within twelve words.
        guard gap.allSatisfy({ $0 == " " || $0 == "," }), gap.contains(",") else { return nil }
        var a = s
        while a > 0, s - a < 12, !sentenceBreak(between: words[a - 1], words[a], scalars) { a -= 1 }
        guard a > 0, s - a < 12, scalars[words[a - 1].end..<words[a].start].contains(","), ["a", "an", "the"].contains(lower[a]),
              (a...s).contains(where: { personNouns.contains(PhraseKey.singular(lower[$0])) }), capitalised(a - 1) else { return nil }
        return a - 1
    }

    static let personNouns: Set<String> = [
        "driver", "soldier", "fighter", "civilian", "militant", "member", "officer", "commander", "contractor", "child",
        "woman", "man", "person", "guard", "servicemember", "sailor", "marine", "pilot", "journalist", "leader",
        "aide", "bodyguard", "official", "policeman", "brother", "son", "daughter", "farmer", "shepherd", "worker",
        "employee", "doctor", "nurse", "paramedic", "volunteer", "cleric", "student", "boy", "girl", "resident",
        "passenger", "trooper", "serviceman", "servicewoman", "militiaman", "gunman", "operative", "other",
    ]

    /// After a verb: figures joined by "and" ("a commander and two others", "two American
    /// soldiers and a British soldier"), summed; "a/an … <person>" and "his/her <person>" count one.
    static func listFigure(_ w: [String], _ words: [ReportDates.Word], _ scalars: [Unicode.Scalar], from i: Int) -> (Int, Int)? {
        func broken(_ k: Int) -> Bool { k > 0 && k < words.count && sentenceBreak(between: words[k - 1], words[k], scalars) }
        /// One item at k: value and index of its last word.
        func item(_ k: Int) -> (Int, Int)? {
            if let (v, last) = figure(w, from: k) {
                if let noun = at(w, last + 1), thingNouns.contains(PhraseKey.singular(noun)) { return nil }
                return (v, last)
            }
            guard let first = at(w, k) else { return nil }
            if ["a", "an"].contains(first) {
                var j = k + 1
                while j < min(w.count, k + 6), !broken(j), w[j] != "and" {
                    if personNouns.contains(w[j]) { return (1, j) }
                    j += 1
                }
            }
            if ["his", "her", "their", "its"].contains(first), let noun = at(w, k + 1), personNouns.contains(noun), !broken(k + 1) { return (1, k + 1) }
            // A person's name of two words or more ("Ahmed Saleh", "Abu Mahdi al-Muhandis"), not
            // a group's before a noun ("Islamic State fighters").
            var last = k - 1
            while last + 1 < w.count, last + 1 - k < 6, last + 1 == k || !broken(last + 1) {
                let word = words[last + 1]
                let capital = word.text.unicodeScalars.first.map { $0.properties.isUppercase } ?? false
                guard capital || nameConnectors.contains(w[last + 1]) && last + 1 > k else { break }
                last += 1
            }
            while last > k, nameConnectors.contains(w[last]) { last -= 1 }
            if last > k, at(w, last + 1).map({ broken(last + 1) || nameFollowers.contains($0) }) ?? true { return (1, last) }
            return nil
        }
        guard let (first, firstLast) = item(i) else { return nil }
        var total = first, last = firstLast
        // Further items: "and" within a few words of the last, in the same clause.
        while true {
            var j = last + 1
            while j < min(w.count, last + 6), !broken(j), w[j] != "and", verbKind(w[j], next: nil) == nil, !["in", "on", "when", "including", "while", "near", "at"].contains(w[j]) { j += 1 }
            guard j < w.count, w[j] == "and", !broken(j), let (v, l) = item(j + 1), !broken(j + 1) else { break }
            total += v; last = l
        }
        return (total, last)
    }

    /// Lower-case words inside a person's name ("al-Muhandis", "bin Laden").
    static let nameConnectors: Set<String> = ["al", "el", "bin", "ibn", "abu", "bint", "ben"]
    /// Words that may follow a name read as one person killed ("killed X and Y in …").
    static let nameFollowers: Set<String> = ["and", "in", "on", "at", "near", "when", "as", "while", "during", "after", "before", "with", "who", "late", "early"]

    static func at(_ words: [String], _ i: Int) -> String? { i >= 0 && i < words.count ? words[i] : nil }

    static func verbKind(_ word: String, next: String?) -> Kind? {
        switch word {
        case "killed", "killing", "dead", "died", "deaths", "fatalities", "dies": return .killed
        case "lost" where next == "their" || next == "his" || next == "her": return .killed
        case "injured", "injuring", "wounded", "wounding", "hurt", "injuries": return .injured
        default: return nil
        }
    }

    static let smallNumbers: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
        "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    ]

    /// Vague quantities as ACLED codes them, conservatively (the lowest reading).
    static let vague: [String: Int] = ["dozens": 12, "scores": 20, "hundreds": 100, "several": 3, "few": 3, "some": 3, "many": 3]

    static let qualifiers: Set<String> = ["least", "more", "than", "up", "to", "some", "about", "around", "nearly", "almost", "over", "approximately", "roughly", "between", "another", "other", "further", "additional"]

    /// A figure starting at `i` (after qualifiers): the value and the index of its last word.
    static func figure(_ w: [String], from i: Int) -> (Int, Int)? {
        var k = i
        if at(w, k) == "at", at(w, k + 1) == "least" { k += 2 }
        while let q = at(w, k), qualifiers.contains(q) { k += 1 }
        guard let word = at(w, k) else { return nil }
        if let n = Int(word), n >= 0, n < 100_000 { return (n, k) }
        if let n = smallNumbers[word] { return (n, k) }
        if word == "a", at(w, k + 1) == "dozen" { return (12, k + 1) }
        if let n = vague[word], at(w, k + 1) != "of" || word == "dozens" || word == "hundreds" { return (n, k) }
        if word == "a", at(w, k + 1) == "number", at(w, k + 2) == "of" { return (3, k + 2) }
        return nil
    }

    /// A figure whose number is at `i` (reading backwards): value and the index where it starts.
    static func figureEnding(_ w: [String], at i: Int) -> (Int, Int)? {
        let word = w[i]
        var value: Int?
        if let n = Int(word), n >= 0, n < 100_000, !(1900...2100).contains(n) || at(w, i + 1) != nil && !["in", "on"].contains(at(w, i - 1) ?? "") {
            value = n
        } else if let n = smallNumbers[word] {
            value = n
        } else if let n = vague[word] {
            value = n
        } else if word == "dozen", at(w, i - 1) == "a" {
            return (12, i - 1)
        }
        guard let value else { return nil }
        // Don't read "2 rockets", "seven targets" as people: the noun after the number must not
        // be a thing.
        if let noun = at(w, i + 1), thingNouns.contains(PhraseKey.singular(noun)) { return nil }
        var first = i
        var lowest = value
        // A range, "between 17 and 22" / "17 to 22" / "17 or 22": the lower figure.
        if let joiner = at(w, i - 1), ["and", "to", "or"].contains(joiner), let before = at(w, i - 2),
           let other = Int(before) ?? smallNumbers[before] {
            lowest = min(value, other)
            first = i - 2
        }
        while first > 0, qualifiers.contains(w[first - 1]) || (w[first - 1] == "at" && at(w, first) == "least") { first -= 1 }
        return (lowest, first)
    }

    static let thingNouns: Set<String> = [
        "rocket", "drone", "missile", "target", "bomb", "mortar", "shell", "vehicle", "truck", "building", "site", "facility",
        "day", "week", "month", "year", "hour", "km", "kilometre", "kilometer", "mile", "meter", "metre", "minute", "lb",
        "pound", "round", "strike", "attack", "time", "percent",
    ]

    /// Who gives the sentence's figures: "according to X", "X said", "told X".
    static func attribution(_ words: [ReportDates.Word], sentence: String, scalars known: [Unicode.Scalar]? = nil) -> String? {
        let lower = words.map(\.lower)
        let scalars = known ?? Array(sentence.unicodeScalars)
        func text(_ a: Int, _ b: Int) -> String {
            String(String.UnicodeScalarView(scalars[words[a].start..<words[b].end]))
        }
        // "according to the Syrian Observatory for Human Rights"
        if let i = lower.firstIndex(of: "according"), at(lower, i + 1) == "to", i + 2 < words.count {
            var end = i + 2
            while end + 1 < words.count, !["said", "that", "which", "who", "killed", "and"].contains(lower[end + 1]),
                  end - i < 9, !sentenceBreak(between: words[end], words[end + 1], scalars) { end += 1 }
            return cleaned(text(i + 2, end))
        }
        // "X said", "X told Reuters", "X reported", "X claimed"
        let verbs: Set<String> = ["said", "says", "told", "reported", "reports", "claimed", "confirmed", "stated", "announced", "added", "put", "estimated"]
        // "17 fighters reported killed": a passive, no one speaking.
        if let v = lower.indices.first(where: { verbs.contains(lower[$0]) && verbKind(at(lower, $0 + 1) ?? "", next: nil) == nil }), v > 0 {
            var first = v - 1
            // "SOHR, a civilian watchdog, reports": the name before the apposition.
            if sentenceBreak(between: words[v - 1], words[v], scalars), scalars[words[v - 1].end..<words[v].start].contains(",") {
                var a = v - 1
                while a > 0, !sentenceBreak(between: words[a - 1], words[a], scalars) { a -= 1 }
                if a > 0 { first = a - 1 }
                let end = first
                while first > 0, end - first < 6, !sentenceBreak(between: words[first - 1], words[first], scalars) { first -= 1 }
                let who = cleaned(text(first, end))
                if !who.isEmpty { return who }
                first = v - 1
            }
            while first > 0, v - first < 7, !sentenceBreak(between: words[first - 1], words[first], scalars),
                  !["killed", "wounded", "injured", "dead", "were", "was", "and", "which", "who", "that"].contains(lower[first - 1]) { first -= 1 }
            let who = cleaned(text(first, v - 1))
            if !who.isEmpty, who.lowercased() != "it", who.lowercased() != "he", who.lowercased() != "she", who.lowercased() != "they" {
                if lower[v] == "told", let to = recipient(words, lower, after: v, scalars) { return "\(who) (to \(to))" }
                return who
            }
        }
        return nil
    }

    /// Whom a source told ("told Reuters", "told The Associated Press", "told the Associated
    /// Press", "told Agence France-Presse"): the capitalised words after "told", with an article
    /// before them, up to five words joined by spaces or hyphens; nil when none ("told reporters").
    static func recipient(_ words: [ReportDates.Word], _ lower: [String], after told: Int, _ scalars: [Unicode.Scalar]) -> String? {
        var first = told + 1
        guard first < words.count else { return nil }
        let article = lower[first] == "the"
        if article { first += 1 }
        guard first < words.count, words[first].text.first?.isUppercase == true else { return nil }
        var last = first
        while last + 1 < words.count, last - first < 4, words[last + 1].text.first?.isUppercase == true,
              scalars[words[last].end..<words[last + 1].start].allSatisfy({ $0 == " " || $0 == "-" }) { last += 1 }
        let from = article ? first - 1 : first
        return String(String.UnicodeScalarView(scalars[words[from].start..<words[last].end]))
    }

    /// Whether punctuation that ends a clause stands between two words.
    static func sentenceBreak(between a: ReportDates.Word, _ b: ReportDates.Word, _ scalars: [Unicode.Scalar]) -> Bool {
        scalars[a.end..<b.start].contains { [",", ";", ":", ".", "(", ")", "\u{201C}", "\u{201D}", "\""].contains($0) }
    }

    static func cleaned(_ s: String) -> String {
        var t = s
        for prefix in ["but ", "But ", "while ", "While ", "whereas ", "and ", "And ", "However ", "however "] where t.hasPrefix(prefix) { t = String(t.dropFirst(prefix.count)) }
        for prefix in ["the ", "The ", "a ", "A ", "an ", "An "] where t.hasPrefix(prefix) { t = String(t.dropFirst(prefix.count)) }
        return t.trimmingSpaces
    }
}

/// Scalars that are a grapheme cluster (`Character`) of their own wherever they stand.
public enum ScalarClusters {
    /// Precomposed Latin letters (U+00C0–U+024F, U+1E00–U+1EFF) and the dashes, quotes and dots
    /// of U+2010–U+2027: none of them joins a neighbour into one grapheme cluster, and none
    /// decomposes into ASCII punctuation or spaces. In text of these and ASCII, every scalar is
    /// one `Character` (CR LF is one, of two non-letters).
    @inline(__always) public static func standsAlone(_ v: UInt32) -> Bool {
        (v >= 0xC0 && v <= 0x24F) || (v >= 0x1E00 && v <= 0x1EFF) || (v >= 0x2010 && v <= 0x2027)
    }
}
