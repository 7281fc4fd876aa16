import GeoCore
import Testing

/// `UTF8Text` gives the standard library's answer: the same string, and nil exactly when
/// `String(validating:as:)` refuses the bytes.
@Suite struct UTF8TextTests {
    func expectSameAnswer(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = String(validating: bytes, as: UTF8.self)
        #expect(UTF8Text.string(bytes) == expected, "\(bytes)", sourceLocation: sourceLocation)
        #expect(bytes.withUnsafeBytes { UTF8Text.isWellFormed($0) } == (expected != nil), "\(bytes)", sourceLocation: sourceLocation)
    }

    @Test func boundariesOfEveryForm() {
        // Each lead byte with second bytes at and around its bounds, in every place of a word,
        // and after and around a run of 32 ASCII bytes (read four words at a time).
        let seconds: [UInt8] = [0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0]
        for lead in UInt8(0x80)...0xFF {
            for second in seconds {
                for tail in [[], [0x80], [0x80, 0x80], [0xBF, 0xBF], [0x41]] as [[UInt8]] {
                    for padding in Array(0..<9) + [31, 32, 33, 40] {
                        let ascii = [UInt8](repeating: 0x61, count: padding)
                        expectSameAnswer(ascii + [lead, second] + tail + ascii)
                    }
                }
            }
        }
        for text in ["", "Boukamal", "Ālbū Kamāl", "البوكمال", "Hawler – هەولێر", "𝔸 🇮🇶", "\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"] {
            expectSameAnswer(Array(text.utf8))
        }
    }

    @Test func randomBytes() {
        var generator = SeededGenerator(seed: 8)
        for _ in 0..<20_000 {
            let count = Int.random(in: 0..<72, using: &generator)
            // Mostly text with some high bytes, so that both answers occur often.
            // (Some with long ASCII runs, read four words at a time.)
            let highShare = [2, 8, 40].randomElement(using: &generator)!
            let bytes = (0..<count).map { _ in
                Int.random(in: 0..<highShare, using: &generator) != 0 ? UInt8.random(in: 0x20..<0x80, using: &generator) : UInt8.random(in: 0x80...0xFF, using: &generator)
            }
            expectSameAnswer(bytes)
        }
        // Valid multi-byte text cut at every byte.
        let text = Array("Al-Bukamal البوكمال 𝔸🇮🇶 هەولێر".utf8)
        for end in 0...text.count { expectSameAnswer(Array(text[..<end])) }
    }

    /// `isWhiteSpace` is the standard library's `isWhitespace` (Unicode's White_Space) for every
    /// scalar, and `hasNoSpaceAtEnds` says exactly when `trimmingSpaces` keeps a text whole.
    @Test func whiteSpaceIsUnicodes() {
        var differing: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if UTF8Text.isWhiteSpace(value) != scalar.properties.isWhitespace { differing.append(value) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(10))")
        let spaces = ["", " ", "\t", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{2028}", "\u{202F}", "\u{205F}", "\u{3000}"]
        let words = ["", "a", "Şāfītā", "دير الزور", "𝔸", "\u{200B}", "\u{180E}", "x\u{A0}y", "\u{7F}"]
        var wrong: [String] = []
        for lead in spaces {
            for word in words {
                for tail in spaces {
                    let text = lead + word + tail
                    let kept = Array(text.utf8).withUnsafeBytes { UTF8Text.hasNoSpaceAtEnds($0) }
                    if kept != (!text.isEmpty && text.trimmingSpaces == text) { wrong.append(text) }
                    if text.trimmingSpaces != String(text.unicodeScalars.drop(while: \.properties.isWhitespace).reversed().drop(while: \.properties.isWhitespace).reversed().map(Character.init)) {
                        wrong.append("trimmed: " + text)
                    }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.map { Array($0.unicodeScalars.map(\.value)) })")
    }
}
