import GeoCore
import GeoEvents
import GeoLocate
import GeoLayers
import Testing

@Suite struct EventSummaryTests {
    /// Four rows: two with coordinates, one placed by the (stub) locator, one whose place is
    /// not found, and one with an impossible date.
    @Test func rowsEventsRejectionsAndRankings() throws {
        let csv = """
            event_id,event_date,date_end,event_type,sub_event_type,actor_side,location,latitude,longitude,country,fatalities
            a,2024-01-20,,Explosions/Remote violence,Air/drone strike,US,Albu Kamal,34.45226,40.91854,SY,3
            b,2024-02-02,2024-02-03,Explosions/Remote violence,Air/drone strike,US,al-Qaim,34.39251,40.98945,IQ,16
            c,2024-02-10,,Protests,,,Erbil,,,IQ,
            d,2024-03-01,,Protests,,,Nowhere,,,IQ,
            e,2024-02-30,,Protests,,,Erbil,,,IQ,
            """
        var summary = EventSummary()
        let locate: (inout Event) throws -> EventLocator.Outcome = { event in
            if event.latitude != nil { return .given }
            guard event.location == "Erbil" else { throw RowProblem(.unresolvedPlace, "not in the gazetteer") }
            event.latitude = 36.19117
            event.longitude = 44.00943
            return .geocoded(ambiguous: false)
        }
        try Array(csv.utf8).withUnsafeBytes { buffer in
            try EventReader().forEachRow(in: buffer, source: "t.csv") { try summary.add($0, locate: locate) }
        }
        #expect(summary.read == 5 && summary.events == 3 && summary.geocoded == 1)
        #expect(summary.fatalities == 19)
        #expect(summary.unresolved == ["Nowhere": 1])
        #expect(summary.rejected.values.reduce(0, +) == 2)
        #expect(summary.first?.dayOnly.iso == "2024-01-20" && summary.last?.dayOnly.iso == "2024-02-10")
        #expect(EventSummary.ranked(summary.byType).map(\.0) == ["Explosions/Remote violence / Air/drone strike", "Protests"])
        #expect(summary.bySide == ["US": 2, "(none)": 1])
        #expect(summary.textLines.first == "rows read 5: 3 events (1 geocoded), 2 rejected")
        let json = summary.json
        #expect(json.objectValue?["by_month"] == .object(["2024-01": .integer(1), "2024-02": .integer(2)]))
    }
}
