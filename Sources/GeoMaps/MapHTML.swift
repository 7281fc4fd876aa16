import Foundation
import GeoCore
import OrderedCollections

/// The markers of an interactive map, for the page's script: position and radius on the
/// canvas, colour, shape, hollow when approximate; in drawing order (largest first, so that
/// small ones stay on top), `index` the event's place in `MapDrawing.records`.
struct MapMarkers {
    var index: [Int] = [], x: [Double] = [], y: [Double] = [], r: [Double] = []
    var color: [Int] = [], shape: [Int] = [], hollow: [Bool] = []
    var colors: [String] = []
    let scale: MapStyle.MarkerScale

    init(_ scene: MapScene) {
        scale = scene.scale
        let events = scene.events, radii = scene.radii
        index = events.indices.sorted {
            radii[$0] != radii[$1] ? radii[$0] > radii[$1] : (events[$0].startSeconds, $0) < (events[$1].startSeconds, $1)
        }
        var colorIndex: [String: Int] = [:]
        let shapes = MapStyle.Shape.allCases
        for i in index {
            let e = events[i], c = scene.color(e.side)
            if colorIndex[c] == nil { colorIndex[c] = colors.count; colors.append(c) }
            x.append(e.x); y.append(e.y); r.append(radii[i])
            color.append(colorIndex[c]!)
            shape.append(shapes.firstIndex(of: MapStyle.shape(forEventType: e.eventType)) ?? 0)
            hollow.append(e.isApproximate)
        }
    }

    private init(scale: MapStyle.MarkerScale) { self.scale = scale }
    static let empty = MapMarkers(scale: MapStyle.MarkerScale(eventCount: 0))
}

extension MapDrawing {
    /// One self-contained HTML page (no network): the map as inline SVG, pan and zoom (wheel,
    /// drag, buttons, keyboard + − 0), a tooltip per event (date, type, actors, place,
    /// precision, fatalities, sources as links), and a time slider that shows only the events
    /// (and attack → response arrows) whose dates overlap the chosen span. The page's script
    /// draws the markers: one per event while at most `MapDrawing.singleMarkerLimit` are in
    /// view, else one per grid cell of `MapDrawing.aggregateCellPixels` with its count
    /// (click to zoom in). Draw the map with `MapOptions.interactive`.
    public func html() -> String {
        var json = JSONWriter(reservingCapacity: records.count * 120)
        Self.appendPageData(&json, records: records, markers: markers, width: width)
        // Inside <script>, "</" could end the element: write it as "<\/" (the same JSON string).
        let data = String(decoding: json.bytes, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
        var svgText = svg
        if let declarationEnd = svgText.range(of: "?>\n"), svgText.hasPrefix("<?xml") { svgText = String(svgText[declarationEnd.upperBound...]) }
        let title = SVGDocument.escape(self.title)
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>
            html,body{margin:0;padding:0;background:#fff;color:#222;font:14px/1.4 "Liberation Sans",Arial,Helvetica,sans-serif}
            #bar{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;padding:8px 12px;border-bottom:1px solid #ddd;position:sticky;top:0;background:#fff;z-index:2}
            #bar button{font:inherit;min-width:34px;padding:3px 8px;border:1px solid #aaa;background:#f6f6f6;border-radius:4px;cursor:pointer}
            #time{display:flex;align-items:center;gap:8px;flex:1 1 420px}
            #time input{flex:1 1 120px}
            #count,#mode{color:#555;white-space:nowrap}
            #view{position:relative;overflow:hidden;touch-action:none;cursor:grab}
            #view.dragging{cursor:grabbing}
            #view svg{display:block;width:100%;height:auto}
            #view .ev,#view .agg{cursor:pointer}
            #view .ev:hover,#view .agg:hover circle{stroke:#000;stroke-width:2}
            #view .agg text{font:bold 11px "Liberation Sans",Arial,sans-serif;fill:#fff;paint-order:stroke;stroke:rgba(0,0,0,.55);stroke-width:2.5px;pointer-events:none}
            #tip{position:absolute;z-index:3;display:none;max-width:340px;background:#fff;border:1px solid #888;border-radius:5px;box-shadow:0 2px 8px rgba(0,0,0,.25);padding:8px 10px;font-size:13px;pointer-events:auto}
            #tip h3{margin:0 0 4px;font-size:14px}
            #tip table{border-collapse:collapse}
            #tip td{vertical-align:top;padding:1px 6px 1px 0}
            #tip td:first-child{color:#666;white-space:nowrap}
            #tip a{color:#0b57a4;word-break:break-all}
            </style>
            </head>
            <body>
            <div id="bar">
              <span><button id="zin" title="Zoom in (+)">+</button> <button id="zout" title="Zoom out (−)">−</button> <button id="zreset" title="Whole map (0)">⟲</button></span>
              <span id="time"><label for="from">From</label><input id="from" type="range"><label for="to">to</label><input id="to" type="range"><span id="span"></span></span>
              <span id="count"></span><span id="mode"></span>
            </div>
            <div id="view">
            \(svgText)
            <div id="tip" role="tooltip"></div>
            </div>
            <script id="events" type="application/json">\(data)</script>
            <script>
            \(Self.script)
            </script>
            </body>
            </html>

            """
    }

    /// Most single markers drawn at once; past it the page groups events by grid cell.
    public static let singleMarkerLimit = 2_000
    /// Side of an aggregation cell, pixels of the canvas at the current zoom.
    public static let aggregateCellPixels = 44

    /// The page's data, columns of the events in drawing order (`MapMarkers`): `x`, `y`, `r`
    /// (canvas pixels, one decimal), `c` (index into `colors`), `s` (shape), `h` (1 hollow),
    /// `t0`/`t1` (first and last day since 1970, null undated), and the tooltip properties as
    /// `cols`: per property its distinct values `vals` and for each event an index into them
    /// (`codes`, -1 when missing; left out when each event has its own value, in order), so
    /// that event types, actors and places are written once.
    static func appendPageData(_ json: inout JSONWriter, records: [(info: [(String, JSONValue)], startDay: Double, endDay: Double)],
                               markers: MapMarkers?, width: Double) {
        let markers = markers ?? MapMarkers.empty
        let order = markers.index
        func numbers(_ name: StaticString, _ values: [Double], decimals: Int) {
            json.appendByte(UInt8(ascii: "\""))
            json.appendRaw(name)
            json.appendRaw("\":[")
            for (k, v) in values.enumerated() {
                if k > 0 { json.appendByte(UInt8(ascii: ",")) }
                json.appendFixed(v, decimals: decimals)
            }
            json.appendRaw("],")
        }
        json.appendRaw("{")
        json.appendRaw("\"W\":"); json.appendFixed(width, decimals: 2)
        json.appendRaw(",\"limit\":"); json.appendInteger(Int64(singleMarkerLimit))
        json.appendRaw(",\"cell\":"); json.appendInteger(Int64(aggregateCellPixels))
        json.appendRaw(",\"opacity\":"); json.appendFixed(markers.scale.opacity, decimals: 2)
        json.appendRaw(",\"outline\":"); json.appendFixed(markers.scale.outline, decimals: 2)
        json.appendRaw(",\"hollowWidth\":"); json.appendFixed(markers.scale.base >= 4 ? 2 : 1.1, decimals: 2)
        json.appendRaw(",\"colors\":"); json.append(.array(markers.colors.map { .string($0) }))
        json.appendRaw(",")
        numbers("x", markers.x, decimals: 1)
        numbers("y", markers.y, decimals: 1)
        numbers("r", markers.r, decimals: 1)
        numbers("c", markers.color.map(Double.init), decimals: 0)
        numbers("s", markers.shape.map(Double.init), decimals: 0)
        numbers("h", markers.hollow.map { $0 ? 1 : 0 }, decimals: 0)
        numbers("t0", order.map { records[$0].startDay }, decimals: 0)
        numbers("t1", order.map { max(records[$0].startDay, records[$0].endDay) }, decimals: 0)
        // Tooltip properties, interned per property; a property whose every value is new
        // (event_id, notes) is written as its values alone.
        var keys: [String] = [], keyIndex: [String: Int] = [:]
        var vals: [[JSONValue]] = [], known: [[JSONValue: Int]] = [], codes: [[Int]] = []
        for (k, i) in order.enumerated() {
            for (key, value) in records[i].info {
                let v = clipped(value)
                var t = keyIndex[key] ?? -1
                if t < 0 {
                    t = keys.count
                    keyIndex[key] = t
                    keys.append(key); vals.append([]); known.append([:]); codes.append(Array(repeating: -1, count: order.count))
                }
                if let c = known[t][v] { codes[t][k] = c; continue }
                codes[t][k] = vals[t].count
                known[t][v] = vals[t].count
                vals[t].append(v)
            }
        }
        json.appendRaw("\"cols\":{")
        for (t, key) in keys.enumerated() {
            if t > 0 { json.appendByte(UInt8(ascii: ",")) }
            json.appendString(key)
            json.appendRaw(":{\"vals\":")
            json.append(.array(vals[t]))
            if !codes[t].elementsEqual(0..<order.count) {
                json.appendRaw(",\"codes\":[")
                for (k, c) in codes[t].enumerated() {
                    if k > 0 { json.appendByte(UInt8(ascii: ",")) }
                    json.appendInteger(Int64(c))
                }
                json.appendRaw("]")
            }
            json.appendRaw("}")
        }
        json.appendRaw("}}")
    }

    /// Long notes are clipped for the tooltip (300 characters).
    static func clipped(_ value: JSONValue) -> JSONValue {
        if case .string(let s) = value, s.count > 300 { return .string(String(s.prefix(299)) + "…") }
        return value
    }

    static let script = #"""
        (function () {
          "use strict";
          var D = JSON.parse(document.getElementById("events").textContent);
          var NS = "http://www.w3.org/2000/svg", N = D.x.length;
          var view = document.getElementById("view"), svg = view.querySelector("svg"), tip = document.getElementById("tip");
          var layer = svg.querySelector("g.events");
          var full = svg.viewBox.baseVal, W = full.width, H = full.height;
          var vb = { x: 0, y: 0, w: W, h: H }, pending = false;
          function apply() { svg.setAttribute("viewBox", vb.x + " " + vb.y + " " + vb.w + " " + vb.h); schedule(); }
          function clamp() {
            vb.w = Math.min(W, Math.max(W / 200, vb.w)); vb.h = vb.w * H / W;
            vb.x = Math.min(W - vb.w, Math.max(0, vb.x)); vb.y = Math.min(H - vb.h, Math.max(0, vb.y));
          }
          function zoom(f, cx, cy) {
            if (cx === undefined) { cx = vb.x + vb.w / 2; cy = vb.y + vb.h / 2; }
            var w = vb.w / f; vb.x = cx - (cx - vb.x) * w / vb.w; vb.y = cy - (cy - vb.y) * w / vb.w; vb.w = w; clamp(); apply();
          }
          function toSvg(e) { var r = svg.getBoundingClientRect(); return { x: vb.x + (e.clientX - r.left) / r.width * vb.w, y: vb.y + (e.clientY - r.top) / r.height * vb.h }; }
          view.addEventListener("wheel", function (e) { e.preventDefault(); var p = toSvg(e); zoom(e.deltaY < 0 ? 1.25 : 0.8, p.x, p.y); }, { passive: false });
          // Buttons and clicks redraw at once; wheel and drag once per frame.
          document.getElementById("zin").onclick = function () { zoom(1.5); draw(); };
          document.getElementById("zout").onclick = function () { zoom(1 / 1.5); draw(); };
          document.getElementById("zreset").onclick = function () { vb = { x: 0, y: 0, w: W, h: H }; apply(); draw(); };
          document.addEventListener("keydown", function (e) {
            if (e.target.tagName === "INPUT") return;
            if (e.key === "+" || e.key === "=") zoom(1.5); else if (e.key === "-") zoom(1 / 1.5); else if (e.key === "0") document.getElementById("zreset").onclick();
          });
          var drag = null, moved = false;
          view.addEventListener("pointerdown", function (e) { if (e.button !== 0 || tip.contains(e.target)) return; drag = { x: e.clientX, y: e.clientY, vx: vb.x, vy: vb.y }; moved = false; });
          window.addEventListener("pointermove", function (e) {
            if (!drag) return;
            var r = svg.getBoundingClientRect(), dx = e.clientX - drag.x, dy = e.clientY - drag.y;
            if (Math.abs(dx) + Math.abs(dy) > 3) { moved = true; view.classList.add("dragging"); }
            vb.x = drag.vx - dx / r.width * vb.w; vb.y = drag.vy - dy / r.height * vb.h; clamp(); apply();
          });
          window.addEventListener("pointerup", function () { drag = null; view.classList.remove("dragging"); });

          // Markers: the same shapes and sizes as the SVG map, the same size on screen at any zoom.
          function f(v) { return Math.round(v * 100) / 100; }
          function markerPath(s, x, y, r) {
            var area = Math.PI * r * r, pts;
            if (s === 0) return "M" + f(x - r) + " " + f(y) + "a" + f(r) + " " + f(r) + " 0 1 0 " + f(2 * r) + " 0a" + f(r) + " " + f(r) + " 0 1 0 " + f(-2 * r) + " 0Z";
            if (s === 1) { var h = Math.sqrt(area) / 2; pts = [[-h, -h], [h, -h], [h, h], [-h, h]]; }
            else if (s === 3) { var d = Math.sqrt(area / 2); pts = [[0, -d], [d, 0], [0, d], [-d, 0]]; }
            else if (s === 2 || s === 4) {
              var side = Math.sqrt(4 * area / Math.sqrt(3)), ht = side * Math.sqrt(3) / 2, g = s === 2 ? 1 : -1;
              pts = [[0, -g * ht * 2 / 3], [side / 2, g * ht / 3], [-side / 2, g * ht / 3]];
            } else {
              var R = Math.sqrt(area / (2.5 * Math.sin(2 * Math.PI / 5))); pts = [];
              for (var k = 0; k < 5; k++) { var a = -Math.PI / 2 + k * 2 * Math.PI / 5; pts.push([R * Math.cos(a), R * Math.sin(a)]); }
            }
            return pts.map(function (p, n) { return (n ? "L" : "M") + f(x + p[0]) + " " + f(y + p[1]); }).join("") + "Z";
          }
          function marker(i, k) {
            var m = document.createElementNS(NS, "path"), c = D.colors[D.c[i]];
            m.setAttribute("class", "ev"); m.setAttribute("data-i", i);
            m.setAttribute("d", markerPath(D.s[i], D.x[i], D.y[i], D.r[i] * k));
            m.setAttribute("vector-effect", "non-scaling-stroke");
            if (D.h[i]) { m.setAttribute("fill", "#ffffff"); m.setAttribute("fill-opacity", "0.55"); m.setAttribute("stroke", c); m.setAttribute("stroke-width", D.hollowWidth); }
            else { m.setAttribute("fill", c); if (D.outline > 0) { m.setAttribute("stroke", "#ffffff"); m.setAttribute("stroke-width", D.outline); } }
            return m;
          }
          function short(n) { return n < 1000 ? String(n) : n < 10000 ? (n / 1000).toFixed(1).replace(/\.0$/, "") + "k" : Math.round(n / 1000) + "k"; }
          var shown = new Uint8Array(N), groups = [];
          function radius(n) { return 9 + 4.5 * Math.log10(n); }  // of a group, canvas pixels
          // One marker per event in view while few enough; else one circle per grid cell (its
          // colour the side most of its events have), with the count.
          function draw() {
            pending = false;
            if (!layer) return;
            var k = vb.w / W, x0 = vb.x, y0 = vb.y, x1 = vb.x + vb.w, y1 = vb.y + vb.h, inView = [];
            for (var i = 0; i < N; i++) if (shown[i] && D.x[i] >= x0 && D.x[i] <= x1 && D.y[i] >= y0 && D.y[i] <= y1) inView.push(i);
            var frag = document.createDocumentFragment(), grouped = inView.length > D.limit;
            groups = [];
            if (!grouped) { inView.forEach(function (i) { frag.appendChild(marker(i, k)); }); }
            else {
              var cell = D.cell * k, cells = new Map();
              inView.forEach(function (i) {
                var key = Math.floor(D.x[i] / cell) * 100003 + Math.floor(D.y[i] / cell), g = cells.get(key);
                if (!g) { g = { n: 0, sx: 0, sy: 0, sides: {}, first: i }; cells.set(key, g); }
                g.n++; g.sx += D.x[i]; g.sy += D.y[i]; g.sides[D.c[i]] = (g.sides[D.c[i]] || 0) + 1;
              });
              // Groups whose circles would touch are merged, largest first (the grid alone
              // splits a dense place into touching circles at cell corners).
              var list = [];
              Array.from(cells.values()).sort(function (a, b) { return b.n - a.n; }).forEach(function (g) {
                if (g.n > 1) for (var j = 0; j < list.length && list[j].n > 1; j++) {
                  var h = list[j], gap = Math.hypot(h.sx / h.n - g.sx / g.n, h.sy / h.n - g.sy / g.n);
                  if (gap < (radius(h.n) + radius(g.n) + 2) * k) {
                    h.n += g.n; h.sx += g.sx; h.sy += g.sy;
                    Object.keys(g.sides).forEach(function (c) { h.sides[c] = (h.sides[c] || 0) + g.sides[c]; });
                    return;
                  }
                }
                list.push(g);
              });
              list.forEach(function (g) { if (g.n === 1) frag.appendChild(marker(g.first, k)); });
              list.reverse().forEach(function (g) {
                if (g.n === 1) return;
                var best = -1, most = -1;
                Object.keys(g.sides).forEach(function (c) { if (g.sides[c] > most) { most = g.sides[c]; best = +c; } });
                var el = document.createElementNS(NS, "g"), circle = document.createElementNS(NS, "circle"), label = document.createElementNS(NS, "text");
                var r = radius(g.n) * k, cx = g.sx / g.n, cy = g.sy / g.n;
                el.setAttribute("class", "agg"); el.setAttribute("data-n", g.n); el.setAttribute("data-g", groups.length); groups.push(g);
                circle.setAttribute("cx", f(cx)); circle.setAttribute("cy", f(cy)); circle.setAttribute("r", f(r));
                circle.setAttribute("fill", D.colors[best]); circle.setAttribute("fill-opacity", "0.82");
                circle.setAttribute("stroke", "#ffffff"); circle.setAttribute("stroke-width", "1.5"); circle.setAttribute("vector-effect", "non-scaling-stroke");
                label.setAttribute("x", f(cx)); label.setAttribute("y", f(cy)); label.setAttribute("text-anchor", "middle");
                label.setAttribute("dominant-baseline", "central"); label.setAttribute("style", "font-size:" + f(11 * k) + "px;stroke-width:" + f(2.5 * k) + "px");
                label.textContent = short(g.n);
                el.appendChild(circle); el.appendChild(label); frag.appendChild(el);
              });
            }
            layer.textContent = ""; layer.appendChild(frag);
            document.getElementById("mode").textContent = grouped ? "grouped by area: zoom in or click a group" : "";
          }
          function schedule() { if (!pending) { pending = true; requestAnimationFrame(draw); } }

          // Tooltips: built with text nodes, links only for http(s) addresses.
          var names = { event_id: "Event", event_date: "Date", date_end: "Until", event_type: "Type", sub_event_type: "Sub-type", actor1: "Actor",
            actor2: "Against", actor_side: "Side", target: "Target", location: "Place", admin1: "Region", country: "Country",
            geo_precision: "Precision", fatalities: "Fatalities", sources: "Sources", notes: "Notes", role: "Role", cluster: "Cluster", near_phrase: "Nearest site" };
          var precision = { 1: "1 (exact place)", 2: "2 (near the place)", 3: "3 (region; approximate)" };
          function text(v) { return Array.isArray(v) ? v.join("; ") : String(v); }
          function info(i) {
            var ev = {};
            Object.keys(D.cols).forEach(function (k) { var col = D.cols[k], c = col.codes ? col.codes[i] : i; if (c >= 0) ev[k] = col.vals[c]; });
            return ev;
          }
          function place(e) {
            tip.style.display = "block";
            var r = view.getBoundingClientRect(), x = e.clientX - r.left + 12, y = e.clientY - r.top + 12;
            if (x + tip.offsetWidth > r.width) x = Math.max(0, e.clientX - r.left - tip.offsetWidth - 12);
            if (y + tip.offsetHeight > r.height) y = Math.max(0, e.clientY - r.top - tip.offsetHeight - 12);
            tip.style.left = x + "px"; tip.style.top = y + "px";
          }
          function show(i, e) {
            if (!(i >= 0 && i < N)) return;
            var ev = info(i);
            tip.textContent = "";
            var h = document.createElement("h3"); h.textContent = (ev.event_type || "Event") + (ev.event_date ? " · " + ev.event_date : ""); tip.appendChild(h);
            var t = document.createElement("table");
            Object.keys(names).forEach(function (k) {
              if (ev[k] === undefined || ev[k] === null || k === "event_type") return;
              var tr = document.createElement("tr"), a = document.createElement("td"), b = document.createElement("td");
              a.textContent = names[k];
              if (k === "sources") {
                var list = Array.isArray(ev[k]) ? ev[k] : String(ev[k]).split(/[;\s]+/);
                list.forEach(function (s, n) {
                  s = String(s).trim(); if (!s) return;
                  if (n > 0) b.appendChild(document.createElement("br"));
                  if (/^https?:\/\//i.test(s)) { var l = document.createElement("a"); l.href = s; l.textContent = s; l.target = "_blank"; l.rel = "noopener noreferrer"; b.appendChild(l); }
                  else b.appendChild(document.createTextNode(s));
                });
              } else if (k === "geo_precision") { b.textContent = precision[ev[k]] || text(ev[k]); }
              else { b.textContent = text(ev[k]); }
              tr.appendChild(a); tr.appendChild(b); t.appendChild(tr);
            });
            tip.appendChild(t);
            place(e);
          }
          function showGroup(g, e) {
            tip.textContent = "";
            var h = document.createElement("h3"); h.textContent = g.n.toLocaleString("en") + " events here"; tip.appendChild(h);
            var t = document.createElement("table");
            Object.keys(g.sides).sort(function (a, b) { return g.sides[b] - g.sides[a]; }).slice(0, 6).forEach(function (c) {
              var tr = document.createElement("tr"), a = document.createElement("td"), b = document.createElement("td"), sw = document.createElement("span");
              sw.style.cssText = "display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px;background:" + D.colors[c];
              a.appendChild(sw);
              a.appendChild(document.createTextNode(sideName(+c))); b.textContent = g.sides[c].toLocaleString("en");
              tr.appendChild(a); tr.appendChild(b); t.appendChild(tr);
            });
            tip.appendChild(t);
            var p = document.createElement("div"); p.style.color = "#666"; p.textContent = "Click to zoom in"; tip.appendChild(p);
            place(e);
          }
          var sideNames = {};
          function sideName(c) {
            if (sideNames[c] !== undefined) return sideNames[c];
            for (var i = 0; i < N; i++) if (D.c[i] === c) { var s = info(i).actor_side; sideNames[c] = s === undefined ? "unknown" : text(s); return sideNames[c]; }
            return "";
          }
          var pinned = false;
          function target(e) { var m = e.target.closest(".ev,.agg"); return m && layer && layer.contains(m) ? m : null; }
          svg.addEventListener("mouseover", function (e) {
            var m = target(e); if (!m || pinned) return;
            if (m.classList.contains("agg")) showGroup(groups[+m.getAttribute("data-g")], e); else show(+m.getAttribute("data-i"), e);
          });
          svg.addEventListener("mouseout", function (e) { if (!pinned && target(e)) tip.style.display = "none"; });
          svg.addEventListener("click", function (e) {
            if (moved) return;
            var m = target(e);
            if (m && m.classList.contains("agg")) {
              var g = groups[+m.getAttribute("data-g")]; pinned = false; tip.style.display = "none"; zoom(3, g.sx / g.n, g.sy / g.n);
              vb.x = g.sx / g.n - vb.w / 2; vb.y = g.sy / g.n - vb.h / 2; clamp(); apply(); draw();
            } else if (m) { pinned = true; show(+m.getAttribute("data-i"), e); } else { pinned = false; tip.style.display = "none"; }
          });

          // Time slider: events whose span overlaps [from, to] stay; undated ones always do.
          var pairs = svg.querySelectorAll(".pairs path");
          var from = document.getElementById("from"), to = document.getElementById("to"), span = document.getElementById("span"), count = document.getElementById("count");
          function iso(d) { return new Date(d * 86400000).toISOString().slice(0, 10); }
          var lo = Infinity, hi = -Infinity;
          for (var i = 0; i < N; i++) if (D.t0[i] !== null) { lo = Math.min(lo, D.t0[i]); hi = Math.max(hi, D.t1[i] === null ? D.t0[i] : D.t1[i]); }
          if (lo > hi) { document.getElementById("time").style.display = "none"; }
          [from, to].forEach(function (s) { s.min = lo; s.max = hi; s.step = 1; });
          from.value = lo; to.value = hi;
          function filter() {
            var a = +from.value, b = +to.value;
            if (a > b) { if (this === from) to.value = a; else from.value = b; a = +from.value; b = +to.value; }
            var n = 0;
            for (var i = 0; i < N; i++) {
              var t0 = D.t0[i], t1 = D.t1[i] === null ? t0 : D.t1[i], on = t0 === null || lo > hi || (t0 <= b && t1 >= a);
              shown[i] = on ? 1 : 0; if (on) n++;
            }
            pairs.forEach(function (p) {
              // An arrow stays while one of its pairs has both dates in the span (or no dates).
              var spans = (p.getAttribute("data-t") || "").split(" "), on = spans.length === 0;
              spans.forEach(function (s) {
                var t = s.split(":"), t0 = t[0] === "" ? a : +t[0], t1 = t[1] === undefined || t[1] === "" ? b : +t[1];
                if (t0 >= a && t0 <= b && t1 >= a && t1 <= b) on = true;
              });
              p.style.display = on ? "" : "none";
            });
            span.textContent = lo <= hi ? iso(a) + " – " + iso(b) : "";
            count.textContent = n.toLocaleString("en") + " of " + N.toLocaleString("en") + " events";
            draw();
          }
          from.addEventListener("input", filter); to.addEventListener("input", filter);
          filter.call(from);
        })();
        """#
}
