import Foundation
import GeoCore
import GeoEvents
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

    /// Read on several threads in chunks of any size, a table converts to the same bytes, the
    /// same rejects (with their lines) and the same counts as on one thread.
    @Test(arguments: [EventOutputKind.geojson, .geojsonseq, .csv])
    func parallelConversionEqualsOneThread(kind: EventOutputKind) throws {
        let g = try Gazetteer.load(userDirectory: nil)
        let awkward = FileManager.default.temporaryDirectory.appendingPathComponent("awkward-\(getpid())-\(kind).csv").path
        try Self.awkwardTable.write(toFile: awkward, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: awkward) }
        // One locator for all runs: its thread locators (and their country polygons) are made once.
        let locator = EventLocator(gazetteer: { g })
        for path in [awkward, try fixture("malformed-rows.csv"), try fixture("acled-export.csv")] {
            func convert(threads: Int, chunkBytes: Int) throws -> (String, String, EventConversion.Counts) {
                let conversion = try EventConversion(inputs: [path], reader: try readerWithCountryNames(), locator: locator)
                let out = MemorySink(), rejected = MemorySink()
                let writer = try EventWriter(kind: kind, sink: out, extraColumns: try conversion.extraColumns())
                let counts = try conversion.run(writer: writer, rejects: try RejectsWriter(sink: rejected), threads: threads, chunkBytes: chunkBytes)
                try writer.finish()
                return (out.text, rejected.text, counts)
            }
            let one = try convert(threads: 1, chunkBytes: 1 << 20)
            #expect(one.2.rejected > 0 || path.hasSuffix("acled-export.csv"))
            for threads in [2, 3] {
                for chunkBytes in [1, 17, 64, 333, 2_000] {
                    let many = try convert(threads: threads, chunkBytes: chunkBytes)
                    #expect(many.0 == one.0, "\(path): \(threads) threads, chunks of \(chunkBytes) B")
                    #expect(many.1 == one.1, "\(path): \(threads) threads, chunks of \(chunkBytes) B")
                    #expect(many.2 == one.2)
                }
            }
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
