/// Properties an analysis sets on a feature it writes, after the feature's own members: as
/// names and values, or as text a layer writes straight into the output (no value array, no
/// string per feature), which must be the bytes the values would give.
public enum AddedProperties: Sendable {
    /// Names and values, in order.
    case values([(String, JSONValue)])
    /// The members `writer` writes for feature `index`.
    case text(any AddedPropertiesWriter, index: Int)

    public static let none = AddedProperties.values([])

    public var isEmpty: Bool {
        switch self {
        case .values(let values): values.isEmpty
        case .text(let writer, _): writer.addedNames.names.isEmpty
        }
    }

    /// The names, in order.
    public var names: [String] {
        switch self {
        case .values(let values): values.map(\.0)
        case .text(let writer, _): writer.addedNames.names
        }
    }

    /// Whether `name` is one of the names.
    public func has(_ name: String) -> Bool {
        switch self {
        case .values(let values): values.contains { $0.0 == name }
        case .text(let writer, _): writer.addedNames.names.contains(name)
        }
    }

    /// The names and values.
    public var values: [(String, JSONValue)] {
        switch self {
        case .values(let values): values
        case .text(let writer, let index): writer.addedValues(index)
        }
    }

    /// Appends the members, `"name":value` joined by commas (nothing before the first).
    public func appendMembers(to w: inout JSONWriter) {
        switch self {
        case .values(let values):
            for (k, (name, value)) in values.enumerated() {
                if k > 0 { w.appendByte(UInt8(ascii: ",")) }
                w.appendString(name)
                w.appendByte(UInt8(ascii: ":"))
                w.append(value)
            }
        case .text(let writer, let index):
            writer.appendMembers(index, to: &w)
        }
    }

    /// Whether a member of a verbatim properties text (see `PointFeatureText.contains`), whose
    /// names `bloom` holds, has one of the added names.
    func meetsAny(of text: UnsafeRawBufferPointer, bloom: NameBloom) -> Bool {
        switch self {
        case .values(let values):
            for (name, _) in values where bloom.mayContain(name) && PointFeatureText.contains(text, name: name) { return true }
            return false
        case .text(let writer, _):
            let names = writer.addedNames
            for k in names.names.indices where bloom.mayContain(mixed: names.mixedHashes[k]) {
                if names.patterns[k].withUnsafeBytes({ PointFeatureText.contains(text, pattern: $0) }) { return true }
            }
            return false
        }
    }
}

/// The properties a layer adds to its features, as values and written as text
/// (`AddedProperties.text`). Called from several threads at once.
public protocol AddedPropertiesWriter: AnyObject, Sendable {
    var addedNames: AddedNames { get }
    /// Feature `index`'s members, named `addedNames.names` in that order (for writers that
    /// need values: GDAL's formats type their fields by them).
    func addedValues(_ index: Int) -> [(String, JSONValue)]
    /// Exactly what `JSONWriter` writes for `addedValues(index)`: `"name":value` joined by
    /// commas, no braces.
    func appendMembers(_ index: Int, to w: inout JSONWriter)
}

/// The names a layer adds to every feature, with what is needed to test for them in a
/// feature's text, worked out once: each name's `"name":` and its `NameBloom` hash.
public struct AddedNames: Sendable {
    public let names: [String]
    /// `"name":` per name, as JSON writes it.
    public let memberStarts: [[UInt8]]
    /// `"name":` per name unescaped, as `PointFeatureText.contains` looks for it.
    let patterns: [[UInt8]]
    let mixedHashes: [UInt64]

    /// - Precondition: no name repeated.
    public init(_ names: [String]) {
        precondition(Set(names).count == names.count, "added names repeat: \(names)")
        self.names = names
        memberStarts = names.map { name in
            var w = JSONWriter()
            w.appendString(name)
            w.appendByte(UInt8(ascii: ":"))
            return w.bytes
        }
        patterns = names.map { [UInt8(ascii: "\"")] + Array($0.utf8) + [UInt8(ascii: "\""), UInt8(ascii: ":")] }
        mixedHashes = names.map { NameBloom.mixed(NameBloom.hash($0)) }
    }

    /// Appends member `k`'s `"name":` (after a comma unless it is the first).
    @inline(__always)
    public func appendStart(_ k: Int, to w: inout JSONWriter) {
        if k > 0 { w.appendByte(UInt8(ascii: ",")) }
        w.bytes.append(contentsOf: memberStarts[k])
    }
}
