import Foundation
import GeoCore

/// Plain wording for event types ("drone attack", "107mm rockets", "drone shot down") mapped to
/// ACLED's `event_type` / `sub_event_type`, from `Gazetteer/vocabulary/event-types.csv`
/// (columns `wording, event_type, sub_event_type, priority, rule`) and user files of the same
/// format, which add entries or override bundled ones with the same folded wording.
///
/// Matching (`match(_:)`), on words folded by `PhraseKey.eventWords` (case, hyphens, plurals):
/// 1. the whole wording is an entry;
/// 2. else the entries found inside the wording as whole-word phrases; a phrase inside a longer
///    found phrase is dropped ("suicide" inside "suicide drone"); of the rest the highest
///    `priority` wins ("drone attack foiled": the interception phrase outranks the weapon);
///    equal priority with different pairs is ambiguous and nothing is chosen.
public final class EventTypeVocabulary: Sendable {
    /// One entry of the file.
    public struct Entry: Hashable, Sendable {
        public var wording: String
        public var eventType: String
        public var subEventType: String
        public var priority: Int
        public var rule: String
        /// Where the entry came from (file and line).
        public var origin: String
    }

    /// How a wording was mapped.
    public enum Match: Hashable, Sendable {
        /// The whole wording is the entry.
        case exact(Entry)
        /// The entry's phrase was found inside the wording.
        case phrase(Entry)
        /// Several phrases that disagree, none stronger.
        case ambiguous([Entry])

        /// The chosen entry, unless ambiguous.
        public var entry: Entry? {
            switch self {
            case .exact(let e), .phrase(let e): e
            case .ambiguous: nil
            }
        }
    }

    public let entries: [Entry]
    private let byKey: [String: Int]
    /// Entry indices by their first word, for phrase search.
    private let byFirstWord: [String: [Int]]
    private let wordsOfEntry: [[String]]
    private let trigramsOfEntry: [Set<String>]
    private let firstWords: Set<String>

    /// The bundled file's path (`Gazetteer/vocabulary/event-types.csv`), if the data folder is found.
    public static var bundledPath: String? {
        BundledData.directory().map { $0 + "/vocabulary/event-types.csv" }
    }

    /// Loads the bundled file, then each user file in turn (later entries override earlier ones
    /// with the same folded wording).
    public static func load(userFiles: [String] = []) throws -> EventTypeVocabulary {
        guard let bundled = bundledPath else {
            throw VocabularyError(file: "Gazetteer/vocabulary/event-types.csv", reason: "not found; set GEO_GAZETTEER_DATA to the Gazetteer folder")
        }
        var entries = try parse(file: bundled)
        for file in userFiles { entries += try parse(file: file) }
        return try EventTypeVocabulary(entries: entries)
    }

    /// Reads one file of entries; every row is checked against ACLED's taxonomy.
    public static func parse(file: String) throws -> [Entry] {
        try parse(text: try VocabularyFile.text(file), file: file)
    }

    public static func parse(text: String, file: String) throws -> [Entry] {
        let (header, rows) = try VocabularyFile.records(text, file: file, expected: "wording,event_type,sub_event_type,priority,rule")
        guard let w = header.firstIndex(of: "wording"), let t = header.firstIndex(of: "event_type"),
              let s = header.firstIndex(of: "sub_event_type") else {
            throw VocabularyError(file: file, line: 1, reason: "expected the columns wording, event_type, sub_event_type (priority and rule optional)")
        }
        let p = header.firstIndex(of: "priority"), r = header.firstIndex(of: "rule")
        var entries: [Entry] = []
        for record in rows {
            let f = record.fields
            guard f.count == header.count else {
                throw VocabularyError(file: file, line: record.line, reason: "expected \(header.count) fields as in the header, found \(f.count)")
            }
            let wording = f[w].trimmingSpaces
            guard !PhraseKey.eventWords(wording).isEmpty else {
                throw VocabularyError(file: file, line: record.line, reason: "empty wording")
            }
            let pair: (String, String)
            switch EventTaxonomy.resolve(eventType: f[t], subEventType: f[s]) {
            case .success(let resolved) where !resolved.0.isEmpty && !resolved.1.isEmpty: pair = resolved
            case .success: throw VocabularyError(file: file, line: record.line, reason: "'\(wording)' needs both event_type and sub_event_type")
            case .failure(let error): throw VocabularyError(file: file, line: record.line, reason: "'\(wording)': \(error)")
            }
            var priority = 0
            if let p, !f[p].trimmingSpaces.isEmpty {
                guard let n = Int(f[p].trimmingSpaces) else {
                    throw VocabularyError(file: file, line: record.line, reason: "priority must be a whole number, got '\(f[p])'")
                }
                priority = n
            }
            entries.append(Entry(wording: wording, eventType: pair.0, subEventType: pair.1, priority: priority,
                                 rule: r.map { f[$0].trimmingSpaces } ?? "", origin: "\(file):\(record.line)"))
        }
        return entries
    }

    /// Later entries replace earlier ones with the same folded wording.
    public init(entries given: [Entry]) throws {
        var entries: [Entry] = []
        var byKey: [String: Int] = [:]
        for entry in given {
            let key = PhraseKey.eventWords(entry.wording).joined(separator: " ")
            if let i = byKey[key] { entries[i] = entry } else {
                byKey[key] = entries.count
                entries.append(entry)
            }
        }
        self.entries = entries
        self.byKey = byKey
        wordsOfEntry = entries.map { PhraseKey.eventWords($0.wording) }
        var byFirstWord: [String: [Int]] = [:]
        for (i, words) in wordsOfEntry.enumerated() { byFirstWord[words[0], default: []].append(i) }
        self.byFirstWord = byFirstWord
        trigramsOfEntry = wordsOfEntry.map { PhraseKey.trigrams($0.joined(separator: " ")) }
        firstWords = Set(wordsOfEntry.map { $0[0] })
    }

    /// The entry for `wording`, or nil when nothing in it is known.
    public func match(_ wording: String) -> Match? { memo.value(wording) { matchUncached(wording) } }

    private let memo = Memo<Match?>()

    private func matchUncached(_ wording: String) -> Match? {
        let words = PhraseKey.eventWords(wording)
        guard !words.isEmpty else { return nil }
        if let i = byKey[words.joined(separator: " ")] { return .exact(entries[i]) }
        // Phrases found inside the wording, as word spans.
        var found: [(entry: Int, start: Int, end: Int)] = []
        for start in words.indices {
            for i in byFirstWord[words[start]] ?? [] {
                let phrase = wordsOfEntry[i]
                let end = start + phrase.count
                if end <= words.count, Array(words[start..<end]) == phrase { found.append((i, start, end)) }
            }
        }
        // Drop phrases that lie inside a longer found phrase.
        let maximal = found.filter { a in
            !found.contains { b in (b.start <= a.start && a.end <= b.end) && (b.end - b.start) > (a.end - a.start) }
        }
        guard let top = maximal.map({ entries[$0.entry].priority }).max() else { return nil }
        let strongest = maximal.filter { entries[$0.entry].priority == top }.map { entries[$0.entry] }
        let pairs = Set(strongest.map { [$0.eventType, $0.subEventType] })
        if pairs.count == 1 {
            // The longest of the agreeing phrases names the match.
            return .phrase(strongest.max { PhraseKey.eventWords($0.wording).count < PhraseKey.eventWords($1.wording).count }!)
        }
        var seen = Set<[String]>()
        return .ambiguous(strongest.filter { seen.insert([$0.eventType, $0.subEventType]).inserted })
    }

    /// The first word of every folded wording, so that text search skips words that start none.
    var wordingFirstWords: Set<String> { firstWords }

    /// The entry whose folded wording is exactly `key` (words of `PhraseKey.eventWords`).
    func entry(forFoldedWording key: String) -> Entry? { byKey[key].map { entries[$0] } }

    /// Up to `limit` entries whose wording most resembles `wording` (trigram similarity).
    public func suggestions(for wording: String, limit: Int = 3) -> [Entry] {
        let grams = PhraseKey.trigrams(PhraseKey.eventWords(wording).joined(separator: " "))
        var scored: [(index: Int, score: Double)] = []
        for i in trigramsOfEntry.indices {
            let score = PhraseKey.similarity(grams, trigramsOfEntry[i])
            if score > 0.2 { scored.append((i, score)) }
        }
        scored.sort { (a: (index: Int, score: Double), b: (index: Int, score: Double)) -> Bool in
            a.score != b.score ? a.score > b.score : a.index < b.index
        }
        return scored.prefix(limit).map { entries[$0.index] }
    }
}
