import Foundation

/// Answers already given, by the text asked about: a table repeats its actors and wordings on
/// thousands of rows, and matching one costs word splitting and folding. Thread-safe; emptied
/// when it reaches `limit` entries so memory stays bounded.
final class Memo<Value>: @unchecked Sendable {
    private var answers: [String: Value] = [:]
    private let lock = NSLock()
    private let limit: Int

    init(limit: Int = 50_000) { self.limit = limit }

    /// The answer for `key`, computed by `compute` the first time.
    func value(_ key: String, _ compute: () -> Value) -> Value {
        lock.lock()
        if let known = answers[key] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let value = compute()
        lock.lock()
        if answers.count >= limit { answers.removeAll(keepingCapacity: true) }
        answers[key] = value
        lock.unlock()
        return value
    }
}
