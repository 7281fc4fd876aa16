#if canImport(Glibc)
import Glibc
#endif

/// Case-insensitive comparison of names without allocating, for exact matching.
///
/// The query side is "covered" text: every scalar below U+0300 (ASCII, Latin-1, Latin
/// Extended-A/B, IPA) except U+0130 (İ, whose lowercase is two scalars). In that range
/// `lowercased()` maps each scalar to one scalar and there are no combining marks or canonical
/// singletons, so a name made of such scalars is equal to the query lowercased (as `String ==`
/// decides it, by canonical equivalence) exactly when their simple lowercase mappings are equal
/// scalar by scalar. A name holding a scalar that could still be canonically equal to covered
/// text (a combining mark, K KELVIN SIGN, İ…) is compared with `lowercased()`; a name holding a
/// letter that never can (Arabic, Cyrillic, ḩ…) is unequal. Queries that are not covered go
/// through `lowercased()` entirely (`withLowercasedUTF8` gives nil).
enum CaseFolding {
    /// Scalars below U+0300 → their lowercase scalar (U+0130 → 0: not covered).
    static let lowercaseTable: [UInt32] = (0..<UInt32(0x300)).map { v in
        guard v != 0x130, let scalar = Unicode.Scalar(v) else { return 0 }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first!.value : 0
    }

    /// Whether a scalar at or above U+0300 can take part in a name that equals covered text
    /// when both are lowercased and compared as `String ==` does (canonical equivalence):
    /// combining marks, canonical singletons onto such text (K Kelvin, Å Angstrom, ΄ ; · ` ´),
    /// and letters whose lowercase is in the table's range (ẞ → ß, ⱥ, ⱦ). Everything above
    /// U+FFFF is sent to `lowercased()` too.
    static func mayEqualCoveredText(_ v: UInt32) -> Bool {
        v >= 0x10000 || reachesCoveredText[Int(v)]
    }

    static let reachesCoveredText: [Bool] = {
        let singletons: Set<UInt32> = [0x340, 0x341, 0x343, 0x374, 0x37E, 0x387, 0x1FEF, 0x1FFD, 0x212A, 0x212B, 0x2C65, 0x2C66]
        return (0..<UInt32(0x10000)).map { v in
            guard v >= 0x300, let scalar = Unicode.Scalar(v) else { return false }
            if singletons.contains(v) || scalar.properties.canonicalCombiningClass != .notReordered { return true }
            guard scalar.properties.changesWhenLowercased else { return false }
            return scalar.properties.lowercaseMapping.unicodeScalars.contains { $0.value < 0x300 || $0.value == 0x2C65 || $0.value == 0x2C66 }
        }
    }()

    /// Calls `body` with `text.lowercased()` as UTF-8 bytes in a temporary buffer, or with nil
    /// when `text` has a scalar the table does not cover.
    static func withLowercasedUTF8<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        // A lowercase letter takes at most 1.5 times the bytes of its capital (Ⱥ → ⱥ: 2 → 3).
        let capacity = text.utf8.count * 3 / 2 + 4
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var count = 0
            var ascii = true
            for b in text.utf8 {
                if b >= 0x80 {
                    ascii = false
                    break
                }
                buffer[count] = b >= 0x41 && b <= 0x5A ? b + 32 : b
                count += 1
            }
            if !ascii {
                count = 0
                for scalar in text.unicodeScalars {
                    guard scalar.value < 0x300 else { return body(nil) }
                    let lower = lowercaseTable[Int(scalar.value)]
                    guard lower != 0 || scalar.value == 0 else { return body(nil) }
                    if lower < 0x80 {
                        buffer[count] = UInt8(lower)
                        count += 1
                    } else if lower < 0x800 {
                        buffer[count] = UInt8(0xC0 | (lower >> 6))
                        buffer[count + 1] = UInt8(0x80 | (lower & 0x3F))
                        count += 2
                    } else {
                        buffer[count] = UInt8(0xE0 | (lower >> 12))
                        buffer[count + 1] = UInt8(0x80 | ((lower >> 6) & 0x3F))
                        buffer[count + 2] = UInt8(0x80 | (lower & 0x3F))
                        count += 3
                    }
                }
            }
            return body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Whether one of the `|`-separated names in `names` (a name, or an entry's alias text),
    /// lowercased, is `lower` (UTF-8 of a lowercased text, from `withLowercasedUTF8`).
    static func names(_ names: String, lowercasedEqual lower: UnsafeBufferPointer<UInt8>) -> Bool {
        if let answer = names.utf8.withContiguousStorageIfAvailable({ anyName(in: $0, lowercasedEqual: lower) }) { return answer }
        var copy = names
        return copy.withUTF8 { anyName(in: $0, lowercasedEqual: lower) }
    }

    static func anyName(in text: UnsafeBufferPointer<UInt8>, lowercasedEqual lower: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return lower.isEmpty }
        var start = 0
        let n = text.count
        while start <= n {
            let end: Int
            if let bar = memchr(base + start, Int32(UInt8(ascii: "|")), n - start) {
                end = base.distance(to: bar.assumingMemoryBound(to: UInt8.self))
            } else {
                end = n
            }
            if equal(UnsafeBufferPointer(start: base + start, count: end - start), lowercased: lower) { return true }
            start = end + 1
        }
        return false
    }

    /// Whether `name` lowercased is `lower`. Scalars lowercase to scalars of the same UTF-8
    /// length except ones above U+0200 (İ, Ⱥ, Ⱦ and beyond), so a plain name of another byte
    /// length is rejected without decoding.
    static func equal(_ name: UnsafeBufferPointer<UInt8>, lowercased lower: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0, j = 0
        let n = name.count, m = lower.count
        if n != m {
            // Only a scalar from U+0100 on (lead byte ≥ 0xC4) can make lengths differ: one whose
            // lowercase has another UTF-8 length, a combining mark, İ.
            var mayDiffer = false
            for b in name where b >= 0xC4 {
                mayDiffer = true
                break
            }
            if !mayDiffer { return false }
        }
        while i < n {
            let b = name[i]
            if b < 0x80 {
                guard j < m, lower[j] == (b >= 0x41 && b <= 0x5A ? b + 32 : b) else { return mismatch(name, lower) }
                i += 1
                j += 1
                continue
            }
            // Decode one scalar of the name.
            var v: UInt32, length: Int
            if b >= 0xF0 { v = UInt32(b & 0x07); length = 4 } else if b >= 0xE0 { v = UInt32(b & 0x0F); length = 3 } else { v = UInt32(b & 0x1F); length = 2 }
            guard i + length <= n else { return false }  // not UTF-8
            for k in 1..<length { v = v << 6 | UInt32(name[i + k] & 0x3F) }
            i += length
            if v >= 0x300 || lowercaseTable[Int(v)] == 0 {
                // Outside the table. Most such letters (Arabic, Cyrillic, ḩ…) cannot equal
                // covered text in any case or normal form; for the few that can, let
                // `lowercased()` compare the whole name.
                guard v < 0x300 || mayEqualCoveredText(v) else { return false }
                return slowEqual(name, lower)
            }
            // Compare the lowercase scalar with the next scalar of `lower` (both UTF-8).
            let w = lowercaseTable[Int(v)]
            guard j < m else { return mismatch(name, lower) }
            var u = UInt32(lower[j]), count = 1
            if u >= 0xF0 { u &= 0x07; count = 4 } else if u >= 0xE0 { u &= 0x0F; count = 3 } else if u >= 0xC0 { u &= 0x1F; count = 2 }
            guard j + count <= m else { return mismatch(name, lower) }
            for k in 1..<max(1, count) { u = u << 6 | UInt32(lower[j + k] & 0x3F) }
            guard u == w else { return mismatch(name, lower) }
            j += count
        }
        return j == m ? true : mismatch(name, lower)
    }

    /// The answer when scalar-by-scalar comparison fails: false, unless a later scalar of the
    /// name can still make the strings canonically equal (a combining mark composing with the
    /// letter before it, a singleton such as K KELVIN SIGN, İ); then `lowercased()` decides.
    static func mismatch(_ name: UnsafeBufferPointer<UInt8>, _ lower: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        var needsFullComparison = false
        while i < name.count {
            let b = name[i]
            guard b >= 0xC4 else {
                i += 1
                continue
            }
            var v: UInt32, length: Int
            if b >= 0xF0 { v = UInt32(b & 0x07); length = 4 } else if b >= 0xE0 { v = UInt32(b & 0x0F); length = 3 } else { v = UInt32(b & 0x1F); length = 2 }
            guard i + length <= name.count else { return false }
            for k in 1..<length { v = v << 6 | UInt32(name[i + k] & 0x3F) }
            i += length
            if v == 0x130 || (v >= 0x300 && mayEqualCoveredText(v)) {
                needsFullComparison = true
            } else if v >= 0x300 {
                return false  // a letter that no covered text equals in any case or form
            }
        }
        return needsFullComparison && slowEqual(name, lower)
    }

    /// `lowercased() ==` on the two texts (canonical equivalence).
    static func slowEqual(_ name: UnsafeBufferPointer<UInt8>, _ lower: UnsafeBufferPointer<UInt8>) -> Bool {
        String(decoding: name, as: UTF8.self).lowercased() == String(decoding: lower, as: UTF8.self)
    }
}
