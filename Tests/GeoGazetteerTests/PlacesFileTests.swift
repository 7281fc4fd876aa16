import Foundation
import GeoCore
@testable import GeoGazetteer
import GeoTestSupport
import Testing

/// `places.tsv` read by splitting bytes (`GazetteerFiles.parsePlaces`) gives the entries a plain
/// reading gives: every field a `String`, numbers through `Int(_:)` and `Double(_:)`, ids through
/// `GazetteerEntry.splitID`; on the bundled file and on lines of every odd form.
@Suite struct PlacesFileTests {
    /// The plain reading, line by line.
    static func reference(_ text: String) throws -> GazetteerRows {
        var rows = GazetteerRows()
        // By bytes: "\r\n" is one Character, which a split by Character would not cut.
        for (n, line) in Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where n > 0 && !line.isEmpty {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 8, Int(fields[0]) != nil, let lat = Double(fields[2]), let lon = Double(fields[3]),
                  let population = Int(fields[6]) else { throw GazetteerError(file: "reference", line: n + 1, reason: "bad line") }
            rows.append(GazetteerEntry(
                id: "geonames:" + fields[0], name: fields[1], position: Position(longitude: lon, latitude: lat), country: fields[4],
                admin1: fields[5], kind: .place, population: population, source: .geonames, approximate: false, coordinateSource: nil),
                aliases: fields[7])
        }
        return rows
    }

    static func parsed(_ text: String) throws -> GazetteerRows {
        let bytes = Array(text.utf8)
        var middle = bytes.count / 2
        while middle < bytes.count, bytes[middle] != UInt8(ascii: "\n") { middle += 1 }
        // In two parts, as the loader reads it.
        var rows = try GazetteerFiles.parsePlaces(bytes, 0..<min(bytes.count, middle + 1), path: "places.tsv", skipHeader: true)
        let rest = try GazetteerFiles.parsePlaces(bytes, min(bytes.count, middle + 1)..<bytes.count, path: "places.tsv", skipHeader: false)
        rows.entries += rest.entries
        rows.aliasTexts += rest.aliasTexts
        return rows
    }

    /// The first entry where two readings differ, nil when none does.
    static func firstDifference(_ a: GazetteerRows, _ b: GazetteerRows) -> String? {
        guard a.entries.count == b.entries.count else { return "\(a.entries.count) entries against \(b.entries.count)" }
        for i in a.entries.indices {
            let (x, y) = (a.entries[i], b.entries[i])
            // Bit patterns, so that -0.0 and 0.0 differ.
            let samePosition = x.position.longitude.bitPattern == y.position.longitude.bitPattern
                && x.position.latitude.bitPattern == y.position.latitude.bitPattern
            if x != y || !samePosition || a.aliasTexts[i] != b.aliasTexts[i] { return "entry \(i): \(x.id) \(x.name) \(x.position)" }
        }
        return nil
    }

    @Test func bundledFileReadsAsThePlainReading() throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("Gazetteer/places.tsv"), encoding: .utf8)
        let fast = try Self.parsed(text)
        #expect(fast.entries.count > 40_000)
        let difference = Self.firstDifference(fast, try Self.reference(text))
        #expect(difference == nil)
    }

    @Test func oddNumbersAndIdsReadAsThePlainReading() throws {
        let lines = [
            "1\tA\t32.05908\t48.86752\tIR\t15\t1266\tx|y",
            "2\tB\t-0\t-0.0\tSY\t\t0\t",
            "3\tC\t.5\t5.\tIQ\t01\t-7\t",
            "4\tD\t1e1\t+2.5\tIQ\t\t+12\t",
            "5\tE\t007.250\t-180\tIQ\t\t0012\tα|β",
            "6\tF\t1.0000000000000000001\t33.33333333333333333\tIQ\t\t1\t",
            "0012\tG\t1\t2\tIQ\t\t1\t",
            "+13\tH\t1\t2\tIQ\t\t1\t",
            "2147483648\tI\t1\t2\tIQ\t\t1\t",
            "-14\tJ\t1\t2\tIQ\t\t123456789012345678\t",
            "15\tK\tinf\t1e-3\tIQ\t\t1\tcr\r",
            "16\tL\t9007199254740993\t-9007199254740993.5\tIQ\t\t1\t",
        ]
        let text = (["geonameid\tname\tlatitude\tlongitude\tcountry\tadmin1\tpopulation\talternatenames"] + lines).joined(separator: "\n") + "\n"
        let difference = Self.firstDifference(try Self.parsed(text), try Self.reference(text))
        #expect(difference == nil)
    }

    /// A line with a field too many or too few, or a number that is none, names its line.
    @Test(arguments: ["7\tA\t1\t2\tIQ\t\t1\t\textra", "7\tA\t1\t2\tIQ\t\t1", "x7\tA\t1\t2\tIQ\t\t1\t", "7\tA\t1,5\t2\tIQ\t\t1\t",
                      "7\tA\t1\t2\tIQ\t\t1.5\t", "7\tA\t-\t2\tIQ\t\t1\t"])
    func badLinesNameTheirLine(line: String) {
        let text = "header\n1\tA\t1\t2\tIQ\t\t1\t\n\(line)\n"
        #expect {
            _ = try Self.parsed(text)
        } throws: { error in
            guard let error = error as? GazetteerError else { return false }
            return "\(error)".contains("3") && "\(error)".contains("8 tab-separated fields")
        }
    }
}
