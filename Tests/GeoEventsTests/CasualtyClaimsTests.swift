import GeoEvents
import Testing

/// Casualty figures with who gave them, sentence by sentence.
@Suite struct CasualtyClaimsTests {
    func claim(_ sentence: String) -> FatalityClaim? { CasualtyClaims.find(in: sentence).first?.claim }

    @Test(arguments: [
        ("The Syrian Observatory for Human Rights said at least 22 fighters were killed.", "Syrian Observatory for Human Rights", 22 as Int?, nil as Int?),
        ("A medical source told Reuters 17 people died.", "medical source (to Reuters)", 17, nil),
        ("According to SOHR, the strikes killed 17 pro-Iran fighters.", "SOHR", 17, nil),
        ("A Kataib Hezbollah official said only one member was killed.", "Kataib Hezbollah official", 1, nil),
        ("There were no casualties, the Pentagon said.", "Pentagon", 0, 0),
        ("The driver was killed.", "report", 1, nil),
        ("The attack wounded at least nine US service members.", "report", nil, 9),
        ("Three US soldiers were killed and more than 40 wounded, US officials said.", "US officials", 3, 40),
        ("Dozens of fighters were killed, activists said.", "activists", 12, nil),
        ("Between 17 and 22 fighters were killed.", "report", 17, nil),
        ("No one was hurt in the attack.", "report", nil, 0),
        ("The strike killed two and injured five.", "report", 2, 5),
        ("The base was hit on Sunday; 3 killed, more than 40 wounded, the Pentagon said.", "Pentagon", 3, 40),
        ("A truck was struck near the crossing: 2 killed, 4 wounded.", "report", 2, 4),
        // The speaker of a relative clause, without its pronoun.
        ("At least 12 fighters were killed in the strikes, which the ministry says were defensive.", "ministry", 12, nil),
        ("Five guards were wounded in a raid that local officials said lasted an hour.", "local officials", nil, 5),
    ])
    func figures(_ sentence: String, _ source: String, _ killed: Int?, _ injured: Int?) throws {
        let c = try #require(claim(sentence), "\(sentence)")
        #expect(c.source == source, "\(sentence)")
        #expect(c.killed == killed, "\(sentence)")
        #expect(c.injured == injured, "\(sentence)")
    }

    @Test func numbersThatAreNotPeople() {
        #expect(claim("US jets dropped seven 500-lb bombs, hitting seven targets.") == nil)
        #expect(claim("Two rockets were fired at the base on 12 January.") == nil)
        #expect(claim("The convoy of 30 trucks crossed at al-Qaim.") == nil)
        #expect(claim("") == nil)
    }
}
