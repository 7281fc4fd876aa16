/// Byte-string keys → entry numbers, in memory: open addressing with linear probing on FNV-1a
/// (the hash of `NameIndexFile`), keys stored back to back, postings as linked lists so that
/// entries can be added one at a time. A lookup hashes the key's bytes once and allocates only
/// the answer; no `String` is made.
struct ByteKeyIndex: Sendable {
    /// Key k's bytes are `keyBytes[keyStart[k]..<keyStart[k + 1]]`.
    private var keyBytes: [UInt8] = []
    private var keyStart: [Int32] = [0]
    private var keyHash: [UInt64] = []
    /// Slot → key number + 1 (0 = empty); the count is a power of two, at most 2/3 full.
    private var slots: [Int32]
    /// Per key: its newest posting; per posting: the entry and the previous posting (-1 = none).
    private var head: [Int32] = []
    private var entryOf: [Int32] = []
    private var previous: [Int32] = []

    init(capacity: Int = 16) {
        var slotCount = 16
        while slotCount < capacity * 3 / 2 { slotCount <<= 1 }
        slots = [Int32](repeating: 0, count: slotCount)
        keyHash.reserveCapacity(capacity)
        head.reserveCapacity(capacity)
        entryOf.reserveCapacity(capacity)
        previous.reserveCapacity(capacity)
    }

    var keyCount: Int { head.count }
    var isEmpty: Bool { head.isEmpty }

    /// The key number of `key`, or nil.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        find(key, hash: fnv1a(key))
    }

    private func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            keyBytes.withUnsafeBufferPointer { bytes in
                let mask = slots.count - 1
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let k = Int(slots[slot]) - 1
                    if k < 0 { return nil }
                    if keyHash[k] == hash {
                        let start = Int(keyStart[k]), end = Int(keyStart[k + 1])
                        if end - start == key.count, key.count == 0 || memcmpEqual(bytes.baseAddress! + start, key.baseAddress, key.count) { return k }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Lists `entry` under `key` (once: adding the same entry again in a row is a no-op).
    mutating func add(_ key: some Collection<UInt8>, entry: Int32) {
        let bytes = Array(key)
        let k: Int = bytes.withUnsafeBufferPointer { key in
            let hash = fnv1a(key)
            if let k = find(key, hash: hash) { return k }
            let k = head.count
            keyBytes.append(contentsOf: key)
            keyStart.append(Int32(keyBytes.count))
            keyHash.append(hash)
            head.append(-1)
            if (k + 1) * 3 > slots.count * 2 { rehash(slotCount: slots.count * 2) } else { insertSlot(k, hash: hash) }
            return k
        }
        if head[k] >= 0, entryOf[Int(head[k])] == entry { return }
        entryOf.append(entry)
        previous.append(head[k])
        head[k] = Int32(entryOf.count - 1)
    }

    private mutating func insertSlot(_ k: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(k + 1)
    }

    private mutating func rehash(slotCount: Int) {
        slots = [Int32](repeating: 0, count: slotCount)
        for k in 0..<head.count { insertSlot(k, hash: keyHash[k]) }
    }

    /// Entries of key number `k`, in the order they were added.
    func entries(ofKey k: Int) -> [Int32] {
        var result: [Int32] = []
        var posting = head[k]
        while posting >= 0 {
            result.append(entryOf[Int(posting)])
            posting = previous[Int(posting)]
        }
        result.reverse()
        return result
    }

    /// Entries under `key`, in the order they were added (empty when the key is unknown).
    func entries(for key: UnsafeBufferPointer<UInt8>) -> [Int32] {
        guard !head.isEmpty, let k = find(key) else { return [] }
        return entries(ofKey: k)
    }

    func entries(for key: [UInt8]) -> [Int32] {
        key.withUnsafeBufferPointer { entries(for: $0) }
    }

    func entries(for key: String) -> [Int32] {
        entries(for: Array(key.utf8))
    }

    /// Every key's bytes with its key number, in the order keys were first added.
    func forEachKey(_ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        keyBytes.withUnsafeBufferPointer { bytes in
            for k in 0..<head.count {
                let start = Int(keyStart[k]), end = Int(keyStart[k + 1])
                body(UnsafeBufferPointer(rebasing: bytes[start..<end]), k)
            }
        }
    }
}

/// Whether `count` bytes at `a` and `b` are equal.
@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard let b else { return count == 0 }
    for i in 0..<count where a[i] != b[i] { return false }
    return true
}
