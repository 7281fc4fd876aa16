import Foundation
import GeoCore
@testable import GeoEvents
import GeoGazetteer
import GeoLocate
import Testing

@Suite struct EventConversionTests {
    /// Every row of every input is written or rejected with its reason, in input order.
    @Test func rowsAreWrittenOrRejectedNeverDropped() throws {
        let g = try Gazetteer.load(userDirectory: nil)
        let path = try fixture("malformed-rows.csv")
        let conversion = try EventConversion(inputs: [path, path], reader: try readerWithCountryNames(), locator: EventLocator(gazetteer: { g }))
        let out = MemorySink(), rejected = MemorySink()
        let writer = try EventWriter(kind: .csv, sink: out, extraColumns: try conversion.extraColumns())
        let rejects = try RejectsWriter(sink: rejected)
        var progress: [Int] = []
        let counts = try conversion.run(writer: writer, rejects: rejects) { progress.append($0) }
        try writer.finish()
        #expect(counts.read == 34 && counts.written + counts.rejected == counts.read)
        #expect(counts.written == writer.written && counts.rejected == rejects.count)
        #expect(progress == Array(1...34))
        let expected = try CSV.parse(String(contentsOfFile: try fixture("malformed-rows.expected-rejects.csv"), encoding: .utf8)).dropFirst().map(\.fields)
        let rows = try CSV.parse(rejected.text)
        #expect(rows.first?.fields == RejectsWriter.columns)
        #expect(rows.dropFirst().map { [$0.fields[1], $0.fields[3]] } == expected + expected)
        #expect(rejects.firstFew.count == RejectsWriter.firstFewLimit && rejects.firstFew[0].hasPrefix("\(path): line 3: missing_date: "))
        #expect(rejects.byReason.values.reduce(0, +) == rejects.count)
    }

    /// The CSV line the writer writes as bytes (`EventEncoder.appendCSVLine`) is `CSV.line` of
    /// the event's cells: empty and filled fields, quotes, separators and line ends in cells,
    /// lists with and without `;`, claims, a match, tiny and negative coordinates and extra columns.
    @Test func csvLinesAreTheCellsJoined() throws {
        let columns = EventField.csvColumns + ["extra one", "missing"]
        let fields = columns.map { EventField(rawValue: $0) }
        let match = LocationMatch(name: "Mayadin, \"M\"", score: 0.875, source: "geonames", gazetteerID: "g1", approximate: true,
                                  alternatives: ["a", "b;c"], fallbackBasis: "country")
        let events = [
            Event(eventID: "E1", date: EventDate(year: 2024, month: 2, day: 3)!),
            Event(eventID: "E,2 \"q\"", date: EventDate(year: 2023, month: 12, day: 31)!, dateEnd: EventDate(year: 2024, month: 1, day: 6)!,
                  timePrecision: .week, eventType: "Battles", subEventType: "Armed clash", eventTypeReported: "clash, heavy", actor1: "A",
                  actor1Reported: "a;b", actor2: "B\nC", actorSide: "US", actorMatch: "x", target: "t", location: "Şāfītā",
                  latitude: -0.000_000_1, longitude: 179.999_999, geoPrecision: 2, country: "SY", admin1: "Homs", fatalities: 0,
                  fatalityClaims: [FatalityClaim(source: "s", killed: 3)], sources: ["u1;x", "u2"], notes: "n\r\nm", tags: ["t1", "t2"],
                  match: match, extra: ["extra one": .string("v,1"), "other": .integer(5)]),
            Event(eventID: "E3", date: EventDate(year: 2024, month: 5, day: 1)!, latitude: 36.5, longitude: -40, fatalities: 12,
                  sources: ["one"], tags: ["t;u"], extra: ["extra one": .integer(7)]),
        ]
        for e in events {
            var w = JSONWriter()
            EventEncoder.appendCSVLine(e, columns: columns, fields: fields, to: &w)
            #expect(w.bytes == Array((CSV.line(EventEncoder.csvCells(e, columns: columns)) + "\n").utf8), "\(e.eventID)")
        }
    }

    /// A table whose quoting makes chunk starts wrong: line breaks inside quoted fields, a
    /// quote never closed, text after a closing quote, blank lines, CRLF and a BOM.
    static let awkwardTable: String = {
        var t = "\u{FEFF}event_id,event_date,event_type,sub_event_type,actor1,location,latitude,longitude,country,fatalities,notes,extra\r\n"
        for i in 0..<60 {
            let note: String
            switch i % 7 {
            case 0: note = "\"line one\nline two, still the note\n\nand a \"\"quote\"\"\""
            case 1: note = "plain"
            case 2: note = "\"closed\" then text"
            case 3: note = "\"\r\n\r\n\""
            default: note = "n\(i)"
            }
            let date = i % 11 == 5 ? "not a date" : "2024-01-\(String(format: "%02d", 1 + i % 28))"
            t += "E\(i),\(date),Explosions/Remote violence,Air/drone strike,US forces,Place \(i),\(33 + Double(i % 10) / 10),\(40 + Double(i % 7) / 10),IQ,\(i % 4),\(note),x\(i)\r\n"
            if i % 13 == 0 { t += "\r\n\n" }
            if i == 41 { t += "E\(i)b,2024-01-02,Battles,Armed clash,A,\"never closed,33,40,IQ,1,n,x\n" }
        }
        return t
    }()

    /// GeoJSONSeq with everything a chunk boundary can meet: blank lines, CRLF, records that
    /// are cut off, `NaN`, a latitude of 95, properties as an array, a FeatureCollection, a
    /// geometry alone, longitudes beyond ±180° (warnings); with `separators`, RFC 8142 record
    /// separators and pretty-printed records that span lines.
    static func awkwardSequence(separators: Bool) -> String {
        var t = ""
        for i in 0..<70 {
            let lon = i % 9 == 4 ? "180.758" : "\(40 + Double(i % 7) / 10)"
            let properties = "{\"event_id\":\"S\(i)\",\"event_date\":\"2024-02-\(String(format: "%02d", 1 + i % 28))\",\"event_type\":\"Battles\",\"sub_event_type\":\"Armed clash\",\"actor1\":\"A\",\"location\":\"P\(i)\",\"country\":\"IQ\",\"fatalities\":\(i % 3),\"notes\":\"n\\n\(i)\"}"
            var record: String
            switch i % 10 {
            case 3: record = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[40,"  // cut off
            case 5: record = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[NaN,33]},\"properties\":\(properties)}"
            case 6: record = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[40,95]},\"properties\":\(properties)}"
            case 7: record = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[40,33]},\"properties\":[1]}"
            case 8: record = i == 18 ? "{\"type\":\"FeatureCollection\",\"features\":[]}" : "{\"type\":\"Point\",\"coordinates\":[40,33]}"
            default:
                record = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(lon),\(33 + Double(i % 10) / 10)]},\"properties\":\(properties)}"
            }
            if separators && i % 4 == 1 { record = record.replacingOccurrences(of: ",\"", with: ",\n  \"") }
            t += (separators ? "\u{1E}" : "") + record + (i % 2 == 0 ? "\r\n" : "\n")
            if i % 13 == 0 { t += separators ? "\u{1E}\n" : "\n  \n" }
        }
        return t
    }

    /// Read on several threads in chunks of any size, a table converts to the same bytes, the
    /// same rejects (with their lines) and the same counts as on one thread.
    @Test(arguments: [(EventOutputKind.geojson, false), (.geojsonseq, false), (.csv, false), (.acled, false), (.geojson, true)])
    func parallelConversionEqualsOneThread(kind: EventOutputKind, styled: Bool) throws {
        let g = try Gazetteer.load(userDirectory: nil)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parallel-\(getpid())-\(kind)-\(styled)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let written: [(String, String)] = [("awkward.csv", Self.awkwardTable), ("awkward.geojsonl", Self.awkwardSequence(separators: false)),
                                           ("awkward.geojsons", Self.awkwardSequence(separators: true))]
        for (name, text) in written { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        // Plain rows, written as text by a GeoJSON writer, among rows that are not (`TableScannerTests`).
        // And a table whose last column is `layer`, some rows naming an area layer (which `--style` styles as one).
        let layered = String(decoding: TableScannerTests.table(rows: 1_500, problems: false), as: UTF8.self)
            .replacingOccurrences(of: "source_note\n", with: "layer\n").replacingOccurrences(of: ",plain\n", with: ",clusters\n")
            .replacingOccurrences(of: ",plain\r\n", with: ",pairs\r\n")
        // And a table with a `country_name` column of its own, which ACLED's layout writes as the country.
        let named = String(decoding: TableScannerTests.table(rows: 600, problems: false), as: UTF8.self)
            .replacingOccurrences(of: "source_note\n", with: "country_name\n")
        let tables = [("plain.csv", TableScannerTests.table(rows: 1_500, problems: false)), ("mixed.csv", TableScannerTests.table(rows: 1_500, problems: true)),
                      ("layered.csv", Array(layered.utf8)), ("named.csv", Array(named.utf8))]
        for (name, bytes) in tables { #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(bytes))) }
        // One locator for all runs: its thread locators (and their country polygons) are made once.
        let locator = EventLocator(gazetteer: { g })
        for path in (written.map(\.0) + tables.map(\.0)).map({ folder + "/" + $0 }) + [try fixture("malformed-rows.csv"), try fixture("acled-export.csv")] {
            func convert(threads: Int, chunkBytes: Int) throws -> (String, String, EventConversion.Counts, [String]) {
                let warnings = WarningLog()
                var reader = try readerWithCountryNames()
                reader.onWarning = { warnings.add($0) }
                let conversion = try EventConversion(inputs: [path], reader: reader, locator: locator)
                let out = MemorySink(), rejected = MemorySink()
                let style = styled ? SimpleStyle(sideCounts: try conversion.sideCounts(threads: 1)) : nil
                let writer = try EventWriter(kind: kind, sink: out, extraColumns: try conversion.extraColumns(), countryName: Self.countryNames,
                                             style: style)
                let counts = try conversion.run(writer: writer, rejects: try RejectsWriter(sink: rejected), threads: threads, chunkBytes: chunkBytes)
                try writer.finish()
                return (out.text, rejected.text, counts, warnings.lines)
            }
            // The sides `--style` and `--qml` colour, counted on several threads by the scanners.
            let sideConversion = try EventConversion(inputs: [path], reader: try readerWithCountryNames(), locator: locator)
            let sides = try sideConversion.sideCounts(threads: 1)
            #expect(sides.values.reduce(0, +) > 0, "\(path): \(sides)")
            for (threads, chunkBytes) in [(2, 1), (3, 333), (2, 4_000)] {
                #expect(try sideConversion.sideCounts(threads: threads, chunkBytes: chunkBytes) == sides, "\(path): \(threads) threads, chunks of \(chunkBytes) B")
            }
            let one = try convert(threads: 1, chunkBytes: 1 << 20)
            #expect(one.2.rejected > 0 || path.hasSuffix("acled-export.csv") || path.hasSuffix("plain.csv"))
            #expect(one.3.isEmpty == !path.contains(".geojson"), "\(path): \(one.3)")
            for (threads, chunkBytes) in [(2, 1), (2, 17), (2, 333), (3, 64), (3, 2_000)] {
                let many = try convert(threads: threads, chunkBytes: chunkBytes)
                // Compared as Bools, the first differing line named: the outputs are too long to print.
                func firstDifference(_ a: String, _ b: String) -> String {
                    let (x, y) = (a.split(separator: "\n", omittingEmptySubsequences: false), b.split(separator: "\n", omittingEmptySubsequences: false))
                    let k = zip(x, y).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(x.count, y.count)
                    return "line \(k + 1) of \(x.count) and \(y.count): \(k < x.count ? x[k].prefix(300) : "(end)") | \(k < y.count ? y[k].prefix(300) : "(end)")"
                }
                let sameOutput = many.0 == one.0, sameRejects = many.1 == one.1
                #expect(sameOutput, "\(path): \(threads) threads, chunks of \(chunkBytes) B: \(sameOutput ? "" : firstDifference(many.0, one.0))")
                #expect(sameRejects, "\(path): \(threads) threads, chunks of \(chunkBytes) B: \(sameRejects ? "" : firstDifference(many.1, one.1))")
                #expect(many.2 == one.2 && many.3 == one.3, "\(path): \(threads) threads, chunks of \(chunkBytes) B")
            }
        }
    }

    /// ACLED's names of some countries by code, as `geo convert` gives an ACLED writer (some
    /// codes have none: the code is written).
    static let countryNames: @Sendable (String) -> String? = { ["IQ": "Iraq", "SY": "Syria, \"the\" Republic"][$0] }

    /// An ACLED export converts to the same bytes, rejects and counts whether its plain rows
    /// are written as text or lines by the scanner or every row is decoded: GeoJSON with each
    /// timestamp, styled, CSV and ACLED's layout, on one thread and several; with and without
    /// the upload time column, and with a `country_name` column of its own.
    @Test(arguments: [(EventOutputKind.geojsonseq, EventTimestamp.iso, false), (.geojson, .epochMilliseconds, false),
                      (.geojsonseq, EventTimestamp.none, true), (.csv, .iso, false), (.acled, .iso, false)])
    func acledExportsConvertAsDecoded(kind: EventOutputKind, timestamp: EventTimestamp, styled: Bool) throws {
        let g = try Gazetteer.load(userDirectory: nil)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acled-\(getpid())-\(kind)-\(timestamp)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tables = [("export.csv", TableScannerTests.acledTable(rows: 1_500)),
                      ("unstamped.csv", TableScannerTests.acledTable(rows: 400, timestampColumn: nil)),
                      ("named.csv", TableScannerTests.acledTable(rows: 300, extra: "country_name"))]
        let locator = EventLocator(gazetteer: { g })
        for (name, bytes) in tables {
            let path = folder + "/" + name
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            func convert(scanning: Bool, threads: Int, chunkBytes: Int) throws -> (String, String, EventConversion.Counts) {
                var reader = try readerWithCountryNames()
                reader.scansFeatures = scanning
                let conversion = try EventConversion(inputs: [path], reader: reader, locator: locator)
                let out = MemorySink(), rejected = MemorySink()
                let style = styled ? SimpleStyle(sideCounts: try conversion.sideCounts(threads: 1)) : nil
                let writer = try EventWriter(kind: kind, sink: out, extraColumns: try conversion.extraColumns(), countryName: Self.countryNames,
                                             timestamp: timestamp, style: style)
                let counts = try conversion.run(writer: writer, rejects: try RejectsWriter(sink: rejected), threads: threads, chunkBytes: chunkBytes)
                try writer.finish()
                return (out.text, rejected.text, counts)
            }
            let decoded = try convert(scanning: false, threads: 1, chunkBytes: 1 << 20)
            #expect(decoded.2.written > 250, "\(name): \(decoded.2)")
            for (threads, chunkBytes) in [(1, 1 << 20), (2, 3_000)] {
                let scanned = try convert(scanning: true, threads: threads, chunkBytes: chunkBytes)
                let sameOutput = scanned.0 == decoded.0, sameRejects = scanned.1 == decoded.1
                #expect(sameOutput, "\(name), \(threads) threads: \(sameOutput ? "" : FeatureTextScannerTests.firstDifference(scanned.0, decoded.0))")
                #expect(sameRejects, "\(name), \(threads) threads: \(sameRejects ? "" : FeatureTextScannerTests.firstDifference(scanned.1, decoded.1))")
                #expect(scanned.2 == decoded.2, "\(name), \(threads) threads")
            }
        }
    }

    /// Several inputs in one conversion, tables with the same columns in other orders among
    /// them: each table's rows are read by its own header on every thread (a scanner kept from
    /// the first table had read the next one's cells by the first one's places).
    @Test(arguments: [EventOutputKind.geojsonseq, .csv, .acled])
    func inputsWithOtherColumnOrdersConvertAsOnOneThread(kind: EventOutputKind) throws {
        let g = try Gazetteer.load(userDirectory: nil)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inputs-\(getpid())-\(kind)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let columns = TableScannerTests.header(stamped: false).split(separator: ",").count
        // Text columns swapped (location and actor1), then all reversed, then the same again.
        var swapped = Array(0..<columns)
        swapped.swapAt(6, 8)
        let tables: [(String, [UInt8])] = [("first.csv", TableScannerTests.table(rows: 800, problems: false)),
                                           ("swapped.csv", TableScannerTests.table(rows: 800, problems: false, columnOrder: swapped)),
                                           ("reversed.csv", TableScannerTests.table(rows: 800, problems: true, columnOrder: Array((0..<columns).reversed()))),
                                           ("again.csv", TableScannerTests.table(rows: 800, problems: false))]
        for (name, bytes) in tables { #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(bytes))) }
        try Self.awkwardSequence(separators: true).write(toFile: folder + "/awkward.geojsons", atomically: true, encoding: .utf8)
        let paths = (tables.map(\.0) + ["awkward.geojsons"]).map { folder + "/" + $0 }
        let locator = EventLocator(gazetteer: { g })
        func convert(threads: Int, chunkBytes: Int) throws -> (String, String, EventConversion.Counts) {
            let conversion = try EventConversion(inputs: paths, reader: try readerWithCountryNames(), locator: locator)
            let out = MemorySink(), rejected = MemorySink()
            let writer = try EventWriter(kind: kind, sink: out, extraColumns: try conversion.extraColumns(), countryName: Self.countryNames)
            let counts = try conversion.run(writer: writer, rejects: try RejectsWriter(sink: rejected), threads: threads, chunkBytes: chunkBytes)
            try writer.finish()
            return (out.text, rejected.text, counts)
        }
        let one = try convert(threads: 1, chunkBytes: 1 << 20)
        #expect(one.2.written > 1_500 && one.2.rejected > 0, "\(one.2)")
        let sides = try EventConversion(inputs: paths, reader: try readerWithCountryNames(), locator: locator)
        #expect(try sides.sideCounts(threads: 2, chunkBytes: 4_000) == sides.sideCounts(threads: 1))
        for (threads, chunkBytes) in [(2, 4_000), (3, 20_000)] {
            let many = try convert(threads: threads, chunkBytes: chunkBytes)
            let sameOutput = many.0 == one.0, sameRejects = many.1 == one.1
            #expect(sameOutput, "\(threads) threads: \(sameOutput ? "" : FeatureTextScannerTests.firstDifference(many.0, one.0))")
            #expect(sameRejects, "\(threads) threads: \(sameRejects ? "" : FeatureTextScannerTests.firstDifference(many.1, one.1))")
            #expect(many.2 == one.2)
        }
    }

    @Test func withoutASinkRejectsAreOnlyCounted() throws {
        let conversion = try EventConversion(inputs: [try fixture("malformed-rows.csv")], reader: try readerWithCountryNames(),
                                             locator: EventLocator(gazetteer: { try Gazetteer.load(userDirectory: nil) }))
        let rejects = try RejectsWriter(sink: nil)
        let counts = try conversion.run(writer: try EventWriter(kind: .geojsonseq, sink: MemorySink()), rejects: rejects)
        #expect(counts.rejected == rejects.count && counts.rejected > 0)
    }

    @Test func anUnreadableInputFailsBeforeAnyRow() {
        #expect(throws: EventInputError.self) {
            try EventConversion(inputs: ["/nonexistent/events.csv"], reader: EventReader(), locator: EventLocator(gazetteer: { throw CancellationError() }))
        }
    }
}

/// Warnings said by a reader, in order.
final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var said: [String] = []
    func add(_ line: String) { lock.withLock { said.append(line) } }
    var lines: [String] { lock.withLock { said } }
}
