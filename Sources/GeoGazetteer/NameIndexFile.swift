import GeoCore

/// The precomputed name index of `places.tsv` (`Gazetteer/name-index.bin`), memory-mapped so
/// that loading the gazetteer costs no key computation and no hashing of 400,000 names.
///
/// Written by `geo gazetteer build-index` (run by `scripts/build-gazetteer`), deterministic
/// byte for byte. The header records the size and FNV-1a hash of the `places.tsv` it was built
/// from and `NameNormalizer.version`; a file that does not match is ignored and the keys are
/// computed in memory instead (`Gazetteer.nameIndexStatus` says so).
///
/// Layout, little-endian: a 64-byte header (magic `GEONIDX2`, normalizer version, places.tsv
/// size and hash, entry, key and slot counts, byte sizes, key bits), then `slots` (UInt32: 0 =
/// empty, else key number + 1 in the low `keyBits` bits and the top bits of the key's hash
/// above them, so that a probe rarely reads a key it does not want; open addressing with
/// linear probing on FNV-1a 64 of the key bytes), `records` (UInt32 pairs × keys + 1: the
/// key's offset into the key bytes and into the postings, side by side so that one cache line
/// serves both), the postings (UInt32 entry numbers, ascending per key) and the key bytes.
/// Keys are `NameNormalizer.key` of every name and alias; names in scripts without keys are
/// stored lowercased behind a 0x01 byte.
struct NameIndexFile {
    static let magic: [UInt8] = Array("GEONIDX2".utf8)
    static let headerSize = 64

    let file: InputFile
    let base: UnsafeRawPointer
    let entryCount: Int
    let keyCount: Int
    let slotMask: Int
    let keyBits: Int
    let slots: UnsafePointer<UInt32>
    /// keyStart(k) = records[2k], postingStart(k) = records[2k + 1].
    let records: UnsafePointer<UInt32>
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
        guard raw.count >= headerSize, Array(raw[0..<7]) == Array(magic.prefix(7)), let base = raw.baseAddress else { return (nil, .stale("is not a name index")) }
        guard Array(raw[0..<8]) == magic else { return (nil, .stale("has an older format")) }
        func u32(_ at: Int) -> Int { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        guard u32(8) == NameNormalizer.version else { return (nil, .stale("was built by another normaliser version")) }
        guard u64(16) == UInt64(placesSize), u64(24) == placesHash else { return (nil, .stale("was built from another places.tsv")) }
        guard u32(32) == entryCount else { return (nil, .stale("counts another number of places")) }
        let keys = u32(36), slotCount = u32(40), postingCount = u32(44), keyByteCount = u32(48), keyBits = u32(52)
        let expected = headerSize + 4 * (slotCount + 2 * (keys + 1) + postingCount) + keyByteCount
        guard slotCount > 0, slotCount & (slotCount - 1) == 0, raw.count == expected, keyBits == Self.keyBits(keys) else {
            return (nil, .stale("is truncated"))
        }
        var offset = headerSize
        func table(_ count: Int) -> UnsafePointer<UInt32> {
            defer { offset += 4 * count }
            return (base + offset).assumingMemoryBound(to: UInt32.self)
        }
        let slots = table(slotCount), records = table(2 * (keys + 1)), postings = table(postingCount)
        let index = NameIndexFile(
            file: file, base: base, entryCount: entryCount, keyCount: keys, slotMask: slotCount - 1, keyBits: keyBits, slots: slots,
            records: records, postings: postings, keyBytes: (base + offset).assumingMemoryBound(to: UInt8.self))
        return (index, .used)
    }

    /// Bits for key numbers + 1 in a slot: enough for `keys`.
    static func keyBits(_ keys: Int) -> Int { max(1, Int.bitWidth - keys.leadingZeroBitCount) }

    /// The slot value of key number `k` with hash `hash`.
    static func slotValue(_ k: Int, hash: UInt64, keyBits: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: hash >> UInt64(32 + keyBits)) << UInt32(keyBits) | UInt32(k + 1)
    }

    @inline(__always) func keyStart(_ k: Int) -> Int { Int(records[2 * k]) }
    @inline(__always) func postingStart(_ k: Int) -> Int { Int(records[2 * k + 1]) }

    /// The key number of `key`, or nil.
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        let keyMask = UInt32(1) << UInt32(keyBits) - 1
        let fingerprint = Self.slotValue(0, hash: hash, keyBits: keyBits) & ~keyMask
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let value = slots[slot]
            if value == 0 { return nil }
            if value & ~keyMask == fingerprint {
                let k = Int(value & keyMask) - 1
                let start = keyStart(k), end = keyStart(k + 1)
                if end - start == key.count, key.count == 0 || memcmpEqual(keyBytes + start, key.baseAddress, key.count) { return k }
            }
            slot = (slot + 1) & slotMask
        }
    }

    /// Entries under a normalised key (its UTF-8 bytes), ascending.
    func entries(forKey key: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt32> {
        postingsOf(find(key, hash: fnv1a(key)))
    }

    /// Entries under a normalised key, ascending.
    func entries(forKey key: String) -> UnsafeBufferPointer<UInt32> {
        var key = key
        return key.withUTF8 { entries(forKey: $0) }
    }

    /// Entries whose name, in a script without keys, lowercases to `lower`.
    func entries(forOtherScriptName lower: String) -> UnsafeBufferPointer<UInt32> {
        let bytes = [0x01] + Array(lower.utf8)
        return bytes.withUnsafeBufferPointer { postingsOf(find($0, hash: fnv1a($0))) }
    }

    private func postingsOf(_ k: Int?) -> UnsafeBufferPointer<UInt32> {
        guard let k else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = postingStart(k), end = postingStart(k + 1)
        return UnsafeBufferPointer(start: postings + start, count: end - start)
    }

    /// Every normalised key's bytes (not the other-script names) with its entries, for the
    /// fuzzy and skeleton indexes.
    func forEachKey(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt32>) -> Void) {
        for k in 0..<keyCount {
            let start = keyStart(k), end = keyStart(k + 1)
            guard end > start, keyBytes[start] != 0x01 else { continue }
            body(UnsafeBufferPointer(start: keyBytes + start, count: end - start), postingsOf(k))
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
        var records: [UInt32] = [0, 0], postings: [UInt32] = [], keyBytes: [UInt8] = []
        let keyBits = Self.keyBits(sortedKeys.count)
        for (k, key) in sortedKeys.enumerated() {
            keyBytes += key
            var list = postingsByKey[key]!
            list = list.enumerated().filter { $0.offset == 0 || list[$0.offset - 1] != $0.element }.map(\.element)
            postings += list
            records += [UInt32(keyBytes.count), UInt32(postings.count)]
            let hash = fnv1a(key)
            var slot = Int(truncatingIfNeeded: hash) & (slotCount - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = slotValue(k, hash: hash, keyBits: keyBits)
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
        put32(keyBits)
        out += [UInt8](repeating: 0, count: headerSize - out.count)
        for table in [slots, records, postings] {
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
