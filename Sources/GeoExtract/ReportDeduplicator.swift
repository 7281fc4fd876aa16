import Foundation
import GeoCore
import GeoEvents

/// One event per happening across the reports of a run: the same event told by several articles
/// becomes one event with every source, claim and piece of evidence.
///
/// Rules: two events from different documents are the same when their sub-event types are equal,
/// their time spans overlap (a day-precision date is its day; week and month precision widen it,
/// `EventInterval`), both have coordinates within `maxKilometres` (25 km, the threshold)
/// and their sides do not contradict (two different known sides stay apart). The first event of
/// the run keeps its id; the others' ids are kept in `merged_ids`, and an `answers` pointing at
/// one of them is redirected to the kept id. The merged event takes the more precise date and
/// place, the union of sources, claims, evidence and tags, `fatalities` the lowest killed figure,
/// and `unknown` for the side when either report disputes the attribution.
public enum ReportDeduplicator {
    public static func merge(_ events: [Event], maxKilometres: Double = 25) -> (events: [Event], merged: Int) {
        var kept: [Event] = []
        var documents: [Set<String>] = []
        var renamed: [String: String] = [:]
        var byType: [String: [Int]] = [:]
        for e in events {
            let document = e.sources.first ?? ""
            let candidates = byType[e.subEventType] ?? []
            if let i = candidates.first(where: { !documents[$0].contains(document) && same(kept[$0], e, maxKilometres: maxKilometres) }) {
                kept[i] = combine(kept[i], e)
                documents[i].insert(document)
                renamed[e.eventID] = kept[i].eventID
            } else {
                byType[e.subEventType, default: []].append(kept.count)
                kept.append(e)
                documents.append([document])
            }
        }
        let mergedCount = events.count - kept.count
        if !renamed.isEmpty {
            for i in kept.indices {
                if let a = kept[i].extra["answers"]?.stringValue, let to = renamed[a] { kept[i].extra["answers"] = .string(to) }
            }
        }
        return (kept, mergedCount)
    }

    /// Same happening: overlapping time spans, places within reach, no contradicting sides.
    static func same(_ a: Event, _ b: Event, maxKilometres: Double) -> Bool {
        let x = a.interval, y = b.interval
        guard x.startSeconds <= y.endSeconds && y.startSeconds <= x.endSeconds else { return false }
        guard let la = a.latitude, let oa = a.longitude, let lb = b.latitude, let ob = b.longitude else { return false }
        guard kilometres(la, oa, lb, ob) <= maxKilometres else { return false }
        let known: (String) -> Bool = { !$0.isEmpty && $0 != "unknown" }
        return !(known(a.actorSide) && known(b.actorSide) && a.actorSide != b.actorSide)
    }

    static func combine(_ a: Event, _ b: Event) -> Event {
        var m = a
        if b.timePrecision.rawValue < a.timePrecision.rawValue || (b.timePrecision == a.timePrecision && (b.dateEnd == nil) && a.dateEnd != nil) {
            m.date = b.date; m.dateEnd = b.dateEnd; m.timePrecision = b.timePrecision
            if let p = b.extra["date_phrase"] { m.extra["date_phrase"] = p }
        }
        if (b.geoPrecision ?? 9) < (a.geoPrecision ?? 9) {
            m.location = b.location; m.latitude = b.latitude; m.longitude = b.longitude
            m.geoPrecision = b.geoPrecision; m.country = b.country; m.admin1 = b.admin1
        }
        for s in b.sources where !m.sources.contains(s) { m.sources.append(s) }
        for c in b.fatalityClaims where !m.fatalityClaims.contains(c) { m.fatalityClaims.append(c) }
        m.fatalities = Event.conservativeFatalities(m.fatalityClaims)
        for t in b.tags where !m.tags.contains(t) { m.tags.append(t) }
        if m.actor1.isEmpty && !b.actor1.isEmpty {
            m.actor1 = b.actor1; m.actor1Reported = b.actor1Reported; m.actorMatch = b.actorMatch; m.actorSide = b.actorSide
        }
        if m.actor2.isEmpty { m.actor2 = b.actor2; m.target = b.target }
        if m.tags.contains("attribution-disputed") { m.actorSide = "unknown" }
        let evidence = (a.extra["evidence"]?.arrayValue ?? []) + (b.extra["evidence"]?.arrayValue ?? [])
        if !evidence.isEmpty { m.extra["evidence"] = .array(evidence) }
        if m.extra["answers"] == nil, let answer = b.extra["answers"] { m.extra["answers"] = answer }
        let ids = (a.extra["merged_ids"]?.arrayValue ?? []) + [.string(b.eventID)]
        m.extra["merged_ids"] = .array(ids)
        m.notes += (m.notes.isEmpty ? "" : "; ") + "also reported in \(b.sources.first ?? b.eventID) (\(b.eventID))"
        return m
    }

    /// Great-circle distance on a sphere of radius 6371 km.
    static func kilometres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = Double.pi / 180
        let dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r
        let h = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2)
        return 2 * 6371 * asin(min(1, h.squareRoot()))
    }
}
