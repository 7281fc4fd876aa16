@testable import GeoCore
import Testing

/// Plain fields (ASCII, no CR) are made from the input bytes directly; every other field goes
/// through the byte-by-byte path. Both must read any text the same: records, lines, offsets,
/// problems and raw text, strict or recovering, under default and lowered limits.
@Suite struct CSVFastPathTests {
    /// Random CSV-like bytes from pieces that meet every branch of the reader.
    static func randomText(seed: UInt64, pieces: Int) -> [UInt8] {
        let alphabet: [[UInt8]] = [
            Array("abc".utf8), Array("2024-01-28".utf8), Array("33.5".utf8), [UInt8(ascii: ",")], [UInt8(ascii: ",")],
            [UInt8(ascii: "\n")], [UInt8(ascii: "\r"), UInt8(ascii: "\n")], [UInt8(ascii: "\r")], [UInt8(ascii: "\"")],
            Array("\"q,\"\"x\"\"\"".utf8), Array("Dayr az Zawr".utf8), Array("الرقة".utf8), [0xFF], [0xC3], [0xEF, 0xBB, 0xBF],
            Array(repeating: UInt8(ascii: "x"), count: 70), [UInt8(ascii: "\t")], [],
        ]
        var state = seed
        var bytes: [UInt8] = []
        for _ in 0..<pieces {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes += alphabet[Int(state >> 33) % alphabet.count]
        }
        return bytes
    }

    static func read(_ bytes: [UInt8], recovering: Bool, limits: CSV.Limits, separator: UInt8) -> ([CSV.Record], String?, Int) {
        var records: [CSV.Record] = []
        var end = -1
        let error: String? = bytes.withUnsafeBytes { buffer in
            do {
                end = try CSV.forEachRecord(in: buffer, separator: separator, recovering: recovering, limits: limits) { records.append($0) }
                return nil
            } catch {
                return "\(error)"
            }
        }
        return (records, error, end)
    }

    @Test(arguments: [CSV.Limits.default, CSV.Limits(recordBytes: 128, fieldBytes: 64, fields: 8)])
    func directFieldsReadAsByteByByte(limits: CSV.Limits) {
        var plain = limits
        plain.plainFieldsDirect = false
        for seed in 0..<400 as Range<UInt64> {
            let bytes = Self.randomText(seed: seed, pieces: 5 + Int(seed % 60))
            for recovering in [false, true] {
                for separator in [UInt8(ascii: ","), UInt8(ascii: "\t")] {
                    let fast = Self.read(bytes, recovering: recovering, limits: limits, separator: separator)
                    let slow = Self.read(bytes, recovering: recovering, limits: plain, separator: separator)
                    #expect(fast.0 == slow.0, "seed \(seed), recovering \(recovering)")
                    #expect(fast.1 == slow.1 && fast.2 == slow.2, "seed \(seed), recovering \(recovering)")
                }
            }
        }
    }
}
