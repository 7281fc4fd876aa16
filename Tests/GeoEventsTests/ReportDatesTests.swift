import GeoEvents
import Testing

/// Date phrases of reports, resolved against the publication date (Monday 29 January 2024
/// unless said otherwise).
@Suite struct ReportDatesTests {
    static let monday = EventDate(year: 2024, month: 1, day: 29)!

    func first(_ text: String, published: EventDate? = monday) -> DateMention? {
        ReportDates.mentions(in: text, published: published).first
    }

    @Test(arguments: [
        ("The strike happened today.", "today", "2024-01-29", nil as String?, 1),
        ("Rockets hit the base yesterday.", "yesterday", "2024-01-28", nil, 1),
        ("It was hit on Sunday, officials said.", "Sunday", "2024-01-28", nil, 1),
        ("The drone struck on Monday morning.", "Monday morning", "2024-01-29", nil, 1),
        ("Militants attacked late Thursday.", "late Thursday", "2024-01-25", nil, 1),
        ("The US military Friday said it struck seven targets.", "Friday", "2024-01-26", nil, 1),
        ("It happened last Monday.", "last Monday", "2024-01-22", nil, 1),
        ("Jets struck overnight.", "overnight", "2024-01-28", "2024-01-29", 1),
        ("Three attacks earlier this week.", "earlier this week", "2024-01-29", "2024-01-29", 2),
        ("A series of attacks last week.", "last week", "2024-01-22", "2024-01-28", 2),
        ("The Erbil attack nearly two weeks ago.", "nearly two weeks ago", "2024-01-12", "2024-01-18", 2),
        ("The convoy was hit three days ago.", "three days ago", "2024-01-26", nil, 1),
        ("Strikes on January 4 killed two.", "January 4", "2024-01-04", nil, 1),
        ("Strikes on 4 Jan killed two.", "4 Jan", "2024-01-04", nil, 1),
        ("An attack on December 30 hit Erbil.", "December 30", "2023-12-30", nil, 1),
        ("On Jan 5, 2024 a drone struck.", "Jan 5, 2024", "2024-01-05", nil, 1),
        ("Filed 29-10-2023 in Baghdad.", "29-10-2023", "2023-10-29", nil, 1),
        ("Filed 2023-10-29 in Baghdad.", "2023-10-29", "2023-10-29", nil, 1),
        ("The day before yesterday a rocket fell.", "The day before yesterday", "2024-01-27", nil, 1),
        ("Attacks rose last month.", "last month", "2023-12-01", "2023-12-31", 3),
    ])
    func phrase(_ text: String, _ phrase: String, _ date: String, _ end: String?, _ precision: Int) throws {
        let m = try #require(first(text), "\(text)")
        #expect(m.text == phrase, "\(text)")
        #expect(m.date?.iso == date, "\(text): \(m.note)")
        #expect(m.dateEnd?.iso == end, "\(text)")
        #expect(m.precision.rawValue == precision, "\(text)")
        // Offsets are Unicode scalars into the text.
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[m.start..<m.end])) == phrase)
    }

    @Test func eventRelativePhrasesWaitForAnAnchor() throws {
        let m = try #require(first("Two days later, US jets struck back."))
        #expect(m.kind == .relativeToEvent(offsetDays: 2, spanDays: 0) && m.date == nil)
        let anchored = m.anchored(to: EventDate(year: 2024, month: 1, day: 28)!)
        #expect(anchored.date?.iso == "2024-01-30")
        #expect(first("The next day the militia claimed it.")?.kind == .relativeToEvent(offsetDays: 1, spanDays: 0))
        #expect(first("Hours later, jets struck.")?.kind == .relativeToEvent(offsetDays: 0, spanDays: 1))
        #expect(first("a day before, a drone hit the base")?.kind == .relativeToEvent(offsetDays: -1, spanDays: 0))
        // "Days later": a few days, under a week (the 2021 Erbil attack of 15 February and the
        // Balad salvo "days later", on the 20th, are five days apart).
        let days = try #require(first("Another salvo hit a base days later."))
        #expect(days.kind == .relativeToEvent(offsetDays: 1, spanDays: 5) && days.precision == .week)
        let salvo = days.anchored(to: EventDate(year: 2021, month: 2, day: 15)!)
        #expect(salvo.date?.iso == "2021-02-16" && salvo.dateEnd?.iso == "2021-02-21")
        #expect(first("Days earlier, rockets hit the base.")?.kind == .relativeToEvent(offsetDays: -6, spanDays: 5))
    }

    @Test func withoutAPublicationDateRelativePhrasesStayUnanchored() throws {
        let m = try #require(first("Rockets hit the base yesterday.", published: nil))
        #expect(m.date == nil && m.note.contains("no publication date"))
        #expect(first("Strikes on January 4 killed two.", published: nil)?.date == nil)
        #expect(first("On Jan 5, 2024 a drone struck.", published: nil)?.date?.iso == "2024-01-05")
    }

    @Test func publicationDateFromAHeaderOrDateline() throws {
        let header = "Title: Strikes in Syria\nPublished: 2024-02-03\n\nUS jets struck yesterday."
        #expect(ReportDates.publicationDate(in: header)?.date?.iso == "2024-02-03")
        let updated = "Updated: Feb 3, 2024 10:41 GMT\nBody"
        #expect(ReportDates.publicationDate(in: updated)?.date?.iso == "2024-02-03")
        let dateline = "BAGHDAD, Jan 5, 2024 (Reuters) - A drone struck a car."
        #expect(ReportDates.publicationDate(in: dateline)?.date?.iso == "2024-01-05")
        #expect(ReportDates.publicationDate(in: "A drone struck a car yesterday.") == nil)
    }

    @Test func wordsThatAreNotDates() {
        #expect(first("Officials may 5 times deny it") == nil || first("Officials may 5 times deny it")?.text != "may 5")
        #expect(first("Saturday Night Live is a show", published: nil)?.date == nil)
        #expect(ReportDates.mentions(in: "", published: Self.monday).isEmpty)
        #expect(ReportDates.mentions(in: "\u{0}\u{FFFD}💥 31 February", published: Self.monday).allSatisfy { $0.date == nil || $0.text != "31 February" })
    }
}
