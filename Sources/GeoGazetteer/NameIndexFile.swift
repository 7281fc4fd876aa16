import GeoCore

/// The precomputed name index of `places.tsv` (`Gazetteer/name-index.bin`), memory-mapped so
/// that loading the gazetteer costs no key computation and no hashing of 400,000 names.
///
/// Written by `geo gazetteer build-index` (run by `scripts/build-gazetteer`), deterministic
/// byte for byte. The header records the size and FNV-1a hash of the `places.tsv` it was built
/// from and `NameNormalizer.version`; a file that does not match is ignored and the keys are
/// computed in memory instead (`Gazetteer.nameIndexStatus` says so).
///
/// Layout, little-endian: a 64-byte header (magic `GEONIDX1`, normalizer version, places.tsv
/// size and hash, entry, key and slot counts, byte sizes), then `slots` (UInt32, key number + 1,
/// 0 = empty; open addressing with linear probing on FNV-1a 64 of the key bytes), `keyStart`
/// (UInt32 × keys + 1, offsets into the key bytes), `postingStart` (UInt32 × keys + 1), the
/// postings (UInt32 entry numbers, ascending per key) and the key bytes. Keys are
/// `NameNormalizer.key` of every name and alias; names in scripts without keys are stored
/// lowercased behind a 0x01 byte.
struct NameIndexFile {
    static let magic: [UInt8] = Array("GEONIDX1".utf8)
    static let headerSize = 64

    let file: InputFile
    let base: UnsafeRawPointer
    let entryCount: Int
    let keyCount: Int
    let slotMask: Int
    let slots: UnsafePointer<UInt32>
    let keyStart: UnsafePointer<UInt32>
    let postingStart: UnsafePointer<UInt32>
    let postings: UnsafePointer<UInt32>
    let keyBytes: UnsafePointer<UInt8>

    /// Why a file was not used, for `geo gazetteer info`.
    enum Status: Equatable, CustomStringConvertible {
        case used
        case missing
        case stale(String)

        var description: String {
            switch self {
            case .used: "precomputed (name-index.bin)"
            case .missing: "computed at load (name-index.bin missing; run scripts/build-gazetteer)"
            case .stale(let why): "computed at load (name-index.bin \(why); run scripts/build-gazetteer)"
            }
        }
    }

    /// Opens the index if it matches `places` (the bytes of places.tsv) and `entryCount`.
    static func open(_ path: String, placesSize: Int, placesHash: UInt64, entryCount: Int) -> (NameIndexFile?, Status) {
        guard let file = try? InputFile(path: path) else { return (nil, .missing) }
        let raw: UnsafeRawBufferPointer = file.withUnsafeBytes { $0 }  // mapped: stays valid while `file` lives
        guard raw.count >= headerSize, Array(raw[0..<8]) == magic, let base = raw.baseAddress else { return (nil, .stale("is not a name index")) }
        func u32(_ at: Int) -> Int { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        guard u32(8) == NameNormalizer.version else { return (nil, .stale("was built by another normaliser version")) }
        guard u64(16) == UInt64(placesSize), u64(24) == placesHash else { return (nil, .stale("was built from another places.tsv")) }
        guard u32(32) == entryCount else { return (nil, .stale("counts another number of places")) }
        let keys = u32(36), slotCount = u32(40), postingCount = u32(44), keyByteCount = u32(48)
        let expected = headerSize + 4 * (slotCount + 2 * (keys + 1) + postingCount) + keyByteCount
        guard slotCount > 0, slotCount & (slotCount - 1) == 0, raw.count == expected else { return (nil, .stale("is truncated")) }
        var offset = headerSize
        func table(_ count: Int) -> UnsafePointer<UInt32> {
            defer { offset += 4 * count }
            return (base + offset).assumingMemoryBound(to: UInt32.self)
        }
        let slots = table(slotCount), keyStart = table(keys + 1), postingStart = table(keys + 1), postings = table(postingCount)
        let index = NameIndexFile(
            file: file, base: base, entryCount: entryCount, keyCount: keys, slotMask: slotCount - 1, slots: slots,
            keyStart: keyStart, postingStart: postingStart, postings: postings,
            keyBytes: (base + offset).assumingMemoryBound(to: UInt8.self))
        return (index, .used)
    }

    /// The key number of `key`, or nil.
    func find(_ key: some Sequence<UInt8>, hash: UInt64, count: Int) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let k = Int(slots[slot])
            if k == 0 { return nil }
            let start = Int(keyStart[k - 1]), end = Int(keyStart[k])
            if end - start == count {
                var equal = true
                var i = start
                for b in key {
                    if keyBytes[i] != b { equal = false; break }
                    i += 1
                }
                if equal { return k - 1 }
            }
            slot = (slot + 1) & slotMask
        }
    }

    /// Entries under a normalised key, ascending.
    func entries(forKey key: String) -> UnsafeBufferPointer<UInt32> {
        if let found = key.utf8.withContiguousStorageIfAvailable({ bytes in
            postingsOf(find(bytes, hash: fnv1a(bytes), count: bytes.count))
        }) {
            return found
        }
        let bytes = Array(key.utf8)
        return postingsOf(find(bytes, hash: fnv1a(bytes), count: bytes.count))
    }

    /// Entries whose name, in a script without keys, lowercases to `lower`.
    func entries(forOtherScriptName lower: String) -> UnsafeBufferPointer<UInt32> {
        let bytes = [0x01] + Array(lower.utf8)
        return postingsOf(find(bytes, hash: fnv1a(bytes), count: bytes.count))
    }

    private func postingsOf(_ k: Int?) -> UnsafeBufferPointer<UInt32> {
        guard let k else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = Int(postingStart[k]), end = Int(postingStart[k + 1])
        return UnsafeBufferPointer(start: postings + start, count: end - start)
    }

    /// Every normalised key (not the other-script names), for the fuzzy and skeleton indexes.
    func forEachKey(_ body: (String, UnsafeBufferPointer<UInt32>) -> Void) {
        for k in 0..<keyCount {
            let start = Int(keyStart[k]), end = Int(keyStart[k + 1])
            guard end > start, keyBytes[start] != 0x01 else { continue }
            body(String(decoding: UnsafeBufferPointer(start: keyBytes + start, count: end - start), as: UTF8.self), postingsOf(k))
        }
    }

    // MARK: writing

    /// The index of `keys` (per entry: its normalised keys and its lowercased other-script
    /// names), as the bytes of the file.
    static func build(keys: [[String]], otherScriptNames: [[String]], placesSize: Int, placesHash: UInt64) -> [UInt8] {
        var postingsByKey: [[UInt8]: [UInt32]] = [:]
        for (entry, (k, other)) in zip(keys, otherScriptNames).enumerated() {
            for key in k { postingsByKey[Array(key.utf8), default: []].append(UInt32(entry)) }
            for name in other { postingsByKey[[0x01] + Array(name.utf8), default: []].append(UInt32(entry)) }
        }
        let sortedKeys = postingsByKey.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var slotCount = 1
        while slotCount < sortedKeys.count * 3 / 2 { slotCount <<= 1 }
        var slots = [UInt32](repeating: 0, count: slotCount)
        var keyStart: [UInt32] = [0], postingStart: [UInt32] = [0], postings: [UInt32] = [], keyBytes: [UInt8] = []
        for (k, key) in sortedKeys.enumerated() {
            keyBytes += key
            keyStart.append(UInt32(keyBytes.count))
            var list = postingsByKey[key]!
            list = list.enumerated().filter { $0.offset == 0 || list[$0.offset - 1] != $0.element }.map(\.element)
            postings += list
            postingStart.append(UInt32(postings.count))
            var slot = Int(truncatingIfNeeded: fnv1a(key)) & (slotCount - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = UInt32(k + 1)
        }
        var out: [UInt8] = magic
        func put32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out += $0 } }
        func put64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        put32(NameNormalizer.version)
        put32(0)
        put64(UInt64(placesSize))
        put64(placesHash)
        put32(keys.count)
        put32(sortedKeys.count)
        put32(slotCount)
        put32(postings.count)
        put32(keyBytes.count)
        out += [UInt8](repeating: 0, count: headerSize - out.count)
        for table in [slots, keyStart, postingStart, postings] {
            for v in table { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        }
        out += keyBytes
        return out
    }
}

/// FNV-1a, 64 bits: the index's hash (stable across runs and machines, unlike `Hasher`).
func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01b3
    }
    return h
}

/// FNV-1a over a whole file's bytes, eight at a time folded in order (fast enough to check a
/// 7 MB places.tsv at every load).
func fnv1aFile(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    let words = bytes.count / 8
    for i in 0..<words {
        h ^= UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
        h = h &* 0x0000_0100_0000_01b3
    }
    for i in (8 * words)..<bytes.count {
        h ^= UInt64(bytes[i])
        h = h &* 0x0000_0100_0000_01b3
    }
    return h
}
