import Foundation
import GeoCore

/// ISO 3166-1 codes and English names (`Gazetteer/country-codes.csv`, from Debian's iso-codes
/// with Natural Earth's short names), for event tables that name countries instead of coding them.
public struct CountryCodes: Sendable {
    public struct Country: Hashable, Sendable {
        public var alpha2: String
        public var alpha3: String
        /// Three digits, as ISO writes it (`760`).
        public var numeric: String
        /// Short English name (Natural Earth's where it has one: "Syria", "Turkey", "Palestine").
        public var name: String
        /// ISO's short and official names and the common name, when they differ from `name`.
        public var otherNames: [String] = []
        /// The capital's GeoNames id, when GeoNames names one.
        public var capitalGeonameID: Int?
    }

    public private(set) var countries: [Country] = []
    private var byKey: [String: Int] = [:]

    /// Reads `country-codes.csv` from the bundled gazetteer folder.
    public static func load(dataDirectory: String? = nil) throws -> CountryCodes {
        guard let dir = dataDirectory ?? Gazetteer.bundledDataDirectory() else {
            throw GazetteerError(file: "Gazetteer/country-codes.csv", reason: "bundled gazetteer not found; set GEO_GAZETTEER_DATA to the Gazetteer folder")
        }
        let path = dir + "/country-codes.csv"
        let file: InputFile
        do { file = try InputFile(path: path) } catch { throw GazetteerError(file: path, reason: "\(error)") }
        var table = CountryCodes()
        do {
            _ = try file.withUnsafeBytes { buffer in
                try CSV.forEachRecord(in: buffer) { (record) throws(CSV.ParseError) in
                    guard record.line > 1 else { return }
                    guard record.fields.count == 6 else {
                        throw CSV.ParseError(line: record.line, message: "expected 6 fields, found \(record.fields.count)")
                    }
                    let f = record.fields
                    let others = f[4].split(separator: ";").map(String.init)
                    table.add(Country(alpha2: f[0], alpha3: f[1], numeric: f[2], name: f[3], otherNames: others,
                                      capitalGeonameID: Int(f[5])), otherNames: others)
                }
            }
        } catch {
            throw GazetteerError(file: path, reason: "\(error)")
        }
        return table
    }

    public init() {}

    mutating func add(_ country: Country, otherNames: [String]) {
        let index = countries.count
        countries.append(country)
        for key in [country.alpha2, country.alpha3, country.numeric, country.name] + otherNames {
            let k = CountryCodes.key(key)
            if byKey[k] == nil { byKey[k] = index }
        }
        if let n = Int(country.numeric) { byKey[String(n)] = byKey[String(n)] ?? index }
    }

    /// The country for an alpha-2, alpha-3 or numeric code or an English name, compared without
    /// case, accents, punctuation or a leading "the" ("Syrian Arab Republic", "syria", "SYR", "760").
    public func country(_ text: String) -> Country? {
        // Fast path for the common case, an alpha-2 code as written.
        if text.utf8.count == 2, let i = byKey[text.lowercased()] { return countries[i] }
        return byKey[CountryCodes.key(text)].map { countries[$0] }
    }

    /// The alpha-2 code for a code or name, or nil.
    public func alpha2(_ text: String) -> String? { country(text)?.alpha2 }

    static func key(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        var words: [String] = []
        var word = ""
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || (scalar.value >= 48 && scalar.value <= 57) {
                word.unicodeScalars.append(scalar)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        if words.first == "the" { words.removeFirst() }
        return words.joined(separator: " ")
    }
}
