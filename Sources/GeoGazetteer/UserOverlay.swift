import Foundation
import GeoCore

/// The user overlay, `<dir>/user-places.csv`: places added by `geo gazetteer import` that later
/// lookups use with the bundled data. Its columns are those of `sites.csv` (id, name, aliases,
/// kind, country, lat, lon, approximate, source, note); aliases are separated by `;`.
public enum UserOverlay {
    /// The overlay's file name inside its folder.
    public static let fileName = GazetteerFiles.overlayFileName

    /// Overlay rows from a file to import: a GeoNames dump (tab-separated, 19 columns or more, as
    /// in allCountries.txt, recognised by its first line) or a CSV with the header
    /// name,aliases,kind,country,lat,lon,source (and optionally id, approximate, note).
    /// Latitudes −90…90 and longitudes −180…180 (degrees); `file` names the input in errors.
    ///
    /// GeoNames rows get the id `user:geonames-<geonameid>`, kind `airport` for feature codes
    /// AIR… outside class P and `place` otherwise. CSV rows without an id get `user:<name slug>`;
    /// countries are upper-cased. Throws `GazetteerError` naming the line of the first bad row.
    public static func rows(importing text: String, file: String) throws(GazetteerError) -> [[String]] {
        let firstLine = text.prefix { $0 != "\n" }
        return firstLine.split(separator: "\t", omittingEmptySubsequences: false).count >= 19
            ? try fromGeoNames(text, file: file)
            : try fromCSV(text, file: file)
    }

    /// Adds `rows` to the overlay in `directory` (created if needed): rows with the id of an
    /// earlier import replace it, the rest are appended. The file is replaced atomically.
    /// Returns the overlay's path and how many rows it now holds.
    public static func add(_ rows: [[String]], directory: String) throws -> (path: String, count: Int) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let overlay = directory + "/" + fileName
        var kept: [[String]] = []
        if FileManager.default.fileExists(atPath: overlay) {
            let existing = try CSV.parse(try String(contentsOfFile: overlay, encoding: .utf8))
            kept = existing.dropFirst().map(\.fields)
        }
        let newIDs = Set(rows.map { $0[0] })
        kept = kept.filter { !newIDs.contains($0[0]) } + rows
        let body = ([GazetteerFiles.siteColumns] + kept).map { CSV.line($0) }.joined(separator: "\n") + "\n"
        try body.write(toFile: overlay, atomically: true, encoding: .utf8)
        return (overlay, kept.count)
    }

    static func fromGeoNames(_ text: String, file: String) throws(GazetteerError) -> [[String]] {
        var rows: [[String]] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 19, let lat = Double(f[4]), let lon = Double(f[5]), (-90...90).contains(lat), (-180...180).contains(lon) else {
                throw GazetteerError(file: file, reason: "line \(n + 1): not a GeoNames dump row (19 tab-separated fields with latitude and longitude)")
            }
            let kind = f[6] == "P" ? "place" : (f[7].hasPrefix("AIR") ? "airport" : "place")
            let aliases = f[3].split(separator: ",").map(String.init).joined(separator: ";")
            rows.append(["user:geonames-\(f[0])", f[1], aliases, kind, f[8], f[4], f[5], "false", "https://www.geonames.org/\(f[0])", "GeoNames \(f[6]).\(f[7])"])
        }
        return rows
    }

    static func fromCSV(_ text: String, file: String) throws(GazetteerError) -> [[String]] {
        func problem(_ reason: String, line: Int? = nil) -> GazetteerError {
            GazetteerError(file: file, reason: line.map { "line \($0): " + reason } ?? reason)
        }
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch { throw problem("\(error)") }
        guard let header = records.first?.fields else { throw problem("the file is empty") }
        if let repeated = GazetteerFiles.repeatedColumn(header) { throw problem(repeated, line: records[0].line) }
        let required = ["name", "aliases", "kind", "country", "lat", "lon", "source"]
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw problem("missing column(s) \(missing.joined(separator: ", ")); expected header name,aliases,kind,country,lat,lon,source")
        }
        var rows: [[String]] = []
        for r in records.dropFirst() {
            guard r.fields.count == header.count else { throw problem("expected \(header.count) fields, found \(r.fields.count)", line: r.line) }
            let row = Dictionary(uniqueKeysWithValues: zip(header, r.fields))
            guard PlaceKind(rawValue: row["kind"]!) != nil else {
                throw problem("unknown kind '\(row["kind"]!)'; use one of \(PlaceKind.allCases.map(\.rawValue).joined(separator: ", "))", line: r.line)
            }
            guard let lat = Double(row["lat"]!), let lon = Double(row["lon"]!), (-90...90).contains(lat), (-180...180).contains(lon) else {
                throw problem("lat/lon '\(row["lat"]!)','\(row["lon"]!)' are not degrees in range", line: r.line)
            }
            guard !row["name"]!.isEmpty else { throw problem("empty name", line: r.line) }
            let slug = row["name"]!.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
            rows.append([row["id"] ?? "user:\(slug)", row["name"]!, row["aliases"]!, row["kind"]!, row["country"]!.uppercased(),
                         row["lat"]!, row["lon"]!, row["approximate"] ?? "false", row["source"]!, row["note"] ?? ""])
        }
        return rows
    }
}
