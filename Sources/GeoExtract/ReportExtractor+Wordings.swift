import GeoEvents

/// Event wordings: generic words typed by the weapon named, and wordings that report no event of their own (headlines, counts, intentions, background).
extension ReportExtractor {
    /// Generic words the vocabulary leaves out on purpose ("attack" says nothing of the means).
    static let genericWords: Set<String> = ["attack", "attacks", "attacked", "salvo", "salvos", "volley", "volleys", "strike", "strikes", "struck"]

    /// Weapons that type a generic word, with the vocabulary wording of that type.
    static let weapons: [(words: [String], wording: String)] = [
        (["drone", "drones", "uav", "uavs", "jets", "jet", "aircraft", "warplanes", "warplane", "bombers", "airstrike", "airstrikes", "helicopter", "helicopters"], "drone strike"),
        (["rocket", "rockets", "missile", "missiles", "mortar", "mortars", "katyusha", "katyushas"], "rocket attack"),
        (["ied", "ieds", "roadside bomb", "roadside bombs", "explosive device", "car bomb"], "roadside bomb"),
    ]

    /// Generic words (-1) and weapon words (their group in `weapons`; "ied", "roadside" and
    /// "bomb" the roadside-bomb group), by packed word.
    static let genericKinds: [WordKey: Int] = {
        var table: [WordKey: Int] = [:]
        for w in genericWords { table[WordKey(w)] = -1 }
        for (k, group) in weapons.enumerated() {
            for w in group.words where table[WordKey(w)] == nil { table[WordKey(w)] = k }
        }
        for w in ["ied", "roadside", "bomb"] where table[WordKey(w)] == nil { table[WordKey(w)] = 2 }
        return table
    }()

    /// The words of `genericKinds` by first letter: bit `n` of entry `c` is set when a word of
    /// `n` letters starts with ASCII `c`.
    static let genericShapes: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 128)
        for w in genericWords.union(weapons.flatMap(\.words)).union(["ied", "roadside", "bomb"]) {
            let s = Array(w.unicodeScalars)
            table[Int(s[0].value)] |= 1 << UInt32(s.count)
        }
        return table
    }()

    /// Adds generic words as wordings typed by the nearest weapon the report names (the sentence,
    /// else the whole report; "salvo" and "volley" are rockets or missiles). Without a weapon the word
    /// gives no event (ACLED codes an attack by its means).
    func mergeGeneric(into found: [Wording], lower: [Unicode.Scalar], sentences: [Sentence], explain: (String, Int, Int, String) -> Void) -> [Wording] {
        var generic: [(start: Int, end: Int, word: String)] = []
        var weaponHits: [(at: Int, index: Int, word: String)] = []
        var i = 0
        let n = lower.count
        while i < n {
            guard Self.isLetter(lower[i]), i == 0 || !Self.isLetter(lower[i - 1]) else { i += 1; continue }
            var j = i
            while j < n && Self.isLetter(lower[j]) { j += 1 }
            // Words are compared packed (no string per word of the report), those whose first
            // letter and length no table word has without packing them.
            let v = lower[i].value
            if v < 128, j - i < 32, Self.genericShapes[Int(v)] & (1 << UInt32(j - i)) != 0,
               let key = WordKey(lower, i, j), let kind = Self.genericKinds[key] {
                let word = ScalarText.string(lower, i..<j)
                if kind < 0 {
                    if !found.contains(where: { $0.start <= i && $0.end >= j }) { generic.append((i, j, word)) }
                } else {
                    weaponHits.append((i, kind, word))
                }
            }
            i = j
        }
        guard !generic.isEmpty else { return found }
        var result = found
        for g in generic {
            let sentence = sentences.first { $0.start <= g.start && $0.end >= g.end }
            let inSentence = weaponHits.filter { h in sentence.map { $0.start <= h.at && h.at < $0.end } ?? false }
            let strikeWord = g.word == "strike" || g.word == "strikes" || g.word == "struck"
            if inSentence.isEmpty, strikeWord {
                let earlier = found.last { w in w.start < g.start && TextContains.any(w.text.lowercased(), Self.eventStems) }
                let entry = earlier?.entry ?? vocabulary.match("airstrike")?.entry
                if let entry {
                    let text = ScalarText.string(lower, g.start..<g.end)
                    result.append(Wording(entry: entry, start: g.start, end: g.end, text: text, typedBy: earlier.map { "the earlier '\($0.text)'" } ?? "strike"))
                    continue
                }
            }
            let hit = inSentence.min { abs($0.at - g.start) < abs($1.at - g.start) }
                ?? (g.word.hasPrefix("salvo") || g.word.hasPrefix("volley") ? (g.start, 1, g.word) : nil)
                ?? weaponHits.min { abs($0.at - g.start) < abs($1.at - g.start) }
            guard let hit, let entry = vocabulary.match(Self.weapons[hit.index].wording)?.entry else {
                explain("event", g.start, g.end, "'\(g.word)' without a weapon named in the report: no event type")
                continue
            }
            let text = ScalarText.string(lower, g.start..<g.end)
            result.append(Wording(entry: entry, start: g.start, end: g.end, text: text, typedBy: hit.word))
        }
        return result.sorted { $0.start < $1.start }
    }

    static let intentions: PhraseList = [" will ", " would ", " could ", " might ", "likely", "threatened", "threatens", "vowed", "vows", "plans to", "to carry out", "to conduct", "to launch"]

    static let habits: PhraseList = ["has been", "have been", "has conducted", "have conducted", "has carried", "have carried", "has claimed", "have claimed", "have targeted", "has targeted", "are being", "often", "routinely", "regularly", "repeatedly", "over the past", "in recent", "since the"]

    /// Why a wording reports no event of its own, or nil: a headline, a count or series of attacks,
    /// an intention or a habit ("will intensify attacks", "have conducted strikes … since").
    static func notAnEventReason(_ w: Wording, sentence: Sentence, isFirst: Bool, lower: [Unicode.Scalar], ownDate: Bool) -> String? {
        let text = sentence.text
        if let last = text.unicodeScalars.last, !".!?\"”’')".unicodeScalars.contains(last), !text.hasSuffix(":") {
            let (count, capitalised) = headlineWords(text)
            if count <= 16, isFirst || capitalised * 2 >= count + 1 { return "a headline: the body reports the event" }
        }
        let before = wordsBefore(w.start, lower, count: 4)
        // "The base hosts F-16 jets": a weapon named without an act is no event.
        let wordingText = w.text.lowercased()
        if w.typedBy == nil, !TextContains.any(wordingText, eventStems) {
            // Whether a word of the sentence is a verb of attack (no set of the words made for ASCII text).
            let hasVerb = asciiWords(lower, sentence.start..<sentence.end, digits: false).map { $0.contains(where: actionVerbs.contains) }
                ?? !Set(ScalarText.string(lower, sentence.start..<sentence.end).split { !$0.isLetter }.map(String.init)).isDisjoint(with: actionVerbs)
            if !hasVerb { return "'\(w.text)' named without an act (no verb of attack in the sentence)" }
        }
        if w.typedBy != nil, let b = before.last, ["heart", "panic", "cyber", "to"].contains(b) { return "'\(b) \(w.text)' is no armed attack" }
        if w.text.lowercased() == "fighting", let b = before.last, b.hasSuffix("s"), b != "fierce" { return "'\(b) fighting': who fights, not a fight" }
        if before.contains(where: { aggregates.contains($0) }) { return "a count or series of attacks, not one event" }
        // "More than 100 attacks with rockets and drones have targeted …": every wording after the count.
        let headRange = max(sentence.start, w.start - 120)..<w.start
        let countWords = asciiWords(lower, headRange, digits: true)
            ?? ScalarText.string(lower, headRange).split { !$0.isLetter && !$0.isNumber }.map(String.init)
        for (k, word) in countWords.enumerated() where ["attacks", "strikes"].contains(word) && k > 0 {
            let q = countWords[max(0, k - 3)..<k]
            if q.contains(where: { (Int($0) ?? 0) >= 10 || aggregates.contains($0) }) { return "after a count of attacks ('\(q.joined(separator: " ")) \(word)'): not one event" }
        }
        // "30 rockets slammed into …" is one salvo; "19 attacks" are many events.
        let eventNoun = TextContains.any(wordingText, ["attack", "strike", "raid"])
        if eventNoun, case let lead = ScalarText.string(lower, max(sentence.start, w.start - 40)..<w.start), let n = lastNumber(lead), n >= 10, lead.hasSuffix("\(n) ") || lead.hasSuffix("\(n) rocket ") || lead.hasSuffix("\(n) drone ") {
            return "a count of attacks (\(n)), not one event"
        }
        if let cue = PhraseSearch.first(of: intentions, in: lower, max(0, sentence.start - 1)..<max(sentence.start, w.start)) { return "an intention, threat or order ('\(cue.trimmingSpaces)'), not an event" }
        if !ownDate, let cue = PhraseSearch.first(of: habits, in: lower, sentence.start..<sentence.end) {
            return "background ('\(cue)'), no date of its own: not one event"
        }
        return nil
    }

    /// Counts that call a line a headline: how many words its spaces separate and how many of
    /// them start with a capital (as splitting its `Character`s at " " would count them).
    static func headlineWords(_ text: String) -> (count: Int, capitalised: Int) {
        var text = text
        let ascii: (Int, Int)? = text.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 >= 128 }) else { return nil }
            var count = 0, capitalised = 0
            var atStart = true
            for b in bytes {
                if b == 32 { atStart = true; continue }
                if atStart {
                    count += 1
                    if b >= 65 && b <= 90 { capitalised += 1 }
                    atStart = false
                }
            }
            return (count, capitalised)
        }
        if let ascii { return ascii }
        let words = text.split(separator: " ")
        return (words.count, words.filter { $0.first?.isUppercase == true }.count)
    }

    /// `Int` of the last run of `Character.isNumber` in `text` (ASCII text by bytes), or nil.
    static func lastNumber(_ text: String) -> Int? {
        var text = text
        let ascii: Int?? = text.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 >= 128 }) else { return nil }
            var end = bytes.count
            while end > 0 && !(bytes[end - 1] >= 48 && bytes[end - 1] <= 57) { end -= 1 }
            guard end > 0 else { return .some(nil) }
            var start = end
            while start > 0 && bytes[start - 1] >= 48 && bytes[start - 1] <= 57 { start -= 1 }
            return .some(Int(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)))
        }
        if let ascii { return ascii }
        return text.split(whereSeparator: { !$0.isNumber }).last.flatMap({ Int($0) })
    }

    static let aggregates: Set<String> = ["series", "spate", "wave", "string", "surge", "campaign", "dozens", "hundreds", "scores", "hundred", "most", "majority", "number", "string", "slew"]

    /// Words that name an act in a wording; a wording without one ("F-16 jets", "rockets") needs a verb.
    static let eventStems = ["strike", "attack", "raid", "bomb", "shell", "barrage", "explo", "blast", "clash", "fight", "intercept", "shot down", "shoot", "down", "assassinat", "ambush", "battle", "protest", "demonstrat", "salvo", "fire", "hit", "struck", "launch", "kill"]

    static let actionVerbs: Set<String> = [
        "struck", "strike", "strikes", "hit", "hits", "fired", "fire", "fires", "launched", "launch", "launches", "targeted", "target",
        "targets", "bombed", "attacked", "attack", "shelled", "carried", "conducted", "landed", "exploded", "killed", "killing", "wounded",
        "wounding", "injured", "intercepted", "shot", "downed", "crashed", "pounded", "slammed", "rained", "destroyed", "damaged", "raided",
    ]

    /// "since October 17": the start of a span, not the date of an event.
    static func isSinceDate(_ d: DateMention, _ lower: [Unicode.Scalar]) -> Bool {
        // As `wordBefore(d.start, lower) == "since" || wordsBefore(d.start, lower, count: 3).suffix(2) == ["prior", "to"]`.
        let before = wordRangesBefore(d.start, lower, count: 3)
        guard let last = before.last else { return false }
        return isWord(lower, last, "since") || before.count >= 2 && isWord(lower, before[before.count - 2], "prior") && isWord(lower, last, "to")
    }

    /// The words of `lower[range]` (runs of letters, with digits too when `digits`), as
    /// splitting its `Character`s on `isLetter` (and `isNumber`) gives them: by hand for ASCII,
    /// through the scalar's properties for a scalar that is a `Character` of its own wherever it
    /// stands (`ScalarText.standsAlone`: a `Character`'s `isLetter` and `isNumber` are those of
    /// its first scalar); nil when the range holds any other scalar, for which the caller splits
    /// the `Character`s.
    static func asciiWords(_ lower: [Unicode.Scalar], _ range: Range<Int>, digits: Bool) -> [String]? {
        var words: [String] = []
        var start = -1
        for i in range {
            let v = lower[i].value
            let inWord: Bool
            if v < 128 {
                inWord = (v | 0x20) >= 97 && (v | 0x20) <= 122 || (digits && v >= 48 && v <= 57)
            } else if ScalarText.standsAlone(v) {
                let p = lower[i].properties
                inWord = p.isAlphabetic || (digits && p.numericType != nil)
            } else {
                return nil
            }
            if inWord {
                if start < 0 { start = i }
            } else if start >= 0 {
                words.append(ScalarText.string(lower, start..<i))
                start = -1
            }
        }
        if start >= 0 { words.append(ScalarText.string(lower, start..<range.upperBound)) }
        return words
    }
}

