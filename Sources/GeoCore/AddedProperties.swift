/// Properties an analysis sets on a feature it writes, after the feature's own members: as
/// names and values, or as text a layer writes straight into the output (no value array, no
/// string per feature), which must be the bytes the values would give.
public enum AddedProperties: Sendable {
    /// Names and values, in order.
    case values([(String, JSONValue)])
    /// The members `writer` writes for feature `index`.
    case text(any AddedPropertiesWriter, index: Int)
    /// These properties, then more names and values (none of them among the first).
    indirect case followed(AddedProperties, by: [(String, JSONValue)])

    public var isEmpty: Bool {
        switch self {
        case .values(let values): values.isEmpty
        case .text(let writer, _): writer.addedNames.names.isEmpty
        case .followed(let first, let then): first.isEmpty && then.isEmpty
        }
    }

    /// The names, in order.
    public var names: [String] {
        switch self {
        case .values(let values): values.map(\.0)
        case .text(let writer, _): writer.addedNames.names
        case .followed(let first, let then): first.names + then.map(\.0)
        }
    }

    /// Whether `name` is one of the names.
    public func has(_ name: String) -> Bool {
        switch self {
        case .values(let values): values.contains { $0.0 == name }
        case .text(let writer, _): writer.addedNames.names.contains(name)
        case .followed(let first, let then): first.has(name) || then.contains { $0.0 == name }
        }
    }

    /// The names and values.
    public var values: [(String, JSONValue)] {
        switch self {
        case .values(let values): values
        case .text(let writer, let index): writer.addedValues(index)
        case .followed(let first, let then): first.values + then
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
        case .followed(let first, let then):
            first.appendMembers(to: &w)
            var comma = !first.isEmpty
            for (name, value) in then {
                if comma { w.appendByte(UInt8(ascii: ",")) }
                comma = true
                w.appendString(name)
                w.appendByte(UInt8(ascii: ":"))
                w.append(value)
            }
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
            for pattern in writer.addedNames.patterns where pattern.mayBeIn(text, bloom: bloom) { return true }
            return false
        case .followed(let first, let then):
            return first.meetsAny(of: text, bloom: bloom) || AddedProperties.values(then).meetsAny(of: text, bloom: bloom)
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
    /// A writer of the same members with objects of its own (`addedNames` included), for one
    /// thread's batch of features: each feature's reference counting then touches memory no
    /// other thread writes. The default is the writer itself.
    func copyForThread() -> any AddedPropertiesWriter
}

extension AddedPropertiesWriter {
    public func copyForThread() -> any AddedPropertiesWriter { self }
}

extension AddedProperties {
    /// The same properties with `.text`'s writer replaced by `copy` when it is `original`.
    @inline(__always)
    public func replacingWriter(_ original: ObjectIdentifier, with copy: any AddedPropertiesWriter) -> AddedProperties {
        if case .followed(let first, let then) = self { return .followed(first.replacingWriter(original, with: copy), by: then) }
        guard case .text(let writer, let index) = self, ObjectIdentifier(writer) == original else { return self }
        return .text(copy, index: index)
    }
}

/// The names a layer adds to every feature, worked out once: each name's `"name":` as JSON
/// writes it, and its pattern to look for in a feature's text. A class: handed over per
/// feature without copying its arrays.
public final class AddedNames: Sendable {
    public let names: [String]
    /// `"name":` per name.
    public let memberStarts: ByteTexts
    /// `,"name":` per name (one append after a member).
    let followingStarts: ByteTexts
    let patterns: [MemberNamePattern]

    /// - Precondition: no name repeated.
    public init(_ names: [String]) {
        precondition(Set(names).count == names.count, "added names repeat: \(names)")
        self.names = names
        let starts = names.map { name in
            var w = JSONWriter()
            w.appendString(name)
            w.appendByte(UInt8(ascii: ":"))
            return w.bytes
        }
        memberStarts = ByteTexts(starts)
        followingStarts = ByteTexts(starts.map { [UInt8(ascii: ",")] + $0 })
        patterns = names.map(MemberNamePattern.init)
    }

    /// The same names in an object and buffers of their own (for
    /// `AddedPropertiesWriter.copyForThread`).
    public func copied() -> AddedNames { AddedNames(names.map { $0 }) }

    /// Appends member `k`'s `"name":` (after a comma unless it is the first).
    @inline(__always)
    public func appendStart(_ k: Int, to w: inout JSONWriter) {
        if k > 0 { followingStarts.append(k, to: &w) } else { memberStarts.append(k, to: &w) }
    }
}

/// Many short texts in one buffer (no array, no reference count per text), appended by number.
public struct ByteTexts: Sendable {
    private let bytes: [UInt8]
    private let starts: [Int]

    public init(_ texts: [[UInt8]]) {
        bytes = Array(texts.joined())
        var starts = [0]
        for t in texts { starts.append(starts.last! + t.count) }
        self.starts = starts
    }

    private init(bytes: [UInt8], starts: [Int]) {
        self.bytes = bytes
        self.starts = starts
    }

    /// The same texts in buffers of their own (for `AddedPropertiesWriter.copyForThread`).
    public func copied() -> ByteTexts {
        ByteTexts(bytes: bytes.withUnsafeBufferPointer { Array($0) }, starts: starts.withUnsafeBufferPointer { Array($0) })
    }

    /// Appends text `k`, without its first `dropFirst` and last `dropLast` bytes.
    @inline(__always)
    public func append(_ k: Int, dropFirst: Int = 0, dropLast: Int = 0, to w: inout JSONWriter) {
        let range = (starts[k] + dropFirst)..<(starts[k + 1] - dropLast)
        bytes.withUnsafeBufferPointer { w.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
    }
}

/// A member name to look for in verbatim properties texts (`PointFeatureText.contains`),
/// worked out once: its `"name":` unescaped and its `NameBloom` hash.
public struct MemberNamePattern: Sendable {
    let pattern: [UInt8]
    let mixedHash: UInt64

    public init(_ name: String) {
        pattern = MemberPatterns.pattern(name)
        mixedHash = NameBloom.mixed(NameBloom.hash(name))
    }

    /// Whether a verbatim properties text whose names `bloom` holds has a member of this name.
    @inline(__always)
    func mayBeIn(_ text: UnsafeRawBufferPointer, bloom: NameBloom) -> Bool {
        bloom.mayContain(mixed: mixedHash) && pattern.withUnsafeBytes { PointFeatureText.contains(text, pattern: $0) }
    }
}
