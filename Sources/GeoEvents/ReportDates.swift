import GeoCore

/// A date phrase found in a report ("yesterday", "on Sunday", "nearly two weeks ago",
/// "January 4", "29-10-2023") and the days it can mean, resolved against the publication date.
public struct DateMention: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A calendar date written out (the year may come from the publication date).
        case absolute
        /// Counted from the publication date ("yesterday", "on Sunday", "last week").
        case relativeToPublication
        /// Counted from another event of the report ("days later", "a day before"): `date` is
        /// nil until the caller anchors it with `anchored(to:)`; the offset is in days.
        case relativeToEvent(offsetDays: Int, spanDays: Int)
    }

    /// The phrase exactly as in the text.
    public var text: String
    /// Offsets in Unicode scalars from the start of the text, end exclusive.
    public var start: Int
    public var end: Int
    public var kind: Kind
    /// First day the phrase can mean; nil when nothing anchors it (no publication date).
    public var date: EventDate?
    /// Last day when the phrase means a span of days ("overnight", "last week"), else nil.
    public var dateEnd: EventDate?
    /// Day for one day, week for spans up to 7 days, month beyond.
    public var precision: TimePrecision
    /// How it was resolved, for `--explain` and notes ("Sunday before publication 2024-01-29").
    public var note: String

    /// A `relativeToEvent` mention placed against the date of the event it counts from.
    public func anchored(to reference: EventDate) -> DateMention {
        guard case .relativeToEvent(let offset, let span) = kind else { return self }
        var m = self
        m.date = reference.adding(days: offset)
        m.dateEnd = span > 0 ? reference.adding(days: offset + span) : nil
        m.note = "\(offset >= 0 ? "\(offset) day(s) after" : "\(-offset) day(s) before") \(reference.iso)" + (span > 0 ? " (to \(span) day(s) later)" : "")
        return m
    }
}

/// Finds the publication date and the date phrases of a report.
///
/// Rules (all in UTC days; an article's own time zone is not known, so a phrase such as
/// "overnight" is given the two days it can mean):
/// - Publication: a header line `Date:`, `Published:`, `Updated:` or `Publication date:` at the
///   start of a line in the first 40 lines, else the first written date in the first 600
///   characters (a dateline). None: relative phrases stay unanchored (`date` nil).
/// - Absolute dates: `2024-01-28`, `28-10-2023` / `28/10/2023` (day first), `January 4, 2024`,
///   `Jan. 4 2024`, `4 January 2024`, `4 Jan`, `January 4`; without a year, the publication
///   year, or the year before when the date would fall more than a day after publication.
/// - Relative to publication: today, tonight, this morning/afternoon/evening; yesterday, last
///   night; the day before yesterday; overnight (the day before and the day itself); weekday
///   names with or without on/late/early/last/this and night/morning (the latest such day on or
///   before publication; "last" always goes back at least a day); earlier this week, this
///   week (Monday to publication), last week (the ISO week before), this month, last month;
///   N days / weeks / months ago, with "nearly", "almost", "about", "more than", "over",
///   "around", "some" widening a day count to a week.
/// - Relative to another event: a day / N days / hours later or after, the next day, the
///   following day, a day earlier, the day before, days later or earlier (1–6 days: a few days,
///   under a week; week precision).
public enum ReportDates {
    /// The publication date written in the report, with its phrase, or nil.
    public static func publicationDate(in text: String) -> DateMention? {
        let scalars = Array(text.unicodeScalars)
        // Header lines.
        var lineStart = 0
        var lineNumber = 0
        while lineStart < scalars.count && lineNumber < 40 {
            var lineEnd = lineStart
            while lineEnd < scalars.count && scalars[lineEnd] != "\n" { lineEnd += 1 }
            let line = String(String.UnicodeScalarView(scalars[lineStart..<lineEnd]))
            let lower = line.lowercased()
            for label in ["date:", "published:", "updated:", "publication date:", "published on:", "posted:"] where lower.hasPrefix(label) {
                let rest = String(line.dropFirst(label.count))
                let found = mentions(in: rest, published: nil).first { $0.kind == .absolute && $0.date != nil }
                if var found {
                    let offset = lineStart + label.unicodeScalars.count
                    found.start += offset
                    found.end += offset
                    found.note = "publication date from the '\(line.prefix(label.count))' line"
                    return found
                }
            }
            lineStart = lineEnd + 1
            lineNumber += 1
        }
        // A dateline: the first full date near the top.
        let head = String(String.UnicodeScalarView(scalars.prefix(600)))
        if var first = mentions(in: head, published: nil).first(where: { $0.kind == .absolute && $0.date != nil && $0.note.hasPrefix("written") }) {
            first.note = "publication date taken from the first full date near the top"
            return first
        }
        return nil
    }

    /// Every date phrase of `text`, in order, resolved against `published` when given.
    public static func mentions(in text: String, published: EventDate?) -> [DateMention] {
        mentions(in: text, scalars: Array(text.unicodeScalars), published: published)
    }

    /// `mentions(in:published:)` for a caller that holds the text's scalars (`Array(text.unicodeScalars)`).
    public static func mentions(in text: String, scalars textScalars: [Unicode.Scalar], published: EventDate?) -> [DateMention] {
        // The text's scalars, made once: the words and each mention's text are slices of them.
        var scalars: [Unicode.Scalar]? = textScalars
        let words = Word.split(scalars: scalars!)
        var result: [DateMention] = []
        var i = 0
        while i < words.count {
            // Most words start no phrase: only those `match` reads first are tried.
            if mayStartPhrase(words[i]), let (mention, used) = match(words, at: i, text: text, scalars: &scalars, published: published) {
                result.append(mention)
                i += used
            } else {
                i += 1
            }
        }
        return result
    }

    /// Lower-case words that `match` can read as the first word of a phrase (besides words
    /// with an ASCII digit): month and weekday names, number words, hedges and the other
    /// first words of its rules.
    static let phraseStarts: Set<String> = {
        var words = Set(months.keys).union(weekdays.keys).union(numbers.keys).union(hedges)
        words.formUnion([
            "the", "hour", "hours", "days", "today", "tonight", "this", "earlier", "last", "yesterday", "overnight",
            "on", "late", "early", "since", "until", "by", "more", "few", "several",
        ])
        return words
    }()

    /// `phraseStarts` as bits of a hash of their bytes (FNV-1a, 2^12 bits): a word whose bit is
    /// clear is none of them, without hashing a `String`.
    static let phraseStartBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 64)
        for w in phraseStarts {
            let h = startHash(w)
            bits[h >> 6] |= 1 << UInt64(h & 63)
        }
        return bits
    }()

    @inline(__always) static func startHash(_ word: String) -> Int {
        var h: UInt32 = 2_166_136_261
        for b in word.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return Int((h ^ (h >> 16)) & 0xFFF)
    }

    /// Whether `match` can find a phrase at this word: a first word of its rules, or a word with
    /// an ASCII digit or a joining `-` `/` `.` (a number or a written date). A cheap test that
    /// gives the same phrases.
    @inline(__always)
    static func mayStartPhrase(_ word: Word) -> Bool {
        if word.lower.utf8.contains(where: { $0 >= 48 && $0 <= 57 || $0 == 0x2D || $0 == 0x2F || $0 == 0x2E }) { return true }
        let h = startHash(word.lower)
        return phraseStartBits[h >> 6] & (1 << UInt64(h & 63)) != 0 && phraseStarts.contains(word.lower)
    }

    // MARK: Words

    struct Word {
        var text: String
        var lower: String
        var start: Int
        var end: Int
        var isNumber: Bool { !text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.numericType != nil && $0.isASCII } }

        /// Words with their scalar offsets; hyphens and slashes inside digits stay in the word
        /// (`28-10-2023`, `28/10/2023`); other punctuation separates.
        static func split(_ text: String) -> [Word] { split(scalars: Array(text.unicodeScalars)) }

        /// `split` over a text's scalars (ASCII letters and digits are tested by hand, other
        /// scalars through their properties; an ASCII word is lower-cased by hand).
        static func split(scalars: [Unicode.Scalar]) -> [Word] {
            @inline(__always) func isDigit(_ c: Unicode.Scalar) -> Bool {
                c.value < 128 ? c.value >= 48 && c.value <= 57 : c.properties.numericType != nil
            }
            @inline(__always) func isWordScalar(_ c: Unicode.Scalar) -> Bool {
                let v = c.value
                if v < 128 { return (v | 0x20) >= 97 && (v | 0x20) <= 122 || v >= 48 && v <= 57 }
                return c.properties.isAlphabetic || c.properties.numericType != nil
            }
            // The words are made inside the closure (a list captured from outside it would be
            // checked for exclusive access at every append).
            return scalars.withUnsafeBufferPointer { s -> [Word] in
                var words: [Word] = []
                words.reserveCapacity(scalars.count / 5)
                var start = -1  // start of the current word, -1 when none
                var ascii = true
                var upper = false
                func flush(_ end: Int) {
                    guard start >= 0 else { return }
                    if ascii {
                        // The word's bytes (and lowered bytes) written straight into its strings.
                        let first = start
                        let lower = String(unsafeUninitializedCapacity: end - first) { out in
                            for k in first..<end {
                                let v = s[k].value
                                out[k - first] = UInt8(v >= 65 && v <= 90 ? v + 32 : v)
                            }
                            return end - first
                        }
                        let text = !upper ? lower : String(unsafeUninitializedCapacity: end - first) { out in
                            for k in first..<end { out[k - first] = UInt8(s[k].value) }
                            return end - first
                        }
                        words.append(Word(text: text, lower: lower, start: start, end: end))
                    } else {
                        let t = utf8String(scalars, start..<end)
                        words.append(Word(text: t, lower: t.lowercased(), start: start, end: end))
                    }
                    start = -1
                    ascii = true
                    upper = false
                }
                let n = s.count
                var index = 0
                while index < n {
                    let c = s[index]
                    let joinsDigits = (c == "-" || c == "/" || c == ".") && start >= 0
                        && isDigit(s[index - 1]) && index + 1 < n && isDigit(s[index + 1])
                    if isWordScalar(c) || joinsDigits {
                        if start < 0 { start = index }
                        let v = c.value
                        if v >= 128 { ascii = false } else if v >= 65 && v <= 90 { upper = true }
                    } else {
                        flush(index)
                    }
                    index += 1
                }
                flush(n)
                return words
            }
        }
    }

    /// The string of `scalars[range]`, encoded as UTF-8 by hand (the same string as
    /// `String.UnicodeScalarView(scalars[range])`).
    static func utf8String(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> String {
        ScalarUTF8.string(scalars, range)
    }

    static let months: [String: Int] = {
        var table: [String: Int] = [:]
        let names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        for (i, name) in names.enumerated() {
            table[name] = i + 1
            table[String(name.prefix(3))] = i + 1
        }
        table["sept"] = 9
        return table
    }()

    static let weekdays: [String: Int] = [
        "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
    ]

    static let numbers: [String: Int] = [
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2,
    ]

    static let hedges: Set<String> = ["nearly", "almost", "about", "around", "over", "some", "roughly", "approximately"]

    // MARK: Matching

    /// The phrase starting at word `i`, and how many words it used.
    static func match(_ w: [Word], at i: Int, text: String, scalars: inout [Unicode.Scalar]?, published: EventDate?) -> (DateMention, Int)? {
        func lower(_ k: Int) -> String? { k < w.count ? w[k].lower : nil }
        func mention(_ first: Int, _ last: Int, _ kind: DateMention.Kind, _ date: EventDate?, _ end: EventDate?,
                     _ precision: TimePrecision, _ note: String) -> (DateMention, Int) {
            let start = w[first].start, stop = w[last].end
            if scalars == nil { scalars = Array(text.unicodeScalars) }
            return (DateMention(text: utf8String(scalars!, start..<stop), start: start, end: stop, kind: kind,
                                date: date, dateEnd: end, precision: precision, note: note), last - first + 1)
        }
        let word = w[i].lower

        // Numeric dates: 2024-01-28, 28-10-2023, 28/10/2023, 28.10.2023.
        if w[i].text.unicodeScalars.contains(where: { $0 == "-" || $0 == "/" || $0 == "." }),
           let parsed = try? DateParser().parse(w[i].text) {
            return mention(i, i, .absolute, parsed.date, nil, parsed.precision, "written date")
        }

        // Month-name dates.
        if let month = months[word], word != "may" || w[i].text == "May",
           let dayText = lower(i + 1), let day = Int(dayText), (1...31).contains(day) {
            // January 4[, 2024]
            if let yearText = lower(i + 2), let year = Int(yearText), (1900...2100).contains(year) {
                if let d = EventDate(year: year, month: month, day: day) { return mention(i, i + 2, .absolute, d, nil, .day, "written date") }
            }
            if let d = dateWithoutYear(month: month, day: day, published: published) {
                return mention(i, i + 1, .absolute, d.date, nil, .day, d.note)
            }
            return mention(i, i + 1, .absolute, nil, nil, .day, "no year and no publication date")
        }
        if let day = Int(word), (1...31).contains(day), let m = lower(i + 1), let month = months[m] {
            // 4 January [2024]
            if let yearText = lower(i + 2), let year = Int(yearText), (1900...2100).contains(year) {
                if let d = EventDate(year: year, month: month, day: day) { return mention(i, i + 2, .absolute, d, nil, .day, "written date") }
            }
            if let d = dateWithoutYear(month: month, day: day, published: published) {
                return mention(i, i + 1, .absolute, d.date, nil, .day, d.note)
            }
            return mention(i, i + 1, .absolute, nil, nil, .day, "no year and no publication date")
        }

        // Event-relative phrases: "a day later", "two days after", "hours later", "the next day".
        if let relative = eventRelative(w, at: i) {
            let (offset, span, used, precision) = relative
            return mention(i, i + used - 1, .relativeToEvent(offsetDays: offset, spanDays: span), nil, nil, precision,
                           "counted from another event of the report")
        }

        // Publication-relative phrases.
        let pub = published
        func fromPub(_ first: Int, _ last: Int, _ days: Int, _ spanDays: Int = 0, _ precision: TimePrecision = .day, what: String) -> (DateMention, Int) {
            guard let pub else {
                return mention(first, last, .relativeToPublication, nil, nil, precision, "\(what); no publication date to count from")
            }
            let d = pub.adding(days: days)
            return mention(first, last, .relativeToPublication, d, spanDays > 0 ? d.adding(days: spanDays) : nil, precision,
                           "\(what) (publication \(pub.iso))")
        }
        switch word {
        case "today", "tonight":
            return fromPub(i, i, 0, what: "the publication day")
        case "this" where ["morning", "afternoon", "evening"].contains(lower(i + 1) ?? ""):
            return fromPub(i, i + 1, 0, what: "the publication day")
        case "this" where lower(i + 1) == "week":
            return weekOf(w, i, i + 1, pub: pub, previous: false, mention: mention)
        case "earlier" where lower(i + 1) == "this" && lower(i + 2) == "week":
            return weekOf(w, i, i + 2, pub: pub, previous: false, mention: mention)
        case "last" where lower(i + 1) == "week":
            return weekOf(w, i, i + 1, pub: pub, previous: true, mention: mention)
        case "this" where lower(i + 1) == "month", "earlier" where lower(i + 1) == "this" && lower(i + 2) == "month":
            let last = word == "this" ? i + 1 : i + 2
            guard let pub else { return mention(i, last, .relativeToPublication, nil, nil, .month, "this month; no publication date") }
            return mention(i, last, .relativeToPublication, EventDate(year: pub.year, month: pub.month, day: 1), pub, .month, "the month of publication")
        case "last" where lower(i + 1) == "month":
            guard let pub else { return mention(i, i + 1, .relativeToPublication, nil, nil, .month, "last month; no publication date") }
            let (y, m) = pub.month == 1 ? (pub.year - 1, 12) : (pub.year, pub.month - 1)
            return mention(i, i + 1, .relativeToPublication, EventDate(year: y, month: m, day: 1),
                           EventDate(year: y, month: m, day: EventDate.daysIn(month: m, year: y)), .month, "the month before publication")
        case "yesterday":
            return fromPub(i, i, -1, what: "the day before publication")
        case "last" where lower(i + 1) == "night":
            return fromPub(i, i + 1, -1, 1, what: "the night before publication (either day)")
        case "the" where lower(i + 1) == "day" && lower(i + 2) == "before" && lower(i + 3) == "yesterday":
            return fromPub(i, i + 3, -2, what: "two days before publication")
        case "overnight":
            return fromPub(i, i, -1, 1, what: "the night before publication (either day)")
        default: break
        }

        // Weekdays: "Sunday", "on Sunday", "late Thursday", "early Friday", "last Sunday",
        // "Sunday night".
        var k = i
        var goBack = false
        if ["on", "late", "early", "since", "until", "by"].contains(word), let next = lower(i + 1), weekdays[next] != nil { k = i + 1 }
        if word == "last", let next = lower(i + 1), weekdays[next] != nil { k = i + 1; goBack = true }
        if word == "this", let next = lower(i + 1), weekdays[next] != nil { k = i + 1 }
        if let day = weekdays[w[k].lower] {
            var last = k
            if let next = lower(k + 1), ["night", "morning", "afternoon", "evening"].contains(next) { last = k + 1 }
            let first = word == "on" ? i + 1 : i  // "on" is not part of the phrase
            var result: (DateMention, Int)
            if let pub {
                var back = (pub.isoWeekday - day + 7) % 7
                if goBack && back == 0 { back = 7 }
                let night = lower(last) == "night"
                let d = pub.adding(days: -back)
                result = mention(first, last, .relativeToPublication, d, night ? d.adding(days: 1) : nil, .day,
                                 "\(w[k].text) on or before publication \(pub.iso)\(night ? " (a night: either day)" : "")")
            } else {
                result = mention(first, last, .relativeToPublication, nil, nil, .day, "\(w[k].text); no publication date")
            }
            result.1 = last - i + 1  // "on" was read too
            return result
        }

        // "N days ago", "nearly two weeks ago", "a few days ago".
        var j = i
        var hedged = false
        if hedges.contains(word) || (word == "more" && lower(i + 1) == "than") {
            hedged = true
            j = word == "more" ? i + 2 : i + 1
        }
        if j < w.count {
            var count: Int?
            var n = j
            if let v = Int(w[j].lower) ?? numbers[w[j].lower] { count = v; n = j + 1 }
            if w[j].lower == "a", lower(j + 1) == "few" { count = 3; n = j + 2; hedged = true }
            if w[j].lower == "a", lower(j + 1) == "couple", lower(j + 2) == "of" { count = 2; n = j + 3 }
            if w[j].lower == "few" || w[j].lower == "several" { count = 3; n = j + 1; hedged = true }
            if let count, let unit = lower(n), lower(n + 1) == "ago" {
                switch unit {
                case "day", "days":
                    if hedged { return fromPub(i, n + 1, -count - 3, 6, .week, what: "about \(count) day(s) before publication") }
                    return fromPub(i, n + 1, -count, what: "\(count) day(s) before publication")
                case "week", "weeks":
                    return fromPub(i, n + 1, -7 * count - 3, 6, .week, what: "\(hedged ? "about " : "")\(count) week(s) before publication")
                case "month", "months":
                    return fromPub(i, n + 1, -30 * count - 15, 30, .month, what: "\(hedged ? "about " : "")\(count) month(s) before publication")
                default: break
                }
            }
        }
        return nil
    }

    /// A month and day without a year: the publication's year, or the year before when the date
    /// would fall more than a day after publication.
    static func dateWithoutYear(month: Int, day: Int, published: EventDate?) -> (date: EventDate, note: String)? {
        guard let pub = published, var d = EventDate(year: pub.year, month: month, day: day) else { return nil }
        var note = "year of publication"
        if d.daysSinceEpoch > pub.daysSinceEpoch + 1, let earlier = EventDate(year: pub.year - 1, month: month, day: day) {
            d = earlier
            note = "the year before publication (the date would fall after it)"
        }
        return (d, note)
    }

    /// "this week" / "earlier this week" (Monday to publication) or "last week" (the ISO week before).
    static func weekOf(_ w: [Word], _ first: Int, _ last: Int, pub: EventDate?, previous: Bool,
                       mention: (Int, Int, DateMention.Kind, EventDate?, EventDate?, TimePrecision, String) -> (DateMention, Int)) -> (DateMention, Int) {
        guard let pub else { return mention(first, last, .relativeToPublication, nil, nil, .week, "a week; no publication date") }
        let monday = pub.adding(days: -(pub.isoWeekday - 1))
        if previous {
            return mention(first, last, .relativeToPublication, monday.adding(days: -7), monday.adding(days: -1), .week, "the ISO week before publication")
        }
        return mention(first, last, .relativeToPublication, monday, pub, .week, "the week of publication, up to it")
    }

    /// "a day later", "two days after", "hours later", "the next day", "the following day",
    /// "a day earlier", "the day before", "days later": (offset, span, words used, precision).
    static func eventRelative(_ w: [Word], at i: Int) -> (Int, Int, Int, TimePrecision)? {
        func lower(_ k: Int) -> String? { k < w.count ? w[k].lower : nil }
        let word = w[i].lower
        if word == "the", let next = lower(i + 1), ["next", "following"].contains(next), lower(i + 2) == "day" { return (1, 0, 3, .day) }
        if word == "the", lower(i + 1) == "day", let after = lower(i + 2), ["before", "after"].contains(after) {
            // "the day before yesterday" is publication-relative, handled elsewhere.
            if lower(i + 3) == "yesterday" { return nil }
            return (after == "before" ? -1 : 1, 0, 3, .day)
        }
        if ["hours", "hour"].contains(word), let dir = lower(i + 1), ["later", "after"].contains(dir) { return (0, 1, 2, .day) }
        // "days later": a few days, under a week (a week later would say so).
        if word == "days", let dir = lower(i + 1), ["later", "after"].contains(dir) { return (1, 5, 2, .week) }
        if word == "days", let dir = lower(i + 1), ["earlier", "before"].contains(dir) { return (-6, 5, 2, .week) }
        if let count = Int(word) ?? numbers[word], let unit = lower(i + 1), ["day", "days"].contains(unit), let dir = lower(i + 2) {
            if ["later", "after"].contains(dir) { return (count, 0, 3, .day) }
            if ["earlier", "before"].contains(dir) { return (-count, 0, 3, .day) }
        }
        return nil
    }
}
