import Foundation
import GeoCore

/// Armed actors with their aliases and the side each belongs to, from
/// `Gazetteer/vocabulary/actors.csv` (columns `name, aliases, side, acled_name, inter, country,
/// source, note`; aliases `;`-separated) and user files of the same format, whose entries
/// replace bundled ones of the same name.
///
/// Matching (`match(_:)`) is on the whole cell, folded by `PhraseKey.actorWords` (case,
/// diacritics, apostrophes, hyphens, "al-"/"the"): a name or alias; else the cell without its
/// bracketed parts ("Military Forces of the United States (2017-2021)"); else a list of actors
/// ("KH; KSS", "KH and Nujaba") whose parts all match and share one side. Nothing is guessed:
/// a cell that matches no entry has no match.
public final class ActorList: Sendable {
    public struct Entry: Hashable, Sendable {
        public var name: String
        public var aliases: [String]
        /// `US`, `coalition`, `militia`, `Iran`, `Iraq`, `Syria`, `SDF`, `Turkey`, `Russia`,
        /// `Israel`, `IS`, `Hezbollah`, `Houthis`, `Jordan`, `KRG`, `unknown`…
        public var side: String
        /// ACLED's spelling of the actor, where ACLED has one.
        public var acledName: String
        /// ACLED's inter code (1–8) in this theatre, or nil.
        public var inter: Int?
        public var country: String
        public var origin: String
    }

    /// What a cell matched.
    public struct Match: Hashable, Sendable {
        /// The entries matched (one, or one per listed actor).
        public var entries: [Entry]
        /// The side they share.
        public var side: String
        /// The canonical names, `; `-joined.
        public var canonicalName: String { entries.map(\.name).joined(separator: "; ") }
    }

    public let entries: [Entry]
    private let byKey: [String: Int]
    /// Folded names and aliases (and ACLED's names) → entry index, for text search.
    var phraseIndex: [String: Int] { byKey }
    /// The first word of every folded name, so that text search skips words that start none.
    let phraseFirstWords: Set<String>
    /// Keys of spellings with their bracketed parts removed ("Asayish (Kurdistan Region)" →
    /// "asayish"), consulted after `byKey`; -1 where two entries share one.
    private let byBareKey: [String: Int]

    public static var bundledPath: String? {
        BundledData.directory().map { $0 + "/vocabulary/actors.csv" }
    }

    /// Loads the bundled list, then each user file in turn.
    public static func load(userFiles: [String] = []) throws -> ActorList {
        guard let bundled = bundledPath else {
            throw VocabularyError(file: "Gazetteer/vocabulary/actors.csv", reason: "not found; set GEO_GAZETTEER_DATA to the Gazetteer folder")
        }
        var entries = try parse(file: bundled)
        for file in userFiles { entries += try parse(file: file) }
        return try ActorList(entries: entries)
    }

    public static func parse(file: String) throws -> [Entry] {
        try parse(text: try VocabularyFile.text(file), file: file)
    }

    public static func parse(text: String, file: String) throws -> [Entry] {
        let (header, rows) = try VocabularyFile.records(text, file: file, expected: "name,aliases,side,…")
        guard let n = header.firstIndex(of: "name"), let s = header.firstIndex(of: "side") else {
            throw VocabularyError(file: file, line: 1, reason: "expected the columns name and side (aliases, acled_name, inter, country optional)")
        }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        let a = column("aliases"), acled = column("acled_name"), inter = column("inter"), country = column("country")
        return try rows.map { record in
            let f = record.fields
            guard f.count == header.count else {
                throw VocabularyError(file: file, line: record.line, reason: "expected \(header.count) fields as in the header, found \(f.count)")
            }
            let name = f[n].trimmingSpaces, side = f[s].trimmingSpaces
            guard !PhraseKey.actorWords(name).isEmpty else { throw VocabularyError(file: file, line: record.line, reason: "empty name") }
            guard !side.isEmpty else { throw VocabularyError(file: file, line: record.line, reason: "'\(name)' has no side (write unknown when it has none)") }
            var interCode: Int?
            if let inter, !f[inter].trimmingSpaces.isEmpty {
                guard let code = Int(f[inter].trimmingSpaces), (1...8).contains(code) else {
                    throw VocabularyError(file: file, line: record.line, reason: "inter must be ACLED's code 1–8, got '\(f[inter])'")
                }
                interCode = code
            }
            let aliases = a.map { f[$0].split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty } } ?? []
            return Entry(name: name, aliases: aliases, side: side, acledName: acled.map { f[$0].trimmingSpaces } ?? "",
                         inter: interCode, country: country.map { f[$0].trimmingSpaces.uppercased() } ?? "",
                         origin: "\(file):\(record.line)")
        }
    }

    /// Later entries replace earlier ones of the same folded name. Two entries claiming the
    /// same alias is an error (the file would be ambiguous), unless the later one replaces the earlier.
    public init(entries given: [Entry]) throws {
        var entries: [Entry] = []
        var indexByName: [String: Int] = [:]
        for entry in given {
            let key = PhraseKey.actorWords(entry.name).joined(separator: " ")
            if let i = indexByName[key] { entries[i] = entry } else {
                indexByName[key] = entries.count
                entries.append(entry)
            }
        }
        var byKey: [String: Int] = [:]
        for (i, entry) in entries.enumerated() {
            for spelling in [entry.name] + entry.aliases where !spelling.isEmpty {
                let key = PhraseKey.actorWords(spelling).joined(separator: " ")
                if let other = byKey[key], other != i {
                    throw VocabularyError(file: entry.origin, reason: "'\(spelling)' of \(entry.name) is also a name of \(entries[other].name) (\(entries[other].origin))")
                }
                byKey[key] = i
            }
        }
        // ACLED's names are shared by several entries (CENTCOM and the US military are one ACLED
        // actor): the first entry with the name answers for it, unless a name or alias took it.
        for (i, entry) in entries.enumerated() where !entry.acledName.isEmpty {
            let key = PhraseKey.actorWords(entry.acledName).joined(separator: " ")
            if byKey[key] == nil { byKey[key] = i }
        }
        var byBareKey: [String: Int] = [:]
        for (i, entry) in entries.enumerated() {
            for spelling in [entry.name] + entry.aliases where spelling.contains("(") || spelling.contains("[") {
                let bare = PhraseKey.actorWords(Self.withoutBrackets(spelling)).joined(separator: " ")
                guard !bare.isEmpty, byKey[bare] == nil else { continue }
                if let other = byBareKey[bare], other != i { byBareKey[bare] = -1 } else { byBareKey[bare] = i }
            }
        }
        for (i, entry) in entries.enumerated() where entry.acledName.contains("(") {
            // "Military Forces of the United States (2021-)" also answers for its other periods.
            let bare = PhraseKey.actorWords(Self.withoutBrackets(entry.acledName)).joined(separator: " ")
            if !bare.isEmpty, byKey[bare] == nil, byBareKey[bare] == nil { byBareKey[bare] = i }
        }
        self.entries = entries
        self.byKey = byKey
        self.byBareKey = byBareKey
        phraseFirstWords = Set(byKey.keys.compactMap { $0.split(separator: " ").first.map(String.init) })
    }

    static func withoutBrackets(_ text: String) -> String {
        var depth = 0
        var kept = ""
        for c in text {
            if c == "(" || c == "[" { depth += 1 } else if c == ")" || c == "]" { depth = max(0, depth - 1) } else if depth == 0 { kept.append(c) }
        }
        return kept
    }

    /// The entry (or entries, for a list of actors sharing one side) that `cell` names.
    public func match(_ cell: String) -> Match? { memo.value(cell) { matchUncached(cell) } }

    private let memo = Memo<Match?>()

    private func matchUncached(_ cell: String) -> Match? {
        if let entry = single(cell) { return Match(entries: [entries[entry]], side: entries[entry].side) }
        // A list: "KH; KSS", "KH, Nujaba", "KH and KSS", "KH / Nujaba", "KH & Nujaba".
        var parts: [String] = [cell]
        for separator in [";", ",", "/", "&", " and ", " AND ", " And ", " + "] {
            parts = parts.flatMap { $0.components(separatedBy: separator) }
        }
        parts = parts.map(\.trimmingSpaces).filter { !$0.isEmpty }
        guard parts.count > 1 else { return nil }
        var matched: [Entry] = []
        for part in parts {
            guard let i = single(part) else { return nil }
            if !matched.contains(entries[i]) { matched.append(entries[i]) }
        }
        let sides = Set(matched.map(\.side))
        guard sides.count == 1 else { return nil }
        return Match(entries: matched, side: sides.first!)
    }

    private func single(_ cell: String) -> Int? {
        let full = PhraseKey.actorWords(cell).joined(separator: " ")
        if let i = byKey[full] { return i }
        let bare = PhraseKey.actorWords(Self.withoutBrackets(cell)).joined(separator: " ")
        guard !bare.isEmpty else { return nil }
        if let i = byKey[bare] { return i }
        if let i = byBareKey[full] ?? byBareKey[bare], i >= 0 { return i }
        return nil
    }
}
