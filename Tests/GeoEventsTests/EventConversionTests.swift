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
