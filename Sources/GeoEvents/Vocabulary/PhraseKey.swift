import Foundation
import GeoCore

/// Folds plain wording ("107mm Rockets", "One-Way Attack Drones", "Kata’ib Hizballah") into
/// words for comparison with the curated vocabularies.
///
/// Rules, in order: Unicode case and diacritic folding; apostrophes and ayn/hamza marks
/// (' ’ ‘ ʼ ʿ ʾ `) removed inside words; every other character that is not a letter or digit
/// becomes a space (hyphens, slashes, brackets, full stops); a boundary between digits and
/// letters splits words ("107mm" → "107 mm"); runs of spaces collapse.
public enum PhraseKey {
    /// The folded words of `text`.
    public static func words(_ text: String) -> [String] {
        let folded = Self.folded(text)
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var currentIsDigit = false
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in folded.unicodeScalars {
            switch scalar {
            case "'", "\u{2019}", "\u{2018}", "\u{02BC}", "\u{02BF}", "\u{02BE}", "`", "\u{00B4}":
                continue
            default: break
            }
            let v = scalar.value
            if v < 128 {
                // ASCII by hand: letters are alphabetic, digits numeric, nothing else is either (or a mark).
                let isLetter = (v | 0x20) >= 97 && (v | 0x20) <= 122, isDigit = v >= 48 && v <= 57
                if isLetter || isDigit {
                    if !current.isEmpty && isDigit != currentIsDigit { flush() }
                    currentIsDigit = isDigit
                    current.append(scalar)
                } else {
                    flush()
                }
                continue
            }
            let props = scalar.properties
            if props.isAlphabetic || props.numericType != nil {
                let isDigit = props.numericType != nil && scalar.isASCII
                if !current.isEmpty && isDigit != currentIsDigit { flush() }
                currentIsDigit = isDigit
                current.append(scalar)
            } else if props.generalCategory == .nonspacingMark {
                continue  // Arabic harakat and other marks left after folding
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// The case, diacritic and width folding of `text` (Foundation's `folding(options:
    /// [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)`). A text of
    /// ASCII and precomposed Latin letters (U+0000–U+024F, U+1E00–U+1EFF) is folded one scalar at
    /// a time through `scalarFolds`, each made by that same call on the scalar alone: none of these
    /// scalars combines with its neighbours, so the folding of the text is the foldings of its
    /// scalars one after another (`FastPathTests` compares the two on every scalar, next to others).
    /// Any other text goes through Foundation.
    static func folded(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let slot = v < 0x250 ? Int(v) : v >= 0x1E00 && v < 0x1F00 ? Int(v - 0x1E00) + 0x250 : -1
            guard slot >= 0, let f = scalarFolds[slot] else { return foundationFolded(text) }
            result += f
        }
        return result
    }

    /// Foundation's folding of `text`, the plain path of `folded`.
    static func foundationFolded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// `foundationFolded` of each scalar alone: U+0000–U+024F at 0…0x24F, U+1E00–U+1EFF after
    /// them; nil for a scalar whose folding holds a combining mark (left to Foundation).
    static let scalarFolds: [String?] = {
        let scalars = Array(0..<0x250) + Array(0x1E00..<0x1F00)
        return scalars.map { v -> String? in
            guard let scalar = Unicode.Scalar(UInt32(v)) else { return nil }
            let f = foundationFolded(String(Character(scalar)))
            let marks: Set<Unicode.GeneralCategory> = [.nonspacingMark, .spacingMark, .enclosingMark]
            return f.unicodeScalars.contains { marks.contains($0.properties.generalCategory) } ? nil : f
        }
    }()

    /// A word in the singular, for event wording: "rockets" → "rocket", "clashes" → "clash",
    /// "airstrikes" → "airstrike", "caches" → "cache". Words under four letters and words
    /// ending in "ss", "us" or "is" are kept ("gas", "crossfire", "status", "analysis"); "-ches"
    /// loses only its "s" (caches, Apaches), "-shes", "-sses" and "-xes" lose "es".
    public static func singular(_ word: String) -> String {
        guard word.count >= 4, word.hasSuffix("s") else { return word }
        for suffix in ["sses", "shes", "xes"] where word.hasSuffix(suffix) { return String(word.dropLast(2)) }
        if word.hasSuffix("ss") || word.hasSuffix("us") || word.hasSuffix("is") { return word }
        return String(word.dropLast())
    }

    /// Words of event wording: folded, singular, and without a lone "s" left from "F-15s".
    public static func eventWords(_ text: String) -> [String] {
        words(text).filter { $0 != "s" }.map(singular)
    }

    /// Words of an actor name: folded, without the articles "al", "el" and "the" ("al-Nujaba"
    /// and "Nujaba", "the Pentagon" and "Pentagon" agree).
    public static func actorWords(_ text: String) -> [String] {
        words(text).filter { $0 != "al" && $0 != "el" && $0 != "the" }
    }

    /// Character trigrams of a key, padded, for suggestions.
    static func trigrams(_ key: String) -> Set<String> {
        let chars = Array(" " + key + " ")
        guard chars.count >= 3 else { return [key] }
        return Set((0...(chars.count - 3)).map { String(chars[$0..<($0 + 3)]) })
    }

    /// Dice similarity of two trigram sets, 0–1.
    static func similarity(_ a: Set<String>, _ b: Set<String>) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        return 2 * Double(a.intersection(b).count) / Double(a.count + b.count)
    }
}

/// A curated data file that cannot be read: file, line and reason.
public struct VocabularyError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { line.map { "\(file): line \($0): \(reason)" } ?? "\(file): \(reason)" }
}

/// Reading the curated vocabulary files (`event-types.csv`, `actors.csv` and users' files).
enum VocabularyFile {
    /// The text of `file`, as UTF-8.
    static func text(_ file: String) throws -> String {
        do {
            let input = try InputFile(path: file)
            return input.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        } catch {
            throw VocabularyError(file: file, reason: "\(error)")
        }
    }

    /// The lower-cased header and the records after it; `expected` names the header in the
    /// error for an empty file.
    static func records(_ text: String, file: String, expected: String) throws -> (header: [String], rows: ArraySlice<CSV.Record>) {
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch { throw VocabularyError(file: file, line: error.line, reason: error.message) }
        guard let header = records.first?.fields.map({ $0.trimmingSpaces.lowercased() }) else {
            throw VocabularyError(file: file, reason: "empty file; expected the header \(expected)")
        }
        return (header, records.dropFirst())
    }
}
