#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OrderedCollections

/// A JSON syntax error with its 1-based line and column.
public struct JSONSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    /// Byte offset from the start of the document (0-based).
    public var offset: Int
    public var message: String

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// It never traps on bad input: every problem becomes a `JSONSyntaxError` with its line and
/// column. Nesting deeper than `maximumDepth` is an error rather than a stack overflow.
public enum JSONParser {
    /// Nesting limit for arrays and objects.
    public static let maximumDepth = 512

    /// Caps on one value, so that a file that is not GeoJSON (a 10 GB string, a binary file)
    /// costs a clear error, not the machine's memory. Errors name the line and column.
    public struct Limits: Hashable, Sendable {
        /// Bytes in one string value as written, escapes included (16 MiB, the size of the
        /// largest record read anywhere else).
        public var stringBytes: Int
        /// Bytes in one member (property) name as written (4 KiB; real names are under 100).
        public var nameBytes: Int

        public init(stringBytes: Int = 16 << 20, nameBytes: Int = 4 << 10) {
            self.stringBytes = stringBytes
            self.nameBytes = nameBytes
        }

        public static let `default` = Limits()
    }

    /// Parses one complete JSON text; anything but whitespace after it is an error.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        let array = ContiguousArray(bytes)
        return try array.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) -> JSONValue in
            try parse(buffer: UnsafeRawBufferPointer(buffer))
        }
    }

    /// Parses one complete JSON text from a string.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Parses one complete JSON text from raw memory (e.g. a memory-mapped file).
    public static func parse(buffer: UnsafeRawBufferPointer, limits: Limits = .default) throws(JSONSyntaxError) -> JSONValue {
        var scanner = JSONScanner(buffer)
        scanner.limits = limits
        let value = try scanner.parseValue()
        try scanner.expectEnd()
        return value
    }
}

/// The scanner behind `JSONParser`, also used to stream a FeatureCollection's `features`
/// one at a time. It reads from memory it does not own: keep the buffer alive while using it.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    var index: Int = 0
    var depth: Int = 0
    var limits = JSONParser.Limits.default

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        // Skip a UTF-8 byte-order mark, which some Windows tools write.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    var isAtEnd: Bool { index >= bytes.count }

    // MARK: errors

    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let stop = min(offset ?? index, bytes.count)
        var line = 1, column = 1
        var i = 0
        while i < stop {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {  // count characters, not UTF-8 continuation bytes
                column += 1
            }
            i += 1
        }
        return JSONSyntaxError(line: line, column: column, offset: stop, message: message)
    }

    func describeCurrent() -> String {
        guard index < bytes.count else { return "the end of the input" }
        let b = bytes[index]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    // MARK: structure

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Peeks the next non-whitespace byte, or nil at the end.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else {
            throw error("expected \(what), found \(describeCurrent())")
        }
        index += 1
    }

    mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if index < bytes.count {
            throw error("unexpected \(describeCurrent()) after the end of the JSON value")
        }
    }

    /// After an array element or object member: consumes `,` and returns true, or consumes the
    /// closing bracket and returns false.
    mutating func continueContainer(closing: UInt8, _ what: String) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input inside \(what)") }
        let b = bytes[index]
        if b == UInt8(ascii: ",") {
            index += 1
            // RFC 8259 has no trailing commas.
            if peek() == closing { throw error("trailing comma before '\(Character(Unicode.Scalar(closing)))'") }
            return true
        }
        if b == closing {
            index += 1
            return false
        }
        let close = Character(Unicode.Scalar(closing))
        throw error("expected ',' or '\(close)' in \(what), found \(describeCurrent())")
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONParser.maximumDepth {
            throw error("nesting deeper than \(JSONParser.maximumDepth) levels")
        }
    }

    // MARK: values

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard let b = peek() else { throw error("unexpected end of input, expected a value") }
        switch b {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        case UInt8(ascii: "'"):
            throw error("strings must use double quotes, found a single quote")
        default:
            throw error("expected a value, found \(describeCurrent())")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let start = index
        let count = word.utf8CodeUnitCount
        let ok = index + count <= bytes.count
            && (0..<count).allSatisfy { bytes[index + $0] == word.utf8Start[$0] }
        guard ok else { throw error("invalid literal, expected '\(word)'", at: start) }
        index += count
    }

    mutating func parseObject() throws(JSONSyntaxError) -> OrderedDictionary<String, JSONValue> {
        try expect(UInt8(ascii: "{"), "'{'")
        try enter()
        defer { depth -= 1 }
        var members = OrderedDictionary<String, JSONValue>()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return members
        }
        repeat {
            let key = try parseKey()
            members[key] = try parseValue()
        } while try continueContainer(closing: UInt8(ascii: "}"), "object")
        return members
    }

    /// The members of the object at `index`, in order, as `parseObject` reads them, but with
    /// each name as the range of its bytes (quotes excluded) instead of a String: for objects
    /// whose names have no escapes (a name with one is a syntax error here).
    mutating func forEachPlainMember(_ body: (Range<Int>, JSONValue) -> Void) throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "{"), "'{'")
        try enter()
        defer { depth -= 1 }
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        repeat {
            guard peek() == UInt8(ascii: "\""), let close = memchr(bytes.baseAddress! + index + 1, 0x22, bytes.count - index - 1) else {
                throw error("expected a member name in double quotes")
            }
            let name = (index + 1)..<bytes.baseAddress!.distance(to: UnsafeRawPointer(close))
            guard !bytes[name].contains(UInt8(ascii: "\\")), name.count <= limits.nameBytes else { throw error("member name with an escape") }
            index = name.upperBound + 1
            try expect(UInt8(ascii: ":"), "':' after member name")
            body(name, try parseValue())
        } while try continueContainer(closing: UInt8(ascii: "}"), "object")
    }

    /// A member name followed by its colon.
    mutating func parseKey() throws(JSONSyntaxError) -> String {
        guard let b = peek() else { throw error("unexpected end of input inside object") }
        guard b == UInt8(ascii: "\"") else {
            if b == UInt8(ascii: "'") { throw error("member names must use double quotes, found a single quote") }
            throw error("expected a member name in double quotes, found \(describeCurrent())")
        }
        let key = try parseString(limit: limits.nameBytes, what: "member name")
        try expect(UInt8(ascii: ":"), "':' after member name")
        return key
    }

    mutating func parseArray() throws(JSONSyntaxError) -> [JSONValue] {
        try expect(UInt8(ascii: "["), "'['")
        try enter()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        if peek() == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        repeat {
            elements.append(try parseValue())
        } while try continueContainer(closing: UInt8(ascii: "]"), "array")
        return elements
    }

    func tooLong(_ what: String, limit: Int, at open: Int) -> JSONSyntaxError {
        let size = limit >= 1 << 20 && limit % (1 << 20) == 0 ? "\(limit >> 20) MiB"
            : limit >= 1 << 10 && limit % (1 << 10) == 0 ? "\(limit >> 10) KiB" : "\(limit) bytes"
        return error("\(what) longer than \(size) (the limit on one JSON \(what))", at: open)
    }

    /// A string of at most `limit` bytes as written (escapes counted as written).
    mutating func parseString(limit: Int? = nil, what: String = "string") throws(JSONSyntaxError) -> String {
        let open = index
        index += 1  // the opening quote
        let start = index
        let limit = limit ?? limits.stringBytes
        // Fast path: no escapes.
        while index < bytes.count {
            if index - start > limit { throw tooLong(what, limit: limit, at: open) }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                guard let s = UTF8Text.string(slice) else {
                    throw error("string is not valid UTF-8", at: open)
                }
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) inside a string (escape it)") }
            index += 1
        }
        guard index < bytes.count else { throw error("unterminated string", at: open) }
        // Slow path with escapes.
        var utf8 = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            if index - start > limit { throw tooLong(what, limit: limit, at: open) }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                guard let s = UTF8Text.string(utf8) else {
                    throw error("string is not valid UTF-8", at: open)
                }
                return s
            }
            if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) inside a string (escape it)") }
            if b != UInt8(ascii: "\\") {
                utf8.append(b)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): utf8.append(0x22)
            case UInt8(ascii: "\\"): utf8.append(0x5C)
            case UInt8(ascii: "/"): utf8.append(0x2F)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { throw error("unpaired UTF-16 surrogate in \\u escape") }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("unpaired UTF-16 surrogate in \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                utf8.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: index - 2)
            }
        }
        throw error("unterminated string", at: open)
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    /// Exact powers of ten for the fast path of number conversion.
    static let powersOfTen: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { acc, _ in acc * 10 } }

    /// Parses a number; only the digits are needed for a number used as a coordinate.
    mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var significantOverflow = false
        let intStart = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- UInt8(ascii: "0"))
            } else {
                significantOverflow = true
            }
            digits += 1
            index += 1
        }
        let intDigits = index - intStart
        if intDigits == 0 { throw error("invalid number: expected a digit", at: index) }
        if intDigits > 1 && bytes[intStart] == UInt8(ascii: "0") {
            throw error("invalid number: leading zeros are not allowed", at: start)
        }
        var isInteger = true
        var fractionDigits = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let fracStart = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- UInt8(ascii: "0"))
                    fractionDigits += 1
                } else {
                    significantOverflow = true
                }
                digits += 1
                index += 1
            }
            if index == fracStart { throw error("invalid number: expected a digit after '.'", at: index) }
        }
        var exponent = 0
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            var expNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                expNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let expStart = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[index] &- UInt8(ascii: "0")) }
                index += 1
            }
            if index == expStart { throw error("invalid number: expected a digit in the exponent", at: index) }
            if expNegative { exponent = -exponent }
        }
        if isInteger && !significantOverflow && mantissa <= UInt64(Int64.max) {
            let v = Int64(mantissa)
            return .integer(negative ? -v : v)
        }
        // -9223372036854775808 fits in 64 bits although its magnitude does not.
        if isInteger && !significantOverflow && negative && mantissa == UInt64(Int64.max) + 1 {
            return .integer(.min)
        }
        // Clinger's fast path: exact when the mantissa and the power of ten are exact doubles.
        let scale = exponent - fractionDigits
        if !significantOverflow, mantissa < (1 << 53), abs(scale) <= 22 {
            var d = Double(mantissa)
            d = scale < 0 ? d / JSONScanner.powersOfTen[-scale] : d * JSONScanner.powersOfTen[scale]
            return .double(negative ? -d : d)
        }
        return .double(slowDouble(start..<index))
    }

    /// Correctly rounded conversion through the C library for the rare long numbers.
    func slowDouble(_ range: Range<Int>) -> Double {
        var text = [CChar](repeating: 0, count: range.count + 1)
        for (i, j) in range.enumerated() { text[i] = CChar(bitPattern: bytes[j]) }
        return strtod(text, nil)
    }
}
