import GeoCore

/// The precomputed name index of `places.tsv` (`Gazetteer/name-index.bin`), memory-mapped so
/// that loading the gazetteer costs no key computation and no hashing of 400,000 names.
///
/// Written by `geo gazetteer build-index` (run by `scripts/build-gazetteer`), deterministic
/// byte for byte. The header records the size and FNV-1a hash of the `places.tsv` it was built
/// from and `NameNormalizer.version`; a file that does not match is ignored and the keys are
/// computed in memory instead (`Gazetteer.nameIndexStatus` says so).
///
/// Layout, little-endian: a 64-byte header (magic `GEONIDX3`, normalizer version, places.tsv
/// size and hash, entry, key and slot counts, record bytes, offset bits), then `slots` (UInt32:
/// 0 = empty, else the key's record offset / 4 + 1 in the low `offsetBits` bits and the top
/// bits of the key's hash above them, so that a probe rarely reads a record it does not want;
/// open addressing with linear probing on FNV-1a 64 of the key bytes), then the records, one
/// per key in key order, each 4-byte aligned: UInt16 key length, UInt16 posting count, the
/// postings (UInt32 entry numbers, ascending) and the key bytes, zero-padded. A lookup reads
/// one slot and one record: two cache misses when the index is cold. Keys are
/// `NameNormalizer.key` of every name and alias; names in scripts without keys are stored
/// lowercased behind a 0x01 byte.
///
/// The value holds only pointers into the mapping and numbers (copying it retains nothing);
/// whoever opens it keeps the `InputFile` that owns the mapping alive as long as it is used.
struct NameIndexFile {
    static let magic: [UInt8] = Array("GEONIDX3".utf8)
    static let headerSize = 64

    let base: UnsafeRawPointer
    let entryCount: Int
    let keyCount: Int
    let slotMask: Int
    let offsetBits: Int
    let slots: UnsafePointer<UInt32>
    let records: UnsafeRawPointer
    let recordBytes: Int

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

    /// Opens the index if it matches `places` (the bytes of places.tsv) and `entryCount`; the
    /// index is valid while the returned file lives.
    static func open(_ path: String, placesSize: Int, placesHash: UInt64, entryCount: Int) -> (NameIndexFile?, InputFile?, Status) {
        guard let file = try? InputFile(path: path) else { return (nil, nil, .missing) }
        let raw: UnsafeRawBufferPointer = file.withUnsafeBytes { $0 }  // mapped: stays valid while `file` lives
        guard raw.count >= headerSize, Array(raw[0..<7]) == Array(magic.prefix(7)), let base = raw.baseAddress else { return (nil, nil, .stale("is not a name index")) }
        guard Array(raw[0..<8]) == magic else { return (nil, nil, .stale("has an older format")) }
        func u32(_ at: Int) -> Int { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        guard u32(8) == NameNormalizer.version else { return (nil, nil, .stale("was built by another normaliser version")) }
        guard u64(16) == UInt64(placesSize), u64(24) == placesHash else { return (nil, nil, .stale("was built from another places.tsv")) }
        guard u32(32) == entryCount else { return (nil, nil, .stale("counts another number of places")) }
        let keys = u32(36), slotCount = u32(40), recordBytes = u32(44), offsetBits = u32(48)
        guard slotCount > 0, slotCount & (slotCount - 1) == 0, raw.count == headerSize + 4 * slotCount + recordBytes,
              offsetBits == Self.offsetBits(recordBytes)
        else {
            return (nil, nil, .stale("is truncated"))
        }
        let index = NameIndexFile(
            base: base, entryCount: entryCount, keyCount: keys, slotMask: slotCount - 1, offsetBits: offsetBits,
            slots: (base + headerSize).assumingMemoryBound(to: UInt32.self), records: base + headerSize + 4 * slotCount,
            recordBytes: recordBytes)
        return (index, file, .used)
    }

    /// Bits for record offsets / 4 + 1 in a slot.
    static func offsetBits(_ recordBytes: Int) -> Int { max(1, Int.bitWidth - (recordBytes / 4 + 1).leadingZeroBitCount) }

    /// The slot value of the record at `offset` for a key with hash `hash`.
    static func slotValue(offset: Int, hash: UInt64, offsetBits: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: hash >> UInt64(32 + offsetBits)) << UInt32(offsetBits) | UInt32(offset / 4 + 1)
    }

    /// A record's key bytes and postings.
    @inline(__always)
    func record(at offset: Int) -> (key: UnsafeBufferPointer<UInt8>, postings: UnsafeBufferPointer<UInt32>, size: Int) {
        let keyLength = Int(UInt16(littleEndian: records.load(fromByteOffset: offset, as: UInt16.self)))
        let postingCount = Int(UInt16(littleEndian: records.load(fromByteOffset: offset + 2, as: UInt16.self)))
        let postings = (records + offset + 4).assumingMemoryBound(to: UInt32.self)
        let key = (records + offset + 4 + 4 * postingCount).assumingMemoryBound(to: UInt8.self)
        return (UnsafeBufferPointer(start: key, count: keyLength), UnsafeBufferPointer(start: postings, count: postingCount),
                4 + 4 * postingCount + (keyLength + 3) / 4 * 4)
    }

    /// The slot value where a lookup of a key with `hash` starts (read early to have it in cache).
    @inline(__always) func slot(hash: UInt64) -> UInt32 { slots[Int(truncatingIfNeeded: hash) & slotMask] }

    /// The record offset of `key`, or nil.
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        let offsetMask = UInt32(1) << UInt32(offsetBits) - 1
        let fingerprint = Self.slotValue(offset: 0, hash: hash, offsetBits: offsetBits) & ~offsetMask
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let value = slots[slot]
            if value == 0 { return nil }
            if value & ~offsetMask == fingerprint {
                let offset = 4 * (Int(value & offsetMask) - 1)
                let found = record(at: offset).key
                if found.count == key.count, key.count == 0 || memcmpEqual(found.baseAddress!, key.baseAddress, key.count) { return offset }
            }
            slot = (slot + 1) & slotMask
        }
    }

    /// Entries under a normalised key (its UTF-8 bytes), ascending.
    func entries(forKey key: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt32> {
        guard let offset = find(key, hash: fnv1a(key)) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return record(at: offset).postings
    }

    /// Entries whose name, in a script without keys, lowercases to `lower`.
    func entries(forOtherScriptName lower: String) -> UnsafeBufferPointer<UInt32> {
        let bytes = [0x01] + Array(lower.utf8)
        return bytes.withUnsafeBufferPointer { entries(forKey: $0) }
    }

    /// Every normalised key's bytes (not the other-script names) with its entries, for the
    /// fuzzy and skeleton indexes.
    func forEachKey(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt32>) -> Void) {
        var offset = 0
        while offset < recordBytes {
            let (key, postings, size) = record(at: offset)
            offset += size
            guard !key.isEmpty, key[0] != 0x01 else { continue }
            body(key, postings)
        }
    }

    // MARK: writing

    /// The index of `keys` (per entry: its normalised keys and its lowercased other-script
    /// names), as the bytes of the file.
    static func build(keys: [[String]], otherScriptNames: [[String]], placesSize: Int, placesHash: UInt64) throws -> [UInt8] {
        var postingsByKey: [[UInt8]: [UInt32]] = [:]
        for (entry, (k, other)) in zip(keys, otherScriptNames).enumerated() {
            for key in k { postingsByKey[Array(key.utf8), default: []].append(UInt32(entry)) }
            for name in other { postingsByKey[[0x01] + Array(name.utf8), default: []].append(UInt32(entry)) }
        }
        let sortedKeys = postingsByKey.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var records: [UInt8] = []
        var offsets: [Int] = []
        offsets.reserveCapacity(sortedKeys.count)
        for key in sortedKeys {
            var list = postingsByKey[key]!
            list = list.enumerated().filter { $0.offset == 0 || list[$0.offset - 1] != $0.element }.map(\.element)
            guard key.count <= Int(UInt16.max), list.count <= Int(UInt16.max) else {
                throw GazetteerError(file: "places.tsv", reason: "name key \(String(decoding: key, as: UTF8.self).prefix(40)) is too long or too common for name-index.bin")
            }
            offsets.append(records.count)
            withUnsafeBytes(of: UInt16(key.count).littleEndian) { records += $0 }
            withUnsafeBytes(of: UInt16(list.count).littleEndian) { records += $0 }
            for id in list { withUnsafeBytes(of: id.littleEndian) { records += $0 } }
            records += key
            records += [UInt8](repeating: 0, count: (4 - key.count % 4) % 4)
        }
        let offsetBits = Self.offsetBits(records.count)
        var slotCount = 1
        while slotCount < sortedKeys.count * 3 / 2 { slotCount <<= 1 }
        var slots = [UInt32](repeating: 0, count: slotCount)
        for (key, offset) in zip(sortedKeys, offsets) {
            let hash = fnv1a(key)
            var slot = Int(truncatingIfNeeded: hash) & (slotCount - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = slotValue(offset: offset, hash: hash, offsetBits: offsetBits)
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
        put32(records.count)
        put32(offsetBits)
        out += [UInt8](repeating: 0, count: headerSize - out.count)
        for v in slots { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        out += records
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
