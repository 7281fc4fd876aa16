import GeoEvents
import Testing

@Suite struct EventFilterTests {
    func fields(_ dict: [String: [String]]) -> (String) -> [String] { { dict[$0] ?? [] } }

    @Test func matchesCaseInsensitiveAnyOfAndNot() throws {
        let militia = fields(["actor_side": ["militia"], "country": ["SY"], "event_type": ["Explosions/Remote violence"],
                              "sub_event_type": ["Air/drone strike"], "tags": ["tower22", "drone"]])
        #expect(try EventFilter(parsing: "actor_side=Militia").matches(militia))
        #expect(try EventFilter(parsing: "country=IQ,SY & actor_side=militia").matches(militia))
        #expect(try !EventFilter(parsing: "country=IQ,JO").matches(militia))
        #expect(try EventFilter(parsing: "event_type=Air/drone strike").matches(militia))
        #expect(try EventFilter(parsing: " event_type = explosions/remote violence ").matches(militia))
        #expect(try !EventFilter(parsing: "event_type!=Air/drone strike").matches(militia))
        #expect(try EventFilter(parsing: "tags=TOWER22").matches(militia))
        #expect(try EventFilter(parsing: "actor_side!=US & admin1=").matches(militia))
        #expect(try !EventFilter(parsing: "admin1=Anbar").matches(militia))
        #expect(try EventFilter(parsing: "admin1!=Anbar").matches(militia))
    }

    @Test(arguments: [
        ("", "empty filter"), ("actor_side", "no operator"), ("actor_side==US", "'=='"),
        ("fatalities>3", "unsupported operator '>'"), ("a=1&&b=2", "empty term 2"), ("a=1&", "empty term 2"),
        ("=US", "no field name"), ("actor side=US", "not a field name"), ("country=SY,,IQ", "empty value"),
        ("actor_side=US|militia", "'|' is not supported"),
    ])
    func refusesBadSyntax(text: String, reason: String) {
        #expect {
            _ = try EventFilter(parsing: text)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }
}
