import GeoMaps
import Testing

@Suite struct SVGDocumentTests {
    @Test func escapesTextAndAttributesAndDropsControlCharacters() {
        var svg = SVGDocument(width: 100, height: 50)
        svg.element("text", [("x", svg.number(1.2500001)), ("class", "a\"b")], text: "Kata'ib <Hezbollah> & co\u{1}")
        let text = svg.text
        #expect(text.contains("<text x=\"1.25\" class=\"a&quot;b\">Kata&apos;ib &lt;Hezbollah&gt; &amp; co</text>"))
        #expect(text.hasPrefix("<?xml") && text.contains("viewBox=\"0 0 100 50\"") && text.hasSuffix("</svg>\n"))
    }
}
