/// Input bytes shown in messages and rejects files: valid UTF-8 as it is, other bytes as `\xNN`,
/// control characters (other than tab) as `\n`, `\r`, `\u{…}`, clipped to about `limit`
/// characters with the number of bytes left out.
public enum RawText {
    public static func escaped(_ bytes: UnsafeRawBufferPointer, limit: Int = 200) -> String {
        var out = ""
        var shown = 0
        var i = 0
        let n = bytes.count
        // Trailing line ends are not part of the record.
        var end = n
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        while i < end {
            if shown >= limit {
                out += "… (\(end - i) more bytes)"
                break
            }
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            if length > 1, i + length <= end,
               let scalar = UTF8Text.string(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + length)])) {
                out += scalar
                i += length
            } else if length == 1 {
                switch b {
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\t"
                case 0x00..<0x20, 0x7F: out += "\\u{\(String(b, radix: 16))}"
                default: out.unicodeScalars.append(Unicode.Scalar(b))
                }
                i += 1
            } else {
                out += "\\x" + (b < 0x10 ? "0" : "") + String(b, radix: 16, uppercase: true)
                i += 1
            }
            shown += 1
        }
        return out
    }

    public static func escaped(_ bytes: [UInt8], limit: Int = 200) -> String {
        bytes.withUnsafeBytes { escaped($0, limit: limit) }
    }

    /// A string clipped to `limit` characters for a message.
    public static func clipped(_ text: String, limit: Int = 200) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "… (\(text.count - limit) more characters)"
    }
}
