import GeoCore
import Testing

/// Scalars encoded by hand give the string the scalars make one at a time.
@Suite struct ScalarUTF8Tests {
    @Test func equalsTheScalarsAppended() {
        let texts = ["", "Boukamal", "Ālbū Kamāl", "البوكمال", "Hawler – هەولێر", "𝔸 emoji 🇮🇶", "a\u{0}b\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"]
        for text in texts {
            let scalars = Array(text.unicodeScalars)
            for start in 0...scalars.count {
                for end in start...scalars.count {
                    #expect(ScalarUTF8.string(scalars, start..<end) == String(String.UnicodeScalarView(scalars[start..<end])))
                }
            }
        }
        // Values that are no scalar are left out.
        let values: [UInt32] = [0x41, 0xD800, 0x42, 0x110000, 0xDFFF, 0x43]
        #expect(values.withUnsafeBufferPointer { ScalarUTF8.string($0) } == "ABC")
    }
}
